/** `npm run db:migrate`: applies pending migrations to the configured database (embedded or DATABASE_URL). */
import { existsSync } from "node:fs";
import { openDatabase } from "../lib/db.ts";
import { parseConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { migrate } from "../lib/migrate.ts";

if (existsSync(".env")) process.loadEnvFile(".env");
const parsed = parseConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV === "production" ? "development" : process.env.NODE_ENV });
if (!parsed.ok) {
  console.error(`Invalid configuration:\n  - ${parsed.errors.join("\n  - ")}`);
  process.exit(1);
}
const logger = createLogger(parsed.config.LOG_LEVEL);
try {
  const db = await openDatabase({ databaseUrl: parsed.config.DATABASE_URL, dataDir: parsed.config.DATA_DIR, poolSize: 2, logger });
  try {
    const applied = await migrate(db.pool);
    console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "already up to date");
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
