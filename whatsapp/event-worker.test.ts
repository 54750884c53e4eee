import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { ensureDefaultTenant } from "../tenants/tenant-store.ts";
import { createEventStore } from "./event-store.ts";
import { createEventWorker, type EventWorker } from "./event-worker.ts";
import type { MessageEvent, QueuedEvent } from "./events.ts";

const logger = createLogger("silent");
const PHONE = "555000";
let db: Database;
const workers: EventWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await db?.close();
});

async function setup() {
  db = await openMemoryDatabase();
  await migrate(db.pool);
  await ensureDefaultTenant(db.pool, PHONE);
  return createEventStore(db.pool);
}

function message(customer: string, n: number): MessageEvent {
  return {
    kind: "message",
    phoneNumberId: PHONE,
    wamid: `wamid.${customer}.${n}`,
    occurredAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    type: "text",
    known: true,
    from: { waId: customer },
    text: `msg ${n}`,
    contextWamid: null,
    raw: {},
  };
}

async function enqueue(store: ReturnType<typeof createEventStore>, events: MessageEvent[]) {
  await store.store({
    requestId: "t",
    raw: "{}",
    outcome: "accepted",
    problems: [],
    events: events.map((event) => ({ event, dedupKey: `m:${event.wamid}`, conversationKey: `${PHONE}:${event.from.waId}` })),
  });
}

function worker(process: (e: QueuedEvent) => Promise<void>, opts: Partial<Parameters<typeof createEventWorker>[0]> = {}) {
  const w = createEventWorker({ pool: db.pool, process, logger, pollMs: 20, ...opts });
  workers.push(w);
  return w;
}

const textOf = (e: QueuedEvent) => (e.event as MessageEvent).text;

describe("event worker", () => {
  it("processes each conversation's events in order, one at a time, conversations in parallel", async () => {
    const store = await setup();
    // Stored newest-first on purpose: the worker orders by the message timestamp.
    await enqueue(
      store,
      [3, 2, 1, 0].flatMap((n) => [message("111", n), message("222", n), message("333", n)]),
    );
    const seen = new Map<string, string[]>();
    const active = new Map<string, number>();
    let maxActivePerConversation = 0;
    let maxActiveOverall = 0;
    const w = worker(
      async (e) => {
        const who = (e.event as MessageEvent).from.waId as string;
        active.set(who, (active.get(who) ?? 0) + 1);
        maxActivePerConversation = Math.max(maxActivePerConversation, active.get(who) ?? 0);
        maxActiveOverall = Math.max(
          maxActiveOverall,
          [...active.values()].reduce((a, b) => a + b, 0),
        );
        await new Promise((r) => setTimeout(r, 15));
        seen.set(who, [...(seen.get(who) ?? []), textOf(e) as string]);
        active.set(who, (active.get(who) ?? 1) - 1);
      },
      { concurrency: 3 },
    );
    w.start();
    await w.idle();
    for (const who of ["111", "222", "333"]) expect(seen.get(who)).toEqual(["msg 0", "msg 1", "msg 2", "msg 3"]);
    expect(maxActivePerConversation).toBe(1);
    expect(maxActiveOverall).toBeGreaterThan(1);
    const { rows } = await db.pool.query("SELECT state, count(*)::int AS n FROM webhook_events GROUP BY state");
    expect(rows).toEqual([{ state: "done", n: 12 }]);
  });

  it("takes an event again after a worker dies mid-conversation, and keeps the order", async () => {
    const store = await setup();
    await enqueue(
      store,
      [0, 1, 2].map((n) => message("777", n)),
    );
    const done: string[] = [];
    // Worker A processes msg 0, then hangs forever on msg 1 (a crash: its lease is never released or renewed).
    const a = createEventWorker({
      pool: db.pool,
      logger,
      pollMs: 20,
      leaseMs: 300,
      process: async (e) => {
        if (textOf(e) === "msg 1") {
          await a.stop().catch(() => undefined);
          return new Promise<void>(() => undefined);
        }
        done.push(`A:${textOf(e)}`);
      },
    });
    a.start();
    await new Promise((r) => setTimeout(r, 150));
    // A dead process renews nothing: leave its lease as a crashed owner would (expired, owner gone).
    await db.pool.query("UPDATE conversation_leases SET owner = 'crashed-worker', expires_at = now() - interval '1 second'");
    const b = worker(
      async (e) => {
        done.push(`B:${textOf(e)}`);
      },
      { leaseMs: 300 },
    );
    b.start();
    await b.idle();
    expect(done).toEqual(["A:msg 0", "B:msg 1", "B:msg 2"]);
    const { rows } = await db.pool.query("SELECT payload->>'text' AS text, attempts FROM webhook_events ORDER BY occurred_at");
    expect(rows.map((r) => r.text)).toEqual(["msg 0", "msg 1", "msg 2"]);
  });

  it("retries a failing event with backoff, blocking only its own conversation, then parks it as dead", async () => {
    const store = await setup();
    await enqueue(store, [message("900", 0), message("900", 1), message("901", 0)]);
    const calls: string[] = [];
    const w = worker(
      async (e) => {
        const who = (e.event as MessageEvent).from.waId;
        calls.push(`${who}:${textOf(e)}`);
        if (who === "900" && textOf(e) === "msg 0") throw new Error("handler exploded");
      },
      { maxAttempts: 3, backoffMs: () => 30 },
    );
    w.start();
    await new Promise((r) => setTimeout(r, 40));
    await w.idle(5_000);
    expect(calls.filter((c) => c === "900:msg 0")).toHaveLength(3);
    expect(calls.indexOf("901:msg 0")).toBeLessThan(calls.lastIndexOf("900:msg 0"));
    expect(calls.at(-1)).toBe("900:msg 1");
    const { rows } = await db.pool.query(
      "SELECT payload->>'text' AS text, state, attempts, last_error FROM webhook_events WHERE conversation_key = $1 ORDER BY occurred_at",
      [`${PHONE}:900`],
    );
    expect(rows).toEqual([
      { text: "msg 0", state: "dead", attempts: 3, last_error: "handler exploded" },
      { text: "msg 1", state: "done", attempts: 1, last_error: null },
    ]);
  });

  it("never lets two workers process the same conversation at once", async () => {
    const store = await setup();
    await enqueue(
      store,
      Array.from({ length: 20 }, (_, n) => message("424", n)),
    );
    const order: string[] = [];
    let active = 0;
    let overlap = false;
    const process = async (e: QueuedEvent) => {
      active++;
      if (active > 1) overlap = true;
      await new Promise((r) => setTimeout(r, 2));
      order.push(textOf(e) as string);
      active--;
    };
    const w1 = worker(process);
    const w2 = worker(process);
    w1.start();
    w2.start();
    await w1.idle();
    await w2.idle();
    expect(overlap).toBe(false);
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => `msg ${n}`));
  });
});
