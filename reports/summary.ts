/**
 * The reports a support lead reads every morning (issue 9): per tenant, for a range of days in one time zone, a
 * total and one entry per day. Every figure is read in one REPEATABLE READ snapshot, so the totals and the days
 * agree even while messages arrive. Definitions are in summary-sql.ts, beside the SQL that implements them; the
 * shape is summary-schema.ts.
 */
import type pg from "pg";
import { HANDOFF_REASONS } from "../handoff/handoff-store.ts";
import { AppError } from "../lib/errors.ts";
import { listDays, type ReportQuery } from "./report-query.ts";
import type { Percentiles, PeriodStats, Summary } from "./summary-schema.ts";
import {
  CONTAINMENT_SQL,
  CSAT_SQL,
  FIRST_RESPONSE_SQL,
  HANDOFFS_SQL,
  MESSAGES_SQL,
  RESOLUTION_SQL,
  TOP_INTENTS_SQL,
  TOP_UNANSWERED_SQL,
} from "./summary-sql.ts";

type Queryable = Pick<pg.PoolClient, "query">;

/** Reads the summary; a time zone Postgres does not know (but the runtime did) is a bad request. */
export async function readSummary(pool: pg.Pool, tenantId: string, q: ReportQuery): Promise<Summary> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The run and percentile sorts are over a range's messages: in memory rather than spilled to disk (this
    // transaction only; measured with npm run bench:reports).
    await client.query("SET LOCAL work_mem = '32MB'");
    const summary = await readInSnapshot(client, tenantId, q);
    await client.query("COMMIT");
    return summary;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((err as { code?: string }).code === "22023" && /time zone/i.test((err as Error).message)) {
      throw new AppError("bad_request", `time zone ${q.tz} unknown to the database`, { userMessage: "Unknown time zone." });
    }
    throw err;
  } finally {
    client.release();
  }
}

async function readInSnapshot(db: Queryable, tenantId: string, q: ReportQuery): Promise<Summary> {
  const params = [tenantId, q.from, q.to, q.tz];
  const run = async (sql: string, extra: unknown[] = []) => (await db.query(sql, [...params, ...extra])).rows;
  // One after the other: a client runs one statement at a time anyway.
  const messages = await run(MESSAGES_SQL);
  const containment = await run(CONTAINMENT_SQL);
  const handoffs = await run(HANDOFFS_SQL);
  const firstResponse = await run(FIRST_RESPONSE_SQL);
  const resolution = await run(RESOLUTION_SQL);
  const csat = await run(CSAT_SQL);
  const intents = await run(TOP_INTENTS_SQL, [q.limit]);
  const unanswered = await run(TOP_UNANSWERED_SQL, [q.limit]);

  const periods = new Map<string | null, PeriodStats>();
  const period = (day: string | null): PeriodStats => {
    let p = periods.get(day);
    if (!p) {
      p = emptyPeriod();
      periods.set(day, p);
    }
    return p;
  };
  for (const r of messages)
    Object.assign(period(r.day), { conversations: r.conversations, messages: { inbound: r.inbound, outbound: r.outbound } });
  for (const r of containment) {
    const p = period(r.day);
    p.containment = { activeConversations: r.active, botResolved: r.active - r.handed_off, rate: ratio(r.active - r.handed_off, r.active) };
    p.handoffs.conversations = r.handed_off;
    p.handoffs.rate = ratio(r.handed_off, r.active);
  }
  for (const r of handoffs) {
    const p = period(r.day);
    p.handoffs.byReason[r.reason] = r.n;
    p.handoffs.count += r.n;
  }
  for (const r of firstResponse) {
    const p = period(r.day);
    if (r.by === "bot" || r.by === "human") p.firstResponse[r.by as "bot" | "human"] = percentiles(r);
    else p.firstResponse.unanswered = r.n;
  }
  for (const r of resolution) period(r.day).humanResolution = percentiles(r);
  for (const r of csat) {
    period(r.day).csat = {
      requested: r.requested,
      answered: r.answered,
      responseRate: ratio(r.answered, r.requested),
      average: round(r.average),
    };
  }
  return {
    tenantId,
    from: q.from,
    to: q.to,
    timeZone: q.tz,
    totals: period(null),
    days: listDays(q.from, q.to).map((date) => ({ date, ...period(date) })),
    topIntents: intents.map((r) => ({ intent: r.intent, count: r.n })),
    topUnanswered: unanswered.map((r) => ({
      question: r.question,
      example: r.example,
      count: r.n,
      lastSeenAt: new Date(r.last_seen).toISOString(),
    })),
  };
}

function emptyPeriod(): PeriodStats {
  const none = (): Percentiles => ({ count: 0, p50Seconds: null, p90Seconds: null });
  return {
    conversations: 0,
    messages: { inbound: 0, outbound: 0 },
    containment: { activeConversations: 0, botResolved: 0, rate: null },
    handoffs: { count: 0, conversations: 0, rate: null, byReason: Object.fromEntries(HANDOFF_REASONS.map((r) => [r, 0])) },
    firstResponse: { bot: none(), human: none(), unanswered: 0 },
    humanResolution: none(),
    csat: { requested: 0, answered: 0, responseRate: null, average: null },
  };
}

function percentiles(r: { n: number; p50: number | null; p90: number | null }): Percentiles {
  return { count: r.n, p50Seconds: round(r.p50), p90Seconds: round(r.p90) };
}

/** Rates and seconds to 4 decimals: enough for a chart, stable in tests and CSV. */
function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10_000) / 10_000;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}
