/**
 * Composition root: parse the environment once, open the database, build the services, serve HTTP, and shut
 * down cleanly on SIGINT/SIGTERM. Run with `npm start`.
 */
import { existsSync } from "node:fs";
import { serve } from "@hono/node-server";
import { openDatabase } from "../lib/db.ts";
import { fillDevSecrets } from "../lib/dev-secrets.ts";
import { parseConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { createServices } from "./services.ts";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    console.error(`Invalid configuration:\n  - ${parsed.errors.join("\n  - ")}\nSee .env.example and README.md.`);
    process.exit(1);
  }
  const logger = createLogger(parsed.config.LOG_LEVEL);
  const { config, generated, file } = await fillDevSecrets(parsed.config);
  if (generated.length > 0) logger.info({ generated, file }, "generated development secrets (kept for the next start)");

  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    logger,
  });
  logger.info({ mode: db.mode, location: db.location }, "database open");
  if (db.mode === "embedded" && config.NODE_ENV === "production") {
    logger.warn("running on the embedded database in production: PGlite serializes transactions; set DATABASE_URL");
  }

  const services = await createServices({
    db,
    logger,
    appSecret: config.WHATSAPP_APP_SECRET,
    verifyToken: config.WHATSAPP_VERIFY_TOKEN,
    adminToken: config.ADMIN_TOKEN,
    phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
    whatsapp: { accessToken: config.WHATSAPP_ACCESS_TOKEN, baseUrl: config.WHATSAPP_API_BASE_URL, version: config.WHATSAPP_API_VERSION },
    dataDir: config.DATA_DIR,
    workerConcurrency: config.WORKER_CONCURRENCY,
  });
  services.start();

  const server = serve({ fetch: services.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info(
      {
        url: `http://${config.HOST}:${info.port}`,
        webhook: "/webhooks/whatsapp",
        secretsFile: generated.length || !process.env.ADMIN_TOKEN ? file : undefined,
      },
      "Switchboard is running",
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await services.stop();
    await db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`Switchboard failed to start: ${(err as Error)?.message ?? err}`);
  process.exit(1);
});
