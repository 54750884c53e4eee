/**
 * Hybrid retrieval over a tenant's ready documents: a vector leg (HNSW, cosine) and a keyword leg (BM25 over
 * language-aware lexemes, plus character n-grams for Chinese/Japanese/Thai/Korean), fused with Reciprocal Rank Fusion
 * in one SQL statement. RRF needs no score calibration between the legs, only their ranks; the fused score is divided
 * by its maximum (rank 1 in both legs) to land in [0, 1].
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
  /** Weight of the vector leg in the fusion (the keyword leg weighs 1); default: the embedder's `fusionWeight`. */
  vectorWeight?: number;
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

// Documents in scope: ready, with one of the tags and in the language when asked.
const DOCUMENT_SCOPE = `d.status = 'ready'
    AND ($8::text[] IS NULL OR d.tags && $8::text[])`;
const LANGUAGE_SCOPE = `($9::text IS NULL OR c.language IS NULL
         OR lower(split_part(replace(c.language, '_', '-'), '-', 1)) = $9::text)`;

/** Postings read per query term: a term's best-weighted chunks (all of them for any but the commonest terms). */
export const POSTINGS_PER_TERM = 300;

/**
 * The fused query. $1 tenant, $2 query vector, $3 query text, $4 query's ts config, $5 n-gram text or null,
 * $6 candidates per leg, $7 k, $8 tags or null, $9 language filter or null, $10 embedding model, $11 postings per term,
 * $12 vector leg weight.
 * - Vector leg: HNSW in cosine order, only vectors of the query's embedding model (another model's vectors live in
 *   another space), re-ranked by distance (iterative scans in relaxed order may return rows slightly out of order).
 * - Keyword leg: BM25 over the postings of migrations/004: the query's lexemes (language-aware stems, unstemmed
 *   words, CJK bigrams) weighted by IDF, each term's best postings read from the (tenant, term, impact) index and
 *   summed per chunk. OR semantics: a chunk holding more of the rarer words ranks first; a stop-word-only or
 *   unknown-word query has no terms and matches nothing. Without filters the postings are read by index alone and
 *   documents are checked after (chunks exist only for ready and in-progress documents); with tag or language
 *   filters each term's postings are filtered before its top N are taken, so a narrow filter still fills the leg.
 * - Weighted RRF over both ranks, divided by its maximum (first in both legs) to land in [0, 1]; similarity is
 *   computed for the k returned rows only.
 */
function searchSql(filtered: boolean): string {
  const termPostings = filtered
    ? `SELECT p.chunk_id, p.impact
      FROM knowledge_postings p
      JOIN knowledge_documents d ON d.id = p.document_id
      JOIN knowledge_chunks c ON c.id = p.chunk_id
      WHERE p.tenant_id = $1 AND p.term = q.term AND ${DOCUMENT_SCOPE} AND ${LANGUAGE_SCOPE}
      ORDER BY p.impact DESC LIMIT $11`
    : `SELECT p.chunk_id, p.impact, p.document_id
      FROM knowledge_postings p
      WHERE p.tenant_id = $1 AND p.term = q.term
      ORDER BY p.impact DESC LIMIT $11`;
  const keywordScope = filtered ? "" : "JOIN knowledge_documents d ON d.id = p.document_id AND d.status = 'ready'";
  return `
WITH vector_leg AS (
  SELECT id, row_number() OVER (ORDER BY distance, id) AS rank
  FROM (
    SELECT c.id, c.embedding <=> $2::vector AS distance
    FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
    WHERE c.tenant_id = $1 AND ${DOCUMENT_SCOPE} AND ${LANGUAGE_SCOPE} AND c.embedding_model = $10
    ORDER BY c.embedding <=> $2::vector
    LIMIT $6
  ) nearest
),
query_terms AS (
  SELECT t.term, ln(1 + (s.chunks - t.df + 0.5::float8) / (t.df + 0.5::float8)) AS idf
  FROM (SELECT DISTINCT unnest(tsvector_to_array(to_tsvector($4::regconfig, $3))
                               || tsvector_to_array(to_tsvector('simple', $3))
                               || coalesce(tsvector_to_array(to_tsvector('simple', $5::text)), '{}')) AS term) q
  JOIN knowledge_terms t ON t.tenant_id = $1 AND t.term = q.term
  JOIN knowledge_stats s ON s.tenant_id = $1
),
keyword_leg AS (
  SELECT chunk_id AS id, row_number() OVER (ORDER BY relevance DESC, chunk_id) AS rank
  FROM (
    SELECT p.chunk_id, sum(q.idf * p.impact) AS relevance
    FROM query_terms q
    CROSS JOIN LATERAL (${termPostings}) p
    ${keywordScope}
    GROUP BY p.chunk_id
    ORDER BY relevance DESC, p.chunk_id
    LIMIT $6
  ) matched
),
fused AS (
  SELECT COALESCE(v.id, kw.id) AS id, v.rank AS vector_rank, kw.rank AS keyword_rank,
         (COALESCE($12::float8 / (${RRF_K} + v.rank), 0) + COALESCE(1.0::float8 / (${RRF_K} + kw.rank), 0))
           * ${RRF_K + 1} / (1 + $12::float8) AS score
  FROM vector_leg v FULL OUTER JOIN keyword_leg kw ON kw.id = v.id
  ORDER BY score DESC, id
  LIMIT $7
)
SELECT c.id::text AS chunk_id, c.document_id::text AS document_id, d.title, c.text, c.page, c.section,
       f.vector_rank, f.keyword_rank, f.score::float8 AS score,
       CASE WHEN c.embedding_model = $10 THEN (1 - (c.embedding <=> $2::vector))::float8 END AS similarity
FROM fused f
JOIN knowledge_chunks c ON c.id = f.id
JOIN knowledge_documents d ON d.id = c.document_id
ORDER BY f.score DESC, c.id`;
}

const SEARCH_SQL = searchSql(false);
const FILTERED_SEARCH_SQL = searchSql(true);

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
    POSTINGS_PER_TERM,
    q.vectorWeight ?? embedder.fusionWeight ?? 1,
  ];
  const sql = tags !== null || params[8] !== null ? FILTERED_SEARCH_SQL : SEARCH_SQL;
  const rows = await withTransaction(pool, async (client) => {
    // SET LOCAL, never SET: settings must not outlive this transaction on a pooled connection (and on PGlite the
    // one backend session is shared by every connection). ef_search 100 (default 40) trades a little latency for
    // recall; iterative scans keep fetching from the index when tenant/status/tag filters discard candidates.
    await client.query("SET LOCAL hnsw.ef_search = 40");
    await client.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
    return (await client.query<Row>(sql, params)).rows;
  });
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    title: r.title,
    text: r.text,
    page: r.page,
    section: r.section,
    // Rounded: the weighted sum carries float noise (0.9999999999999998 for first in both legs).
    score: Math.min(1, Math.max(0, Math.round(r.score * 1e6) / 1e6)),
    similarity: r.similarity === null ? null : Number(r.similarity),
    vectorRank: r.vector_rank === null ? null : Number(r.vector_rank),
    keywordRank: r.keyword_rank === null ? null : Number(r.keyword_rank),
  }));
}
