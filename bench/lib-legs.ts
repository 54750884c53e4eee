/**
 * The two legs of knowledge/store/hybrid-search.ts run on their own, for the scale benchmark's baseline: the same
 * filters, vector leg and keyword leg (without n-grams) as SEARCH_SQL there, each joined back to its chunks and documents, under the
 * same SET LOCAL settings. A copy (that module exports only the fused query): keep it in step when the SQL changes.
 */
import type pg from "pg";
import { resolveTextSearchConfig } from "../knowledge/store/language.ts";
import type { Embedder } from "../knowledge/types.ts";
import { withTransaction } from "../lib/db.ts";

// Tenant and ready-document filter, as SCOPE in hybrid-search.ts with no tag or language filter.
const SCOPE = "c.tenant_id = $1 AND d.status = 'ready'";
const CHUNKS = "knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id";

const VECTOR_SQL = `WITH leg AS (
  SELECT id, row_number() OVER (ORDER BY distance, id) AS rank
  FROM (
    SELECT c.id, c.embedding <=> $2::vector AS distance
    FROM ${CHUNKS}
    WHERE ${SCOPE} AND c.embedding_model = $4
    ORDER BY c.embedding <=> $2::vector
    LIMIT $3
  ) nearest
)
SELECT c.id::text AS chunk_id, d.title, c.text, leg.rank FROM leg
JOIN knowledge_chunks c ON c.id = leg.id JOIN knowledge_documents d ON d.id = c.document_id ORDER BY leg.rank`;

const KEYWORD_SQL = `WITH query AS (
  SELECT replace(plainto_tsquery($4::regconfig, $2)::text, '&', '|')::tsquery
           || replace(plainto_tsquery('simple', $2)::text, '&', '|')::tsquery AS words
),
leg AS (
  SELECT id, row_number() OVER (ORDER BY relevance DESC, id) AS rank
  FROM (
    SELECT c.id, ts_rank_cd(c.tsv, q.words) AS relevance
    FROM ${CHUNKS}, query q
    WHERE ${SCOPE} AND c.tsv @@ q.words
    ORDER BY relevance DESC, c.id
    LIMIT $3
  ) matched
)
SELECT c.id::text AS chunk_id, d.title, c.text, leg.rank FROM leg
JOIN knowledge_chunks c ON c.id = leg.id JOIN knowledge_documents d ON d.id = c.document_id ORDER BY leg.rank`;

async function inSearchTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query("SET LOCAL hnsw.ef_search = 100");
    await client.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
    return fn(client);
  });
}

/** Top `k` chunks by the vector leg alone (embeds the query, like the hybrid search). */
export async function searchVectorLeg(pool: pg.Pool, embedder: Embedder, tenantId: string, query: string, k: number): Promise<number> {
  const [vector] = await embedder.embed([query]);
  const rows = await inSearchTransaction(pool, (c) => c.query(VECTOR_SQL, [tenantId, JSON.stringify(vector), k, embedder.model]));
  return rows.rowCount ?? 0;
}

/** Top `k` chunks by the keyword leg alone. */
export async function searchKeywordLeg(pool: pg.Pool, tenantId: string, query: string, k: number, language: string): Promise<number> {
  const rows = await inSearchTransaction(pool, (c) => c.query(KEYWORD_SQL, [tenantId, query, k, resolveTextSearchConfig(language)]));
  return rows.rowCount ?? 0;
}
