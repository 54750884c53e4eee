import type { StructuredToolInterface } from "@langchain/core/tools";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPhone } from "./demo/demo-seed.ts";
import { confirmPendingAction, parseConfirmationReply, rejectPendingAction } from "./order-actions.ts";
import type { OrderContext } from "./order-service.ts";
import { createOrderTools, ORDER_TOOL_NAMES } from "./order-tools.ts";
import type { OrderStatus } from "./ports.ts";
import { demoCustomer, type OrderTestbed, openOrderTestbed } from "./testing.ts";

let tb: OrderTestbed;
beforeAll(async () => {
  tb = await openOrderTestbed();
});
afterAll(async () => {
  await tb?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: tool outputs are JSON asserted with expect()
type Json = any;
async function call(tools: StructuredToolInterface[], name: string, args: Record<string, unknown>): Promise<Json> {
  const t = tools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return JSON.parse(String(await t.invoke(args)));
}
async function toolsFor(n: number): Promise<{ ctx: OrderContext; tools: StructuredToolInterface[] }> {
  const ctx = await tb.contextFor({ phone: demoPhone(n) });
  return { ctx, tools: createOrderTools(ctx, tb.deps) };
}
const orderOf = (n: number, status: OrderStatus) => {
  const o = demoCustomer(tb.data, n).orders.find((x) => x.status === status);
  if (!o) throw new Error(`customer ${n} has no ${status} order`);
  return o;
};
/** A customer (from index `from`) with an order in `status` that no other test touches. */
const used = new Set<number>();
const customerWith = (status: OrderStatus, from: number) => {
  for (let n = from; n <= tb.data.customers.length; n++) {
    if (!used.has(n) && demoCustomer(tb.data, n).orders.some((o) => o.status === status)) {
      used.add(n);
      return n;
    }
  }
  throw new Error(`no customer with a ${status} order`);
};
const dbStatus = async (orderId: string) =>
  (await tb.db.pool.query("SELECT status FROM erp_orders WHERE order_id = $1", [orderId])).rows[0]?.status as string;
const actor = (ctx: OrderContext) => `wa:${ctx.customer.phone}`;

describe("order tools", () => {
  it("are the seven tools, snake_case, each saying when not to use it", async () => {
    const { tools } = await toolsFor(1);
    expect(tools.map((t) => t.name)).toEqual([...ORDER_TOOL_NAMES]);
    for (const t of tools) expect(t.description).toMatch(/do not|never/i);
  });

  it("list_my_orders lists exactly the customer's own orders (linked by WhatsApp number)", async () => {
    const { tools } = await toolsFor(4);
    const out = await call(tools, "list_my_orders", { limit: 20 });
    expect(out.ok).toBe(true);
    const mine = demoCustomer(tb.data, 4)
      .orders.map((o) => o.order_id)
      .sort();
    expect(out.orders.map((o: Json) => o.order_id).sort()).toEqual(mine);
  });

  it("get_order_status and track_shipment answer for the customer's own orders", async () => {
    const { tools } = await toolsFor(1);
    const shipped = orderOf(1, "shipped");
    const status = await call(tools, "get_order_status", { order_id: shipped.order_id.slice(1) }); // without '#'
    expect(status).toMatchObject({
      ok: true,
      order: { order_id: shipped.order_id, status: "shipped", allowed_changes: { cancel: false } },
    });
    const track = await call(tools, "track_shipment", { order_id: shipped.order_id });
    expect(track.ok).toBe(true);
    expect(track.shipments[0]).toMatchObject({ status: "in_transit", carrier: expect.any(String) });
    expect(track.shipments[0].events.length).toBeGreaterThanOrEqual(3);
    const pending = await call(tools, "track_shipment", { order_id: orderOf(1, "pending").order_id });
    expect(pending).toMatchObject({ ok: true, shipments: [] });
  });

  it("someone else's order answers exactly like an order that does not exist, through every tool", async () => {
    const { tools } = await toolsFor(1);
    const foreign = demoCustomer(tb.data, 2).orders;
    const foreignPending = foreign.find((o) => o.status === "pending")?.order_id as string;
    const foreignDelivered = foreign.find((o) => o.status === "delivered")?.order_id as string;
    const address = { line1: "1 Elm Street", city: "Madrid", postal_code: "28013", country: "ES" };
    const cases: [string, (id: string) => Record<string, unknown>, string][] = [
      ["get_order_status", (id) => ({ order_id: id }), foreignPending],
      ["track_shipment", (id) => ({ order_id: id }), foreignDelivered],
      ["cancel_order", (id) => ({ order_id: id, reason: "changed my mind" }), foreignPending],
      ["update_shipping_address", (id) => ({ order_id: id, address }), foreignPending],
      ["request_return", (id) => ({ order_id: id, item_ids: ["P100-01"], reason: "too small" }), foreignDelivered],
    ];
    for (const [name, args, id] of cases) {
      const theirs = await call(tools, name, args(id));
      const missing = await call(tools, name, args("#D999999"));
      expect(theirs, name).toEqual(missing);
      expect(theirs.error).toBe("order_not_found");
    }
    // verify_identity: someone else's order with a wrong e-mail is the same failure as a made-up order.
    const v1 = await call(tools, "verify_identity", { order_id: foreignPending, email: "me@example.com" });
    const v2 = await call(tools, "verify_identity", { order_id: "#D999999", email: "me@example.com" });
    expect(v1).toEqual(v2);
    // list_my_orders never shows the other customer's orders.
    const list = await call(tools, "list_my_orders", { limit: 20 });
    expect(list.orders.map((o: Json) => o.order_id)).not.toContain(foreignPending);
    // Nothing was proposed or changed.
    expect(await dbStatus(foreignPending)).toBe("pending");
    const { rows } = await tb.db.pool.query("SELECT count(*)::int AS n FROM order_pending_actions WHERE order_id = $1", [foreignPending]);
    expect(rows[0].n).toBe(0);
  });

  it("guessing order numbers only ever finds the customer's own orders", async () => {
    const { tools } = await toolsFor(5);
    const mine = new Set(demoCustomer(tb.data, 5).orders.map((o) => o.order_id));
    const all = tb.data.orders.slice(0, 60).map((o) => o.order_id);
    let found = 0;
    for (const id of all) {
      const out = await call(tools, "get_order_status", { order_id: id });
      if (out.ok) {
        found++;
        expect(mine.has(out.order.order_id)).toBe(true);
      } else expect(out.error).toBe("order_not_found");
    }
    expect(found).toBe(all.filter((id) => mine.has(id)).length);
  });

  it("rejects malformed arguments at the schema", async () => {
    const { tools } = await toolsFor(1);
    await expect(call(tools, "get_order_status", { order_id: "1; DROP TABLE erp_orders" })).rejects.toThrow();
    await expect(call(tools, "get_order_status", {})).rejects.toThrow();
    await expect(call(tools, "verify_identity", { order_id: "#D100001" })).rejects.toThrow();
    await expect(call(tools, "request_return", { order_id: "#D100001", item_ids: [], reason: "x" })).rejects.toThrow();
  });
});

describe("identity", () => {
  it("an unknown number must verify; verification links the conversation for later turns", async () => {
    const ctx = await tb.contextFor({ phone: "4915700000099" });
    const tools = createOrderTools(ctx, tb.deps);
    expect(await call(tools, "list_my_orders", {})).toMatchObject({ ok: false, error: "identity_required" });
    const { customer, orders } = demoCustomer(tb.data, 6);
    const order = orders[0]?.order_id as string;
    expect(await call(tools, "verify_identity", { order_id: order, email: "wrong@example.com" })).toMatchObject({
      error: "verification_failed",
    });
    expect(await call(tools, "verify_identity", { order_id: order, postal_code: "00000" })).toMatchObject({ error: "verification_failed" });
    expect(await call(tools, "verify_identity", { order_id: order, email: customer.email.toUpperCase() })).toMatchObject({ ok: true });
    // A new set of tools for the same conversation (next turn) is still linked.
    const next = createOrderTools(ctx, tb.deps);
    const list = await call(next, "list_my_orders", { limit: 20 });
    expect(list.orders).toHaveLength(orders.length);
    // Verifying as someone else in the same conversation is refused.
    const other = demoCustomer(tb.data, 7);
    const switched = await call(next, "verify_identity", { order_id: other.orders[0]?.order_id, email: other.customer.email });
    expect(switched).toMatchObject({ ok: false, error: "already_linked" });
    const { rows } = await tb.db.pool.query("SELECT erp_customer_id, method FROM order_identity_links WHERE conversation_id = $1", [
      ctx.conversationId,
    ]);
    expect(rows).toEqual([{ erp_customer_id: customer.customer_id, method: "order_email" }]);
  });

  it("verifies with the postal code too, and a BSUID-only user (no phone) must verify", async () => {
    const ctx = await tb.contextFor({ bsuid: "US.13491208655302741918" });
    const tools = createOrderTools(ctx, tb.deps);
    expect(await call(tools, "get_order_status", { order_id: "#D100001" })).toMatchObject({ error: "identity_required" });
    const { customer, orders } = demoCustomer(tb.data, 8);
    const out = await call(tools, "verify_identity", {
      order_id: orders[0]?.order_id,
      postal_code: ` ${customer.address.postalCode.toLowerCase()} `,
    });
    expect(out.ok).toBe(true);
  });

  it("stops after five failed attempts in a conversation", async () => {
    const ctx = await tb.contextFor({ phone: "4915700000098" });
    const tools = createOrderTools(ctx, tb.deps);
    for (let i = 0; i < 5; i++) {
      expect((await call(tools, "verify_identity", { order_id: `#D10000${i}`, email: "guess@example.com" })).error).toBe(
        "verification_failed",
      );
    }
    const { customer, orders } = demoCustomer(tb.data, 9);
    expect(await call(tools, "verify_identity", { order_id: orders[0]?.order_id, email: customer.email })).toMatchObject({
      error: "too_many_attempts",
    });
  });
});

describe("writes need the customer's confirmation", () => {
  it("cancel_order only proposes: nothing changes, Yes/No buttons are queued, and the audit says proposed", async () => {
    const { ctx, tools } = await toolsFor(1);
    const order = orderOf(1, "pending");
    const out = await call(tools, "cancel_order", { order_id: order.order_id, reason: "ordered twice" });
    expect(out).toMatchObject({ ok: true, confirmation: "buttons_sent", summary: expect.stringContaining(order.order_id) });
    expect(await dbStatus(order.order_id)).toBe("pending");
    const { rows: msgs } = await tb.db.pool.query("SELECT payload FROM messages WHERE conversation_id = $1 AND direction = 'outbound'", [
      ctx.conversationId,
    ]);
    const buttons = msgs.at(-1)?.payload.interactive.action.buttons;
    expect(buttons.map((b: Json) => b.reply.id)).toEqual([
      `order_action:${out.pending_action_id}:yes`,
      `order_action:${out.pending_action_id}:no`,
    ]);
    // Asking again for the same change reuses the pending action.
    const again = await call(tools, "cancel_order", { order_id: order.order_id, reason: "ordered twice" });
    expect(again.pending_action_id).toBe(out.pending_action_id);
    const { rows: audit } = await tb.db.pool.query("SELECT actor, action, outcome FROM order_audit WHERE pending_action_id = $1", [
      out.pending_action_id,
    ]);
    expect(audit).toEqual([{ actor: actor(ctx), action: "cancel_order", outcome: "proposed" }]);

    // The customer taps Yes: the button id routes back to confirmPendingAction.
    const reply = parseConfirmationReply({
      type: "button_reply",
      interactive: { type: "button_reply", button_reply: { id: buttons[0].reply.id, title: "Yes" } },
    });
    expect(reply).toEqual({ pendingActionId: out.pending_action_id, decision: "yes" });
    const decision = {
      tenantId: ctx.tenantId,
      conversationId: ctx.conversationId,
      actor: actor(ctx),
      pendingActionId: reply?.pendingActionId,
    };
    const [first, second] = await Promise.all([confirmPendingAction(tb.deps, decision), confirmPendingAction(tb.deps, decision)]);
    const third = await confirmPendingAction(tb.deps, decision);
    const executed = [first, second, third].filter((r) => r.ok);
    expect(executed.length).toBeGreaterThanOrEqual(2);
    expect(executed.filter((r) => r.ok && !r.already_executed)).toHaveLength(1);
    expect(third).toMatchObject({ ok: true, already_executed: true, order: { status: "cancelled" } });
    expect(await dbStatus(order.order_id)).toBe("cancelled");
    const { rows: writes } = await tb.db.pool.query(
      "SELECT count(*)::int AS n FROM erp_write_requests WHERE result->'value'->>'orderId' = $1",
      [order.order_id],
    );
    expect(writes[0].n).toBe(1);
    const { rows: done } = await tb.db.pool.query(
      "SELECT count(*)::int AS n FROM order_audit WHERE pending_action_id = $1 AND outcome = 'executed'",
      [out.pending_action_id],
    );
    expect(done[0].n).toBe(1);
  });

  it("No rejects: nothing changes and a later Yes cannot revive it", async () => {
    const { ctx, tools } = await toolsFor(2);
    const order = orderOf(2, "pending");
    const out = await call(tools, "update_shipping_address", {
      order_id: order.order_id,
      address: { line1: "9 Mill Lane", city: "Porto", postal_code: "4050-123", country: "PT" },
    });
    expect(out.ok).toBe(true);
    const decision = { tenantId: ctx.tenantId, conversationId: ctx.conversationId, actor: actor(ctx) };
    expect(await rejectPendingAction(tb.deps, decision)).toMatchObject({ ok: true, pending_action_id: out.pending_action_id });
    expect(await confirmPendingAction(tb.deps, { ...decision, pendingActionId: out.pending_action_id })).toMatchObject({
      ok: false,
      error: "rejected",
    });
    expect(await confirmPendingAction(tb.deps, decision)).toMatchObject({ ok: false, error: "no_pending_action" });
    const { rows } = await tb.db.pool.query("SELECT address->>'line1' AS line1 FROM erp_orders WHERE order_id = $1", [order.order_id]);
    expect(rows[0].line1).not.toBe("9 Mill Lane");
  });

  it("a text 'yes' confirms the latest pending action; an address change and a return execute", async () => {
    const { ctx, tools } = await toolsFor(3);
    const decision = { tenantId: ctx.tenantId, conversationId: ctx.conversationId, actor: actor(ctx) };
    const pending = orderOf(3, "pending");
    const a = await call(tools, "update_shipping_address", {
      order_id: pending.order_id,
      address: { line1: "9 Mill Lane", line2: "Apt 4", city: "Porto", postal_code: "4050-123", country: "PT" },
    });
    expect(a.summary).toContain("9 Mill Lane, Apt 4, Porto");
    expect(await confirmPendingAction(tb.deps, decision)).toMatchObject({
      ok: true,
      order: { shipping_address: { line1: "9 Mill Lane" } },
    });
    const delivered = orderOf(3, "delivered");
    const item = delivered.items[0]?.itemId as string;
    await call(tools, "request_return", { order_id: delivered.order_id, item_ids: [item], reason: "too small" });
    expect(await confirmPendingAction(tb.deps, decision)).toMatchObject({ ok: true, order: { status: "return_requested" } });
  });

  it("writes from another conversation cannot confirm this conversation's action", async () => {
    const n = customerWith("pending", 13);
    const { tools } = await toolsFor(n);
    const order = orderOf(n, "pending");
    const out = await call(tools, "cancel_order", { order_id: order.order_id, reason: "x" });
    const intruder = await tb.contextFor({ phone: demoPhone(customerWith("delivered", 13)) });
    const res = await confirmPendingAction(tb.deps, {
      tenantId: intruder.tenantId,
      conversationId: intruder.conversationId,
      actor: "x",
      pendingActionId: out.pending_action_id,
    });
    expect(res).toMatchObject({ ok: false, error: "no_pending_action" });
    expect(await dbStatus(order.order_id)).toBe("pending");
  });

  it("a confirmation after the pending action expired changes nothing", async () => {
    const n = customerWith("pending", 13);
    const ctx = await tb.contextFor({ phone: demoPhone(n) });
    let now = new Date();
    const deps = { ...tb.deps, now: () => now, pendingTtlMs: 60_000 };
    const tools = createOrderTools(ctx, deps);
    const out = await call(tools, "cancel_order", { order_id: orderOf(n, "pending").order_id, reason: "x" });
    expect(out.ok).toBe(true);
    now = new Date(now.getTime() + 120_000);
    const res = await confirmPendingAction(deps, { tenantId: ctx.tenantId, conversationId: ctx.conversationId, actor: actor(ctx) });
    expect(res).toMatchObject({ ok: false, error: "expired" });
  });
});

describe("state rules", () => {
  const cases: [string, OrderStatus[], (id: string, item: string) => Record<string, unknown>][] = [
    ["cancel_order", ["processed", "shipped", "delivered", "cancelled", "return_requested"], (id) => ({ order_id: id, reason: "x" })],
    [
      "update_shipping_address",
      ["processed", "shipped", "delivered", "cancelled", "return_requested"],
      (id) => ({ order_id: id, address: { line1: "1 Park Row", city: "Lyon", postal_code: "69002", country: "FR" } }),
    ],
    [
      "request_return",
      ["pending", "processed", "shipped", "cancelled", "return_requested"],
      (id, item) => ({ order_id: id, item_ids: [item], reason: "x" }),
    ],
  ];
  it.each(cases)("%s is refused in every state the policy forbids", async (name, statuses, args) => {
    const { tools } = await toolsFor(2);
    for (const status of statuses) {
      const o = orderOf(2, status);
      const out = await call(tools, name, args(o.order_id, o.items[0]?.itemId as string));
      expect(out, `${name} on ${status}`).toMatchObject({ ok: false, error: "not_allowed" });
      expect(await dbStatus(o.order_id)).toBe(status);
    }
  });

  it("returns only items of the order, each once", async () => {
    const { tools } = await toolsFor(2);
    const o = orderOf(2, "delivered");
    expect(await call(tools, "request_return", { order_id: o.order_id, item_ids: ["NOPE-1"], reason: "x" })).toMatchObject({
      error: "not_allowed",
    });
    const twice = Array(o.items.filter((i) => i.itemId === o.items[0]?.itemId).length + 1).fill(o.items[0]?.itemId);
    expect(await call(tools, "request_return", { order_id: o.order_id, item_ids: twice, reason: "x" })).toMatchObject({
      error: "not_allowed",
    });
  });

  it("a state change between proposal and confirmation is caught at execution", async () => {
    const n = customerWith("pending", 13);
    const { ctx, tools } = await toolsFor(n);
    const o = orderOf(n, "pending");
    const out = await call(tools, "cancel_order", { order_id: o.order_id, reason: "x" });
    expect(out.ok).toBe(true);
    await tb.db.pool.query("UPDATE erp_orders SET status = 'processed' WHERE order_id = $1", [o.order_id]);
    const res = await confirmPendingAction(tb.deps, { tenantId: ctx.tenantId, conversationId: ctx.conversationId, actor: actor(ctx) });
    expect(res).toMatchObject({ ok: false, error: "not_allowed" });
    expect(await dbStatus(o.order_id)).toBe("processed");
    const { rows } = await tb.db.pool.query("SELECT outcome FROM order_audit WHERE pending_action_id = $1 ORDER BY id", [
      out.pending_action_id,
    ]);
    expect(rows.map((r) => r.outcome)).toEqual(["proposed", "failed_not_allowed"]);
  });
});
