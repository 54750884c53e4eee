import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerTestDatabase } from "../../lib/testing/test-db.ts";
import { demoPhone } from "./demo/demo-seed.ts";
import { confirmPendingAction, proposeAction } from "./order-actions.ts";
import { demoCustomer, type OrderTestbed, openOrderTestbed } from "./testing.ts";

// On a real server confirmations run truly in parallel (PGlite serializes them): still executed exactly once.
let tb: OrderTestbed;
beforeAll(async () => {
  tb = await openOrderTestbed({ db: await openServerTestDatabase(10) });
});
afterAll(async () => {
  await tb?.close();
});

describe("confirmPendingAction on PostgreSQL", () => {
  it("ten concurrent confirmations execute the cancellation once", async () => {
    const ctx = await tb.contextFor({ phone: demoPhone(1) });
    const order = demoCustomer(tb.data, 1).orders.find((o) => o.status === "pending");
    const proposal = await proposeAction(tb.deps, ctx, { kind: "cancel_order", orderId: order?.order_id as string, reason: "x" });
    if (!proposal.ok) throw new Error(proposal.message);
    const decision = {
      tenantId: ctx.tenantId,
      conversationId: ctx.conversationId,
      actor: "wa:test",
      pendingActionId: proposal.pending_action_id,
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => confirmPendingAction(tb.deps, decision)));
    expect(results.filter((r) => r.ok && !r.already_executed)).toHaveLength(1);
    expect(results.every((r) => r.ok || r.error === "in_progress")).toBe(true);
    const { rows } = await tb.db.pool.query(
      "SELECT count(*)::int AS n FROM order_audit WHERE pending_action_id = $1 AND outcome = 'executed'",
      [proposal.pending_action_id],
    );
    expect(rows[0].n).toBe(1);
  });
});
