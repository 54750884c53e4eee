import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "./db.ts";
import { isMigrated, loadMigrations, MIGRATIONS_DIR, migrate } from "./migrate.ts";
import { openMemoryDatabase } from "./testing/test-db.ts";

async function tableExists(db: Database, name: string): Promise<boolean> {
  const { rows } = await db.pool.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [`public.${name}`]);
  return rows[0]?.t !== null && rows[0]?.t !== undefined;
}

async function appliedVersions(db: Database): Promise<number[]> {
  const { rows } = await db.pool.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
  return rows.map((r) => r.version);
}

describe("loadMigrations", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sb-migrations-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the repository's migrations/ in numeric order, starting with 001_init.sql", async () => {
    const migrations = await loadMigrations();
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f));
    expect(migrations.map((m) => m.name).sort()).toEqual([...files].sort());
    expect(migrations[0]?.name).toBe("001_init.sql");
    expect(migrations[0]?.version).toBe(1);
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const sql = await readFile(join(MIGRATIONS_DIR, "001_init.sql"), "utf8");
    expect(migrations[0]?.sql).toBe(sql);
    expect(migrations[0]?.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
  });

  it("orders by number, not by name, and ignores files that are not NNN_name.sql", async () => {
    await writeFile(join(dir, "10_ten.sql"), "SELECT 10;");
    await writeFile(join(dir, "2_two.sql"), "SELECT 2;");
    await writeFile(join(dir, "001_one.sql"), "SELECT 1;");
    await writeFile(join(dir, "README.md"), "not a migration");
    await writeFile(join(dir, "003_three.sql.bak"), "SELECT 3;");
    await writeFile(join(dir, "notes.sql"), "SELECT 0;");
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, "001_one.sql"],
      [2, "2_two.sql"],
      [10, "10_ten.sql"],
    ]);
  });

  it("throws when two files share a version number", async () => {
    await writeFile(join(dir, "001_a.sql"), "SELECT 1;");
    await writeFile(join(dir, "002_b.sql"), "SELECT 2;");
    await writeFile(join(dir, "02_c.sql"), "SELECT 3;");
    await expect(loadMigrations(dir)).rejects.toThrow("two migrations share version 2");
  });

  it("returns [] for an empty directory", async () => {
    expect(await loadMigrations(dir)).toEqual([]);
  });
});

describe("migrate", () => {
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    db = await openMemoryDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sb-migrations-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Runs first: the database is empty.
  it("applies 001 on an empty database, returns the names, and then has nothing to do", async () => {
    const all = await loadMigrations();
    expect(await tableExists(db, "tenants")).toBe(false);

    const applied = await migrate(db.pool);
    expect(applied).toEqual(all.map((m) => m.name));
    expect(applied[0]).toBe("001_init.sql");
    expect(await tableExists(db, "tenants")).toBe(true);
    expect(await tableExists(db, "webhook_events")).toBe(true);

    const { rows } = await db.pool.query<{ version: number; name: string; checksum: string }>(
      "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
    );
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));

    expect(await migrate(db.pool)).toEqual([]);
    expect(await isMigrated(db.pool, all)).toBe(true);
  });

  it("isMigrated is false while a known migration is pending", async () => {
    await writeFile(join(dir, "900_pending.sql"), "CREATE TABLE pending_900 (id int);");
    const pending = await loadMigrations(dir);
    expect(await isMigrated(db.pool, [...(await loadMigrations()), ...pending])).toBe(false);
    expect(await migrate(db.pool, pending)).toEqual(["900_pending.sql"]);
    expect(await isMigrated(db.pool, [...(await loadMigrations()), ...pending])).toBe(true);
  });

  it("applies only the pending files of a custom list, in order", async () => {
    await writeFile(join(dir, "101_a.sql"), "CREATE TABLE m101 (id int PRIMARY KEY);");
    expect(await migrate(db.pool, await loadMigrations(dir))).toEqual(["101_a.sql"]);

    // 102 depends on 101's table: it only works if 101 ran first (or already).
    await writeFile(join(dir, "103_c.sql"), "ALTER TABLE m102 ADD COLUMN c int;");
    await writeFile(join(dir, "102_b.sql"), "CREATE TABLE m102 (id int REFERENCES m101 (id));");
    expect(await migrate(db.pool, await loadMigrations(dir))).toEqual(["102_b.sql", "103_c.sql"]);
    expect(await tableExists(db, "m102")).toBe(true);
    expect(await migrate(db.pool, await loadMigrations(dir))).toEqual([]);
  });

  it("refuses to run when an applied migration was changed (forward-only)", async () => {
    const file = join(dir, "201_table.sql");
    await writeFile(file, "CREATE TABLE m201 (id int);");
    expect(await migrate(db.pool, await loadMigrations(dir))).toEqual(["201_table.sql"]);

    await writeFile(file, "CREATE TABLE m201 (id bigint);");
    await writeFile(join(dir, "202_next.sql"), "CREATE TABLE m202 (id int);");
    const before = await appliedVersions(db);
    await expect(migrate(db.pool, await loadMigrations(dir))).rejects.toThrow(
      "migration 201_table.sql was changed after it was applied (migrations are forward-only)",
    );
    // Nothing after the changed file was applied either.
    expect(await tableExists(db, "m202")).toBe(false);
    expect(await appliedVersions(db)).toEqual(before);
  });

  it("rolls back the whole batch when one migration fails", async () => {
    await writeFile(join(dir, "301_ok.sql"), "CREATE TABLE m301 (id int);");
    await writeFile(join(dir, "302_ok.sql"), "CREATE TABLE m302 (id int); INSERT INTO m302 VALUES (1);");
    await writeFile(join(dir, "303_bad.sql"), "CREATE TABLE m303 (id int); SELECT * FROM no_such_table;");
    const before = await appliedVersions(db);

    await expect(migrate(db.pool, await loadMigrations(dir))).rejects.toThrow(/no_such_table/);

    for (const t of ["m301", "m302", "m303"]) expect(await tableExists(db, t)).toBe(false);
    expect(await appliedVersions(db)).toEqual(before);

    // The pool is still usable and a fixed file applies the whole batch.
    await writeFile(join(dir, "303_bad.sql"), "CREATE TABLE m303 (id int);");
    expect(await migrate(db.pool, await loadMigrations(dir))).toEqual(["301_ok.sql", "302_ok.sql", "303_bad.sql"]);
    expect(await tableExists(db, "m303")).toBe(true);
  });

  it("applies a migration exactly once when two migrate() calls run concurrently", async () => {
    await writeFile(
      join(dir, "401_counted.sql"),
      "CREATE TABLE m401 (id int); CREATE TABLE IF NOT EXISTS migration_runs (n int); INSERT INTO migration_runs VALUES (401);",
    );
    const list = await loadMigrations(dir);
    const results = await Promise.all([migrate(db.pool, list), migrate(db.pool, list)]);
    expect(results.flat()).toEqual(["401_counted.sql"]);
    expect([...results].map((r) => r.length).sort()).toEqual([0, 1]);
    const { rows } = await db.pool.query<{ n: number }>("SELECT n FROM migration_runs");
    expect(rows).toEqual([{ n: 401 }]);
    expect((await appliedVersions(db)).filter((v) => v === 401)).toEqual([401]);
  });

  it("two concurrent migrate() calls of the real migrations on a fresh database both resolve", async () => {
    const fresh = await openMemoryDatabase();
    try {
      const results = await Promise.all([migrate(fresh.pool), migrate(fresh.pool)]);
      const all = await loadMigrations();
      expect(results.flat()).toEqual(all.map((m) => m.name));
      expect(await isMigrated(fresh.pool, all)).toBe(true);
      const { rows } = await fresh.pool.query<{ n: string }>("SELECT count(*) AS n FROM schema_migrations");
      expect(Number(rows[0]?.n)).toBe(all.length);
    } finally {
      await fresh.close();
    }
  });
});
