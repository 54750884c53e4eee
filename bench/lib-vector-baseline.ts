/**
 * The scale benchmark's baseline: a bare pgvector top-k query (HNSW, cosine, tenant filter only, the same SET LOCAL
 * settings as the hybrid search). No retrieval over this store can be cheaper than its nearest-neighbour lookup,
 * so the hybrid figure is read against it.
 */
import type pg from "pg";
import type { Embedder } from "../knowledge/types.ts";
import { withTransaction } from "../lib/db.ts";

const SQL = "SELECT id FROM knowledge_chunks WHERE tenant_id = $1 ORDER BY embedding <=> $2::vector LIMIT $3";

/** Top `k` chunk ids by cosine distance alone; returns how many came back. */
export async function searchVectorBaseline(pool: pg.Pool, embedder: Embedder, tenantId: string, query: string, k: number): Promise<number> {
  const [vector] = await embedder.embed([query]);
  const { rowCount } = await withTransaction(pool, async (client) => {
    await client.query("SET LOCAL hnsw.ef_search = 40");
    await client.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
    return client.query(SQL, [tenantId, JSON.stringify(vector), k]);
  });
  return rowCount ?? 0;
}
