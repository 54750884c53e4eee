/**
 * Re-embeds chunks whose vectors came from another model (after EMBEDDING_MODEL or OPENAI_API_KEY changed), in
 * batches. Vectors of different models are not comparable, so search results are only right once this finished.
 */
import type pg from "pg";
import type { Embedder } from "../types.ts";

/** Returns how many chunks were re-embedded. */
export async function reembedChunks(pool: pg.Pool, embedder: Embedder, batchSize = 128): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string; text: string }>(
      "SELECT id::text, text FROM knowledge_chunks WHERE embedding_model <> $1 ORDER BY id LIMIT $2",
      [embedder.model, batchSize],
    );
    if (rows.length === 0) return total;
    const vectors = await embedder.embed(rows.map((r) => r.text));
    await pool.query(
      `UPDATE knowledge_chunks c SET embedding = v.embedding::vector, embedding_model = $3, embedding_dims = $4
       FROM unnest($1::bigint[], $2::text[]) AS v(id, embedding) WHERE c.id = v.id`,
      [rows.map((r) => r.id), vectors.map((v) => JSON.stringify(v)), embedder.model, embedder.dimensions],
    );
    total += rows.length;
  }
}
