/**
 * Ranking metrics for the retrieval benchmark. A ranking is a list of retrieved chunks (document key + text);
 * chunks of a document already seen are dropped, so each rank is a distinct document. A chunk is relevant when its
 * document key is gold, or its text contains a gold text. With several gold items (τ³ tasks need ~10 documents),
 * recall@k = distinct gold items found in the top k / min(k, number of gold items), so recall@1 is "the first
 * result is gold" on every set; MRR@10 = 1 / rank of the first relevant result within 10, else 0.
 */
import type { Question } from "./lib-retrieval-data.ts";

export type Ranked = { docKey: string; text: string };
export type Scores = { recall1: number; recall5: number; mrr10: number };
export type Tally = { n: number; recall1: number; recall5: number; mrr10: number };

const normalize = (s: string) => s.normalize("NFKC").replace(/\s+/g, " ").trim();

/** The gold item a retrieved chunk satisfies, or undefined. */
function goldOf(q: Question, r: Ranked): string | undefined {
  if (q.goldKeys?.includes(r.docKey)) return r.docKey;
  const text = normalize(r.text);
  return q.goldTexts?.find((g) => text.includes(normalize(g)));
}

/** Scores one question's ranking. */
export function scoreRanking(q: Question, ranking: Ranked[]): Scores {
  const seen = new Set<string>();
  const distinct = ranking.filter((r) => !seen.has(r.docKey) && seen.add(r.docKey));
  const goldCount = (q.goldKeys?.length ?? 0) + (q.goldTexts?.length ?? 0);
  const found = distinct.slice(0, 10).map((r) => goldOf(q, r));
  const recallAt = (k: number) => new Set(found.slice(0, k).filter((g) => g !== undefined)).size / Math.min(k, goldCount);
  const first = found.findIndex((g) => g !== undefined);
  return { recall1: recallAt(1), recall5: recallAt(5), mrr10: first < 0 ? 0 : 1 / (first + 1) };
}

export function emptyTally(): Tally {
  return { n: 0, recall1: 0, recall5: 0, mrr10: 0 };
}

export function addScores(t: Tally, s: Scores): void {
  t.n++;
  t.recall1 += s.recall1;
  t.recall5 += s.recall5;
  t.mrr10 += s.mrr10;
}

/** Mean scores, rounded to 3 decimals. */
export function meanOf(t: Tally): Scores & { n: number } {
  const r = (x: number) => (t.n === 0 ? 0 : Math.round((x / t.n) * 1000) / 1000);
  return { n: t.n, recall1: r(t.recall1), recall5: r(t.recall5), mrr10: r(t.mrr10) };
}
