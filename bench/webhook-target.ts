/**
 * The server under test for `webhook.bench.ts`, run in its own process so the load generator does not share its
 * event loop. BENCH_MODE=bare serves a minimal Hono route (the HTTP ceiling); BENCH_MODE=webhook serves the real
 * app from `createServices` on a fresh database (BENCH_DB=pg: a new database at DATABASE_URL, dropped on exit;
 * BENCH_DB=embedded: in-memory PGlite). The worker is not started unless BENCH_WORKER=1, so by default only
 * ingestion (verify, parse, normalize, group commit) is measured. Prints `{"benchTargetPort":N}` on stdout when ready and
 * stops cleanly on SIGTERM or when its stdin closes.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { openMemoryDatabase, openServerTestDatabase } from "../lib/testing/test-db.ts";
import { createServices, type Services } from "../server/services.ts";
import { TEST_SECRETS } from "../server/testing.ts";

export type VerifyResult = {
  deliveries: number;
  events: number;
  /** Acknowledged message ids with no stored event. */
  missing: number;
  stats: { batches: number; items: number; maxBatchSeen: number };
};

const mode = process.env.BENCH_MODE === "webhook" ? "webhook" : "bare";
const dbKind = process.env.BENCH_DB === "embedded" ? "embedded" : "pg";
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);

const MISSING_SQL = `
SELECT count(*)::int AS n FROM unnest($1::text[]) AS k
WHERE NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.phone_number_id = $2 AND e.dedup_key = 'm:' || k)`;

async function verify(services: Services, db: Database, wamids: string[]): Promise<VerifyResult> {
  await services.store.drain();
  const count = async (table: string) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;
  const { rows } = await db.pool.query<{ n: number }>(MISSING_SQL, [wamids, TEST_SECRETS.phoneNumberId]);
  return {
    deliveries: await count("webhook_deliveries"),
    events: await count("webhook_events"),
    missing: rows[0]?.n ?? 0,
    stats: services.store.stats(),
  };
}

async function webhookApp(): Promise<{ fetch: (req: Request) => Response | Promise<Response>; close(): Promise<void> }> {
  const db = dbKind === "pg" ? await openServerTestDatabase(poolSize) : await openMemoryDatabase(poolSize);
  const services = await createServices({ db, logger: createLogger(process.env.LOG_LEVEL ?? "warn"), ...TEST_SECRETS });
  if (process.env.BENCH_WORKER === "1") services.worker.start();
  services.app.post("/bench/verify", async (c) => c.json(await verify(services, db, await c.req.json<string[]>())));
  return {
    fetch: services.app.fetch,
    async close() {
      await services.stop();
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  const target =
    mode === "webhook" ? await webhookApp() : { fetch: new Hono().post("/", (c) => c.text("ok")).fetch, close: async () => {} };
  const server = serve({ fetch: target.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
    process.stdout.write(`${JSON.stringify({ benchTargetPort: info.port })}\n`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    target.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  // stdin is a pipe from the benchmark: it ends if the benchmark dies, and the target must not outlive it.
  process.stdin.on("end", stop).resume();
}

main().catch((err: unknown) => {
  console.error(`webhook-target failed: ${(err as Error)?.stack ?? err}`);
  process.exit(1);
});
