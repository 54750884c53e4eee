import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./db.ts";
import { createLogger } from "./logger.ts";
import { loadMigrations, migrate } from "./migrate.ts";
import { openServerTestDatabase, requireServerUrl } from "./testing/test-db.ts";

const logger = createLogger("silent");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("server mode (DATABASE_URL)", () => {
  it("opens a real PostgreSQL >= 15 with pgvector", async () => {
    const db = await openServerTestDatabase();
    cleanups.push(() => db.close());
    expect(db.mode).toBe("server");
    const { rows } = await db.pool.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    expect(rows[0]?.extversion).toMatch(/^0\.\d+\.\d+$/);
    expect(db.location).not.toMatch(/:[^@/]*@/); // no password in what we log
  });

  it("applies migrations exactly once when two instances start together", async () => {
    const db = await openServerTestDatabase();
    cleanups.push(() => db.close());
    const other = await openDatabase({ databaseUrl: db.pool.options.connectionString as string, poolSize: 2, logger });
    cleanups.push(() => other.close());
    const migrations = await loadMigrations();
    const [a, b] = await Promise.all([migrate(db.pool, migrations), migrate(other.pool, migrations)]);
    expect([...a, ...b].sort()).toEqual(migrations.map((m) => m.name).sort());
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
    expect(rows[0].n).toBe(migrations.length);
  });

  it("fails at startup with a clear message when the vector extension cannot be created", async () => {
    const base = requireServerUrl();
    const suffix = randomBytes(4).toString("hex");
    const dbName = `sb_noext_${suffix}`;
    const role = `sb_limited_${suffix}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pass'`);
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.end();
    });
    await admin.end();
    const url = new URL(base);
    url.username = role;
    url.password = "limited-pass";
    url.pathname = `/${dbName}`;
    const attempt = openDatabase({ databaseUrl: url.toString(), poolSize: 1, logger });
    await expect(attempt).rejects.toThrow(/pgvector extension cannot be created.*setup-postgres\.sh/s);
    await expect(attempt).rejects.not.toThrow(/limited-pass/);
  });

  it("fails with a clear message when the server is unreachable", async () => {
    const attempt = openDatabase({ databaseUrl: "postgres://postgres:secret-pw@127.0.0.1:1/nothing", poolSize: 1, logger });
    await expect(attempt).rejects.toThrow(/cannot connect to the database/);
    await expect(attempt).rejects.not.toThrow(/secret-pw/);
  });
});
