/**
 * What the worker does with each stored webhook event: records messages and statuses in the conversation record
 * (idempotently, in one transaction) and then hands each inbound message to the conversation handler port.
 * Delivery to the handler is at-least-once: after a crash the same message can be handed over again, so handlers
 * key their side effects on the message (the outbox uses the inbound wamid as idempotency key).
 */
import type pg from "pg";
import { withTransaction } from "../lib/db.ts";
import type { Logger } from "../lib/logger.ts";
import type { QueuedEvent, WebhookEvent } from "../whatsapp/events.ts";
import { applyStatus, changeCustomerNumber, type RecordedInbound, recordInbound } from "./conversation-store.ts";

export type InboundMessage = RecordedInbound & { tenantId: string; event: Extract<WebhookEvent, { kind: "message" }> };

/** The port the agent (or, until it exists, nothing) implements. */
export type ConversationHandler = {
  handleInbound(message: InboundMessage): Promise<void>;
};

/** The handler used until an agent is wired in: the message is already recorded, nothing else happens. */
export const recordOnlyHandler: ConversationHandler = { handleInbound: async () => undefined };

/** Builds the per-event processing function the worker calls. */
export function createInboundProcessor(deps: { pool: pg.Pool; handler: ConversationHandler; logger: Logger }) {
  return async function processEvent(queued: QueuedEvent): Promise<void> {
    const { event, tenantId } = queued;
    switch (event.kind) {
      case "message": {
        const recorded = await withTransaction(deps.pool, async (tx) => {
          const r = await recordInbound(tx, tenantId, event);
          const system = event.raw.system as { type?: string; wa_id?: string } | undefined;
          if (event.type === "system" && system?.type === "user_changed_number" && system.wa_id) {
            await changeCustomerNumber(tx, tenantId, r.customerId, system.wa_id);
          }
          return r;
        });
        await deps.handler.handleInbound({ ...recorded, tenantId, event });
        return;
      }
      case "status":
        await withTransaction(deps.pool, (tx) => applyStatus(tx, tenantId, event));
        return;
      case "error":
        deps.logger.warn({ tenantId, code: event.code, title: event.title }, "WhatsApp reported an account-level error");
        return;
      case "change":
        deps.logger.info({ tenantId, field: event.field }, "webhook change recorded (no handler for this field yet)");
        return;
    }
  };
}
