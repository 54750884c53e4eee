/**
 * What the order tools do, independent of LangChain: identity, reads and verification. The customer is always the
 * one bound in `OrderContext` by the server (the conversation's WhatsApp identity), never a model argument.
 * Identity: a conversation is linked to one ERP customer, by its WhatsApp number when the ERP knows exactly one
 * customer with it, else after `verifyIdentity` (order number plus the e-mail or postal code on it). An order that
 * belongs to someone else gives exactly the same outcome as one that does not exist (`ORDER_NOT_FOUND`).
 */
import type pg from "pg";
import type { Logger } from "../../lib/logger.ts";
import type { QueueDeps } from "../../outbox/queue-message.ts";
import {
  countRecentVerificationFailures,
  isTenantConversation,
  type LinkMethod,
  linkConversation,
  readLink,
  recordAudit,
  recordVerificationFailure,
} from "./order-store.ts";
import { ALLOWED_STATUS, normalizePhone, type Order, type OrderSystem, orderTotal, type Shipment, type ShipmentTracker } from "./ports.ts";

/** Bound by the server for one conversation turn; nothing in it comes from the model. */
export type OrderContext = {
  tenantId: string;
  conversationId: string;
  /** The conversation's WhatsApp identity: BSUID and/or phone (wa_id digits). */
  customer: { bsuid?: string | null | undefined; phone?: string | null | undefined };
  /** Reply button titles in the customer's language (≤ 20 chars); default Yes / No. */
  confirmLabels?: { yes: string; no: string };
};

export type OrderDeps = {
  pool: pg.Pool;
  orders: OrderSystem;
  shipments: ShipmentTracker;
  /** When present, write proposals queue a Yes/No button message to the customer. */
  queue?: QueueDeps | undefined;
  logger?: Logger | undefined;
  now?: () => Date;
  /** How long a proposed write waits for the customer's answer; default 30 minutes. */
  pendingTtlMs?: number;
  /** Failed verifications allowed per conversation per 24 hours; default 5. */
  maxVerificationFailures?: number;
};

export type Failure = { ok: false; error: string; message: string };

/** The one answer for "no such order" and "someone else's order": callers cannot tell them apart. */
export const ORDER_NOT_FOUND: Failure = Object.freeze({
  ok: false,
  error: "order_not_found",
  message: "No order with that number was found for this customer. Ask them to check the number (it is in their confirmation e-mail).",
}) as Failure;
export const IDENTITY_REQUIRED: Failure = Object.freeze({
  ok: false,
  error: "identity_required",
  message:
    "This WhatsApp number is not linked to a customer account. Ask for one of their order numbers and the e-mail address or postal code used on it, then call verify_identity.",
}) as Failure;
export const VERIFICATION_FAILED: Failure = Object.freeze({
  ok: false,
  error: "verification_failed",
  message: "Those details do not match our records. Ask the customer to check the order number and the e-mail or postal code.",
}) as Failure;

export function unavailableFailure(): Failure {
  return {
    ok: false,
    error: "unavailable",
    message: "The order system is not answering right now. Tell the customer and offer a human agent; do not guess.",
  };
}

/** "who" in the audit trail: the conversation's WhatsApp identity. */
export function actorOf(ctx: OrderContext): string {
  return (
    [ctx.customer.bsuid ? `bsuid:${ctx.customer.bsuid}` : null, ctx.customer.phone ? `wa:${ctx.customer.phone}` : null]
      .filter(Boolean)
      .join(" ") || "unknown"
  );
}

/** The ERP customer of this conversation, linking it by phone on first use when the ERP has exactly one match. */
export async function resolveCustomer(deps: OrderDeps, ctx: OrderContext): Promise<{ ok: true; customerId: string } | Failure> {
  if (!(await isTenantConversation(deps.pool, ctx.tenantId, ctx.conversationId))) return IDENTITY_REQUIRED;
  const link = await readLink(deps.pool, ctx.tenantId, ctx.conversationId);
  if (link) return { ok: true, customerId: link.erpCustomerId };
  const phone = ctx.customer.phone ? normalizePhone(ctx.customer.phone) : "";
  if (phone.length < 6) return IDENTITY_REQUIRED;
  const found = await deps.orders.findCustomersByPhone(ctx.tenantId, phone);
  if (!found.ok) return found.reason === "unavailable" ? unavailableFailure() : IDENTITY_REQUIRED;
  const only = found.value.length === 1 ? found.value[0] : undefined;
  if (!only) return IDENTITY_REQUIRED;
  const customerId = await link_(deps, ctx, only.customerId, "phone");
  return { ok: true, customerId };
}

async function link_(deps: OrderDeps, ctx: OrderContext, erpCustomerId: string, method: LinkMethod): Promise<string> {
  const customerId = await linkConversation(deps.pool, {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    erpCustomerId,
    method,
  });
  await recordAudit(deps.pool, {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    actor: actorOf(ctx),
    erpCustomerId: customerId,
    action: "link_identity",
    orderId: null,
    outcome: "linked",
    detail: { method },
  });
  return customerId;
}

/** The order if it exists AND belongs to `customerId`; otherwise the not-found outcome. */
export async function findOwnedOrder(
  deps: OrderDeps,
  tenantId: string,
  customerId: string,
  orderId: string,
): Promise<{ ok: true; order: Order } | Failure> {
  const got = await lookupOrder(deps, tenantId, orderId);
  if (!got.ok) return got.reason === "unavailable" ? unavailableFailure() : ORDER_NOT_FOUND;
  if (got.value.customerId !== customerId) return ORDER_NOT_FOUND;
  return { ok: true, order: got.value };
}

/** Customers type order numbers with or without the leading "#"; try what they typed, then the other form. */
async function lookupOrder(deps: OrderDeps, tenantId: string, orderId: string) {
  const typed = orderId.trim();
  const first = await deps.orders.getOrder(tenantId, typed);
  if (first.ok || first.reason === "unavailable") return first;
  const alt = typed.startsWith("#") ? typed.slice(1) : `#${typed}`;
  return alt.length > 1 ? deps.orders.getOrder(tenantId, alt) : first;
}

/** What the model may tell the customer about an order, including which changes its state allows. */
export function describeOrder(order: Order) {
  return {
    order_id: order.orderId,
    status: order.status,
    placed_at: order.placedAt ?? null,
    total: orderTotal(order.items),
    currency: order.currency,
    items: order.items.map((i) => ({
      item_id: i.itemId,
      name: i.name,
      options: i.options,
      price: i.price,
      returned: order.returnItemIds.includes(i.itemId),
    })),
    shipping_address: order.shippingAddress,
    tracking_ids: order.trackingIds,
    allowed_changes: {
      cancel: order.status === ALLOWED_STATUS.cancelOrder,
      change_address: order.status === ALLOWED_STATUS.updateShippingAddress,
      return_items: order.status === ALLOWED_STATUS.requestReturn,
    },
  };
}

export async function listMyOrders(deps: OrderDeps, ctx: OrderContext, opts: { limit: number }) {
  const who = await resolveCustomer(deps, ctx);
  if (!who.ok) return who;
  const list = await deps.orders.listOrders(ctx.tenantId, who.customerId, { limit: opts.limit });
  if (!list.ok) return list.reason === "unavailable" ? unavailableFailure() : { ok: true as const, orders: [] };
  return {
    ok: true as const,
    orders: list.value.map((o) => ({
      order_id: o.orderId,
      status: o.status,
      placed_at: o.placedAt ?? null,
      total: o.total,
      currency: o.currency,
      items: o.itemCount,
    })),
  };
}

export async function getOrderStatus(deps: OrderDeps, ctx: OrderContext, orderId: string) {
  const who = await resolveCustomer(deps, ctx);
  if (!who.ok) return who;
  const found = await findOwnedOrder(deps, ctx.tenantId, who.customerId, orderId);
  if (!found.ok) return found;
  return { ok: true as const, order: describeOrder(found.order) };
}

export async function trackOrderShipments(deps: OrderDeps, ctx: OrderContext, orderId: string) {
  const who = await resolveCustomer(deps, ctx);
  if (!who.ok) return who;
  const found = await findOwnedOrder(deps, ctx.tenantId, who.customerId, orderId);
  if (!found.ok) return found;
  const { order } = found;
  if (order.trackingIds.length === 0) {
    return {
      ok: true as const,
      order_id: order.orderId,
      order_status: order.status,
      shipments: [],
      message: "This order has not been handed to a carrier yet.",
    };
  }
  const shipments: (Shipment | { trackingId: string; status: "unknown" })[] = [];
  for (const trackingId of order.trackingIds.slice(0, 5)) {
    const s = await deps.shipments.trackShipment(ctx.tenantId, trackingId);
    if (!s.ok && s.reason === "unavailable") return unavailableFailure();
    shipments.push(s.ok ? s.value : { trackingId, status: "unknown" });
  }
  return { ok: true as const, order_id: order.orderId, order_status: order.status, shipments };
}

const DAY_MS = 86_400_000;

/** Checks an order number plus the e-mail or postal code on it against the ERP and links the conversation. */
export async function verifyIdentity(
  deps: OrderDeps,
  ctx: OrderContext,
  input: { orderId: string; email?: string | undefined; postalCode?: string | undefined },
) {
  if (!(await isTenantConversation(deps.pool, ctx.tenantId, ctx.conversationId))) return VERIFICATION_FAILED;
  const now = deps.now?.() ?? new Date();
  const failures = await countRecentVerificationFailures(deps.pool, ctx.conversationId, new Date(now.getTime() - DAY_MS));
  if (failures >= (deps.maxVerificationFailures ?? 5)) {
    return {
      ok: false as const,
      error: "too_many_attempts",
      message: "Too many failed verification attempts in this conversation. Offer a human agent instead.",
    };
  }
  const match = await matchIdentity(deps, ctx.tenantId, input);
  if (match === "unavailable") return unavailableFailure();
  const audit = {
    tenantId: ctx.tenantId,
    conversationId: ctx.conversationId,
    actor: actorOf(ctx),
    action: "verify_identity",
    orderId: input.orderId,
  };
  if (!match) {
    await recordVerificationFailure(deps.pool, ctx.conversationId);
    await recordAudit(deps.pool, { ...audit, erpCustomerId: null, outcome: "failed" });
    return VERIFICATION_FAILED;
  }
  const existing = await readLink(deps.pool, ctx.tenantId, ctx.conversationId);
  if (existing && existing.erpCustomerId !== match.customerId) {
    await recordAudit(deps.pool, { ...audit, erpCustomerId: match.customerId, outcome: "refused_other_account" });
    return {
      ok: false as const,
      error: "already_linked",
      message:
        "This conversation is already linked to a different customer account; only one account per conversation. Offer a human agent.",
    };
  }
  const customerId = existing ? existing.erpCustomerId : await link_(deps, ctx, match.customerId, match.method);
  await recordAudit(deps.pool, { ...audit, erpCustomerId: customerId, outcome: "verified", detail: { method: match.method } });
  return { ok: true as const, verified: true, message: "Identity verified. You can now look up and change this customer's orders." };
}

async function matchIdentity(
  deps: OrderDeps,
  tenantId: string,
  input: { orderId: string; email?: string | undefined; postalCode?: string | undefined },
): Promise<{ customerId: string; method: LinkMethod } | null | "unavailable"> {
  const order = await lookupOrder(deps, tenantId, input.orderId);
  if (!order.ok) return order.reason === "unavailable" ? "unavailable" : null;
  const customer = await deps.orders.getCustomer(tenantId, order.value.customerId);
  if (!customer.ok) return customer.reason === "unavailable" ? "unavailable" : null;
  const c = customer.value;
  if (input.email && c.email && sameEmail(input.email, c.email)) return { customerId: c.customerId, method: "order_email" };
  if (input.postalCode) {
    const codes = [c.postalCode, order.value.shippingAddress.postalCode].filter((x): x is string => !!x);
    if (codes.some((code) => samePostalCode(code, input.postalCode as string)))
      return { customerId: c.customerId, method: "order_postal_code" };
  }
  return null;
}

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function samePostalCode(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[\s-]/g, "").toUpperCase();
  return norm(a).length > 0 && norm(a) === norm(b);
}
