/**
 * The one way anything (agent replies, human agents, system notices, campaigns) sends a WhatsApp message: checks
 * the platform rules first, then writes the message to the outbox. Refusals are typed results, decided before any
 * network call: free-form outside the 24-hour window (`window_closed`, naming the templates that could be used),
 * marketing to a customer who opted out (`opted_out`) or never opted in (`no_opt_in`), unknown, unapproved or
 * badly filled templates.
 */
import type pg from "pg";
import { readConsent } from "../compliance/consent-store.ts";
import { buildTemplateMessage, findTemplate, listTemplates, type TemplateValue } from "../compliance/template-store.ts";
import { readWindow } from "../compliance/window.ts";
import { type OutgoingMessage, OutgoingMessageSchema } from "../whatsapp/cloud-api/messages.ts";
import { splitForWhatsApp } from "../whatsapp/cloud-api/split-text.ts";
import { type Category, insertOutbound } from "./outbox-store.ts";

export type QueueDeps = { pool: pg.Pool; onQueued?: () => void };

export type QueueRefusal =
  | { ok: false; code: "conversation_not_found" }
  | { ok: false; code: "window_closed"; templates: { name: string; language: string; category: string }[] }
  | { ok: false; code: "opted_out" | "no_opt_in" }
  | { ok: false; code: "template_not_found" | "template_not_approved" | "template_invalid" | "invalid_message"; details: string };

export type QueueResult = { ok: true; messageIds: string[]; duplicate: boolean } | QueueRefusal;

type Base = { tenantId: string; conversationId: string; idempotencyKey: string; source: string; contextWamid?: string | null | undefined };

/** Queues a free-form text, split at paragraph boundaries into at most 3 messages. */
export async function queueText(deps: QueueDeps, req: Base & { text: string }): Promise<QueueResult> {
  const parts = splitForWhatsApp(req.text);
  if (parts.length === 0) return { ok: false, code: "invalid_message", details: "text is empty" };
  return queueMessages(
    deps,
    req,
    parts.map((body) => ({ type: "text", text: { body } }) as OutgoingMessage),
    "service",
  );
}

/** Queues any free-form message (buttons, lists, media, location...). */
export async function queueMessage(deps: QueueDeps, req: Base & { message: OutgoingMessage }): Promise<QueueResult> {
  if (req.message.type === "template") return { ok: false, code: "invalid_message", details: "use queueTemplate for templates" };
  return queueMessages(deps, req, [req.message], "service");
}

/** Queues a registered template with its parameter values; allowed outside the window. */
export async function queueTemplate(
  deps: QueueDeps,
  req: Base & { name: string; language: string; values: TemplateValue[] },
): Promise<QueueResult> {
  const template = await findTemplate(deps.pool, req.tenantId, req.name, req.language);
  if (!template) return { ok: false, code: "template_not_found", details: `no template ${req.name} in ${req.language}` };
  const built = buildTemplateMessage(template, req.values);
  if (!built.ok) return { ok: false, code: built.reason, details: built.details };
  return queueMessages(deps, req, [built.message], template.category);
}

async function queueMessages(deps: QueueDeps, req: Base, messages: OutgoingMessage[], category: Category): Promise<QueueResult> {
  for (const m of messages) {
    const valid = OutgoingMessageSchema.safeParse(m);
    if (!valid.success) return { ok: false, code: "invalid_message", details: valid.error.issues[0]?.message ?? "invalid" };
  }
  const { rows } = await deps.pool.query<{ customer_id: string; wa_id: string | null; bsuid: string | null }>(
    `SELECT c.customer_id::text, cu.wa_id, cu.bsuid FROM conversations c JOIN customers cu ON cu.id = c.customer_id
     WHERE c.id = $1 AND c.tenant_id = $2`,
    [req.conversationId, req.tenantId],
  );
  const conv = rows[0];
  if (!conv) return { ok: false, code: "conversation_not_found" };

  if (category === "service") {
    const window = await readWindow(deps.pool, req.tenantId, req.conversationId);
    if (!window?.open) {
      const templates = await listTemplates(deps.pool, req.tenantId, { status: "approved" });
      return {
        ok: false,
        code: "window_closed",
        templates: templates.map((t) => ({ name: t.name, language: t.language, category: t.category })),
      };
    }
  }
  if (category === "marketing") {
    const consent = await readConsent(deps.pool, conv.customer_id);
    if (consent === "opted_out") return { ok: false, code: "opted_out" };
    if (consent === "none") return { ok: false, code: "no_opt_in" };
  }

  const recipient = { ...(conv.wa_id ? { waId: conv.wa_id } : {}), ...(conv.bsuid ? { userId: conv.bsuid } : {}) };
  const ids: string[] = [];
  let duplicate = false;
  for (const [i, message] of messages.entries()) {
    const r = await insertOutbound(deps.pool, {
      tenantId: req.tenantId,
      conversationId: req.conversationId,
      idempotencyKey: messages.length === 1 ? req.idempotencyKey : `${req.idempotencyKey}#${i + 1}`,
      message,
      recipient,
      category,
      source: req.source,
      text: textOf(message),
      contextWamid: i === 0 ? req.contextWamid : null,
    });
    ids.push(r.id);
    duplicate ||= r.duplicate;
  }
  deps.onQueued?.();
  return { ok: true, messageIds: ids, duplicate };
}

function textOf(m: OutgoingMessage): string | null {
  switch (m.type) {
    case "text":
      return m.text.body;
    case "interactive":
      return m.interactive.body.text;
    case "image":
      return m.image.caption ?? null;
    case "video":
      return m.video.caption ?? null;
    case "document":
      return m.document.caption ?? null;
    case "template":
      return `[template ${m.template.name}]`;
    default:
      return null;
  }
}
