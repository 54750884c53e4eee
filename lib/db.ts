/**
 * One `pg.Pool` for the whole process, whichever database is behind it:
 * - embedded (no DATABASE_URL): PGlite (Postgres 18 + pgvector in WASM) with its data in DATA_DIR, served on a
 *   local socket by @electric-sql/pglite-socket so every module speaks the same `pg` protocol as in production;
 * - server (DATABASE_URL): any Postgres >= 15 with the pgvector extension.
 * PGlite runs one backend session and serializes transactions: it is for laptops and tests, not production load.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import pg from "pg";
import { AppError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { maskPii } from "./mask.ts";

export type Database = {
  pool: pg.Pool;
  mode: "embedded" | "server";
  /** Where the data lives: the DATA_DIR path, "memory", or the server URL without credentials. */
  location: string;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; `undefined` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /**
   * In memory only: start from this dump of a data directory (PGlite's `dumpDataDir`) instead of running initdb,
   * which takes ~5 s in WebAssembly against ~0.8 s to load a dump (lib/testing/test-db.ts keeps one for tests).
   */
  initialDataDir?: Blob | undefined;
  poolSize: number;
  logger: Logger;
};

/**
 * PGlite has ONE backend session, and pglite-socket multiplexes connections onto it message by message. Two
 * connections running extended-protocol queries at once can interleave Parse/Bind messages on that session
 * ("bind message supplies 3 parameters, but prepared statement requires 2", seen here with large payloads).
 * So the pool holds a single connection: PGlite runs one statement at a time anyway, and queries queue in the
 * pool instead of inside the socket server. The server allows one spare connection for reconnects.
 */
const EMBEDDED_POOL_SIZE = 1;
const EMBEDDED_MAX_CONNECTIONS = 2;
const MIN_SERVER_VERSION = 150000;

/** Opens the database described by the options and checks that pgvector is available. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const db = opts.databaseUrl ? openServer(opts.databaseUrl, opts) : await openEmbedded(opts);
  try {
    await checkServer(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

function openServer(url: string, opts: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  attachPoolErrorHandler(pool, opts.logger);
  return { pool, mode: "server", location: redactUrl(url), close: () => pool.end() };
}

async function openEmbedded(opts: DatabaseOptions): Promise<Database> {
  const [{ PGlite }, { vector }, { PGLiteSocketServer }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-pgvector"),
    import("@electric-sql/pglite-socket"),
  ]);
  let dataDir: string | undefined;
  if (opts.dataDir) {
    dataDir = resolve(join(opts.dataDir, "pglite"));
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : opts.initialDataDir ? { loadDataDir: opts.initialDataDir } : {}),
    extensions: { vector },
  });
  // Loopback TCP on an ephemeral port: Unix socket paths are capped at ~107 bytes, which a deep DATA_DIR exceeds.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: EMBEDDED_MAX_CONNECTIONS });
  await server.start();
  const [host, port] = server.getServerConn().split(":");
  const pool = new pg.Pool({
    host,
    port: Number(port),
    user: "postgres",
    password: "postgres",
    database: "postgres",
    max: EMBEDDED_POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 0,
  });
  attachPoolErrorHandler(pool, opts.logger);
  let closed = false;
  return {
    pool,
    mode: "embedded",
    location: dataDir ?? "memory",
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await server.stop();
      await pglite.close();
    },
  };
}

// Without an 'error' listener a dropped idle client emits an unhandled error and crashes the process.
function attachPoolErrorHandler(pool: pg.Pool, logger: Logger): void {
  pool.on("error", (err) => logger.error({ err }, "database connection error (idle client dropped)"));
}

async function checkServer(db: Database): Promise<void> {
  let version: number;
  try {
    const { rows } = await db.pool.query<{ v: string }>("SHOW server_version_num");
    version = Number(rows[0]?.v);
  } catch (err) {
    throw new AppError("unavailable", `cannot connect to the database at ${db.location}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (version < MIN_SERVER_VERSION) {
    throw new AppError("internal", `PostgreSQL ${Math.floor(version / 10000)} is too old: Switchboard needs 15 or newer`);
  }
  try {
    await db.pool.query("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (err) {
    throw new AppError(
      "internal",
      `the pgvector extension cannot be created on ${db.location} (${(err as Error).message}). ` +
        "Install pgvector on the server (on Debian/Ubuntu: sudo scripts/setup-postgres.sh) or ask your provider to enable it, " +
        "or unset DATABASE_URL to use the embedded database.",
      { cause: err },
    );
  }
}

/** Removes the password from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return maskPii(u.toString());
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** Runs `fn` in a transaction on one client; rolls back on error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
