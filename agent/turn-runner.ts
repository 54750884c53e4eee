/**
 * Runs the agent for one conversation: checks that the bot owns it, gathers every inbound message not yet dealt
 * with (a burst becomes one turn), marks the last one read, invokes the graph, and sends the reply through the
 * outbox, unless a newer message arrived meanwhile: then the reply is dropped before it is sent, its exchange is
 * taken out of the history, and the caller runs the turn again with everything. Every turn leaves a trace row.
 */
import { RemoveMessage } from "@langchain/core/messages";
import type pg from "pg";
import { getConversationOwner } from "../handoff/handoff-store.ts";
import type { Logger } from "../lib/logger.ts";
import { type QueueDeps, queueText } from "../outbox/queue-message.ts";
import { parseConfirmationReply } from "../tools/orders/order-actions.ts";
import type { OrderContext, OrderDeps } from "../tools/orders/order-service.ts";
import { createOrderTools } from "../tools/orders/order-tools.ts";
import type { AgentGraph } from "./graph.ts";
import { invokeTurn } from "./invoke-turn.ts";
import type { AgentModel } from "./model/model-port.ts";
import type { TenantProfile } from "./profile.ts";
import { classifyIntent } from "./text/intents.ts";
import {
  insertTurn,
  latestInboundId,
  loadPendingMessages,
  markMessagesHandled,
  type PendingMessage,
  type TurnRecord,
} from "./turn-store.ts";

export type TurnRunnerDeps = {
  pool: pg.Pool;
  graph: AgentGraph;
  model: Pick<AgentModel, "provider" | "model">;
  queue: QueueDeps;
  logger: Logger;
  orders?: OrderDeps | undefined;
  readProfile(tenantId: string): Promise<TenantProfile>;
  /** Marks the customer's message read and shows the typing indicator (WhatsApp's `markRead`). */
  markRead?: ((phoneNumberId: string, wamid: string) => Promise<unknown>) | undefined;
  /**
   * Called with every turn once its row is written: metrics (agent/turn-metrics.ts) and the customer record
   * (language, ERP link, automatic tags). Awaited; a failure is only logged, the turn stands.
   */
  onTurnRecorded?: ((turn: TurnRecord) => Promise<void> | void) | undefined;
};

export type TurnOutcome = { kind: "idle" } | { kind: "sent" | "escalated" | "failed" } | { kind: "stale"; remove: string[] };

export async function runConversationTurn(
  deps: TurnRunnerDeps,
  conv: { tenantId: string; conversationId: string },
  removeFromHistory: string[] = [],
): Promise<TurnOutcome> {
  const { pool } = deps;
  const { owner, botContextSince } = await getConversationOwner(pool, conv.conversationId);
  if (owner !== "bot") return { kind: "idle" };
  const pending = await loadPendingMessages(pool, conv.conversationId, botContextSince);
  const last = pending.at(-1);
  if (!last) return { kind: "idle" };
  const who = await readConversation(pool, conv.conversationId);
  if (deps.markRead && last.wamid && who) {
    deps.markRead(who.phoneNumberId, last.wamid).catch((err: unknown) => deps.logger.debug({ err }, "mark as read failed"));
  }
  const started = performance.now();
  const messageIds = pending.map((m) => m.id);
  const orderContext: OrderContext | null =
    deps.orders && who
      ? { tenantId: conv.tenantId, conversationId: conv.conversationId, customer: { bsuid: who.bsuid, phone: who.waId } }
      : null;
  const text = turnText(pending);
  try {
    const result = await invokeTurn(deps.graph, {
      tenantId: conv.tenantId,
      conversationId: conv.conversationId,
      threadId: `${conv.conversationId}:${botContextSince ? botContextSince.getTime() : 0}`,
      text,
      profile: await deps.readProfile(conv.tenantId),
      tools: deps.orders && orderContext ? createOrderTools(orderContext, deps.orders) : [],
      orderContext,
      buttonReply: parseConfirmationReply(last.payload),
      removeFromHistory: removeFromHistory.map((id) => new RemoveMessage({ id })),
      provider: deps.model,
    });
    const record = {
      ...conv,
      messageIds,
      decision: result.outcome,
      reason: result.reason,
      language: result.language,
      intent: classifyIntent(text),
      reply: result.reply,
      trace: result.trace,
    };
    const escalated = result.outcome === "escalation";
    // A newer message makes this reply stale (an escalation stands: the handoff already exists).
    if (!escalated && (await latestInboundId(pool, conv.conversationId)) !== last.id) {
      await saveTurn(deps, { ...record, status: "stale", durationMs: performance.now() - started });
      return { kind: "stale", remove: result.addedMessageIds };
    }
    const queued = await queueText(deps.queue, {
      tenantId: conv.tenantId,
      conversationId: conv.conversationId,
      idempotencyKey: `agent-reply:${last.id}`,
      source: escalated ? "agent_handoff" : "agent",
      text: result.reply,
    });
    if (!queued.ok) deps.logger.warn({ conversationId: conv.conversationId, code: queued.code }, "agent reply not queued");
    await markMessagesHandled(pool, conv.conversationId, last.id);
    await saveTurn(deps, { ...record, status: escalated ? "escalated" : "replied", durationMs: performance.now() - started });
    return { kind: escalated ? "escalated" : "sent" };
  } catch (err) {
    deps.logger.error({ err, conversationId: conv.conversationId }, "agent turn failed");
    await markMessagesHandled(pool, conv.conversationId, last.id);
    return { kind: "failed" };
  }
}

async function saveTurn(deps: TurnRunnerDeps, turn: TurnRecord): Promise<void> {
  await insertTurn(deps.pool, turn);
  try {
    await deps.onTurnRecorded?.(turn);
  } catch (err) {
    deps.logger.warn({ err, conversationId: turn.conversationId }, "after-turn hook failed");
  }
}

/** The turn's text: each message on its own line; a tapped button or list row reads as its title. */
function turnText(pending: PendingMessage[]): string {
  return pending
    .map((m) => {
      if (m.text) return m.text;
      const interactive = m.payload.interactive as { button_reply?: { title?: string }; list_reply?: { title?: string } } | undefined;
      const button = m.payload.button as { text?: string } | undefined;
      return interactive?.button_reply?.title ?? interactive?.list_reply?.title ?? button?.text ?? `[${m.type}]`;
    })
    .join("\n");
}

async function readConversation(pool: pg.Pool, conversationId: string) {
  const { rows } = await pool.query<{ phone_number_id: string; wa_id: string | null; bsuid: string | null }>(
    "SELECT c.phone_number_id, cu.wa_id, cu.bsuid FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1",
    [conversationId],
  );
  const r = rows[0];
  return r ? { phoneNumberId: r.phone_number_id, waId: r.wa_id, bsuid: r.bsuid } : undefined;
}
