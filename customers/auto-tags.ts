/**
 * Automatic tags, recomputed from the record (customer profile, agent turns' intents, handoffs and their CSAT):
 * `refreshAutoTags` replaces one customer's automatic tags in one transaction and never touches a manual tag, even
 * one with the same name (a tag an admin set by hand stays theirs).
 */
import type pg from "pg";
import { withTransaction } from "../lib/db.ts";
import { type AutoTag, type CustomerRecord, computeAutoTags } from "./auto-tag-rules.ts";
import { readTaggingSettings, type TaggingSettings } from "./tagging-settings.ts";

type Queryable = Pick<pg.Pool, "query">;

/** The longest look-back any rule uses, so one read serves them all. */
function maxLookbackDays(s: TaggingSettings): number {
  return Math.max(s.intents.lookbackDays, s.escalated.lookbackDays, s.highIntent.lookbackDays, s.atRisk.lookbackDays);
}

/** Reads what the rules need about one customer, or undefined when the customer is not the tenant's (or erased). */
export async function loadCustomerRecord(
  db: Queryable,
  tenantId: string,
  customerId: string,
  settings: TaggingSettings,
): Promise<CustomerRecord | undefined> {
  const { rows: cu } = await db.query(
    "SELECT language, country, time_zone FROM customers WHERE id = $1 AND tenant_id = $2 AND erased_at IS NULL",
    [customerId, tenantId],
  );
  const c = cu[0];
  if (!c) return undefined;
  const days = maxLookbackDays(settings);
  // The newest turn of each intent is all the rules need.
  const { rows: turns } = await db.query(
    `SELECT DISTINCT ON (t.intent) t.id::text, t.conversation_id::text, t.intent, t.created_at
     FROM agent_turns t JOIN conversations v ON v.id = t.conversation_id
     WHERE v.customer_id = $1 AND t.tenant_id = $2 AND t.intent IS NOT NULL AND t.created_at >= now() - make_interval(days => $3)
     ORDER BY t.intent, t.created_at DESC, t.id DESC`,
    [customerId, tenantId, days],
  );
  const { rows: handoffs } = await db.query(
    `SELECT h.id::text, h.conversation_id::text, h.reason, h.csat_score, h.created_at
     FROM handoffs h JOIN conversations v ON v.id = h.conversation_id
     WHERE v.customer_id = $1 AND h.tenant_id = $2 AND h.created_at >= now() - make_interval(days => $3)
     ORDER BY h.created_at DESC, h.id DESC LIMIT 100`,
    [customerId, tenantId, days],
  );
  const hasKeywords = Object.values(settings.intents.extraKeywords).some((k) => k.length > 0);
  const { rows: messages } = hasKeywords
    ? await db.query(
        `SELECT m.id::text, m.text, m.sent_at FROM messages m JOIN conversations v ON v.id = m.conversation_id
         WHERE v.customer_id = $1 AND m.tenant_id = $2 AND m.direction = 'inbound' AND m.text IS NOT NULL
           AND m.sent_at >= now() - make_interval(days => $3)
         ORDER BY m.sent_at DESC, m.id DESC LIMIT 200`,
        [customerId, tenantId, days],
      )
    : { rows: [] };
  return {
    language: c.language,
    country: c.country,
    timeZone: c.time_zone,
    turns: turns.map((t) => ({ id: t.id, conversationId: t.conversation_id, intent: t.intent, at: new Date(t.created_at) })),
    handoffs: handoffs.map((h) => ({
      id: h.id,
      conversationId: h.conversation_id,
      reason: h.reason,
      csat: h.csat_score,
      at: new Date(h.created_at),
    })),
    messages: messages.map((m) => ({ id: m.id, text: m.text, at: new Date(m.sent_at) })),
  };
}

/**
 * Recomputes a customer's automatic tags and stores them: new ones added, changed reasons updated, the ones no rule
 * sets any more removed. Returns the tags now set automatically, or undefined for an unknown customer.
 */
export async function refreshAutoTags(
  pool: pg.Pool,
  tenantId: string,
  customerId: string,
  settings?: TaggingSettings,
): Promise<AutoTag[] | undefined> {
  const rules = settings ?? (await readTaggingSettings(pool, tenantId));
  const record = await loadCustomerRecord(pool, tenantId, customerId, rules);
  if (!record) return undefined;
  const tags = computeAutoTags(record, rules);
  await withTransaction(pool, async (tx) => {
    await tx.query("DELETE FROM customer_tags WHERE customer_id = $1 AND source = 'auto' AND NOT (tag = ANY($2::text[]))", [
      customerId,
      tags.map((t) => t.tag),
    ]);
    for (const t of tags) {
      // A manual tag of the same name wins: the conflict leaves it as it is.
      await tx.query(
        `INSERT INTO customer_tags (tenant_id, customer_id, tag, source, reason, evidence) VALUES ($1, $2, $3, 'auto', $4, $5)
         ON CONFLICT (customer_id, tag) DO UPDATE SET reason = EXCLUDED.reason, evidence = EXCLUDED.evidence, updated_at = now()
         WHERE customer_tags.source = 'auto' AND (customer_tags.reason IS DISTINCT FROM EXCLUDED.reason
           OR customer_tags.evidence IS DISTINCT FROM EXCLUDED.evidence)`,
        [tenantId, customerId, t.tag, t.reason, JSON.stringify(t.evidence)],
      );
    }
  });
  return tags;
}

/** Recomputes every (non-erased) customer of a tenant, in id order; returns how many were refreshed. */
export async function recomputeTenantTags(pool: pg.Pool, tenantId: string, opts: { isStopped?: () => boolean } = {}): Promise<number> {
  const settings = await readTaggingSettings(pool, tenantId);
  let afterId = "0";
  let count = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE tenant_id = $1 AND erased_at IS NULL AND id > $2 ORDER BY id LIMIT 200",
      [tenantId, afterId],
    );
    for (const r of rows) {
      if (opts.isStopped?.()) return count;
      await refreshAutoTags(pool, tenantId, r.id, settings);
      count += 1;
    }
    const last = rows.at(-1);
    if (!last) return count;
    afterId = last.id;
  }
}

/** The customer a conversation belongs to (within the tenant). */
export async function customerOfConversation(db: Queryable, tenantId: string, conversationId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ customer_id: string }>("SELECT customer_id::text FROM conversations WHERE id = $1 AND tenant_id = $2", [
    conversationId,
    tenantId,
  ]);
  return rows[0]?.customer_id;
}
