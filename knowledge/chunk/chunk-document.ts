/**
 * ParsedDocument → retrieval chunks that follow the document's structure: a chunk never crosses a top-level section,
 * packs consecutive blocks up to `maxTokens`, keeps a list together when it fits, and starts with its heading path
 * so a chunk like "Up to 4W in total" still says which board and section it belongs to.
 */
import type { Block, Chunk, ChunkOptions, ParsedDocument } from "../types.ts";
import { countTokens } from "./count-tokens.ts";
import { splitText } from "./split-text.ts";

export { countTokens } from "./count-tokens.ts";

/**
 * Chosen with `npm run bench:chunking` (offline embedder): 250 tokens found more of τ³ banking's required documents
 * in the top 5 than 150, 350, 500 or 800 (recall@5 0.333 vs 0.293 at 350, MRR 0.552 vs 0.542), put ~26% fewer
 * tokens in the prompt than 350, and found 12 of the 13 ESP32-POE FAQ answers on their page (13 at 350). Overlap
 * only applies where one paragraph is split, which is rare in these sets; 40 tokens keeps a split sentence readable.
 */
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxTokens: 250, overlapTokens: 40 };

/** Cuts a parsed document into chunks. FAQ blocks become exactly one chunk each and are never split. */
export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions): Chunk[] {
  const maxTokens = Math.max(32, Math.floor(opts.maxTokens));
  const overlap = Math.max(0, Math.min(Math.floor(opts.overlapTokens), Math.floor(maxTokens / 2)));
  const chunks: Chunk[] = [];
  for (const run of topLevelRuns(doc.blocks)) packRun(run, maxTokens, overlap, chunks);
  return chunks.map((c, ord) => ({ ...c, ord }));
}

/** Consecutive blocks that share a top-level section (or, for FAQ, category). */
function topLevelRuns(blocks: Block[]): Block[][] {
  const runs: Block[][] = [];
  let key: string | undefined;
  for (const b of blocks) {
    const k = b.sectionPath[0] ?? "";
    if (runs.length === 0 || k !== key) runs.push([]);
    runs[runs.length - 1]!.push(b);
    key = k;
  }
  return runs;
}

type Draft = { blocks: Block[]; tokens: number; bodyTokens: number };

function packRun(run: Block[], maxTokens: number, overlap: number, out: Chunk[]): void {
  let draft: Draft = { blocks: [], tokens: 0, bodyTokens: 0 };
  const flush = () => {
    // A heading with nothing after it belongs with the content that follows, in the next chunk.
    let tail = draft.blocks.length;
    while (tail > 0 && draft.blocks[tail - 1]!.kind === "heading") tail--;
    emit(draft.blocks.slice(0, tail), maxTokens, out);
    const carried = draft.blocks.slice(tail);
    draft = { blocks: carried, tokens: carried.reduce((n, b) => n + blockTokens(b), 0), bodyTokens: 0 };
  };
  const budget = (first: Block) => maxTokens - countTokens(`${sectionLabel(first.sectionPath)}\n`);
  const add = (blocks: Block[], tokens: number) => {
    draft.blocks.push(...blocks);
    draft.tokens += tokens;
    if (blocks.some((b) => b.kind !== "heading")) draft.bodyTokens += tokens;
  };

  for (let i = 0; i < run.length; i++) {
    const block = run[i]!;
    if (block.kind === "faq") {
      flush();
      out.push(faqChunk(block));
      continue;
    }
    const unit = keptTogether(run, i, budget(block));
    i += unit.length - 1;
    const tokens = unit.reduce((n, b) => n + blockTokens(b), 0);
    // A new sub-section starts a new chunk unless the current one is still small: aligned chunks cite better.
    if (block.kind === "heading" && draft.bodyTokens >= maxTokens / 4) flush();
    // Likewise at a page break once the chunk is half full, so the page a chunk cites is where most of it sits.
    if (block.page !== draft.blocks.at(-1)?.page && draft.bodyTokens >= maxTokens / 2) flush();
    if (draft.blocks.length > 0 && draft.tokens + tokens > budget(draft.blocks[0]!)) flush();
    if (unit.length === 1 && tokens > budget(draft.blocks[0] ?? block) - draft.tokens) {
      splitOversized(block, draft, maxTokens, overlap, out);
      draft = { blocks: [], tokens: 0, bodyTokens: 0 };
      continue;
    }
    add(unit, tokens);
  }
  flush();
}

/**
 * Blocks that should share a chunk when they fit: a whole list, or a question ("…?") with the paragraphs that answer
 * it (FAQ sections in manuals). A unit too big for a chunk falls back to its first block alone.
 */
function keptTogether(run: Block[], i: number, budget: number): Block[] {
  const first = run[i]!;
  let j = i;
  if (first.kind === "list_item" && !first.text.endsWith("?")) {
    while (run[j + 1]?.kind === "list_item" && !run[j + 1]!.text.endsWith("?")) j++;
  } else if ((first.kind === "list_item" || first.kind === "paragraph") && first.text.endsWith("?")) {
    while (run[j + 1] && (run[j + 1]!.kind === "paragraph" || run[j + 1]!.kind === "table") && !run[j + 1]!.text.endsWith("?")) j++;
  }
  const unit = run.slice(i, j + 1);
  return unit.reduce((n, b) => n + blockTokens(b), 0) <= budget ? unit : [first];
}

/** A single block bigger than a chunk: split at sentences with overlap; any pending headings lead the first piece. */
function splitOversized(block: Block, draft: Draft, maxTokens: number, overlap: number, out: Chunk[]): void {
  const lead = draft.blocks.filter((b) => b.kind === "heading" && b.text !== block.sectionPath.at(-1));
  const leadText = lead.map((b) => `${b.text}\n`).join("");
  const budget = maxTokens - countTokens(`${sectionLabel(block.sectionPath)}\n${leadText}`);
  splitText(block.text, budget, overlap).forEach((piece, n) => {
    const text = n === 0 ? leadText + piece : piece;
    out.push(textChunk(block.sectionPath, text, block.page));
  });
}

function emit(blocks: Block[], maxTokens: number, out: Chunk[]): void {
  if (!blocks.some((b) => b.kind !== "heading")) return;
  const path = commonPath(blocks.map((b) => b.sectionPath));
  // The heading that opens the chunk is already its first line, as the section label.
  const body = blocks.filter((b, i) => !(i === 0 && b.kind === "heading" && b.text === path.at(-1)));
  const chunk = textChunk(path, body.map((b) => b.text).join("\n"), blocks[0]!.page);
  // Per-block counts are estimates; if the joined text overshoots, halve rather than exceed the limit.
  if (chunk.tokens > maxTokens && blocks.length > 1) {
    const mid = Math.ceil(blocks.length / 2);
    emit(blocks.slice(0, mid), maxTokens, out);
    emit(blocks.slice(mid), maxTokens, out);
  } else out.push(chunk);
}

function textChunk(path: string[], body: string, page: number | null): Chunk {
  const label = sectionLabel(path);
  const text = label && !body.startsWith(label) ? `${label}\n${body}` : body;
  return { ord: 0, kind: "text", text, tokens: countTokens(text), page, section: label || null };
}

function faqChunk(block: Block): Chunk {
  const section = sectionLabel(block.sectionPath) || null;
  return { ord: 0, kind: "faq", text: block.text, tokens: countTokens(block.text), page: block.page, section };
}

function sectionLabel(path: string[]): string {
  return path.join(" > ");
}

function commonPath(paths: string[][]): string[] {
  const first = paths[0] ?? [];
  let n = first.length;
  for (const p of paths) while (n > 0 && p.slice(0, n).join("\u0000") !== first.slice(0, n).join("\u0000")) n--;
  return first.slice(0, n);
}

function blockTokens(b: Block): number {
  return countTokens(b.text) + 1;
}
