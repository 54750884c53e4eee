/**
 * `npm run bench:reports`: times GET /admin/reports/summary's queries (reports/summary.ts) over a generated 90-day
 * history (default 50,000 conversations: 300,000 messages, 150,000 agent turns, ~7,000 handoffs) against a
 * baseline measured in the same run on the same rows: a plain count(*) of the range's messages, the least any
 * report over them must do. Uses DATABASE_URL when reachable, else the embedded database.
 * BENCH_CONVERSATIONS and BENCH_RUNS change the size and the number of timed runs (median reported).
 */
import type pg from "pg";
import type { Database } from "../lib/db.ts";
import { readSummary } from "../reports/summary.ts";
import * as SummarySql from "../reports/summary-sql.ts";
import { BENCH_TENANT, openBenchDatabase } from "./lib-bench-db.ts";
import { ms, printTable, writeResults } from "./lib-report.ts";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const QUERY = { from: "2024-01-01", to: "2024-03-30", tz: "Europe/Madrid", limit: 10 };

// Deterministic history: conversation i starts at a spread-out second of the 90 days, has three customer messages
// each answered a minute later (every 7th conversation's last answer by a person, after a handoff), one turn per
// customer message with an intent, 1 in 10 of them without a grounded answer, questions from a pool of 200.
const SEED_SQL = [
  `INSERT INTO customers (tenant_id, wa_id) SELECT $1, '1' || lpad(g::text, 10, '0') FROM generate_series(1, $2::int) g`,
  `INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT $1, id, 'bench-pn' FROM customers WHERE tenant_id = $1`,
  `INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, source, status, sent_at)
   SELECT $1, c.id, CASE WHEN k % 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'text',
          CASE WHEN k % 2 = 0 THEN 'Question number ' || ((c.id * 7 + k) % 200) || '?' ELSE 'An answer' END, '{}',
          CASE WHEN k % 2 = 0 THEN NULL WHEN k = 5 AND c.id % 7 = 0 THEN 'agent:1' ELSE 'agent' END,
          CASE WHEN k % 2 = 0 THEN 'received' ELSE 'delivered' END,
          c.start + make_interval(secs => k * 60 + c.id % 50)
   FROM (SELECT id, timestamptz '2024-01-01 00:00+01' + make_interval(secs => id * 7919 % (90 * 86400)) AS start
         FROM conversations WHERE tenant_id = $1) c, generate_series(0, 5) k`,
  `INSERT INTO handoffs (tenant_id, conversation_id, status, reason, summary, created_at, resolved_at, csat_requested_at, csat_score, csat_answered_at)
   SELECT $1, m.conversation_id, 'resolved', (ARRAY['customer_request', 'no_grounded_answer', 'anger'])[1 + m.conversation_id % 3], '{}',
          m.sent_at - interval '30 seconds', m.sent_at + make_interval(secs => 60 + m.conversation_id % 3600),
          m.sent_at + make_interval(secs => 60 + m.conversation_id % 3600),
          CASE WHEN m.conversation_id % 2 = 0 THEN 1 + m.conversation_id % 5 END,
          CASE WHEN m.conversation_id % 2 = 0 THEN m.sent_at + make_interval(secs => 120 + m.conversation_id % 3600) END
   FROM messages m WHERE m.tenant_id = $1 AND m.source = 'agent:1'`,
  `INSERT INTO agent_turns (tenant_id, conversation_id, message_ids, status, decision, intent, duration_ms, trace, created_at)
   SELECT $1, conversation_id, ARRAY[id], 'replied', CASE WHEN id % 10 = 0 THEN 'no_answer' ELSE 'answer' END,
          (ARRAY['orders', 'returns', 'product', 'complaint', 'shipping'])[1 + id % 5], 900, '{}', sent_at + interval '5 seconds'
   FROM messages WHERE tenant_id = $1 AND direction = 'inbound'`,
  "ANALYZE",
];

const BASELINE_SQL = `SELECT count(*)::int AS n FROM messages
  WHERE tenant_id = $1 AND sent_at >= ($2::date)::timestamp AT TIME ZONE $4 AND sent_at < ($3::date + 1)::timestamp AT TIME ZONE $4`;

async function openDb(): Promise<{ db: Database; kind: string }> {
  if (process.env.DATABASE_URL) {
    try {
      return { db: await openBenchDatabase(process.env.DATABASE_URL), kind: "PostgreSQL" };
    } catch (err) {
      console.log(`(PostgreSQL at DATABASE_URL unreachable: ${(err as Error).message}; using the embedded database)`);
    }
  }
  return { db: await openBenchDatabase(), kind: "embedded PGlite" };
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans and caches
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    took.push(performance.now() - started);
  }
  return took.sort((a, b) => a - b)[Math.floor(took.length / 2)] as number;
}

async function main(): Promise<void> {
  const { db, kind } = await openDb();
  try {
    const pool: pg.Pool = db.pool;
    const seedStarted = performance.now();
    for (const sql of SEED_SQL)
      await pool.query(sql, sql === "ANALYZE" ? [] : sql.includes("$2") ? [BENCH_TENANT, CONVERSATIONS] : [BENCH_TENANT]);
    console.log(`${kind}: ${CONVERSATIONS} conversations over 90 days generated in ${ms((performance.now() - seedStarted) / 1000)} s`);

    const { rows } = await pool.query(BASELINE_SQL, [BENCH_TENANT, QUERY.from, QUERY.to, QUERY.tz]);
    const summary = await readSummary(pool, BENCH_TENANT, QUERY);
    const baselineMs = await time(RUNS, () => pool.query(BASELINE_SQL, [BENCH_TENANT, QUERY.from, QUERY.to, QUERY.tz]));
    const summaryMs = await time(RUNS, () => readSummary(pool, BENCH_TENANT, QUERY));
    printTable(
      ["query (90 days, median of runs)", "ms", "x baseline"],
      [
        ["baseline: count(*) of the range's messages", ms(baselineMs), 1],
        ["GET /admin/reports/summary (8 statements)", ms(summaryMs), ms(summaryMs / baselineMs)],
      ],
    );
    // Where the time goes: each statement alone (the top lists take the list length as $5).
    const statements = Object.entries(SummarySql).filter(([name, sql]) => name.endsWith("_SQL") && typeof sql === "string");
    const perStatement: [string, number][] = [];
    for (const [name, sql] of statements) {
      const params = [BENCH_TENANT, QUERY.from, QUERY.to, QUERY.tz, ...((sql as string).includes("$5") ? [QUERY.limit] : [])];
      perStatement.push([name, ms(await time(RUNS, () => pool.query(sql as string, params)))]);
    }
    printTable(["statement", "ms"], perStatement);
    const t = summary.totals;
    console.log(
      `messages ${rows[0].n} (report: ${t.messages.inbound + t.messages.outbound}), conversations ${t.conversations}, ` +
        `containment ${t.containment.rate}, bot FRT p50 ${t.firstResponse.bot.p50Seconds} s, handoffs ${t.handoffs.count}`,
    );
    const path = await writeResults("reports", {
      database: kind,
      conversations: CONVERSATIONS,
      messages: rows[0].n,
      runs: RUNS,
      baselineMs: ms(baselineMs),
      summaryMs: ms(summaryMs),
      ratio: ms(summaryMs / baselineMs),
    });
    console.log(`results: ${path}`);
  } finally {
    await db.close();
  }
}

await main();
