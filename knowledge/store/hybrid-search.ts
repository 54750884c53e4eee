/**
 * Hybrid retrieval over a tenant's ready documents: a vector leg (HNSW, cosine) and a keyword leg (full text in OR
 * mode, plus character n-grams for Chinese/Japanese/Thai/Korean queries), fused with Reciprocal Rank Fusion in one
 * SQL statement. RRF needs no score calibration between the legs, only their ranks; the fused score is divided
 * by its maximum, 2 / (k + 1) (rank 1 in both legs), to land in [0, 1].
 */
import type pg from "pg";
import { withTransaction } from "../../lib/db.ts";
import type { Embedder, SearchHit, SearchQuery } from "../types.ts";
import { hasNgramScript, resolveTextSearchConfig, toNgramText } from "./language.ts";

/** RRF's k: damps the weight of top ranks so one leg cannot dominate (Cormack et al., SIGIR 2009). */
export const RRF_K = 60;
const DEFAULT_CANDIDATES = 40;

export type SearchOptions = SearchQuery & {
  /** Rows each leg contributes before fusion (default max(40, k)). */
  candidates?: number;
  /**
   * Only chunks in `language` (or with no recorded language). Off by default: a customer writing in Spanish should
   * still find the English FAQ, which the vector leg can match across languages; `language` then only picks the
   * stemmer for the query.
   */
  filterLanguage?: boolean;
};

type Row = {
  chunk_id: string;
  document_id: string;
  title: string;
  text: string;
  page: number | null;
  section: string | null;
  score: number;
  similarity: number | null;
  vector_rank: string | null;
  keyword_rank: string | null;
};

// Both legs repeat the scope filter rather than share a CTE: a CTE used twice is materialized, embeddings and all,
// and the vector leg must read knowledge_chunks directly for the planner to walk the HNSW index.
const SCOPE = `c.tenant_id = $1 AND d.status = 'ready'
    AND ($8::text[] IS NULL OR d.tags && $8::text[])
    AND ($9::text IS NULL OR c.language IS NULL
         OR lower(split_part(replace(c.language, '_', '-'), '-', 1)) = $9::text)`;

// $1 tenant, $2 query vector, $3 query text, $4 query's ts config, $5 n-gram text or null, $6 candidates, $7 k,
// $8 tags or null, $9 language filter or null, $10 embedding model.
// - Only vectors from the query's embedding model are compared: another model's vectors live in another space.
// - plainto_tsquery ANDs the words, so a chat question rarely matches whole; '&' → '|' turns it into OR mode and
//   ts_rank_cd still ranks chunks holding more of the words first. The 'simple' query adds unstemmed matches (and
//   matches chunks of unknown language). Stop-word-only text yields an empty tsquery, which matches nothing.
// - The vector leg re-ranks its rows by distance: with iterative scans in relaxed order the index may return
//   them slightly out of order.
const SEARCH_SQL = `
WITH vector_leg AS (
  SELECT id, row_number() OVER (ORDER BY distance, id) AS rank
  FROM (
    SELECT c.id, c.embedding <=> $2::vector AS distance
    FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
    WHERE ${SCOPE} AND c.embedding_model = $10
    ORDER BY c.embedding <=> $2::vector
    LIMIT $6
  ) nearest
),
query AS (
  SELECT replace(plainto_tsquery($4::regconfig, $3)::text, '&', '|')::tsquery
           || replace(plainto_tsquery('simple', $3)::text, '&', '|')::tsquery AS words,
         CASE WHEN $5::text IS NULL THEN NULL
              ELSE replace(plainto_tsquery('simple', $5::text)::text, '&', '|')::tsquery END AS grams
),
keyword_leg AS (
  SELECT id, row_number() OVER (ORDER BY relevance DESC, id) AS rank
  FROM (
    SELECT c.id, ts_rank_cd(c.tsv, q.words) + COALESCE(ts_rank_cd(c.ngrams, q.grams), 0) AS relevance
    FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id, query q
    WHERE ${SCOPE} AND (c.tsv @@ q.words OR c.ngrams @@ q.grams)
    ORDER BY relevance DESC, c.id
    LIMIT $6
  ) matched
)
SELECT c.id::text AS chunk_id, c.document_id::text AS document_id, d.title, c.text, c.page, c.section,
       v.rank AS vector_rank, kw.rank AS keyword_rank,
       CASE WHEN c.embedding_model = $10 THEN (1 - (c.embedding <=> $2::vector))::float8 END AS similarity,
       ((COALESCE(1.0 / (${RRF_K} + v.rank), 0) + COALESCE(1.0 / (${RRF_K} + kw.rank), 0)) * ${(RRF_K + 1) / 2})::float8 AS score
FROM vector_leg v
FULL OUTER JOIN keyword_leg kw ON kw.id = v.id
JOIN knowledge_chunks c ON c.id = COALESCE(v.id, kw.id)
JOIN knowledge_documents d ON d.id = c.document_id
ORDER BY score DESC, c.id
LIMIT $7`;

/**
 * Searches a tenant's knowledge base: top `k` chunks of ready documents by fused vector + keyword rank, with a score
 * in [0, 1] (1 = first in both legs). An empty or blank query returns [] without embedding anything.
 */
export async function searchKnowledge(pool: pg.Pool, embedder: Embedder, q: SearchOptions): Promise<SearchHit[]> {
  const text = q.query.trim();
  if (text === "" || q.k <= 0) return [];
  const [vector] = await embedder.embed([text]);
  if (!vector) return [];
  const candidates = Math.max(q.candidates ?? DEFAULT_CANDIDATES, q.k);
  const tags = q.tags && q.tags.length > 0 ? q.tags : null;
  const params = [
    q.tenantId,
    JSON.stringify(vector),
    text,
    resolveTextSearchConfig(q.language),
    hasNgramScript(text) ? toNgramText(text) : null,
    candidates,
    q.k,
    tags,
    // Compared by primary subtag, so "pt" finds chunks stored as "pt-BR".
    q.filterLanguage && q.language ? (q.language.trim().toLowerCase().split(/[-_]/)[0] ?? null) : null,
    embedder.model,
  ];
  const rows = await withTransaction(pool, async (client) => {
    // SET LOCAL, never SET: settings must not outlive this transaction on a pooled connection (and on PGlite the
    // one backend session is shared by every connection). ef_search 100 (default 40) trades a little latency for
    // recall; iterative scans keep fetching from the index when tenant/status/tag filters discard candidates.
    await client.query("SET LOCAL hnsw.ef_search = 100");
    await client.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
    return (await client.query<Row>(SEARCH_SQL, params)).rows;
  });
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    title: r.title,
    text: r.text,
    page: r.page,
    section: r.section,
    score: Math.min(1, Math.max(0, r.score)),
    similarity: r.similarity === null ? null : Number(r.similarity),
    vectorRank: r.vector_rank === null ? null : Number(r.vector_rank),
    keywordRank: r.keyword_rank === null ? null : Number(r.keyword_rank),
  }));
}
