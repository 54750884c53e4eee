import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../conversations/inbound-processor.ts";
import { createInboundProcessor } from "../conversations/inbound-processor.ts";
import { openDatabase } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { openServerTestDatabase } from "../lib/testing/test-db.ts";
import { createEventWorker } from "../whatsapp/event-worker.ts";
import { startHarness, statusBody, type TestHarness, textMessageBody } from "./testing.ts";

const logger = createLogger("silent");
let h: TestHarness;
const handled: string[] = [];

beforeAll(async () => {
  const db = await openServerTestDatabase();
  h = await startHarness({ db, handler: { handleInbound: async (m: InboundMessage) => void handled.push(m.event.text ?? "") } });
});
afterAll(async () => {
  await h.close();
});

describe("webhook on a real PostgreSQL", () => {
  it("stores 200 concurrent deliveries from 20 customers exactly once, grouped into few commits", async () => {
    const bodies = Array.from({ length: 200 }, (_, i) =>
      textMessageBody({
        text: `m${i}`,
        wamid: `wamid.int.${i}`,
        from: `1650555${String(i % 20).padStart(4, "0")}`,
        timestamp: 1_760_000_000 + i,
      }),
    );
    const before = h.store.stats().batches;
    const res = await Promise.all(bodies.map((b) => h.postWebhook(b)));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(h.store.stats().batches - before).toBeLessThan(200);
    await Promise.all(bodies.slice(0, 50).map((b) => h.postWebhook(b)));
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM webhook_events");
    expect(rows[0].n).toBe(200);
  });

  it("drains them with two worker processes sharing the queue, in order per customer", async () => {
    // A second "instance": its own pool and worker on the same database.
    const otherDb = await openDatabase({ databaseUrl: h.db.pool.options.connectionString as string, poolSize: 4, logger });
    const other = createEventWorker({
      pool: otherDb.pool,
      logger,
      process: createInboundProcessor({
        pool: otherDb.pool,
        logger,
        queue: { pool: otherDb.pool },
        handler: { handleInbound: async (m) => void handled.push(m.event.text ?? "") },
      }),
    });
    other.start();
    h.worker.start();
    await h.worker.idle(30_000);
    await other.idle(30_000);
    await other.stop();
    await otherDb.close();

    expect(handled).toHaveLength(200);
    expect(new Set(handled).size).toBe(200);
    const { rows } = await h.db.pool.query(
      `SELECT cu.wa_id, array_agg(m.text ORDER BY m.sent_at) AS texts FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN customers cu ON cu.id = c.customer_id GROUP BY cu.wa_id`,
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) {
      const n = r.texts.map((t: string) => Number(t.slice(1)));
      expect(n).toEqual([...n].sort((a, b) => a - b));
      // Each customer's handler calls happened in timestamp order too.
      const order = handled.filter((t) => r.texts.includes(t)).map((t) => Number(t.slice(1)));
      expect(order).toEqual(n);
    }
  });

  it("applies out-of-order statuses monotonically", async () => {
    const { rows } = await h.db.pool.query("SELECT wa_message_id FROM messages LIMIT 1");
    const wamid = rows[0].wa_message_id;
    await h.db.pool.query("UPDATE messages SET direction = 'outbound', status = 'queued' WHERE wa_message_id = $1", [wamid]);
    for (const [status, ts] of [
      ["delivered", 2],
      ["read", 3],
      ["sent", 1],
    ] as const) {
      await h.postWebhook(statusBody({ wamid, status, timestamp: 1_760_000_000 + ts }));
    }
    await h.worker.idle();
    const { rows: after } = await h.db.pool.query("SELECT status FROM messages WHERE wa_message_id = $1", [wamid]);
    expect(after[0].status).toBe("read");
  });
});
