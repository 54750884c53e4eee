/**
 * The welcome automation: a free-form text on a customer's first contact (the customer just wrote, so the 24-hour
 * window is open and no template is needed). It wraps the conversation handler and queues the welcome *before*
 * handing the message on, so it leaves first: the outbox sends one conversation's messages in order. The agent still
 * answers the message itself; the welcome is a greeting, not a reply, so the two do not compete. Once per customer:
 * the outbox key is `welcome:<customerId>`, and redelivered messages (at-least-once) find the same row.
 */
import type pg from "pg";
import { detectLanguage } from "../agent/text/language.ts";
import type { ConversationHandler, InboundMessage } from "../conversations/inbound-processor.ts";
import type { Logger } from "../lib/logger.ts";
import { type QueueDeps, type QueueResult, queueText } from "../outbox/queue-message.ts";
import { type AutomationSettings, readAutomationSettings } from "./automation-settings.ts";

type Queryable = Pick<pg.Pool, "query">;

/** True when this inbound message is the customer's first with the tenant (on any of its numbers). */
async function isFirstContact(db: Queryable, m: InboundMessage): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM messages i JOIN conversations v ON v.id = i.conversation_id
     WHERE v.customer_id = $1 AND v.tenant_id = $2 AND i.direction = 'inbound' AND i.id < $3 LIMIT 1`,
    [m.customerId, m.tenantId, m.messageId],
  );
  return rows.length === 0;
}

/** The welcome text in the customer's language (their profile's, else the message's), else the default. */
export function pickWelcomeText(welcome: AutomationSettings["welcome"], language: string | null, messageText: string | null): string {
  const lang = language ?? (messageText ? detectLanguage(messageText, "") : "");
  return welcome.texts[lang.split(/[-_]/)[0]?.toLowerCase() ?? ""] ?? welcome.defaultText;
}

/** Queues the welcome when the automation is on and this is the customer's first message; otherwise does nothing. */
export async function sendWelcomeIfFirstContact(queue: QueueDeps, m: InboundMessage): Promise<QueueResult | undefined> {
  const { welcome } = await readAutomationSettings(queue.pool, m.tenantId);
  if (!welcome.enabled || !(await isFirstContact(queue.pool, m))) return undefined;
  const { rows } = await queue.pool.query<{ language: string | null }>("SELECT language FROM customers WHERE id = $1", [m.customerId]);
  return queueText(queue, {
    tenantId: m.tenantId,
    conversationId: m.conversationId,
    idempotencyKey: `welcome:${m.customerId}`,
    source: "automation:welcome",
    text: pickWelcomeText(welcome, rows[0]?.language ?? null, m.event.text),
  });
}

/** Wraps a handler with the welcome; a failed welcome is logged and never keeps the message from the agent. */
export function withWelcome(inner: ConversationHandler, deps: { queue: QueueDeps; logger: Logger }): ConversationHandler {
  return {
    async handleInbound(m) {
      try {
        const r = await sendWelcomeIfFirstContact(deps.queue, m);
        if (r && !r.ok) deps.logger.warn({ tenantId: m.tenantId, conversationId: m.conversationId, code: r.code }, "welcome not queued");
      } catch (err) {
        deps.logger.warn({ err, tenantId: m.tenantId, conversationId: m.conversationId }, "welcome failed");
      }
      await inner.handleInbound(m);
    },
  };
}
