/**
 * `npm run bench:outbox`: drains 10,000 queued messages to 2,000 customers through the sandbox (the real Graph
 * client, the fake Graph API, signed status webhooks back) and checks the sender against the platform limits:
 * achieved rate vs the number's throughput (target >= 0.95 of it, and never above it in any one-second window),
 * per-customer pacing violations against Meta's pair rate limit (target 0), and losses (target 0). A second run
 * at a much higher limit shows the sender's own ceiling. Uses DATABASE_URL when reachable, else the embedded DB.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { openMemoryDatabase, openServerTestDatabase } from "../lib/testing/test-db.ts";
import { createServices } from "../server/services.ts";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const PHONE = "100000000000001";
const PACING = { burst: 6, intervalMs: 6_000 };

type RunResult = {
  limit: number;
  sent: number;
  seconds: number;
  rate: number;
  ratio: number;
  maxInAnySecond: number;
  pacingViolations: number;
  lost: number;
};

async function openDb(): Promise<{ db: Database; kind: string }> {
  if (process.env.DATABASE_URL) {
    try {
      return { db: await openServerTestDatabase(20), kind: "PostgreSQL" };
    } catch (err) {
      console.log(`(PostgreSQL at DATABASE_URL unreachable: ${(err as Error).message}; using the embedded database)`);
    }
  }
  return { db: await openMemoryDatabase(), kind: "embedded PGlite" };
}

async function run(limit: number): Promise<RunResult> {
  const { db, kind } = await openDb();
  const services = await createServices({
    db,
    logger: createLogger("error"),
    appSecret: "bench-app-secret-123456",
    verifyToken: "bench-verify-token",
    adminToken: "bench-admin-token-123456",
    phoneNumberId: PHONE,
    sender: { pacing: PACING },
    sandboxStatusDelaysMs: { sent: 20, delivered: 60, read: null },
  });
  try {
    await seed(db, limit);
    console.log(`  ${kind}: ${MESSAGES} messages queued for ${CUSTOMERS} customers, limit ${limit}/s ...`);
    const started = Date.now();
    services.start();
    await waitUntilDrained(db, started, Math.max(60, (MESSAGES / limit) * 3) * 1000);
    await services.sandbox?.settled();
    return await measure(db, limit);
  } finally {
    await services.stop();
    await db.close();
  }
}

/** 2,000 customers who wrote a minute ago (window open) and 10,000 queued replies, spread round-robin. */
async function seed(db: Database, limit: number): Promise<void> {
  await db.pool.query("UPDATE phone_numbers SET throughput_mps = $1 WHERE phone_number_id = $2", [limit, PHONE]);
  await db.pool.query(
    `INSERT INTO customers (tenant_id, wa_id, name) SELECT 'default', (34600000000 + g)::text, 'Customer ' || g FROM generate_series(1, $1) g`,
    [CUSTOMERS],
  );
  await db.pool.query(
    `INSERT INTO conversations (tenant_id, customer_id, phone_number_id, last_inbound_at, last_message_at)
     SELECT 'default', id, $1, now() - interval '1 minute', now() FROM customers`,
    [PHONE],
  );
  await db.pool.query(
    `INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, body, recipient, category, source, idempotency_key, status, next_attempt_at, sent_at)
     SELECT 'default', c.id, 'outbound', 'text', 'Reply ' || g,
            jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', 'Reply ' || g)),
            jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', 'Reply ' || g)),
            jsonb_build_object('waId', cu.wa_id), 'service', 'bench', 'bench:' || g, 'queued', now(), now()
     FROM generate_series(1, $1) g
     JOIN conversations c ON c.id = (SELECT min(id) FROM conversations) + (g % $2)
     JOIN customers cu ON cu.id = c.customer_id`,
    [MESSAGES, CUSTOMERS],
  );
}

async function waitUntilDrained(db: Database, started: number, timeoutMs: number): Promise<void> {
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending')");
    if (rows[0]?.n === 0) return;
    if (Date.now() - started > timeoutMs) {
      console.log(`  timed out with ${rows[0]?.n} messages still queued`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Reads what the sandbox received and checks it against the limits, independently of the sender's own logic. */
async function measure(db: Database, limit: number): Promise<RunResult> {
  const { rows } = await db.pool.query<{ recipient: string; at: string }>(
    "SELECT recipient, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM sandbox_messages ORDER BY created_at, id",
  );
  const times = rows.map((r) => Number(r.at));
  let maxInAnySecond = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1000) j++;
    maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
  }
  const buckets = new Map<string, { tokens: number; at: number }>();
  let pacingViolations = 0;
  for (const r of rows) {
    const t = Number(r.at);
    const b = buckets.get(r.recipient) ?? { tokens: PACING.burst, at: t };
    b.tokens = Math.min(PACING.burst, b.tokens + (t - b.at) / PACING.intervalMs);
    b.at = t;
    if (b.tokens < 1 - 1e-9) pacingViolations++;
    else b.tokens -= 1;
    buckets.set(r.recipient, b);
  }
  const { rows: lostRows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM messages m WHERE m.direction = 'outbound'
       AND (m.wa_message_id IS NULL OR NOT EXISTS (SELECT 1 FROM sandbox_messages s WHERE s.wamid = m.wa_message_id))`,
  );
  const seconds = times.length > 1 ? ((times.at(-1) as number) - (times[0] as number)) / 1000 : 0;
  const rate = seconds > 0 ? (times.length - 1) / seconds : 0;
  return { limit, sent: times.length, seconds, rate, ratio: rate / limit, maxInAnySecond, pacingViolations, lost: lostRows[0]?.n ?? -1 };
}

const fmt = (n: number, d = 1) => n.toFixed(d).padStart(9);
console.log(
  `Outbox benchmark: ${MESSAGES} messages to ${CUSTOMERS} customers through the sandbox, pacing ${PACING.burst} per ${PACING.intervalMs / 1000} s per customer`,
);
const results: RunResult[] = [];
for (const limit of [80, Number(process.env.BENCH_FAST_LIMIT ?? 1000)]) results.push(await run(limit));
console.log(
  `\n${"limit/s".padStart(9)}${"sent".padStart(9)}${"seconds".padStart(9)}${"rate/s".padStart(9)}${"ratio".padStart(9)}${"max/1s".padStart(9)}${"pacing!".padStart(9)}${"lost".padStart(9)}`,
);
for (const r of results) {
  console.log(
    `${fmt(r.limit, 0)}${fmt(r.sent, 0)}${fmt(r.seconds)}${fmt(r.rate)}${fmt(r.ratio, 3)}${fmt(r.maxInAnySecond, 0)}${fmt(r.pacingViolations, 0)}${fmt(r.lost, 0)}`,
  );
}
const main = results[0] as RunResult;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISSED");
console.log(
  `\nAt the default 80/s: ratio ${main.ratio.toFixed(3)} [${verdict(main.ratio >= 0.95)} >= 0.95], max in any 1 s window ${main.maxInAnySecond} [${verdict(main.maxInAnySecond <= main.limit)} <= ${main.limit}], pacing violations ${main.pacingViolations} [${verdict(main.pacingViolations === 0)}], lost ${main.lost} [${verdict(main.lost === 0)}]`,
);
const fast = results[1] as RunResult;
console.log(`At ${fast.limit}/s the sender reached ${fast.rate.toFixed(0)} messages/s (its own overhead bounds it when below the limit).`);
await mkdir("bench/out", { recursive: true });
await writeFile("bench/out/outbox.json", `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
