/**
 * `npm run bench:retrieval-scale`: latency of a hybrid top-8 `searchKnowledge` query on synthetic corpora (random
 * unit vectors at 1536 dimensions + Zipf pseudo-word text, see lib-synthetic.ts): 10k and 100k chunks on the local
 * PostgreSQL (a fresh database on DATABASE_URL, default postgres://postgres@127.0.0.1:5432/switchboard_test) and
 * 10k on the embedded PGlite. Per corpus: load and index-build time, then p50/p95/p99 over BENCH_QUERIES queries
 * (default 200, after 20 warm-up queries, one at a time) for hybrid, and for a bare pgvector top-k query timed the
 * same way (the baseline, lib-vector-baseline.ts: the floor under any search of this store). Target from the issue: hybrid p95 ≤ 20 ms at 100k on PostgreSQL.
 * Env: BENCH_SIZES_PG (default "10000,100000"), BENCH_SIZES_EMBEDDED (default "10000"), BENCH_LOAD_BUDGET_S (per
 * corpus; loading stops there and the smaller corpus is measured, default 300). Reports; never fails.
 */
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { searchKnowledge } from "../knowledge/store/hybrid-search.ts";
import { createRandom } from "../lib/random.ts";
import { BENCH_TENANT, openBenchDatabase } from "./lib-bench-db.ts";
import { ms, percentile, printTable, writeResults } from "./lib-report.ts";
import { type LoadReport, loadSyntheticCorpus, syntheticQuery } from "./lib-synthetic.ts";
import { searchVectorBaseline } from "./lib-vector-baseline.ts";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/switchboard_test";
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const WARMUP = 20;
const K = 8;
const BUDGET_S = Number(process.env.BENCH_LOAD_BUDGET_S ?? 300);
const sizes = (v: string | undefined, d: string) => (v ?? d).split(",").filter(Boolean).map(Number);
const SIZES_PG = sizes(process.env.BENCH_SIZES_PG, "10000,100000");
const SIZES_EMBEDDED = sizes(process.env.BENCH_SIZES_EMBEDDED, "10000");

type Latency = { p50: number; p95: number; p99: number; mean: number; avgHits: number };
type Result = { database: string; target: number } & LoadReport & { hybrid: Latency; vector: Latency };

/** Times `run` once per query after a warm-up; returns percentiles in ms and the mean number of hits. */
async function timeQueries(queries: string[], run: (q: string) => Promise<number>): Promise<Latency> {
  for (const q of queries.slice(0, WARMUP)) await run(q);
  const times: number[] = [];
  let hits = 0;
  for (const q of queries.slice(WARMUP)) {
    const t = performance.now();
    hits += await run(q);
    times.push(performance.now() - t);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    p50: ms(percentile(times, 50)),
    p95: ms(percentile(times, 95)),
    p99: ms(percentile(times, 99)),
    mean: ms(mean),
    avgHits: hits / times.length,
  };
}

async function benchCorpus(kind: "pg" | "embedded", size: number): Promise<Result> {
  const db = await openBenchDatabase(kind === "pg" ? process.env.DATABASE_URL || DEFAULT_URL : undefined);
  try {
    console.log(`  ${kind} ${size.toLocaleString("en")} chunks: loading ...`);
    const load = await loadSyntheticCorpus(db, size, { batch: 1_000, budgetSeconds: BUDGET_S, seed: size });
    const partial = load.complete ? "" : ` (load budget of ${BUDGET_S} s reached: measuring ${load.rows} rows)`;
    console.log(
      `    loaded ${load.rows} rows in ${load.loadSeconds.toFixed(1)} s, indexes built in ${load.indexSeconds.toFixed(1)} s${partial}`,
    );
    const embedder = createOfflineEmbedder({ dimensions: 1536 });
    const random = createRandom(42);
    const queries = Array.from({ length: QUERIES + WARMUP }, () => syntheticQuery(random));
    const base = { tenantId: BENCH_TENANT, k: K, language: "en" };
    const hybrid = await timeQueries(queries, async (query) => (await searchKnowledge(db.pool, embedder, { ...base, query })).length);
    const vector = await timeQueries(queries, (q) => searchVectorBaseline(db.pool, embedder, BENCH_TENANT, q, K));
    return { database: kind === "pg" ? "PostgreSQL" : "PGlite", target: size, ...load, hybrid, vector };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  console.log(`Hybrid search latency, top-${K}, ${QUERIES} queries after ${WARMUP} warm-up, one at a time, 1536-dim random unit vectors.`);
  const results: Result[] = [];
  const failures: string[] = [];
  const plan = [...SIZES_PG.map((s) => ["pg", s] as const), ...SIZES_EMBEDDED.map((s) => ["embedded", s] as const)];
  for (const [kind, size] of plan) {
    try {
      results.push(await benchCorpus(kind, size));
    } catch (err) {
      failures.push(`${kind} ${size}: ${(err as Error).message}`);
      console.log(`    failed: ${(err as Error).message}`);
    }
  }
  console.log("\nlatency in ms (hybrid = searchKnowledge, both legs fused; pgvector = a bare HNSW top-k query, the baseline)\n");
  printTable(
    ["database", "chunks", "load s", "index s", "hybrid p50", "hybrid p95", "hybrid p99", "pgvector p50", "pgvector p95", "hits"],
    results.map((r) => [
      r.database,
      String(r.rows),
      r.loadSeconds.toFixed(1),
      r.indexSeconds.toFixed(1),
      ...[r.hybrid.p50, r.hybrid.p95, r.hybrid.p99, r.vector.p50, r.vector.p95].map((x) => x.toFixed(2)),
      r.hybrid.avgHits.toFixed(1),
    ]),
  );
  const big = results.find((r) => r.database === "PostgreSQL" && r.target === 100_000);
  if (!big) console.log("\nTarget (p95 ≤ 20 ms at 100k on PostgreSQL): NOT MEASURED");
  else {
    const verdict = big.hybrid.p95 <= 20 ? "met" : "MISSED";
    const partial = big.complete ? "" : ` (only ${big.rows} rows loaded)`;
    console.log(`\nTarget (p95 ≤ 20 ms at 100k on PostgreSQL): ${verdict}, p95 = ${big.hybrid.p95.toFixed(2)} ms${partial}`);
  }
  for (const f of failures) console.log(`  failed: ${f}`);
  console.log(`Results: ${await writeResults("retrieval-scale", { queries: QUERIES, warmup: WARMUP, k: K, results, failures })}`);
}

await main();
