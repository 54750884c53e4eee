/**
 * `npm run bench:chunking`: the sweep that picks DEFAULT_CHUNK_OPTIONS (knowledge/chunk/chunk-document.ts). For each
 * chunk size and overlap, the corpora with documents longer than one chunk are chunked, stored and searched with
 * `searchKnowledge` (offline embedder, in-memory PGlite):
 *   - τ³ banking: task → required documents; recall@5 and MRR@10 over distinct documents (lib-metrics.ts);
 *   - the ESP32-POE manual's FAQ: question → the page its answer is on, found in the top 5 chunks.
 * Next to quality it prints what the agent pays for it: the tokens of the top 5 chunks it would put in the prompt.
 * The current default is marked; the baseline is the smallest configuration. Reports; never fails.
 * Env: BENCH_MAX_QUESTIONS (τ³ tasks, default 49).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from "../knowledge/chunk/chunk-document.ts";
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { parseDocument } from "../knowledge/parse/parse-document.ts";
import { insertChunks } from "../knowledge/store/chunk-store.ts";
import { searchKnowledge } from "../knowledge/store/hybrid-search.ts";
import type { ChunkOptions, Embedder } from "../knowledge/types.ts";
import type { Database } from "../lib/db.ts";
import { BENCH_TENANT, openBenchDatabase } from "./lib-bench-db.ts";
import { insertReadyDocument, loadCorpus } from "./lib-kb.ts";
import { addScores, emptyTally, meanOf, scoreRanking } from "./lib-metrics.ts";
import { printTable, writeResults } from "./lib-report.ts";
import { loadTau3 } from "./lib-retrieval-data.ts";

const MAX_QUESTIONS = Number(process.env.BENCH_MAX_QUESTIONS ?? 49);
const K = 5;
const CONFIGS: ChunkOptions[] = [
  { maxTokens: 150, overlapTokens: 0 },
  { maxTokens: 250, overlapTokens: 0 },
  { maxTokens: 250, overlapTokens: 40 },
  { maxTokens: 350, overlapTokens: 0 },
  { maxTokens: 350, overlapTokens: 50 },
  { maxTokens: 500, overlapTokens: 75 },
  { maxTokens: 800, overlapTokens: 100 },
];
const MANUALS = join(import.meta.dirname, "../../shared/benchmarks/product-manual-pdfs/text_layer");

type Row = {
  maxTokens: number;
  overlapTokens: number;
  tau3?: ReturnType<typeof meanOf> & { chunks: number; promptTokens: number };
  faq?: { hits: number; of: number; chunks: number; promptTokens: number };
};

const tokensOf = (hits: { text: string }[]) => hits.reduce((n, h) => n + Math.ceil(h.text.length / 4), 0);

async function tau3(embedder: Embedder, opts: ChunkOptions): Promise<Row["tau3"]> {
  const set = await loadTau3(MAX_QUESTIONS);
  if (!set) return undefined;
  const db = await openBenchDatabase();
  try {
    const corpus = await loadCorpus(db, embedder, set.docs, set.language, opts);
    const tally = emptyTally();
    let promptTokens = 0;
    for (const q of set.questions) {
      const hits = await searchKnowledge(db.pool, embedder, { tenantId: BENCH_TENANT, query: q.text, k: 30, language: "en" });
      addScores(
        tally,
        scoreRanking(
          q,
          hits.map((h) => ({ docKey: corpus.docKeyById.get(h.documentId) ?? "", text: h.text })),
        ),
      );
      promptTokens += tokensOf(hits.slice(0, K));
    }
    return { ...meanOf(tally), chunks: corpus.chunks.length, promptTokens: Math.round(promptTokens / set.questions.length) };
  } finally {
    await db.close();
  }
}

async function esp32Faq(embedder: Embedder, opts: ChunkOptions): Promise<Row["faq"]> {
  const pdf = join(MANUALS, "ESP32-POE-user-manual.pdf");
  if (!existsSync(pdf)) return undefined;
  const faq: { question: string; page: number }[] = JSON.parse(await readFile(join(MANUALS, "ESP32-POE-user-manual.faq_qa.json"), "utf8"));
  const parsed = await parseDocument(new Uint8Array(await readFile(pdf)), { filename: "ESP32-POE-user-manual.pdf" });
  if (!parsed.ok) throw new Error(parsed.message);
  const chunks = chunkDocument(parsed.doc, opts);
  const db: Database = await openBenchDatabase();
  try {
    const documentId = await insertReadyDocument(db, {
      title: "ESP32-POE",
      language: "en",
      sourceType: "pdf",
      pages: parsed.doc.pages,
      chunks: chunks.length,
    });
    const embeddings = await embedder.embed(chunks.map((c) => c.text));
    await insertChunks(db.pool, { tenantId: BENCH_TENANT, documentId, language: "en", chunks, embeddings, model: embedder.model });
    let hits = 0;
    let promptTokens = 0;
    for (const f of faq) {
      const top = await searchKnowledge(db.pool, embedder, { tenantId: BENCH_TENANT, query: f.question, k: K, language: "en" });
      if (top.some((h) => h.page === f.page)) hits++;
      promptTokens += tokensOf(top);
    }
    return { hits, of: faq.length, chunks: chunks.length, promptTokens: Math.round(promptTokens / faq.length) };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const embedder = createOfflineEmbedder();
  console.log(`Chunk size sweep, offline embedder, in-memory PGlite; top ${K}.`);
  const rows: Row[] = [];
  for (const opts of CONFIGS) {
    console.log(`  ${opts.maxTokens}/${opts.overlapTokens} ...`);
    rows.push({ ...opts, tau3: await tau3(embedder, opts), faq: await esp32Faq(embedder, opts) });
  }
  const isDefault = (r: Row) => r.maxTokens === DEFAULT_CHUNK_OPTIONS.maxTokens && r.overlapTokens === DEFAULT_CHUNK_OPTIONS.overlapTokens;
  console.log("\n(baseline = the first row; ≈ prompt tokens = characters / 4 of the top 5 chunks)\n");
  printTable(
    ["max/overlap", "τ³ chunks", "τ³ r@5", "τ³ mrr", "τ³ ≈prompt tok", "FAQ chunks", "FAQ page@5", "FAQ ≈prompt tok", ""],
    rows.map((r) => [
      `${r.maxTokens}/${r.overlapTokens}`,
      String(r.tau3?.chunks ?? "-"),
      r.tau3 ? r.tau3.recall5.toFixed(3) : "-",
      r.tau3 ? r.tau3.mrr10.toFixed(3) : "-",
      String(r.tau3?.promptTokens ?? "-"),
      String(r.faq?.chunks ?? "-"),
      r.faq ? `${r.faq.hits}/${r.faq.of}` : "-",
      String(r.faq?.promptTokens ?? "-"),
      isDefault(r) ? "← default" : "",
    ]),
  );
  if (rows.every((r) => !r.tau3 && !r.faq)) console.log("\nNo corpus found under ../shared/benchmarks: nothing measured.");
  console.log(`Results: ${await writeResults("chunking", { k: K, rows })}`);
}

await main();
