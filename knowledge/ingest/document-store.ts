/**
 * Knowledge documents and their lifecycle (owns `knowledge_documents` and `knowledge_uploads`): an upload is a new
 * version in `processing` with its bytes kept until ingestion ends; when it is ready it replaces the previous
 * ready version of the same title in one transaction, so questions are answered from the old version until then.
 * Uploading identical content (same hash) again is a no-op.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { withTransaction } from "../../lib/db.ts";

type Queryable = Pick<pg.Pool, "query">;

export type DocumentStatus = "processing" | "ready" | "failed" | "superseded";

export type KnowledgeDocument = {
  id: string;
  title: string;
  filename: string | null;
  sourceType: string | null;
  status: DocumentStatus;
  error: string | null;
  pages: number | null;
  chunks: number | null;
  version: number;
  tags: string[];
  language: string | null;
  progress: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
};

export type NewUpload = {
  tenantId: string;
  title: string;
  filename?: string | undefined;
  sourceType: string;
  bytes: Uint8Array;
  tags: string[];
  language?: string | undefined;
};

/** Stores an upload as a new version, or returns the existing document when the same content is already there. */
export async function createUpload(pool: pg.Pool, u: NewUpload): Promise<{ document: KnowledgeDocument; unchanged: boolean }> {
  const hash = createHash("sha256").update(u.bytes).digest("hex");
  return withTransaction(pool, async (tx) => {
    // Serialize uploads of one title so two concurrent uploads cannot take the same version number.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`kb:${u.tenantId}:${u.title}`]);
    const same = await tx.query(
      "SELECT * FROM knowledge_documents WHERE tenant_id = $1 AND title = $2 AND content_hash = $3 AND status IN ('processing', 'ready') ORDER BY version DESC LIMIT 1",
      [u.tenantId, u.title, hash],
    );
    if (same.rows[0]) return { document: toDocument(same.rows[0]), unchanged: true };
    const { rows } = await tx.query(
      `INSERT INTO knowledge_documents (tenant_id, title, filename, source_type, content_hash, tags, language, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               COALESCE((SELECT max(version) FROM knowledge_documents WHERE tenant_id = $1 AND title = $2), 0) + 1)
       RETURNING *`,
      [u.tenantId, u.title, u.filename ?? null, u.sourceType, hash, u.tags, u.language ?? null],
    );
    await tx.query("INSERT INTO knowledge_uploads (document_id, bytes) VALUES ($1, $2)", [rows[0].id, Buffer.from(u.bytes)]);
    return { document: toDocument(rows[0]), unchanged: false };
  });
}

export type ClaimedDocument = KnowledgeDocument & { tenantId: string; bytes: Uint8Array; attempts: number };

/** Takes the oldest document waiting for ingestion (with a lease, so a crashed ingestor's document comes back). */
export async function claimDocument(db: Queryable, leaseMs: number): Promise<ClaimedDocument | undefined> {
  const { rows } = await db.query(
    `UPDATE knowledge_documents SET locked_until = now() + make_interval(secs => $1::double precision / 1000), attempts = attempts + 1, updated_at = now()
     WHERE id = (SELECT id FROM knowledge_documents WHERE status = 'processing' AND (locked_until IS NULL OR locked_until < now())
                 ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING *, (SELECT bytes FROM knowledge_uploads WHERE document_id = knowledge_documents.id) AS bytes`,
    [leaseMs],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { ...toDocument(r), tenantId: r.tenant_id, bytes: new Uint8Array(r.bytes ?? []), attempts: r.attempts };
}

export async function setProgress(db: Queryable, id: string, progress: Record<string, unknown>): Promise<void> {
  await db.query("UPDATE knowledge_documents SET progress = $2, updated_at = now() WHERE id = $1", [id, JSON.stringify(progress)]);
}

/** Makes the version ready and retires the previous ready version of its title, atomically. */
export async function completeDocument(pool: pg.Pool, id: string, counts: { pages: number; chunks: number }): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query("SELECT tenant_id, title FROM knowledge_documents WHERE id = $1 FOR UPDATE", [id]);
    if (!rows[0]) return;
    const old = await tx.query(
      "UPDATE knowledge_documents SET status = 'superseded', updated_at = now() WHERE tenant_id = $1 AND title = $2 AND status = 'ready' AND id <> $3 RETURNING id",
      [rows[0].tenant_id, rows[0].title, id],
    );
    for (const o of old.rows) await tx.query("DELETE FROM knowledge_chunks WHERE document_id = $1", [o.id]);
    await tx.query(
      `UPDATE knowledge_documents SET status = 'ready', pages = $2, chunks = $3, error = NULL, locked_until = NULL, ready_at = now(), updated_at = now(),
         progress = jsonb_build_object('stage', 'done') WHERE id = $1`,
      [id, counts.pages, counts.chunks],
    );
    await tx.query("DELETE FROM knowledge_uploads WHERE document_id = $1", [id]);
  });
}

export async function failDocument(pool: pg.Pool, id: string, error: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query("DELETE FROM knowledge_chunks WHERE document_id = $1", [id]);
    await tx.query(
      "UPDATE knowledge_documents SET status = 'failed', error = $2, locked_until = NULL, updated_at = now(), progress = jsonb_build_object('stage', 'failed') WHERE id = $1",
      [id, error.slice(0, 2000)],
    );
    await tx.query("DELETE FROM knowledge_uploads WHERE document_id = $1", [id]);
  });
}

export async function getDocument(db: Queryable, tenantId: string, id: string): Promise<KnowledgeDocument | undefined> {
  const { rows } = await db.query("SELECT * FROM knowledge_documents WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
  return rows[0] ? toDocument(rows[0]) : undefined;
}

/** Current documents (superseded versions are hidden unless asked for). */
export async function listDocuments(
  db: Queryable,
  tenantId: string,
  opts: { includeSuperseded?: boolean } = {},
): Promise<KnowledgeDocument[]> {
  const { rows } = await db.query(
    "SELECT * FROM knowledge_documents WHERE tenant_id = $1 AND ($2 OR status <> 'superseded') ORDER BY title, version DESC",
    [tenantId, opts.includeSuperseded ?? false],
  );
  return rows.map(toDocument);
}

/** Removes a document and its chunks; false when it is not this tenant's. */
export async function deleteDocument(db: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM knowledge_documents WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

function toDocument(r: Record<string, unknown>): KnowledgeDocument {
  return {
    id: String(r.id),
    title: r.title as string,
    filename: (r.filename as string | null) ?? null,
    sourceType: (r.source_type as string | null) ?? null,
    status: r.status as DocumentStatus,
    error: (r.error as string | null) ?? null,
    pages: (r.pages as number | null) ?? null,
    chunks: (r.chunks as number | null) ?? null,
    version: r.version as number,
    tags: (r.tags as string[]) ?? [],
    language: (r.language as string | null) ?? null,
    progress: (r.progress as Record<string, unknown> | null) ?? null,
    createdAt: new Date(r.created_at as string).toISOString(),
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}
