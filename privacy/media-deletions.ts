/**
 * Media files to remove from storage after an erasure or a retention run (`media_deletions`). The database part
 * records the keys inside its transaction; `drainMediaDeletions` removes the files after COMMIT, so a rollback
 * never deletes bytes that are still referenced, and a crash or a storage error is retried on the next drain.
 */
import type pg from "pg";
import type { Logger } from "../lib/logger.ts";
import type { MediaStorage } from "../whatsapp/media/media-storage.ts";

type Queryable = Pick<pg.ClientBase, "query">;

/** Records storage keys for deletion (inside the caller's transaction). */
export async function queueMediaDeletions(db: Queryable, tenantId: string, keys: string[], reason: "erase" | "retention"): Promise<void> {
  if (keys.length === 0) return;
  await db.query(
    `INSERT INTO media_deletions (storage_key, tenant_id, reason) SELECT k, $2, $3 FROM unnest($1::text[]) AS k
     ON CONFLICT (storage_key) DO NOTHING`,
    [keys, tenantId, reason],
  );
}

export type DrainResult = { deleted: number; stillReferenced: number; failed: number };

/**
 * Deletes queued files from storage. Keys are content hashes, so two customers who sent the same picture share
 * one file: a key that another media_files row still references is dropped from the queue, not from storage.
 */
export async function drainMediaDeletions(
  deps: { pool: pg.Pool; storage: MediaStorage; logger: Logger },
  opts: { tenantId?: string; limit?: number } = {},
): Promise<DrainResult> {
  const { rows } = await deps.pool.query<{ storage_key: string; referenced: boolean }>(
    `SELECT d.storage_key, EXISTS (SELECT 1 FROM media_files f WHERE f.storage_key = d.storage_key) AS referenced
     FROM media_deletions d WHERE ($1::text IS NULL OR d.tenant_id = $1) ORDER BY d.created_at, d.storage_key LIMIT $2`,
    [opts.tenantId ?? null, opts.limit ?? 1000],
  );
  const result: DrainResult = { deleted: 0, stillReferenced: 0, failed: 0 };
  for (const row of rows) {
    try {
      if (row.referenced) result.stillReferenced++;
      else {
        await deps.storage.delete(row.storage_key);
        result.deleted++;
      }
      await deps.pool.query("DELETE FROM media_deletions WHERE storage_key = $1", [row.storage_key]);
    } catch (err) {
      result.failed++;
      deps.logger.warn({ err }, "media file deletion failed; retried on the next drain");
      await deps.pool.query("UPDATE media_deletions SET attempts = attempts + 1, last_error = $2 WHERE storage_key = $1", [
        row.storage_key,
        (err instanceof Error ? err.message : String(err)).slice(0, 500),
      ]);
    }
  }
  return result;
}
