/**
 * The three writes (cancel, change address, return), in two steps. `propose*` checks ownership and the state rule,
 * records a pending action with its own idempotency key and sends the customer a Yes/No button message; nothing
 * changes. `confirmPendingAction` (called by the agent when the customer taps Yes or says yes) executes it at most
 * once; `rejectPendingAction` drops it. Every step is written to `order_audit`.
 */
import { randomUUID } from "node:crypto";
import { withTransaction } from "../../lib/db.ts";
import { queueMessage } from "../../outbox/queue-message.ts";
import {
  actorOf,
  describeOrder,
  type Failure,
  findOwnedOrder,
  ORDER_NOT_FOUND,
  type OrderContext,
  type OrderDeps,
  resolveCustomer,
  unavailableFailure,
} from "./order-service.ts";
import { createPendingAction, lockPendingAction, type PendingAction, recordAudit, setPendingStatus } from "./order-store.ts";
import { type Address, ALLOWED_STATUS, checkReturnItems, type Order, type WriteResult } from "./ports.ts";

export type ProposeInput =
  | { kind: "cancel_order"; orderId: string; reason: string }
  | { kind: "update_shipping_address"; orderId: string; address: Address }
  | { kind: "request_return"; orderId: string; itemIds: string[]; reason: string };

export type Proposal = {
  ok: true;
  pending_action_id: string;
  summary: string;
  /** `buttons_sent`: the customer got Yes/No buttons; `ask_in_text`: ask them to answer yes or no. */
  confirmation: "buttons_sent" | "ask_in_text";
  message: string;
};

const CAPABILITY = {
  cancel_order: "cancelOrder",
  update_shipping_address: "updateShippingAddress",
  request_return: "requestReturn",
} as const;
const BUTTON_ID = /^order_action:(\d{1,18}):(yes|no)$/;

/** Step 1 of a write: checks, records the pending action and asks the customer. Changes nothing in the ERP. */
export async function proposeAction(deps: OrderDeps, ctx: OrderContext, input: ProposeInput): Promise<Proposal | Failure> {
  const who = await resolveCustomer(deps, ctx);
  if (!who.ok) return who;
  const found = await findOwnedOrder(deps, ctx.tenantId, who.customerId, input.orderId);
  if (!found.ok) return found;
  const { order } = found;
  const refusal = checkPolicy(order, input);
  const audit = {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    actor: actorOf(ctx),
    erpCustomerId: who.customerId,
    action: input.kind,
    orderId: order.orderId,
  };
  if (refusal) {
    await recordAudit(deps.pool, { ...audit, outcome: "refused_by_policy", detail: { status: order.status, reason: refusal } });
    return { ok: false, error: "not_allowed", message: refusal };
  }
  const now = deps.now?.() ?? new Date();
  const { kind, orderId: _typed, ...rest } = input;
  const { action, reused } = await createPendingAction(deps.pool, {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    erpCustomerId: who.customerId,
    kind,
    orderId: order.orderId,
    input: rest,
    summary: summarize(order, input),
    idempotencyKey: `order-action-${randomUUID()}`,
    expiresAt: new Date(now.getTime() + (deps.pendingTtlMs ?? 30 * 60_000)),
  });
  if (!reused) await recordAudit(deps.pool, { ...audit, pendingActionId: action.id, outcome: "proposed", detail: rest });
  const confirmation = await sendConfirmationButtons(deps, ctx, action);
  return {
    ok: true,
    pending_action_id: action.id,
    summary: action.summary,
    confirmation,
    message:
      confirmation === "buttons_sent"
        ? "Nothing has changed yet. The customer was sent this summary with Yes/No buttons; wait for their answer and do not repeat the question."
        : "Nothing has changed yet. Show the customer this summary and ask them to answer yes or no.",
  };
}

function checkPolicy(order: Order, input: ProposeInput): string | null {
  const required = ALLOWED_STATUS[CAPABILITY[input.kind]];
  if (order.status !== required) {
    const what = { cancel_order: "cancelled", update_shipping_address: "have its address changed", request_return: "be returned" }[
      input.kind
    ];
    return `Order ${order.orderId} is ${order.status.replace("_", " ")}; only ${required} orders can ${what}.`;
  }
  if (input.kind === "request_return") return checkReturnItems(order, input.itemIds);
  return null;
}

function summarize(order: Order, input: ProposeInput): string {
  switch (input.kind) {
    case "cancel_order":
      return `Cancel order ${order.orderId} (${order.items.length} item${order.items.length === 1 ? "" : "s"}: ${itemNames(order.items.map((i) => i.name))}).`;
    case "update_shipping_address": {
      const a = input.address;
      const line = [a.line1, a.line2, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(", ");
      return `Ship order ${order.orderId} to: ${line}.`;
    }
    case "request_return": {
      const names = input.itemIds.map((id) => order.items.find((i) => i.itemId === id)?.name ?? id);
      return `Return ${itemNames(names)} from order ${order.orderId}.`;
    }
  }
}

function itemNames(names: string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

async function sendConfirmationButtons(deps: OrderDeps, ctx: OrderContext, action: PendingAction): Promise<Proposal["confirmation"]> {
  if (!deps.queue) return "ask_in_text";
  const labels = ctx.confirmLabels ?? { yes: "Yes", no: "No" };
  const queued = await queueMessage(deps.queue, {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    idempotencyKey: `order-action-confirm-${action.id}`,
    source: "order_tools",
    message: {
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: action.summary },
        action: {
          buttons: [
            { type: "reply", reply: { id: `order_action:${action.id}:yes`, title: labels.yes.slice(0, 20) } },
            { type: "reply", reply: { id: `order_action:${action.id}:no`, title: labels.no.slice(0, 20) } },
          ],
        },
      },
    },
  });
  if (!queued.ok) deps.logger?.warn({ code: queued.code, conversationId: ctx.conversationId }, "confirmation buttons not queued");
  return queued.ok ? "buttons_sent" : "ask_in_text";
}

export type Decision = { tenantId: string; conversationId: string; actor: string; pendingActionId?: string | undefined };

export type ConfirmOutcome =
  | {
      ok: true;
      status: "executed";
      already_executed: boolean;
      pending_action_id: string;
      summary: string;
      order: ReturnType<typeof describeOrder>;
    }
  | (Failure & { pending_action_id?: string });

/**
 * Step 2: executes the pending action once. The row is locked and moved to `executing` before the ERP call, so a
 * second confirmation (double tap, retry, "yes" typed after tapping Yes) returns the first result instead of
 * writing again; the ERP also gets the action's idempotency key. Without `pendingActionId` it takes the
 * conversation's latest pending action.
 */
export async function confirmPendingAction(deps: OrderDeps, d: Decision): Promise<ConfirmOutcome> {
  const now = deps.now?.() ?? new Date();
  const claim = await withTransaction<{ done: ConfirmOutcome } | { action: PendingAction }>(deps.pool, async (tx) => {
    const a = await lockPendingAction(tx, d.tenantId, d.conversationId, d.pendingActionId);
    if (!a) return { done: noPending() };
    if (a.status === "executed" || a.status === "failed") return { done: storedOutcome(a) };
    if (a.status === "executing") return { done: failure("in_progress", "This change is being applied right now.", a.id) };
    if (a.status !== "pending")
      return { done: failure(a.status, `This request was ${a.status}; nothing was changed. Ask again if needed.`, a.id) };
    if (a.expiresAt <= now) {
      await setPendingStatus(tx, a.id, "expired");
      return { done: failure("expired", "The confirmation came too late; nothing was changed. Propose the change again.", a.id) };
    }
    await setPendingStatus(tx, a.id, "executing");
    return { action: a };
  });
  if ("done" in claim) return claim.done;
  const a = claim.action;
  const result = await execute(deps, a);
  const audit = auditOf(a, d.actor);
  if (result.ok) {
    const outcome = {
      ok: true as const,
      status: "executed" as const,
      pending_action_id: a.id,
      summary: a.summary,
      order: describeOrder(result.value),
    };
    await withTransaction(deps.pool, async (tx) => {
      await setPendingStatus(tx, a.id, "executed", outcome);
      await recordAudit(tx, { ...audit, outcome: "executed", detail: a.input });
    });
    return { ...outcome, already_executed: false };
  }
  if (result.reason === "unavailable") {
    // Back to pending: a later "yes" retries with the same idempotency key, so the ERP still applies it once.
    await withTransaction(deps.pool, async (tx) => {
      await setPendingStatus(tx, a.id, "pending");
      await recordAudit(tx, { ...audit, outcome: "unavailable", detail: { error: result.detail } });
    });
    return { ...unavailableFailure(), pending_action_id: a.id };
  }
  const failed =
    result.reason === "not_found"
      ? { ...ORDER_NOT_FOUND, pending_action_id: a.id }
      : failure("not_allowed", `The change was refused: ${result.detail}`, a.id);
  await withTransaction(deps.pool, async (tx) => {
    await setPendingStatus(tx, a.id, "failed", failed);
    await recordAudit(tx, {
      ...audit,
      outcome: `failed_${result.reason}`,
      detail: { ...a.input, ...(result.reason === "not_allowed" ? { error: result.detail } : {}) },
    });
  });
  return failed;
}

/** The audit fields every decision on a pending action records (who, which action, which order). */
function auditOf(a: PendingAction, actor: string) {
  return {
    tenantId: a.tenantId,
    conversationId: a.conversationId,
    actor,
    erpCustomerId: a.erpCustomerId,
    action: a.kind,
    orderId: a.orderId,
    pendingActionId: a.id,
  };
}

function execute(deps: OrderDeps, a: PendingAction): Promise<WriteResult<Order>> {
  const opts = { idempotencyKey: a.idempotencyKey };
  switch (a.kind) {
    case "cancel_order":
      return deps.orders.cancelOrder(a.tenantId, a.orderId, String(a.input.reason ?? ""), opts);
    case "update_shipping_address":
      return deps.orders.updateShippingAddress(a.tenantId, a.orderId, a.input.address as Address, opts);
    case "request_return":
      return deps.orders.requestReturn(a.tenantId, a.orderId, a.input.itemIds as string[], String(a.input.reason ?? ""), opts);
  }
}

/** The customer said no (or tapped No): the pending action is dropped. Idempotent. */
export async function rejectPendingAction(
  deps: OrderDeps,
  d: Decision,
): Promise<{ ok: true; pending_action_id: string; summary: string } | Failure> {
  return withTransaction(deps.pool, async (tx) => {
    const a = await lockPendingAction(tx, d.tenantId, d.conversationId, d.pendingActionId);
    if (!a) return noPending();
    if (a.status === "rejected") return { ok: true as const, pending_action_id: a.id, summary: a.summary };
    if (a.status !== "pending") return failure(a.status, `This request is already ${a.status}.`, a.id);
    await setPendingStatus(tx, a.id, "rejected");
    await recordAudit(tx, { ...auditOf(a, d.actor), outcome: "rejected" });
    return { ok: true as const, pending_action_id: a.id, summary: a.summary };
  });
}

/** Reads a tapped confirmation button from an inbound message's raw payload (`interactive.button_reply.id`). */
export function parseConfirmationReply(raw: Record<string, unknown>): { pendingActionId: string; decision: "yes" | "no" } | null {
  const interactive = raw.interactive as { type?: string; button_reply?: { id?: unknown } } | undefined;
  const id = interactive?.button_reply?.id;
  const m = typeof id === "string" ? BUTTON_ID.exec(id) : null;
  return m ? { pendingActionId: m[1] as string, decision: m[2] as "yes" | "no" } : null;
}

function storedOutcome(a: PendingAction): ConfirmOutcome {
  const stored = a.result as ConfirmOutcome | null;
  if (!stored) return failure("failed", "This change could not be applied.", a.id);
  return stored.ok ? { ...stored, already_executed: true } : stored;
}

function noPending(): Failure {
  return { ok: false, error: "no_pending_action", message: "There is no change waiting for confirmation in this conversation." };
}

function failure(error: string, message: string, id: string): Failure & { pending_action_id: string } {
  return { ok: false, error, message, pending_action_id: id };
}
