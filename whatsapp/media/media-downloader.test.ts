import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db.ts";
import { createLogger } from "../../lib/logger.ts";
import { migrate } from "../../lib/migrate.ts";
import { openMemoryDatabase } from "../../lib/testing/test-db.ts";
import { ensureDefaultTenant } from "../../tenants/tenant-store.ts";
import type { GraphError, WhatsAppClient } from "../cloud-api/client.ts";
import { createMediaDownloader, enqueueMediaDownload, type MediaDownloaderOptions } from "./media-downloader.ts";
import { createMemoryMediaStorage } from "./media-storage.fake.ts";

const logger = createLogger("silent");
const PHONE = "555";
const MEDIA_ID = "1003383421387256";
const BYTES = new TextEncoder().encode("pretend this is a JPEG");
const SHA = createHash("sha256").update(BYTES).digest();

type MediaClient = Pick<WhatsAppClient, "getMedia" | "downloadMedia">;
type GetMedia = Awaited<ReturnType<MediaClient["getMedia"]>>;

let db: Database;
let messageId: string;

// One database for the file (PGlite takes seconds to start); each test starts with an empty media_files.
beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool);
  await ensureDefaultTenant(db.pool, PHONE);
  const { rows: conv } = await db.pool.query(
    `WITH c AS (INSERT INTO customers (tenant_id, wa_id) VALUES ('default', '16505551234') RETURNING id)
     INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT 'default', id, $1 FROM c RETURNING id`,
    [PHONE],
  );
  const { rows: msg } = await db.pool.query(
    `INSERT INTO messages (tenant_id, conversation_id, direction, wa_message_id, type, payload, status, sent_at)
     VALUES ('default', $1, 'inbound', 'wamid.IMG', 'image', '{}', 'received', now()) RETURNING id::text`,
    [conv[0].id],
  );
  messageId = msg[0].id;
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE media_files");
});
afterAll(async () => {
  await db?.close();
});

const mediaOk = (sha256: string | null = SHA.toString("base64")): GetMedia => ({
  ok: true,
  media: { url: `https://lookaside.fbsbx.com/m?${Math.random()}`, mimeType: "image/jpeg", sha256, fileSize: BYTES.byteLength },
});
const transient: GraphError = { httpStatus: 500, code: 131000, title: "Something went wrong" };

/** A fake client answering getMedia from a script (the last answer repeats) and recording every call. */
function fakeClient(getMediaAnswers: GetMedia[], bytes: Uint8Array = BYTES) {
  const calls = { getMedia: [] as [string, string | undefined][], download: [] as string[] };
  const client: MediaClient = {
    async getMedia(mediaId, phoneNumberId) {
      calls.getMedia.push([mediaId, phoneNumberId]);
      return getMediaAnswers[Math.min(calls.getMedia.length, getMediaAnswers.length) - 1] as GetMedia;
    },
    async downloadMedia(url) {
      calls.download.push(url);
      return { ok: true, bytes, mimeType: "image/jpeg" };
    },
  };
  return { client, calls };
}

function downloader(client: MediaClient, extra: Partial<MediaDownloaderOptions> = {}) {
  const storage = createMemoryMediaStorage();
  const d = createMediaDownloader({ pool: db.pool, client, storage, logger, backoffMs: () => 0, phoneNumberIdFor: () => PHONE, ...extra });
  return { d, storage };
}

async function row() {
  const { rows } = await db.pool.query(
    "SELECT status, attempts, mime_type, size_bytes::int, sha256, storage_key, last_error, stored_at FROM media_files WHERE media_id = $1",
    [MEDIA_ID],
  );
  return rows[0];
}

async function messageRow() {
  const { rows } = await db.pool.query("SELECT status, type, wa_message_id FROM messages WHERE id = $1", [messageId]);
  return rows[0];
}

describe("media downloader", () => {
  it("enqueues once per (tenant, media id)", async () => {
    const first = await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const again = await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ id: first.id, isNew: false });
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM media_files");
    expect(rows[0].n).toBe(1);
  });

  it("fetches a fresh URL, stores the bytes and records sha256, size and MIME type", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client, calls } = fakeClient([mediaOk()]);
    const { d, storage } = downloader(client);
    expect(await d.runOnce()).toEqual({ stored: 1, retrying: 0, failed: 0 });
    const hex = SHA.toString("hex");
    expect(await row()).toMatchObject({
      status: "stored",
      attempts: 1,
      mime_type: "image/jpeg",
      size_bytes: BYTES.byteLength,
      sha256: hex,
      storage_key: `default/${hex}`,
      last_error: null,
    });
    expect((await row()).stored_at).not.toBeNull();
    expect(await storage.get(`default/${hex}`)).toEqual(BYTES);
    expect(calls.getMedia).toEqual([[MEDIA_ID, PHONE]]);
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 0 });
  });

  it("retries a failing getMedia with a fresh URL each time, then succeeds", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client, calls } = fakeClient([{ ok: false, error: transient }, { ok: false, error: transient }, mediaOk()]);
    const { d } = downloader(client);
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 1, failed: 0 });
    expect(await row()).toMatchObject({ status: "pending", attempts: 1, last_error: "get media: Something went wrong (code 131000)" });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 1, failed: 0 });
    expect(await d.runOnce()).toEqual({ stored: 1, retrying: 0, failed: 0 });
    expect(await row()).toMatchObject({ status: "stored", attempts: 3, last_error: null });
    expect(calls.getMedia).toHaveLength(3);
    expect(calls.download).toHaveLength(1);
  });

  it("waits for the backoff before the next attempt", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client } = fakeClient([{ ok: false, error: transient }]);
    const { d } = downloader(client, { backoffMs: () => 60_000 });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 1, failed: 0 });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 0 });
  });

  it("marks the file failed after maxAttempts and leaves the message alone", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const before = await messageRow();
    const { client, calls } = fakeClient([{ ok: false, error: { httpStatus: null, code: null, network: true, title: "network error" } }]);
    const { d } = downloader(client, { maxAttempts: 3 });
    for (let i = 0; i < 2; i++) expect(await d.runOnce()).toEqual({ stored: 0, retrying: 1, failed: 0 });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 1 });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 0 });
    expect(await row()).toMatchObject({ status: "failed", attempts: 3, last_error: "get media: network error" });
    expect(calls.getMedia).toHaveLength(3);
    expect(await messageRow()).toEqual(before);
  });

  it("fails at once when Meta says the media id is invalid (code 100)", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client } = fakeClient([{ ok: false, error: { httpStatus: 400, code: 100, title: "Invalid parameter" } }]);
    const { d } = downloader(client);
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 1 });
    expect(await row()).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("treats a sha256 mismatch as a failed attempt and retries", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client } = fakeClient([mediaOk(Buffer.alloc(32, 7).toString("base64")), mediaOk()]);
    const { d, storage } = downloader(client);
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 1, failed: 0 });
    expect(await row()).toMatchObject({ status: "pending", last_error: expect.stringMatching(/sha256 mismatch/) });
    expect(storage.files.size).toBe(0);
    expect(await d.runOnce()).toEqual({ stored: 1, retrying: 0, failed: 0 });
  });

  it("accepts a hex sha256 and a missing one", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: "other" });
    const { client } = fakeClient([mediaOk(SHA.toString("hex")), mediaOk(null)]);
    const { d } = downloader(client);
    expect(await d.runOnce()).toEqual({ stored: 2, retrying: 0, failed: 0 });
  });

  it("fails at once when Meta reports a file over the size cap, without downloading it", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client, calls } = fakeClient([mediaOk()]);
    const { d } = downloader(client, { maxBytes: 4 });
    expect(await d.runOnce()).toEqual({ stored: 0, retrying: 0, failed: 1 });
    expect(calls.download).toHaveLength(0);
  });

  it("polls in the background once started", async () => {
    await enqueueMediaDownload(db.pool, { tenantId: "default", messageId, mediaId: MEDIA_ID });
    const { client } = fakeClient([mediaOk()]);
    const { d } = downloader(client, { pollMs: 10 });
    d.start();
    await expect.poll(async () => (await row()).status, { timeout: 5_000 }).toBe("stored");
    await d.stop();
  });
});
