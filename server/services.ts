/**
 * Wires the running system from an open database: migrations, the default tenant, the durable inbox, the worker
 * and the HTTP app. `main.ts` calls it with the parsed config; tests call it with an in-memory database.
 */
import { type ConversationHandler, createInboundProcessor, recordOnlyHandler } from "../conversations/inbound-processor.ts";
import type { Database } from "../lib/db.ts";
import type { Logger } from "../lib/logger.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { ensureDefaultTenant } from "../tenants/tenant-store.ts";
import { createEventStore, type EventStore } from "../whatsapp/event-store.ts";
import { createEventWorker, type EventWorker } from "../whatsapp/event-worker.ts";
import { createApp } from "./app.ts";

export type ServiceOptions = {
  db: Database;
  logger: Logger;
  appSecret: string;
  verifyToken: string;
  adminToken: string;
  phoneNumberId: string;
  workerConcurrency?: number;
  handler?: ConversationHandler;
  /** Worker tuning for tests. */
  worker?: { leaseMs?: number; pollMs?: number; maxAttempts?: number; backoffMs?: (n: number) => number };
};

export type Services = {
  app: ReturnType<typeof createApp>;
  store: EventStore;
  worker: EventWorker;
  /** Stops the worker and waits for pending commits; the caller closes the database. */
  stop(): Promise<void>;
};

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const { db, logger } = opts;
  const migrations = await loadMigrations();
  const applied = await migrate(db.pool, migrations);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");
  await ensureDefaultTenant(db.pool, opts.phoneNumberId);

  const process = createInboundProcessor({ pool: db.pool, handler: opts.handler ?? recordOnlyHandler, logger });
  const worker = createEventWorker({
    pool: db.pool,
    process,
    logger,
    concurrency: opts.workerConcurrency ?? 8,
    ...opts.worker,
  });
  const store = createEventStore(db.pool, { onStored: () => worker.wake() });
  const app = createApp({
    logger,
    pool: db.pool,
    migrations,
    store,
    appSecret: opts.appSecret,
    verifyToken: opts.verifyToken,
    adminToken: opts.adminToken,
  });
  return {
    app,
    store,
    worker,
    async stop() {
      await store.drain();
      await worker.stop();
    },
  };
}
