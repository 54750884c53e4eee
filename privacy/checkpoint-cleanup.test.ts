import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_SCHEMA } from "../agent/agent.ts";
import { BatchedPostgresSaver } from "../agent/checkpoint-saver.ts";
import type { Database } from "../lib/db.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { deleteConversationCheckpoints } from "./checkpoint-cleanup.ts";

let db: Database;
beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool, await loadMigrations());
});
afterAll(async () => {
  await db.close();
});

const threads = async () =>
  (await db.pool.query(`SELECT DISTINCT thread_id FROM ${CHECKPOINT_SCHEMA}.checkpoints ORDER BY thread_id`)).rows.map((r) => r.thread_id);

// The tests run in order: the first one before the agent's tables exist.
describe("deleteConversationCheckpoints", () => {
  it("is a no-op before the agent has created its tables", async () => {
    expect(await deleteConversationCheckpoints(db.pool, ["1"])).toBe(0);
  });

  it("deletes every thread of the conversation (one per bot context) and no other conversation's", async () => {
    await new BatchedPostgresSaver(db.pool, CHECKPOINT_SCHEMA).setup();
    for (const thread of ["1:0", "1:1760000000000", "12:0", "21:0"]) {
      await db.pool.query(
        `INSERT INTO ${CHECKPOINT_SCHEMA}.checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint, metadata) VALUES ($1, '', 'c1', '{}', '{}')`,
        [thread],
      );
      await db.pool.query(
        `INSERT INTO ${CHECKPOINT_SCHEMA}.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) VALUES ($1, '', 'messages', '1', 'json', $2)`,
        [thread, Buffer.from('{"text":"hi"}')],
      );
    }
    expect(await deleteConversationCheckpoints(db.pool, ["1", "99"])).toBe(4);
    expect(await threads()).toEqual(["12:0", "21:0"]);
  });
});
