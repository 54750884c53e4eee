/**
 * Composition root: parse the environment once, open the database, build the services, serve HTTP, and shut
 * down cleanly on SIGINT/SIGTERM. Run with `npm start`.
 */
import { existsSync } from "node:fs";
import { serve } from "@hono/node-server";
import { openDatabase } from "../lib/db.ts";
import { fillDevSecrets } from "../lib/dev-secrets.ts";
import { GENERATED_SECRETS, parseConfig } from "../lib/env.ts";
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
  const secretsFromFile = GENERATED_SECRETS.some((k) => !parsed.config[k]);
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
    openai: {
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      embeddingModel: config.EMBEDDING_MODEL,
      chatModel: config.LLM_MODEL,
    },
    kbMaxUploadBytes: config.KB_MAX_UPLOAD_BYTES,
    kbChunkOptions: { maxTokens: config.KB_CHUNK_MAX_TOKENS, overlapTokens: config.KB_CHUNK_OVERLAP_TOKENS },
    workerConcurrency: config.WORKER_CONCURRENCY,
    // ERP integrations name their secrets by env var (never stored); they are read from here at call time.
    erp: { secretEnv: process.env },
    agent: { burstWindowMs: config.AGENT_BURST_WINDOW_MS },
    handoff: { waitAlertMinutes: config.HANDOFF_WAIT_ALERT_MINUTES },
  });
  services.start();

  const server = serve({ fetch: services.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const url = `http://${config.HOST}:${info.port}`;
    const mode = services.sandbox ? "sandbox (no WHATSAPP_ACCESS_TOKEN: nothing leaves this machine)" : "WhatsApp Cloud API";
    logger.info(
      { url, webhook: "/webhooks/whatsapp", whatsapp: mode, secretsFile: secretsFromFile ? file : undefined },
      "Switchboard is running",
    );
    if (config.NODE_ENV !== "production") {
      console.log(
        [
          "",
          `  Switchboard is running at ${url}`,
          services.sandbox
            ? `  Customer simulator:  ${url}/simulator`
            : `  WhatsApp:            Cloud API, number ${config.WHATSAPP_PHONE_NUMBER_ID}`,
          `  Webhook:             ${url}/webhooks/whatsapp`,
          `  API docs:            ${url}/openapi.json`,
          secretsFromFile
            ? `  Admin token, secrets: ${file}${generated.length ? " (generated now)" : ""}`
            : "  Secrets:             from the environment",
          `  Database:            ${db.mode === "embedded" ? `embedded PGlite in ${db.location}` : db.location}`,
          "",
        ].join("\n"),
      );
    }
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
