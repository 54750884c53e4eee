/** A fresh database for one benchmark corpus, migrated, with the benchmark tenant. */
import type { Database } from "../lib/db.ts";
import { migrate } from "../lib/migrate.ts";
import { openMemoryDatabase, openServerTestDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";

export const BENCH_TENANT = "bench";

/** A new database on the server at `url` (dropped on close) when given, else an in-memory PGlite. */
export async function openBenchDatabase(url?: string): Promise<Database> {
  let db: Database;
  if (url) {
    const prior = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    try {
      db = await openServerTestDatabase(4);
    } finally {
      if (prior === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = prior;
    }
  } else {
    db = await openMemoryDatabase();
  }
  await migrate(db.pool);
  await createTenant(db.pool, BENCH_TENANT, "Benchmark tenant");
  return db;
}
