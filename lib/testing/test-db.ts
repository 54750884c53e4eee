/**
 * Databases for tests. Unit tests get a fresh in-memory PGlite (no service needed). Integration tests
 * (`*.int.test.ts`) get a fresh database created on the server at DATABASE_URL and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Database, openDatabase } from "../db.ts";
import { createLogger } from "../logger.ts";

const silent = createLogger("silent");

/** A fresh, empty in-memory embedded database (started from a cached initdb, see `emptyDataDir`). */
export async function openMemoryDatabase(poolSize = 5): Promise<Database> {
  return openDatabase({ poolSize, logger: silent, initialDataDir: await emptyDataDir() });
}

let cached: Promise<Blob | undefined> | undefined;

/**
 * A dump of a freshly initialized PGlite data directory, made once and kept in the OS temp directory for every test
 * process (vitest runs each file in its own process): initdb in WebAssembly costs ~5 s per database, loading the
 * dump ~0.8 s. Keyed by the installed PGlite and pgvector builds; written to a temporary name and renamed, so a
 * concurrent reader never sees half a file. Any failure falls back to initdb.
 */
function emptyDataDir(): Promise<Blob | undefined> {
  cached ??= (async () => {
    try {
      const key = ["@electric-sql/pglite", "@electric-sql/pglite-pgvector"]
        .map((m) => statSync(fileURLToPath(import.meta.resolve(m))))
        .map((s) => `${s.size}-${Math.round(s.mtimeMs)}`)
        .join("-");
      const file = join(tmpdir(), `switchboard-pglite-empty-${key}.tar`);
      try {
        return new Blob([await readFile(file)]);
      } catch {
        const { PGlite } = await import("@electric-sql/pglite");
        const { vector } = await import("@electric-sql/pglite-pgvector");
        const pglite = await PGlite.create({ extensions: { vector } });
        const dump = await pglite.dumpDataDir("none");
        await pglite.close();
        const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
        await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
        await rename(partial, file);
        return dump;
      }
    } catch {
      return undefined;
    }
  })();
  return cached;
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
