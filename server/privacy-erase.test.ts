import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERASED_BODY } from "../privacy/erase-steps.ts";
import { findStrings, type PrivacyHarness, type SeededCustomer, seedFullCustomer, startPrivacyHarness } from "./privacy-testing.ts";

let h: PrivacyHarness;
let zoraida: SeededCustomer;
let other: { id: string; customer: string };

beforeAll(async () => {
  h = await startPrivacyHarness();
  zoraida = await seedFullCustomer(h, "e");
  other = await h.customerSays("34699000111", "Do you ship the marigold scarf to Porto?", "Bartolomeu Ferreira");
  await h.settle();
}, 120_000);
afterAll(async () => {
  await h.close();
});

const counts = async (conversationId: string) => {
  const { rows } = await h.db.pool.query(
    `SELECT (SELECT count(*)::int FROM messages WHERE conversation_id = $1) AS messages,
            (SELECT count(*)::int FROM messages WHERE conversation_id = $1 AND direction = 'inbound') AS inbound,
            (SELECT count(*)::int FROM handoffs WHERE conversation_id = $1 AND csat_score = 4) AS rated_handoffs,
            (SELECT count(*)::int FROM agent_turns WHERE conversation_id = $1) AS turns,
            (SELECT count(*)::int FROM conversations WHERE id = $1) AS conversations`,
    [conversationId],
  );
  return rows[0];
};
const erase = (id: string, headers: Record<string, string> = {}) => h.admin(`/admin/customers/${id}`, { method: "DELETE", headers });

describe("DELETE /admin/customers/:id", () => {
  it("leaves nothing personal in any table, deletes the media file, keeps the counts and the other customer", async () => {
    const before = await findStrings(h.db.pool, zoraida.needles);
    // Every planted string is really there first (otherwise the search below could not fail).
    expect(new Set(before.map((f) => f.needle))).toEqual(new Set(zoraida.needles));
    expect(before.map((f) => f.table)).toEqual(expect.arrayContaining(["agent_checkpoints.checkpoint_blobs", "public.webhook_deliveries"]));
    expect(await h.storage.get(zoraida.mediaKey)).toBeDefined();
    const countsBefore = await counts(zoraida.conversationId);
    const tagsBefore = await h.db.pool.query("SELECT count(*)::int AS n FROM customer_tags WHERE customer_id = $1", [zoraida.customerId]);
    expect(countsBefore).toMatchObject({ rated_handoffs: 1, conversations: 1 });
    expect(countsBefore.turns).toBeGreaterThanOrEqual(2);
    const otherBefore = await h.db.pool.query("SELECT m.* FROM messages m WHERE conversation_id = $1 ORDER BY id", [other.id]);
    expect(otherBefore.rows.map((m) => m.text)).toContain("Do you ship the marigold scarf to Porto?");

    const res = await erase(zoraida.customerId);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(await findStrings(h.db.pool, zoraida.needles)).toEqual([]);
    expect(body).toMatchObject({
      status: "erased",
      counts: { messages: countsBefore.messages, notes: 1, mediaFiles: 1, tags: tagsBefore.rows[0].n },
    });
    expect(body.counts.checkpoints).toBeGreaterThan(0);
    expect(body.counts.mediaFilesRemovedFromStorage).toBe(1);

    expect(await h.storage.get(zoraida.mediaKey)).toBeUndefined();
    expect(await counts(zoraida.conversationId)).toEqual(countsBefore);
    const { rows: profile } = await h.db.pool.query("SELECT * FROM customers WHERE id = $1", [zoraida.customerId]);
    expect(profile[0]).toMatchObject({ bsuid: null, wa_id: null, name: null, username: null, attributes: {}, time_zone: null });
    expect(profile[0].erased_at).toBeInstanceOf(Date);
    const { rows: consents } = await h.db.pool.query("SELECT action, source, text_shown FROM consents WHERE customer_id = $1", [
      zoraida.customerId,
    ]);
    expect(consents).toEqual([{ action: "opt_in", source: "checkout_checkbox", text_shown: null }]);

    const otherAfter = await h.db.pool.query("SELECT m.* FROM messages m WHERE conversation_id = $1 ORDER BY id", [other.id]);
    expect(otherAfter.rows).toEqual(otherBefore.rows);
    expect((await findStrings(h.db.pool, ["marigold scarf", "34699000111", "Bartolomeu Ferreira"])).map((f) => f.table)).toEqual(
      expect.arrayContaining(["public.customers", "public.messages", "public.webhook_deliveries"]),
    );
    const { rows: redacted } = await h.db.pool.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE body = $1", [ERASED_BODY]);
    expect(redacted[0].n).toBe(body.counts.webhookDeliveries);

    const { rows: audit } = await h.db.pool.query(
      "SELECT actor, details FROM admin_audit WHERE action = 'customer.erase' AND subject_type = 'customer' AND subject_id = $1",
      [zoraida.customerId],
    );
    expect(audit).toEqual([
      { actor: "admin", details: { conversations: 1, counts: expect.objectContaining({ messages: countsBefore.messages }) } },
    ]);
  });

  it("answers 200 already_erased the second time, scrubbing what an in-flight write left, and the export is 404", async () => {
    const { rows: first } = await h.db.pool.query("SELECT erased_at FROM customers WHERE id = $1", [zoraida.customerId]);
    // What a reply that was being sent while the first erasure ran would leave behind.
    await h.db.pool.query(
      `INSERT INTO messages (tenant_id, conversation_id, direction, wa_message_id, type, text, payload, status, sent_at)
       VALUES ('default', $1, 'outbound', 'wamid.late.1', 'text', 'late reply about the teal umbrella', '{"to": "late"}', 'sent', now())`,
      [zoraida.conversationId],
    );
    const res = await erase(zoraida.customerId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "already_erased", erasedAt: first[0].erased_at.toISOString() });
    expect(await findStrings(h.db.pool, ["late reply", "wamid.late.1"])).toEqual([]);
    const { rows: audits } = await h.db.pool.query("SELECT count(*)::int AS n FROM admin_audit WHERE action = 'customer.erase'");
    expect(audits[0].n).toBe(1);
    expect((await h.admin(`/admin/customers/${zoraida.customerId}/export`)).status).toBe(404);
  });

  it("a customer who writes again after erasure is a new, unrelated customer", async () => {
    const again = await h.customerSays("34699000222", "Hello again");
    expect(again.customer).not.toBe(zoraida.customerId);
  });

  it("refuses unknown ids, other tenants' customers, bad ids and missing credentials", async () => {
    await h.db.pool.query("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING");
    expect((await erase("999999")).status).toBe(404);
    expect((await erase(other.customer, { "x-tenant-id": "acme" })).status).toBe(404);
    expect((await erase(other.customer, { "x-tenant-id": "no such tenant!" })).status).toBe(400);
    expect((await erase("abc")).status).toBe(400);
    expect((await erase("1".repeat(30))).status).toBe(400);
    expect((await erase(other.customer, { authorization: "Bearer wrong" })).status).toBe(401);
    const { rows } = await h.db.pool.query("SELECT wa_id, erased_at FROM customers WHERE id = $1", [other.customer]);
    expect(rows[0]).toEqual({ wa_id: "34699000111", erased_at: null });
  });
});
