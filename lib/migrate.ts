/**
 * Forward-only migrations: numbered `.sql` files in `migrations/` (`001_init.sql`, `002_...`). All pending files run
 * in one transaction under a transaction-scoped advisory lock, so two instances starting together apply each file
 * exactly once (the second waits, then finds nothing to do). A changed file that was already applied is an error.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { withTransaction } from "./db.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));
// Any fixed 64-bit number; it only has to differ from other advisory locks this app takes.
const LOCK_KEY = "7361626f61726431";

export type Migration = { version: number; name: string; sql: string; checksum: string };

/** Reads `NNN_name.sql` files in version order. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f));
  const migrations = await Promise.all(
    files.map(async (file) => {
      const sql = await readFile(join(dir, file), "utf8");
      return {
        version: Number(file.split("_")[0]),
        name: file,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    }),
  );
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new Error(`two migrations share version ${migrations[i]?.version}`);
    }
  }
  return migrations;
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(pool: pg.Pool, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(x'${LOCK_KEY}'::bigint)`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      "SELECT version, name, checksum FROM schema_migrations",
    );
    const applied = new Map(rows.map((r) => [r.version, r]));
    const done: string[] = [];
    for (const m of all) {
      const prior = applied.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied (migrations are forward-only)`);
        }
        continue;
      }
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [m.version, m.name, m.checksum]);
      done.push(m.name);
    }
    return done;
  });
}

/** True when every known migration has been applied (used by /readyz). */
export async function isMigrated(pool: pg.Pool, migrations: Migration[]): Promise<boolean> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM schema_migrations WHERE version = ANY($1::int[])", [
    migrations.map((m) => m.version),
  ]);
  return Number(rows[0]?.n) === migrations.length;
}
