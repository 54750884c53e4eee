/**
 * Downloads inbound media (images, documents, voice notes) from Meta and keeps the bytes. Owns `media_files`.
 * A message is recorded first and its media enqueued beside it; this worker fetches the file later, with retries,
 * so a slow or failing download never delays or loses the message (the `messages` row is never touched here).
 * Meta's media URLs expire after 5 minutes, so every attempt asks `GET /{media-id}` for a fresh one right before
 * downloading (../shared/docs/whatsapp-platform.md §4 "Media download").
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { Logger } from "../../lib/logger.ts";
import type { GraphError, WhatsAppClient } from "../cloud-api/client.ts";
import { MAX_MEDIA_BYTES } from "../cloud-api/graph-client.ts";
import { classifySendError } from "../cloud-api/retry-policy.ts";
import type { MediaStorage } from "./media-storage.ts";

type Queryable = Pick<pg.Pool, "query">;

export type MediaJob = { id: string; tenantId: string; messageId: string | null; mediaId: string; attempts: number };

/** Records that a message's media must be downloaded. Idempotent on (tenant, media id): webhooks repeat. */
export async function enqueueMediaDownload(
  db: Queryable,
  input: { tenantId: string; messageId: string | null; mediaId: string },
): Promise<{ id: string; isNew: boolean }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO media_files (tenant_id, message_id, media_id) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, media_id) DO NOTHING RETURNING id::text`,
    [input.tenantId, input.messageId, input.mediaId],
  );
  if (rows[0]) return { id: rows[0].id, isNew: true };
  const { rows: existing } = await db.query<{ id: string }>("SELECT id::text FROM media_files WHERE tenant_id = $1 AND media_id = $2", [
    input.tenantId,
    input.mediaId,
  ]);
  return { id: existing[0]?.id as string, isNew: false };
}

export type MediaDownloaderOptions = {
  pool: pg.Pool;
  client: Pick<WhatsAppClient, "getMedia" | "downloadMedia">;
  storage: MediaStorage;
  logger: Logger;
  /** The business number that received the media; passed to Meta so it checks ownership. */
  phoneNumberIdFor?: (job: MediaJob) => Promise<string | undefined> | string | undefined;
  maxAttempts?: number;
  /** Delay before attempt n + 1 after attempt n failed (n is 1-based). */
  backoffMs?: (attempt: number) => number;
  /** How long a claimed row stays invisible to other workers; a crashed worker's row comes back after it. */
  leaseMs?: number;
  maxBytes?: number;
  pollMs?: number;
};

export type MediaRunResult = { stored: number; retrying: number; failed: number };

export type MediaDownloader = {
  /** Claims up to `limit` due rows and processes them. */
  runOnce(limit?: number): Promise<MediaRunResult>;
  start(): void;
  /** Stops polling and waits for the current run. */
  stop(): Promise<void>;
};

// Attempts are counted at claim time, so a worker that dies mid-download still uses up an attempt.
const CLAIM_SQL = `
UPDATE media_files SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
WHERE id IN (
  SELECT id FROM media_files WHERE status = 'pending' AND next_attempt_at <= now()
  ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
)
RETURNING id::text, tenant_id, message_id::text, media_id, attempts`;

/** A failed attempt: `permanent` ends retries at once (Meta said the media id is invalid, or it is too large). */
type Failure = { message: string; permanent: boolean };

/** Creates the downloader; call `runOnce` from a job or `start()` to poll. */
export function createMediaDownloader(opts: MediaDownloaderOptions): MediaDownloader {
  const { pool, client, storage, logger } = opts;
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoffMs = opts.backoffMs ?? ((n: number) => Math.min(60 * 60_000, 15_000 * 4 ** (n - 1)));
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const maxBytes = opts.maxBytes ?? MAX_MEDIA_BYTES;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function download(job: MediaJob): Promise<Failure | undefined> {
    const phoneNumberId = await opts.phoneNumberIdFor?.(job);
    const info = await client.getMedia(job.mediaId, phoneNumberId);
    if (!info.ok) return graphFailure("get media", info.error);
    const { url, mimeType, sha256, fileSize } = info.media;
    if (fileSize !== null && fileSize > maxBytes)
      return { message: `media is ${fileSize} bytes, over the ${maxBytes}-byte cap`, permanent: true };
    const file = await client.downloadMedia(url);
    if (!file.ok) return graphFailure("download", file.error);
    const digest = createHash("sha256").update(file.bytes).digest();
    // Meta's sha256 is base64 in webhooks and fixtures ("SfInY0gG...UI="); accept hex too, as its docs do not say.
    if (sha256 && sha256 !== digest.toString("base64") && sha256.toLowerCase() !== digest.toString("hex")) {
      return { message: "sha256 mismatch: the download is corrupt or truncated", permanent: false };
    }
    const hex = digest.toString("hex");
    const storageKey = `${job.tenantId}/${hex}`;
    const mime = mimeType || file.mimeType || "application/octet-stream";
    await storage.put(storageKey, file.bytes, mime);
    await pool.query(
      `UPDATE media_files SET status = 'stored', mime_type = $2, size_bytes = $3, sha256 = $4, storage_key = $5,
         stored_at = now(), last_error = NULL
       WHERE id = $1`,
      [job.id, mime, file.bytes.byteLength, hex, storageKey],
    );
    return undefined;
  }

  async function processJob(job: MediaJob): Promise<keyof MediaRunResult> {
    let failure: Failure | undefined;
    try {
      failure = await download(job);
    } catch (err) {
      failure = { message: err instanceof Error ? err.message : String(err), permanent: false };
    }
    if (!failure) return "stored";
    const failed = failure.permanent || job.attempts >= maxAttempts;
    logger.warn(
      { mediaFileId: job.id, mediaId: job.mediaId, attempt: job.attempts, failed, error: failure.message },
      "media download failed",
    );
    await pool.query(
      `UPDATE media_files SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE id = $1`,
      [job.id, failure.message.slice(0, 2000), failed, failed ? 0 : backoffMs(job.attempts)],
    );
    return failed ? "failed" : "retrying";
  }

  async function runOnce(limit = 4): Promise<MediaRunResult> {
    const { rows } = await pool.query<{ id: string; tenant_id: string; message_id: string | null; media_id: string; attempts: number }>(
      CLAIM_SQL,
      [limit, leaseMs],
    );
    const jobs = rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, messageId: r.message_id, mediaId: r.media_id, attempts: r.attempts }));
    const outcomes = await Promise.all(jobs.map(processJob));
    const result: MediaRunResult = { stored: 0, retrying: 0, failed: 0 };
    for (const o of outcomes) result[o]++;
    return result;
  }

  function tick(): void {
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => logger.error({ err }, "media downloader run failed"))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      timer = setInterval(tick, opts.pollMs ?? 2_000);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/**
 * Meta's permanent codes (100: no such media id, or not this number's) end retries; everything else, including
 * code-less CDN errors, is retried until `maxAttempts`: a lost customer file costs more than a few requests.
 */
function graphFailure(step: string, error: GraphError): Failure {
  const permanent = error.code !== null && classifySendError(error).action === "fail";
  const code = error.code !== null ? ` (code ${error.code})` : error.httpStatus !== null ? ` (HTTP ${error.httpStatus})` : "";
  return { message: `${step}: ${error.title}${code}`, permanent };
}
