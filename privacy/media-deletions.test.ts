import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import { createMemoryMediaStorage, type MemoryMediaStorage } from "../whatsapp/media/media-storage.fake.ts";
import { drainMediaDeletions, queueMediaDeletions } from "./media-deletions.ts";

let db: Database;
let storage: MemoryMediaStorage;
const logger = createLogger("silent");
const bytes = new Uint8Array([1, 2, 3]);

beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, "t1", "Tenant");
  await createTenant(db.pool, "t2", "Other");
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE media_deletions, media_files");
  storage = createMemoryMediaStorage();
});
afterAll(async () => {
  await db.close();
});

const queued = async () => (await db.pool.query("SELECT storage_key, attempts FROM media_deletions ORDER BY storage_key")).rows;

describe("media deletions", () => {
  it("deletes queued files, but keeps a file another media row still references (same content, same key)", async () => {
    await storage.put("t1/aaa", bytes, "image/png");
    await storage.put("t1/shared", bytes, "image/png");
    await db.pool.query(
      "INSERT INTO media_files (tenant_id, media_id, status, storage_key) VALUES ('t1', 'm-other', 'stored', 't1/shared')",
    );
    await queueMediaDeletions(db.pool, "t1", ["t1/aaa", "t1/shared"], "erase");
    await queueMediaDeletions(db.pool, "t1", ["t1/aaa"], "retention");
    expect(await drainMediaDeletions({ pool: db.pool, storage, logger })).toEqual({ deleted: 1, stillReferenced: 1, failed: 0 });
    expect([...storage.files.keys()]).toEqual(["t1/shared"]);
    expect(await queued()).toEqual([]);
  });

  it("keeps a key whose storage delete failed and retries it on the next drain", async () => {
    await storage.put("t1/bbb", bytes, "image/png");
    let failures = 1;
    const flaky = {
      ...storage,
      async delete(key: string) {
        if (failures-- > 0) throw new Error("storage unavailable");
        await storage.delete(key);
      },
    };
    await queueMediaDeletions(db.pool, "t1", ["t1/bbb"], "erase");
    expect(await drainMediaDeletions({ pool: db.pool, storage: flaky, logger })).toEqual({ deleted: 0, stillReferenced: 0, failed: 1 });
    expect(await queued()).toEqual([{ storage_key: "t1/bbb", attempts: 1 }]);
    expect(storage.files.has("t1/bbb")).toBe(true);
    expect(await drainMediaDeletions({ pool: db.pool, storage: flaky, logger })).toEqual({ deleted: 1, stillReferenced: 0, failed: 0 });
    expect(storage.files.has("t1/bbb")).toBe(false);
    expect(await queued()).toEqual([]);
  });

  it("drains one tenant's queue only when asked to", async () => {
    await queueMediaDeletions(db.pool, "t1", ["t1/x"], "erase");
    await queueMediaDeletions(db.pool, "t2", ["t2/y"], "erase");
    expect((await drainMediaDeletions({ pool: db.pool, storage, logger }, { tenantId: "t2" })).deleted).toBe(1);
    expect(await queued()).toEqual([{ storage_key: "t1/x", attempts: 0 }]);
  });
});
