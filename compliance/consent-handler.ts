/**
 * Turns customers' consent signals into consent records: an opt-out/opt-in keyword or quick-reply tap (answered
 * with a short confirmation in their language), and WhatsApp's own "stop/resume marketing messages" control,
 * which reaches us as a `user_preferences` webhook.
 */
import type pg from "pg";
import type { QueueDeps } from "../outbox/queue-message.ts";
import { queueText } from "../outbox/queue-message.ts";
import { consentConfirmation, detectConsentKeyword } from "./consent-keywords.ts";
import { recordConsent } from "./consent-store.ts";

export type KeywordMessage = {
  tenantId: string;
  conversationId: string;
  customerId: string;
  wamid: string;
  type: string;
  text: string | null;
  raw: Record<string, unknown>;
};

/** Handles a consent keyword; true when the message was one (the bot should then not answer it too). */
export async function handleConsentKeyword(deps: { pool: pg.Pool; queue: QueueDeps }, m: KeywordMessage): Promise<boolean> {
  const payload = m.type === "button" ? (m.raw.button as { payload?: string } | undefined)?.payload : undefined;
  const keyword = detectConsentKeyword(m.text) ?? detectConsentKeyword(payload);
  if (!keyword) return false;
  // Idempotent on the message: a redelivered event must not add a second record.
  const { rows } = await deps.pool.query("SELECT 1 FROM consents WHERE customer_id = $1 AND evidence->>'wamid' = $2", [
    m.customerId,
    m.wamid,
  ]);
  if (rows.length === 0) {
    await recordConsent(deps.pool, m.tenantId, m.customerId, {
      action: keyword.action,
      source: m.type === "text" ? "keyword" : "quick_reply",
      evidence: { wamid: m.wamid, text: m.text, language: keyword.language },
    });
  }
  await queueText(deps.queue, {
    tenantId: m.tenantId,
    conversationId: m.conversationId,
    idempotencyKey: `consent:${m.wamid}`,
    source: "system",
    text: consentConfirmation(keyword.action, keyword.language),
    contextWamid: m.wamid,
  });
  return true;
}

export type PreferenceItem = {
  action: "opt_out" | "opt_in";
  waId?: string | undefined;
  userId?: string | undefined;
  detail?: string | undefined;
};

/** Reads the `user_preferences` webhook value: `[{ wa_id, user_id?, category: "marketing_messages", value: "stop"|"resume" }]`. */
export function parseUserPreferences(value: unknown): PreferenceItem[] {
  const items = (value as { user_preferences?: unknown[] } | null)?.user_preferences;
  if (!Array.isArray(items)) return [];
  return items.flatMap((it) => {
    const p = it as { wa_id?: string; user_id?: string; category?: string; value?: string; detail?: string };
    if (p.category !== "marketing_messages" || (p.value !== "stop" && p.value !== "resume")) return [];
    return [{ action: p.value === "stop" ? "opt_out" : "opt_in", waId: p.wa_id, userId: p.user_id, detail: p.detail }];
  });
}
