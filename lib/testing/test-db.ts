/**
 * Databases for tests. Unit tests get a fresh in-memory PGlite (no service needed). Integration tests
 * (`*.int.test.ts`) get a fresh database created on the server at DATABASE_URL and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../db.ts";
import { createLogger } from "../logger.ts";

const silent = createLogger("silent");

/** A fresh, empty in-memory embedded database. */
export function openMemoryDatabase(poolSize = 5): Promise<Database> {
  return openDatabase({ poolSize, logger: silent });
}

/** The server URL integration tests run against; fails loudly when it is missing. */
export function requireServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("integration tests need DATABASE_URL (run scripts/setup-postgres.sh, see README)");
  return url;
}

/** A fresh database on the server at DATABASE_URL, dropped on close. */
export async function openServerTestDatabase(poolSize = 10): Promise<Database> {
  const baseUrl = requireServerUrl();
  const name = `sb_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize, logger: silent });
  return {
    ...db,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
