/**
 * What the worker does with each stored webhook event: records messages and statuses in the conversation record
 * (idempotently, in one transaction) and then hands each inbound message to the conversation handler port.
 * Delivery to the handler is at-least-once: after a crash the same message can be handed over again, so handlers
 * key their side effects on the message (the outbox uses the inbound wamid as idempotency key).
 */
import type pg from "pg";
import { handleConsentKeyword, parseUserPreferences } from "../compliance/consent-handler.ts";
import { recordConsent } from "../compliance/consent-store.ts";
import { withTransaction } from "../lib/db.ts";
import type { Logger } from "../lib/logger.ts";
import type { QueueDeps } from "../outbox/queue-message.ts";
import type { QueuedEvent, WebhookEvent } from "../whatsapp/events.ts";
import { enqueueMediaDownload } from "../whatsapp/media/media-downloader.ts";
import { applyStatus, changeCustomerNumber, type RecordedInbound, recordInbound, upsertCustomer } from "./conversation-store.ts";

const MEDIA_TYPES = new Set(["image", "video", "audio", "document", "sticker"]);

export type InboundMessage = RecordedInbound & { tenantId: string; event: Extract<WebhookEvent, { kind: "message" }> };

/** The port the agent (or, until it exists, nothing) implements. */
export type ConversationHandler = {
  handleInbound(message: InboundMessage): Promise<void>;
};

/** The handler used until an agent is wired in: the message is already recorded, nothing else happens. */
export const recordOnlyHandler: ConversationHandler = { handleInbound: async () => undefined };

/** Builds the per-event processing function the worker calls. */
export function createInboundProcessor(deps: {
  pool: pg.Pool;
  handler: ConversationHandler;
  logger: Logger;
  queue: QueueDeps;
  onMediaQueued?: () => void;
}) {
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
          const media = event.raw[event.type] as { id?: unknown } | undefined;
          if (MEDIA_TYPES.has(event.type) && typeof media?.id === "string") {
            await enqueueMediaDownload(tx, { tenantId, messageId: r.messageId, mediaId: media.id });
          }
          return r;
        });
        if (MEDIA_TYPES.has(event.type)) deps.onMediaQueued?.();
        const consent = await handleConsentKeyword(deps, {
          ...recorded,
          tenantId,
          wamid: event.wamid,
          type: event.type,
          text: event.text,
          raw: event.raw,
        });
        if (consent) return;
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
        if (event.field === "user_preferences") {
          for (const p of parseUserPreferences(event.raw)) {
            const customerId = await upsertCustomer(deps.pool, tenantId, { waId: p.waId, userId: p.userId });
            await recordConsent(deps.pool, tenantId, customerId, {
              action: p.action,
              source: "whatsapp_preferences",
              evidence: { detail: p.detail },
            });
          }
          return;
        }
        deps.logger.info({ tenantId, field: event.field }, "webhook change recorded (no handler for this field yet)");
        return;
    }
  };
}
