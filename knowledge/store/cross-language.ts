/**
 * Cross-language retrieval: when an LLM is configured, the query is translated into the languages the tenant's
 * documents are written in, each version is searched, and the result lists are fused (reciprocal rank fusion again),
 * so a question in Turkish finds an English manual. Offline there is no translator and only the original query is
 * searched (same-language retrieval still works in any script).
 */
import type pg from "pg";
import type { Embedder, SearchHit } from "../types.ts";
import { type SearchOptions, searchKnowledge } from "./hybrid-search.ts";

/** Translates a search query; returns one translation per requested language (same order). */
export type QueryTranslator = { translate(query: string, languages: string[]): Promise<string[]> };

const RRF_K = 60;

/** Searches the query and its translations into the languages of the tenant's ready documents. */
export async function searchAcrossLanguages(
  pool: pg.Pool,
  embedder: Embedder,
  translator: QueryTranslator | undefined,
  q: SearchOptions,
): Promise<SearchHit[]> {
  if (!translator) return searchKnowledge(pool, embedder, q);
  const { rows } = await pool.query<{ language: string }>(
    "SELECT DISTINCT language FROM knowledge_documents WHERE tenant_id = $1 AND status = 'ready' AND language IS NOT NULL",
    [q.tenantId],
  );
  const targets = rows.map((r) => r.language).filter((l) => l !== q.language);
  let translations: string[] = [];
  try {
    translations = targets.length > 0 ? await translator.translate(q.query, targets) : [];
  } catch {
    translations = []; // a translation outage must not take retrieval down: search the original only
  }
  const lists = await Promise.all([
    searchKnowledge(pool, embedder, q),
    ...translations.map((t, i) => searchKnowledge(pool, embedder, { ...q, query: t, language: targets[i] })),
  ]);
  const fused = new Map<string, { hit: SearchHit; fused: number }>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const prev = fused.get(hit.chunkId);
      const add = 1 / (RRF_K + rank + 1);
      const best = prev && (prev.hit.similarity ?? 0) >= (hit.similarity ?? 0) ? prev.hit : hit;
      fused.set(hit.chunkId, { hit: best, fused: (prev?.fused ?? 0) + add });
    });
  }
  const max = lists.length / (RRF_K + 1);
  return [...fused.values()]
    .sort((a, b) => b.fused - a.fused)
    .slice(0, q.k)
    .map(({ hit, fused: f }) => ({ ...hit, score: Math.min(1, f / max) }));
}
