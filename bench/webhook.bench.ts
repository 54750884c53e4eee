/**
 * Webhook ingestion benchmark (`npm run bench:webhook`). For the local PostgreSQL (DATABASE_URL) and then the
 * embedded database, loads a bare Hono route (this machine's HTTP ceiling) and the real signed webhook path, which
 * commits every event before answering, with the same autocannon settings, and reports req/s, p50/p99 latency,
 * their ratio and acknowledged-versus-stored events. Targets (PostgreSQL only): webhook ≥ 0.5 × bare throughput,
 * p99 < 25 ms, zero lost events. Each server runs in a child process (`webhook-target.ts`) so the load generator
 * does not compete for its event loop. Env: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
 * BENCH_CONNECTIONS (default 50), BENCH_POOL_SIZE, BENCH_WORKER=1, BENCH_CPU_PROF=1 (profiles in bench/out/prof),
 * BENCH_DBS=pg (or embedded) to run one database only.
 * Reports; never fails on a missed target.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BODY_BYTES, type LoadResult, runLoad } from "./webhook-load.ts";
import { startTarget, type TargetEnv } from "./webhook-process.ts";
import type { VerifyResult } from "./webhook-target.ts";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/switchboard_test";
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const databaseUrl = process.env.DATABASE_URL || DEFAULT_URL;

type Measured = Omit<LoadResult, "ackedWamids">;
type Storage = { acknowledged: number; stored: number; deliveries: number; lost: number; unacknowledgedStored: number };
type DbReport = {
  db: "pg" | "embedded";
  bare: Measured;
  webhook: Measured;
  ratio: number;
  storage: Storage;
  groupCommit: VerifyResult["stats"] & { avgBatch: number };
  checks?: { ratio: boolean; p99: boolean; lost: boolean };
};

/** Warm-up then a measured run against a fresh child; webhook runs end with a storage check. */
async function measure(env: TargetEnv, tag: string): Promise<{ load: Measured; verify?: VerifyResult; acked: number }> {
  const target = await startTarget(env, databaseUrl);
  try {
    const url = `http://127.0.0.1:${target.port}${env.BENCH_MODE === "webhook" ? "/webhooks/whatsapp" : "/"}`;
    const warm = await runLoad(url, { seconds: warmup, connections, tag: `${tag}w` });
    const { ackedWamids, ...load } = await runLoad(url, { seconds, connections, tag });
    if (env.BENCH_MODE !== "webhook") return { load, acked: 0 };
    const wamids = [...warm.ackedWamids, ...ackedWamids];
    const verify = await target.verify(wamids);
    return { load, verify, acked: wamids.length };
  } finally {
    await target.stop();
  }
}

async function benchDatabase(db: "pg" | "embedded"): Promise<DbReport> {
  const bare = await measure({ BENCH_MODE: "bare", BENCH_DB: db }, `b${db}`);
  const web = await measure({ BENCH_MODE: "webhook", BENCH_DB: db }, `w${db}`);
  const v = web.verify as VerifyResult;
  const storage: Storage = {
    acknowledged: web.acked,
    stored: v.events,
    deliveries: v.deliveries,
    lost: v.missing,
    unacknowledgedStored: v.events - (web.acked - v.missing),
  };
  const ratio = Math.round((web.load.rps / bare.load.rps) * 1000) / 1000;
  const report: DbReport = {
    db,
    bare: bare.load,
    webhook: web.load,
    ratio,
    storage,
    groupCommit: { ...v.stats, avgBatch: Math.round((v.stats.items / Math.max(1, v.stats.batches)) * 10) / 10 },
  };
  if (db === "pg") report.checks = { ratio: ratio >= 0.5, p99: web.load.p99 < 25, lost: storage.lost === 0 && web.acked > 0 };
  return report;
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const mark = (ok: boolean) => (ok ? "PASS" : "MISSED");
const pad = (v: unknown, n: number) => String(v).padStart(n);

function row(name: string, m: Measured): string {
  return `${name.padEnd(20)}${pad(m.rps, 9)}${pad(m.p50.toFixed(2), 9)}${pad(m.p99.toFixed(2), 9)}${pad(m.max.toFixed(1), 9)}${pad(m.non2xx, 8)}${pad(m.errors, 8)}${pad(m.timeouts, 9)}`;
}

function printReport(r: DbReport): void {
  const label = r.db === "pg" ? "PostgreSQL" : "embedded";
  console.log(row(`bare (${r.db})`, r.bare));
  console.log(row(`webhook (${r.db})`, r.webhook));
  const c = r.checks;
  const s = r.storage;
  console.log(`  ${label}: ratio webhook/bare ${r.ratio.toFixed(3)}${c ? `  [${mark(c.ratio)} ≥ 0.5]` : ""}`);
  console.log(`  ${label}: webhook p99 ${r.webhook.p99.toFixed(2)} ms${c ? `  [${mark(c.p99)} < 25 ms]` : ""}`);
  console.log(
    `  ${label}: acknowledged ${s.acknowledged} (incl. warm-up), stored events ${s.stored}, deliveries ${s.deliveries}, ` +
      `lost ${s.lost}${c ? `  [${mark(c.lost)} = 0]` : ""}; stored but not acknowledged (in flight at stop) ${s.unacknowledgedStored}`,
  );
  const g = r.groupCommit;
  console.log(`  ${label}: group commit ${g.batches} batches, ${g.items} deliveries, avg ${g.avgBatch}/batch, max ${g.maxBatchSeen}\n`);
}

async function main(): Promise<void> {
  const worker = process.env.BENCH_WORKER === "1" ? "worker on" : "worker off (ingestion only)";
  console.log(
    `Webhook benchmark: ${connections} connections, ${seconds} s measured after ${warmup} s warm-up, ` +
      `${availableParallelism()} cores, ~${BODY_BYTES} B signed bodies, ${worker}\n`,
  );
  console.log(
    `${"target".padEnd(20)}${pad("req/s", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("max ms", 9)}${pad("non2xx", 8)}${pad("errors", 8)}${pad("timeouts", 9)}`,
  );
  const reports: DbReport[] = [];
  const unreachable = await reachable(databaseUrl);
  if (unreachable) console.log(`PostgreSQL part SKIPPED: ${databaseUrl} is unreachable (${unreachable})\n`);
  const only = process.env.BENCH_DBS?.split(",");
  const dbs = (unreachable ? (["embedded"] as const) : (["pg", "embedded"] as const)).filter((d) => !only || only.includes(d));
  for (const db of dbs) {
    try {
      const report = await benchDatabase(db);
      printReport(report);
      reports.push(report);
    } catch (err) {
      console.log(`${db} part FAILED: ${(err as Error).message}\n`);
    }
  }
  const pgReport = reports.find((r) => r.db === "pg");
  const missed = pgReport?.checks
    ? Object.entries(pgReport.checks)
        .filter(([, ok]) => !ok)
        .map(([k]) => k)
    : [];
  if (!pgReport) console.log("Targets: NOT EVALUATED (no PostgreSQL)");
  else if (missed.length === 0) console.log("Targets: ALL MET on PostgreSQL (ratio ≥ 0.5, p99 < 25 ms, 0 lost)");
  else console.log(`Targets: MISSED on PostgreSQL: ${missed.join(", ")}`);

  const out = fileURLToPath(new URL("./out/", import.meta.url));
  await mkdir(out, { recursive: true });
  const json = {
    at: new Date().toISOString(),
    seconds,
    warmup,
    connections,
    cores: availableParallelism(),
    bodyBytes: BODY_BYTES,
    worker,
    pgSkipped: unreachable,
    reports,
  };
  await writeFile(`${out}webhook.json`, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`Results written to ${out}webhook.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
