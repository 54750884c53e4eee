/**
 * The baseline: plain BM25 (MiniSearch with its BM25+ delta set to 0, so k1 = 1.2, b = 0.75 as in the textbook)
 * over exactly the chunks the knowledge base stored. Tokens are NFKC-lower-cased runs of letters and digits, with
 * no stemming and no stop words; runs of Han/Kana/Thai/Hangul characters become character unigrams and bigrams,
 * the usual tokenization for scripts written without spaces (without it BM25 would score ~0 on Chinese).
 */
import MiniSearch from "minisearch";
import type { StoredChunk } from "./lib-kb.ts";

const NO_SPACE_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]+$/u;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]+|[\p{L}\p{M}\p{N}]+/gu;

/** Word tokens, with no-space scripts split into unigrams and bigrams. */
export function tokenizeForBm25(text: string): string[] {
  const out: string[] = [];
  for (const [run] of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    if (!NO_SPACE_SCRIPT.test(run)) {
      out.push(run);
      continue;
    }
    const chars = Array.from(run);
    chars.forEach((c, i) => {
      out.push(c);
      if (i + 1 < chars.length) out.push(c + chars[i + 1]);
    });
  }
  return out;
}

export type Bm25Index = {
  /** The top `k` chunks for a query, optionally only those whose document has one of `tags`. */
  search(query: string, k: number, tags?: string[]): StoredChunk[];
};

/** Indexes the chunks; `tagsOf` gives a chunk's document tags for filtered searches. */
export function buildBm25Index(chunks: StoredChunk[], tagsOf: (c: StoredChunk) => string[]): Bm25Index {
  const engine = new MiniSearch<{ id: number; text: string }>({
    fields: ["text"],
    tokenize: tokenizeForBm25,
    processTerm: (t) => t,
    searchOptions: { bm25: { k: 1.2, b: 0.75, d: 0 }, combineWith: "OR" },
  });
  engine.addAll(chunks.map((c, id) => ({ id, text: c.text })));
  return {
    search(query, k, tags) {
      const filter = tags?.length ? (r: { id: number }) => tagsOf(chunks[r.id] as StoredChunk).some((t) => tags.includes(t)) : undefined;
      return engine
        .search(query, filter ? { filter } : {})
        .slice(0, k)
        .map((r) => chunks[r.id as number] as StoredChunk);
    },
  };
}
