/**
 * Fills the profile columns of customers recorded before they existed (migration 008): first and last contact from
 * their inbound messages, country and time zone from the phone number, language from their latest agent turn.
 * Idempotent; runs at startup in the background.
 */
import type pg from "pg";
import { setRegion } from "../conversations/conversation-store.ts";

/** Returns how many customers got a value they lacked. */
export async function backfillCustomers(pool: pg.Pool): Promise<number> {
  const { rowCount: contacts } = await pool.query(
    `UPDATE customers c SET first_contact_at = s.first_at, last_contact_at = s.last_at
     FROM (SELECT v.customer_id, min(m.sent_at) AS first_at, max(m.sent_at) AS last_at
           FROM messages m JOIN conversations v ON v.id = m.conversation_id
           WHERE m.direction = 'inbound' GROUP BY v.customer_id) s
     WHERE c.id = s.customer_id AND c.first_contact_at IS NULL AND c.erased_at IS NULL`,
  );
  const { rowCount: languages } = await pool.query(
    `UPDATE customers c SET language = s.language
     FROM (SELECT DISTINCT ON (v.customer_id) v.customer_id, t.language
           FROM agent_turns t JOIN conversations v ON v.id = t.conversation_id
           WHERE t.language ~ '^[a-z]{2,3}$' ORDER BY v.customer_id, t.id DESC) s
     WHERE c.id = s.customer_id AND c.language IS NULL AND c.erased_at IS NULL`,
  );
  let regions = 0;
  let afterId = "0";
  for (;;) {
    // Keyset over the ones still without a country: a number no country claims stays without one.
    const { rows } = await pool.query<{ id: string; wa_id: string }>(
      `SELECT id::text, wa_id FROM customers
       WHERE country IS NULL AND wa_id IS NOT NULL AND erased_at IS NULL AND id > $1 ORDER BY id LIMIT 500`,
      [afterId],
    );
    for (const r of rows) {
      if (await setRegion(pool, r.id, r.wa_id)) regions += 1;
    }
    const last = rows.at(-1);
    if (!last) break;
    afterId = last.id;
  }
  return (contacts ?? 0) + (languages ?? 0) + regions;
}
