/**
 * Marketing consent per customer, kept as a history (`consents`): opt-ins with their source and the text the
 * customer was shown, opt-outs from keywords, button taps or WhatsApp's own "stop marketing" control. The latest
 * row is the current state. Meta: "You must obtain user opt-in before sending message templates."
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

export type ConsentState = "opted_in" | "opted_out" | "none";

export type ConsentRecord = {
  action: "opt_in" | "opt_out";
  source: string;
  textShown?: string | null | undefined;
  evidence?: unknown;
};

/** Appends a consent change. */
export async function recordConsent(
  db: Queryable,
  tenantId: string,
  customerId: string,
  record: ConsentRecord,
  topic = "marketing",
): Promise<void> {
  await db.query(
    `INSERT INTO consents (tenant_id, customer_id, topic, action, source, text_shown, evidence)
     SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2 AND tenant_id = $1)`,
    [
      tenantId,
      customerId,
      topic,
      record.action,
      record.source,
      record.textShown ?? null,
      record.evidence ? JSON.stringify(record.evidence) : null,
    ],
  );
}

/** The customer's current consent for a topic. */
export async function readConsent(db: Queryable, customerId: string, topic = "marketing"): Promise<ConsentState> {
  const { rows } = await db.query<{ action: string }>(
    "SELECT action FROM consents WHERE customer_id = $1 AND topic = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
    [customerId, topic],
  );
  const action = rows[0]?.action;
  return action === "opt_in" ? "opted_in" : action === "opt_out" ? "opted_out" : "none";
}

/** The consent history, newest first (for the console and exports). */
export async function listConsents(db: Queryable, customerId: string) {
  const { rows } = await db.query(
    "SELECT topic, action, source, text_shown, created_at FROM consents WHERE customer_id = $1 ORDER BY created_at DESC, id DESC",
    [customerId],
  );
  return rows.map((r) => ({
    topic: r.topic,
    action: r.action,
    source: r.source,
    textShown: r.text_shown,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
