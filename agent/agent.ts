/**
 * The agent (issue 6): owns turning inbound customer messages into replies or hand-offs. `createAgent` builds the
 * graph (checkpointed with PostgresSaver, one statement per checkpoint, on the shared pool, its tables in the `agent_checkpoints` schema), and
 * returns the `ConversationHandler` the inbound processor calls. The handler only schedules: messages of one
 * conversation that arrive within `burstWindowMs` of each other form one turn, and a message that arrives while a
 * turn runs makes that turn's reply stale and the turn run again with everything.
 */

import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type pg from "pg";
import type { ConversationHandler } from "../conversations/inbound-processor.ts";
import { createHandoff } from "../handoff/handoff-store.ts";
import type { Logger } from "../lib/logger.ts";
import type { QueueDeps } from "../outbox/queue-message.ts";
import type { OrderDeps } from "../tools/orders/order-service.ts";
import { BatchedPostgresSaver } from "./checkpoint-saver.ts";
import { type AgentGraph, compileAgentGraph } from "./graph.ts";
import type { AgentModel } from "./model/model-port.ts";
import type { HandoffPort } from "./nodes/escalate.ts";
import type { SearchFn } from "./nodes/retrieve.ts";
import { readTenantProfile, type TenantProfile } from "./profile.ts";
import { runConversationTurn, type TurnOutcome, type TurnRunnerDeps } from "./turn-runner.ts";
import { findUnansweredConversations } from "./turn-store.ts";

export const CHECKPOINT_SCHEMA = "agent_checkpoints";

export type AgentOptions = {
  pool: pg.Pool;
  logger: Logger;
  model: AgentModel;
  search: SearchFn;
  queue: QueueDeps;
  orders?: OrderDeps | undefined;
  /** Default: the handoff queue (handoff/handoff-store.ts). */
  handoff?: HandoffPort;
  /** Default: PostgresSaver on `pool` in the agent_checkpoints schema. */
  checkpointer?: BaseCheckpointSaver;
  markRead?: ((phoneNumberId: string, wamid: string) => Promise<unknown>) | undefined;
  /** Messages closer together than this form one turn; default 2000 ms, 0 in tests and benchmarks. */
  burstWindowMs?: number;
  modelTimeoutMs?: number;
  /** Called with every turn once recorded (the server counts them for GET /metrics). */
  onTurnRecorded?: TurnRunnerDeps["onTurnRecorded"];
};

export type Agent = {
  handler: ConversationHandler;
  graph: AgentGraph;
  /** Schedules turns for bot-owned conversations with unanswered messages of the last 30 minutes (after a restart). */
  recover(): Promise<number>;
  /** Resolves when no turn is waiting or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

type Slot = { tenantId: string; timer: NodeJS.Timeout | undefined; running: boolean; dirty: boolean };

export async function createAgent(opts: AgentOptions): Promise<Agent> {
  let checkpointer = opts.checkpointer;
  if (!checkpointer) {
    const saver = new BatchedPostgresSaver(opts.pool, CHECKPOINT_SCHEMA);
    await saver.setup();
    checkpointer = saver;
  }
  const handoff = opts.handoff ?? { createHandoff: (input) => createHandoff(opts.pool, input) };
  const graph = compileAgentGraph(
    { model: opts.model, search: opts.search, handoff, orders: opts.orders, modelTimeoutMs: opts.modelTimeoutMs },
    checkpointer,
  );
  const profiles = new Map<string, { profile: TenantProfile; at: number }>();
  const runnerDeps = {
    pool: opts.pool,
    graph,
    model: opts.model,
    queue: opts.queue,
    logger: opts.logger,
    orders: opts.orders,
    markRead: opts.markRead,
    onTurnRecorded: opts.onTurnRecorded,
    async readProfile(tenantId: string) {
      const hit = profiles.get(tenantId);
      if (hit && Date.now() - hit.at < 5_000) return hit.profile;
      const profile = await readTenantProfile(opts.pool, tenantId);
      profiles.set(tenantId, { profile, at: Date.now() });
      return profile;
    },
  };
  const windowMs = opts.burstWindowMs ?? 2_000;
  const slots = new Map<string, Slot>();
  let stopped = false;

  function schedule(tenantId: string, conversationId: string): void {
    if (stopped) return;
    let slot = slots.get(conversationId);
    if (!slot) {
      slot = { tenantId, timer: undefined, running: false, dirty: false };
      slots.set(conversationId, slot);
    }
    if (slot.running) {
      slot.dirty = true;
      return;
    }
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => void run(conversationId, slot), windowMs);
  }

  async function run(conversationId: string, slot: Slot): Promise<void> {
    slot.timer = undefined;
    slot.running = true;
    let remove: string[] = [];
    try {
      for (let round = 0; round < 10 && !stopped; round++) {
        slot.dirty = false;
        const outcome: TurnOutcome = await runConversationTurn(runnerDeps, { tenantId: slot.tenantId, conversationId }, remove);
        remove = outcome.kind === "stale" ? outcome.remove : [];
        if (outcome.kind !== "stale" && !slot.dirty) break;
      }
    } catch (err) {
      opts.logger.error({ err, conversationId }, "agent turn crashed");
    } finally {
      slot.running = false;
      if (slot.dirty && !stopped) {
        slot.dirty = false;
        schedule(slot.tenantId, conversationId);
      } else if (!slot.timer) {
        slots.delete(conversationId);
      }
    }
  }

  return {
    handler: { handleInbound: async (m) => schedule(m.tenantId, m.conversationId) },
    graph,
    async recover() {
      const open = await findUnansweredConversations(opts.pool, 30);
      for (const c of open) schedule(c.tenantId, c.conversationId);
      return open.length;
    },
    async idle() {
      while (slots.size > 0) await new Promise((r) => setTimeout(r, 2));
    },
    async stop() {
      stopped = true;
      for (const slot of slots.values()) clearTimeout(slot.timer);
      while ([...slots.values()].some((s) => s.running)) await new Promise((r) => setTimeout(r, 5));
      slots.clear();
    },
  };
}
