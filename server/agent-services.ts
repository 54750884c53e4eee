/**
 * Builds the agent from the running services: the model provider chosen by config (`openai` with an API key,
 * `offline` otherwise), knowledge search across languages, the order tools' dependencies, the outbox, and
 * WhatsApp's mark-as-read. The demo help center is seeded for the default tenant on first start.
 */

import type pg from "pg";
import { type Agent, createAgent } from "../agent/agent.ts";
import { seedDemoKnowledgeIfEmpty } from "../agent/demo-knowledge.ts";
import type { AgentModel } from "../agent/model/model-port.ts";
import { createOfflineAgentModel } from "../agent/model/offline-model.ts";
import { createOpenAIAgentModel } from "../agent/model/openai-model.ts";
import { observeTurn } from "../agent/turn-metrics.ts";
import type { TurnRecord } from "../agent/turn-store.ts";
import type { Ingestor } from "../knowledge/ingest/ingestor.ts";
import { type QueryTranslator, searchAcrossLanguages } from "../knowledge/store/cross-language.ts";
import type { Embedder } from "../knowledge/types.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "../lib/metrics.ts";
import type { QueueDeps } from "../outbox/queue-message.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";
import type { OrderDeps } from "../tools/orders/order-service.ts";
import type { WhatsAppClient } from "../whatsapp/cloud-api/client.ts";

export type AgentServiceOptions = {
  /** Default 2000 ms; 0 in tests and benchmarks. */
  burstWindowMs?: number;
  /** Replaces the provider chosen from config (tests: a scripted chat model). */
  model?: AgentModel;
  /** Load the demo help center for the default tenant when it has no documents (default true). */
  seedDemoKnowledge?: boolean;
  modelTimeoutMs?: number;
};

export async function createAgentServices(deps: {
  pool: pg.Pool;
  logger: Logger;
  embedder: Embedder;
  ingestor: Ingestor;
  translator: QueryTranslator | undefined;
  queue: QueueDeps;
  orders: OrderDeps;
  client: WhatsAppClient;
  openai?: { apiKey?: string | undefined; baseUrl?: string | undefined; chatModel?: string | undefined } | undefined;
  options: AgentServiceOptions;
  /** Keeps the customer record current after each turn (customers/customer-activity.ts). */
  afterTurn?: ((turn: TurnRecord) => Promise<void>) | undefined;
  metrics?: Metrics | undefined;
}): Promise<Agent> {
  const { openai, options, metrics } = deps;
  const model =
    options.model ??
    (openai?.apiKey
      ? createOpenAIAgentModel({ apiKey: openai.apiKey, baseUrl: openai.baseUrl, model: openai.chatModel ?? "gpt-4o-mini" })
      : createOfflineAgentModel());
  if (options.seedDemoKnowledge !== false && (await seedDemoKnowledgeIfEmpty(deps.pool, DEFAULT_TENANT_ID)) > 0) {
    deps.ingestor.wake();
    deps.logger.info("demo help center queued for ingestion for the default tenant");
  }
  deps.logger.info({ provider: model.provider, model: model.model }, "agent ready");
  return createAgent({
    pool: deps.pool,
    logger: deps.logger,
    model,
    search: (q) =>
      searchAcrossLanguages(deps.pool, deps.embedder, deps.translator, {
        tenantId: q.tenantId,
        query: q.query,
        k: q.k,
        language: q.language,
      }),
    queue: deps.queue,
    orders: deps.orders,
    markRead: (phoneNumberId, wamid) => deps.client.markRead(phoneNumberId, wamid, { typing: true }),
    burstWindowMs: options.burstWindowMs,
    modelTimeoutMs: options.modelTimeoutMs,
    onTurnRecorded: async (turn) => {
      if (metrics) observeTurn(metrics, turn);
      await deps.afterTurn?.(turn);
    },
  });
}
