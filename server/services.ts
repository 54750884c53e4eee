/**
 * Wires the running system from an open database: migrations, the default tenant, the durable inbox and its
 * worker, the outbox sender, the media downloader, the WhatsApp client (the Graph API, or the built-in sandbox
 * when no access token is configured) and the HTTP app. `main.ts` calls it with the parsed config; tests call it
 * with an in-memory database.
 */
import { join } from "node:path";
import type { Agent } from "../agent/agent.ts";
import { type CampaignRunner, createCampaignRunner } from "../campaigns/campaign-runner.ts";
import { createPostResolutionPolicy } from "../campaigns/post-resolution.ts";
import { withWelcome } from "../campaigns/welcome.ts";
import { type ConversationHandler, createInboundProcessor, recordOnlyHandler } from "../conversations/inbound-processor.ts";
import { type CustomerActivity, createCustomerActivity } from "../customers/customer-activity.ts";
import { handoffEvents } from "../handoff/handoff-events.ts";
import { withHandoffRules } from "../handoff/handoff-inbound.ts";
import { createOpenAIMessageTranslator } from "../handoff/message-translator.ts";
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { createOpenAIEmbedder } from "../knowledge/embed/openai-embedder.ts";
import { createIngestor, type Ingestor } from "../knowledge/ingest/ingestor.ts";
import { createOpenAITranslator } from "../knowledge/store/openai-translator.ts";
import type { ChunkOptions, Embedder } from "../knowledge/types.ts";
import type { Database } from "../lib/db.ts";
import type { Logger } from "../lib/logger.ts";
import { createMetrics } from "../lib/metrics.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import type { QueueDeps } from "../outbox/queue-message.ts";
import { createSender, type Sender } from "../outbox/sender.ts";
import { createRetentionJob, type RetentionJob } from "../privacy/retention-job.ts";
import { readQueueStats } from "../reports/queue-stats.ts";
import { createSandbox, type Sandbox } from "../sandbox/index.ts";
import { DEFAULT_TENANT_ID, ensureDefaultTenant } from "../tenants/tenant-store.ts";
import { generateDemoStore } from "../tools/orders/demo/demo-seed.ts";
import { seedDemoStoreIfEmpty } from "../tools/orders/demo/demo-store.ts";
import { createOrderBackends, type OrderBackends } from "../tools/orders/order-backends.ts";
import type { OrderDeps } from "../tools/orders/order-service.ts";
import { createResilience } from "../tools/resilience.ts";
import type { WhatsAppClient } from "../whatsapp/cloud-api/client.ts";
import { createGraphClient } from "../whatsapp/cloud-api/graph-client.ts";
import { createEventStore, type EventStore } from "../whatsapp/event-store.ts";
import { createEventWorker, type EventWorker } from "../whatsapp/event-worker.ts";
import { createMediaDownloader, type MediaDownloader } from "../whatsapp/media/media-downloader.ts";
import { createMemoryMediaStorage } from "../whatsapp/media/media-storage.fake.ts";
import { createLocalMediaStorage, type MediaStorage } from "../whatsapp/media/media-storage.ts";
import { type AgentServiceOptions, createAgentServices } from "./agent-services.ts";
import { createApp } from "./app.ts";

export type ServiceOptions = {
  db: Database;
  logger: Logger;
  appSecret: string;
  verifyToken: string;
  adminToken: string;
  phoneNumberId: string;
  /** Unset: the built-in sandbox stands in for Meta's Graph API. */
  whatsapp?: { accessToken?: string | undefined; baseUrl: string; version: string };
  /** Where media files go (DATA_DIR); unset keeps them in memory (tests). */
  dataDir?: string | undefined;
  workerConcurrency?: number;
  handler?: ConversationHandler;
  /** OpenAI-compatible models; without an API key everything runs offline. */
  openai?: {
    apiKey?: string | undefined;
    baseUrl?: string | undefined;
    embeddingModel?: string | undefined;
    chatModel?: string | undefined;
  };
  /** Replaces the embedder (tests). */
  embedder?: Embedder;
  kbMaxUploadBytes?: number;
  /** Chunk size and overlap in tokens; default DEFAULT_CHUNK_OPTIONS. */
  kbChunkOptions?: ChunkOptions;
  /** Replaces the WhatsApp client (tests). */
  client?: WhatsAppClient;
  /** Delays of the sandbox's sent/delivered/read status webhooks; tests use 0. */
  sandboxStatusDelaysMs?: { sent: number; delivered: number; read: number | null };
  worker?: { leaseMs?: number; pollMs?: number; maxAttempts?: number; backoffMs?: (n: number) => number };
  sender?: { idlePollMs?: number; pacing?: { burst: number; intervalMs: number } };
  /** Order tools: where `{env: NAME}` secrets of ERP integrations are read, and whether to seed the demo store. */
  erp?: { secretEnv?: Record<string, string | undefined>; seedDemo?: boolean; fetch?: typeof fetch };
  /** Human handoff: handoffs waiting longer than this without a human reply are flagged (default 5). */
  handoff?: { waitAlertMinutes?: number };
  /** The AI agent answers inbound messages (unless `handler` is given); unset: messages are only recorded. */
  agent?: AgentServiceOptions;
  /** Campaigns and follow-ups: the clock (tests move it) and how often the job polls. */
  campaigns?: { now?: () => Date; pollMs?: number; followUpEveryMs?: number };
};

export type Services = {
  app: ReturnType<typeof createApp>;
  store: EventStore;
  worker: EventWorker;
  sender: Sender;
  media: MediaDownloader;
  queue: QueueDeps;
  sandbox: Sandbox | undefined;
  /** Present when the agent answers inbound messages. */
  agent: Agent | undefined;
  /** Customer records and automatic tags, kept current after turns and handoff changes. */
  customers: CustomerActivity;
  embedder: Embedder;
  ingestor: Ingestor;
  campaigns: CampaignRunner;
  /** What the agent passes to `createOrderTools(ctx, orders)` and `confirmPendingAction(orders, ...)`. */
  orders: OrderDeps & { backends: OrderBackends };
  /** Where media files are kept (erasure and retention delete from it). */
  storage: MediaStorage;
  /** The daily retention job (privacy/retention-job.ts). */
  retention: RetentionJob;
  /** Starts the background loops (worker, sender, media downloads). */
  start(): void;
  /** Stops the loops and waits for pending commits and sends; the caller closes the database. */
  stop(): Promise<void>;
};

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const { db, logger } = opts;
  const migrations = await loadMigrations();
  const applied = await migrate(db.pool, migrations);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");
  await ensureDefaultTenant(db.pool, opts.phoneNumberId);
  // The demo ERP gets a generated store on first start so the order tools have something real to answer about.
  if (opts.erp?.seedDemo !== false && (await seedDemoStoreIfEmpty(db.pool, DEFAULT_TENANT_ID, () => generateDemoStore()))) {
    logger.info("demo ERP store seeded for the default tenant (customers write from 1555010NNNN)");
  }
  const metrics = createMetrics({ readQueues: () => readQueueStats(db.pool) });

  // The sandbox calls back into the app (status webhooks) and the client calls the sandbox over "HTTP" served
  // in-process, so both go through the app once it exists.
  let app: ReturnType<typeof createApp> | undefined;
  const inProcessFetch: typeof fetch = (input, init) => {
    if (!app) throw new Error("app not ready");
    return Promise.resolve(app.fetch(new Request(input, init)));
  };
  const accessToken = opts.whatsapp?.accessToken;
  const sandbox = accessToken
    ? undefined
    : createSandbox({
        pool: db.pool,
        appSecret: opts.appSecret,
        phoneNumberId: opts.phoneNumberId,
        statusDelaysMs: opts.sandboxStatusDelaysMs,
        deliverWebhook: async (raw, headers) => {
          const res = await inProcessFetch("http://sandbox.local/webhooks/whatsapp", { method: "POST", body: raw, headers });
          return { status: res.status };
        },
      });
  const client =
    opts.client ??
    (sandbox
      ? createGraphClient({
          baseUrl: "http://sandbox.local/sandbox/graph",
          version: opts.whatsapp?.version ?? "v23.0",
          accessToken: sandbox.token,
          fetch: inProcessFetch,
        })
      : createGraphClient({
          baseUrl: opts.whatsapp?.baseUrl ?? "https://graph.facebook.com",
          version: opts.whatsapp?.version ?? "v23.0",
          accessToken: accessToken as string,
        }));

  const sender = createSender({ pool: db.pool, client, logger, metrics, ...opts.sender });
  const queue: QueueDeps = { pool: db.pool, onQueued: () => sender.wake() };
  const storage: MediaStorage = opts.dataDir ? createLocalMediaStorage(join(opts.dataDir, "media")) : createMemoryMediaStorage();
  const media = createMediaDownloader({ pool: db.pool, client, storage, logger });
  // The agent is built below (it needs the embedder and the order tools); messages reach it through this forwarder.
  let agent: Agent | undefined;
  const agentHandler: ConversationHandler = { handleInbound: async (m) => agent?.handler.handleInbound(m) };
  const process = createInboundProcessor({
    pool: db.pool,
    // Handoff rules first: while a human owns the conversation the bot is not called at all. The welcome
    // automation wraps them all, so a first contact's welcome is queued before any reply.
    handler: withWelcome(
      withHandoffRules(opts.handler ?? (opts.agent ? agentHandler : recordOnlyHandler), { pool: db.pool, events: handoffEvents }),
      { queue, logger },
    ),
    logger,
    queue,
    onMediaQueued: () => void media.runOnce().catch((err: unknown) => logger.warn({ err }, "media download run failed")),
  });
  const embedder =
    opts.embedder ??
    (opts.openai?.apiKey
      ? createOpenAIEmbedder({
          apiKey: opts.openai.apiKey,
          baseUrl: opts.openai.baseUrl,
          model: opts.openai.embeddingModel ?? "text-embedding-3-small",
        })
      : createOfflineEmbedder());
  const ingestor = createIngestor({
    pool: db.pool,
    embedder,
    logger,
    ...(opts.kbChunkOptions ? { chunkOptions: opts.kbChunkOptions } : {}),
  });
  const secretEnv = opts.erp?.secretEnv ?? {};
  const backends = createOrderBackends({
    pool: db.pool,
    resilience: createResilience({ logger }),
    secretEnv,
    logger,
    ...(opts.erp?.fetch ? { fetch: opts.erp.fetch } : {}),
  });
  const orders = { pool: db.pool, orders: backends.orders, shipments: backends.shipments, queue, logger, backends };
  const customers = createCustomerActivity({ pool: db.pool, logger, erp: backends.orders, events: handoffEvents });
  const translator = opts.openai?.apiKey
    ? createOpenAITranslator({ apiKey: opts.openai.apiKey, baseUrl: opts.openai.baseUrl, model: opts.openai.chatModel ?? "gpt-4o-mini" })
    : undefined;
  if (opts.agent) {
    agent = await createAgentServices({
      pool: db.pool,
      logger,
      embedder,
      ingestor,
      translator,
      queue,
      orders,
      client,
      openai: opts.openai,
      options: opts.agent,
      afterTurn: (turn) => customers.afterTurn(turn),
      metrics,
    });
  }
  const retention = createRetentionJob({ pool: db.pool, storage, logger });
  const campaigns = createCampaignRunner({ queue, logger, ...opts.campaigns });
  const worker = createEventWorker({ pool: db.pool, process, logger, concurrency: opts.workerConcurrency ?? 8, ...opts.worker });
  const store = createEventStore(db.pool, { onStored: () => worker.wake() });
  app = createApp({
    logger,
    pool: db.pool,
    migrations,
    store,
    metrics,
    sandbox,
    customers,
    knowledge: {
      pool: db.pool,
      embedder,
      ingestor,
      maxUploadBytes: opts.kbMaxUploadBytes ?? 25 * 1024 * 1024,
      translator,
    },
    integrations: { pool: db.pool, secretEnv, onChange: (tenantId) => backends.invalidate(tenantId) },
    handoff: {
      pool: db.pool,
      queue,
      events: handoffEvents,
      orders,
      waitAlertSeconds: (opts.handoff?.waitAlertMinutes ?? 5) * 60,
      afterResolution: createPostResolutionPolicy({ queue }),
      translator: opts.openai?.apiKey
        ? createOpenAIMessageTranslator({
            apiKey: opts.openai.apiKey,
            baseUrl: opts.openai.baseUrl,
            model: opts.openai.chatModel ?? "gpt-4o-mini",
          })
        : undefined,
    },
    privacy: { pool: db.pool, storage, logger, retention },
    campaignRunner: campaigns,
    appSecret: opts.appSecret,
    verifyToken: opts.verifyToken,
    adminToken: opts.adminToken,
  });
  return {
    app,
    store,
    worker,
    sender,
    media,
    queue,
    sandbox,
    embedder,
    ingestor,
    campaigns,
    orders,
    agent,
    customers,
    storage,
    retention,
    start() {
      worker.start();
      sender.start();
      media.start();
      ingestor.start();
      customers.start();
      retention.start();
      campaigns.start();
      agent?.recover().catch((err: unknown) => logger.warn({ err }, "agent recovery failed"));
    },
    async stop() {
      await store.drain();
      await campaigns.stop();
      await worker.stop();
      await agent?.stop();
      await customers.stop();
      await sender.stop();
      await media.stop();
      await ingestor.stop();
      await retention.stop();
      sandbox?.close();
    },
  };
}
