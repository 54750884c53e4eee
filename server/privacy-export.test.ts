import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivacyHarness, type SeededCustomer, seedFullCustomer, startPrivacyHarness } from "./privacy-testing.ts";

let h: PrivacyHarness;
let zoraida: SeededCustomer;

beforeAll(async () => {
  h = await startPrivacyHarness();
  zoraida = await seedFullCustomer(h, "x");
}, 120_000);
afterAll(async () => {
  await h.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the export is asserted section by section
type Row = Record<string, any>;
const exportOf = (id: string, headers: Record<string, string> = {}) => h.admin(`/admin/customers/${id}/export`, { headers });

describe("GET /admin/customers/:id/export", () => {
  it("returns every section of what is stored about the customer, as a JSON attachment", async () => {
    const res = await exportOf(zoraida.customerId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="customer-${zoraida.customerId}-export.json"`);
    const doc = await res.json();
    expect(doc).toMatchObject({ format: "switchboard.customer-export/1", tenant_id: "default", customer_id: zoraida.customerId });
    const s: Record<string, Row[]> = doc.sections;
    expect(Object.keys(s)).toEqual([
      "profile",
      "identities",
      "consents",
      "tags",
      "conversations",
      "messages",
      "media",
      "handoffs",
      "notes",
      "agent_turns",
      "order_identity_links",
      "order_actions",
      "order_audit",
      "admin_audit",
      "campaigns",
    ]);
    expect(s.profile).toEqual([
      expect.objectContaining({
        name: "Zoraida Quintanilla X",
        language: "es",
        time_zone: "Europe/Madrid",
        attributes: { email: "zoraida.q.x@example.org", city: "Teruel" },
      }),
    ]);
    expect(s.identities?.map((i) => i.kind).sort()).toEqual(["bsuid", "username", "wa_id"]);
    expect(s.consents).toEqual([
      expect.objectContaining({ action: "opt_in", text_shown: "Northwind may send offers to Zoraida Quintanilla X" }),
    ]);
    // The manual tag, and the automatic ones the conversation earned, each with its reason.
    expect(s.tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tag: "vip", source: "manual" }),
        expect.objectContaining({ tag: "escalated", source: "auto", reason: expect.any(String) }),
      ]),
    );
    expect(s.conversations).toEqual([expect.objectContaining({ id: zoraida.conversationId })]);

    const messages = s.messages as Row[];
    const inbound = messages.filter((m) => m.direction === "inbound");
    const outbound = messages.filter((m) => m.direction === "outbound");
    expect(inbound.map((m) => m.type)).toEqual(["text", "image", "text", "interactive"]);
    expect(inbound[0]?.text).toContain("teal umbrella");
    expect(inbound[1]?.payload.image.id).toBe("zq.media.x.99887766");
    expect(outbound.length).toBeGreaterThanOrEqual(3);
    expect(outbound.some((m) => m.statuses.some((st: Row) => st.status === "delivered"))).toBe(true);
    expect(s.media).toEqual([
      expect.objectContaining({ media_id: "zq.media.x.99887766", storage_key: zoraida.mediaKey, status: "stored" }),
    ]);

    expect(s.handoffs).toEqual([
      expect.objectContaining({ id: zoraida.handoffId, reason: "customer_request", status: "resolved", csat_score: 4 }),
    ]);
    expect(Object.keys(s.handoffs?.[0]?.summary ?? {})).not.toHaveLength(0);
    expect(s.notes).toEqual([
      expect.objectContaining({ kind: "note", text: "Called Zoraida Quintanilla X back about the lilac jacket X" }),
    ]);
    const turns = s.agent_turns as Row[];
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(turns.map((t) => t.decision)).toContain("escalation");
    expect(turns[0]?.trace.nodes).toContain("guard");
    expect(turns[0]).not.toHaveProperty("trace.retrieval");

    expect(s.order_identity_links).toEqual([expect.objectContaining({ erp_customer_id: "zoraida_q_x_4411", method: "phone" })]);
    expect(s.order_actions).toEqual([
      expect.objectContaining({ kind: "update_shipping_address", summary: "Ship #W58X13 to Zoraida Quintanilla X" }),
    ]);
    expect(s.order_audit).toEqual([expect.objectContaining({ outcome: "proposed", detail: { email: "zoraida.q.x@example.org" } })]);
    // The export itself is audited before the document is produced, so it lists itself.
    expect(s.admin_audit?.map((a) => a.action)).toEqual(["customer.update", "customer.export"]);
    expect(s.campaigns).toEqual([]);
  });

  it("audits each export with no personal data in the details", async () => {
    const { rows: before } = await h.db.pool.query("SELECT count(*)::int AS n FROM admin_audit WHERE action = 'customer.export'");
    expect((await exportOf(zoraida.customerId)).status).toBe(200);
    const { rows } = await h.db.pool.query(
      "SELECT actor, subject_type, subject_id, details FROM admin_audit WHERE action = 'customer.export' ORDER BY id DESC",
    );
    expect(rows).toHaveLength(before[0].n + 1);
    expect(rows[0]).toEqual({ actor: "admin", subject_type: "customer", subject_id: zoraida.customerId, details: {} });
  });

  it("refuses unknown ids, other tenants' customers, bad ids and missing credentials, and audits none of them", async () => {
    await h.db.pool.query("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING");
    const { rows: before } = await h.db.pool.query("SELECT count(*)::int AS n FROM admin_audit");
    expect((await exportOf("999999")).status).toBe(404);
    expect((await exportOf(zoraida.customerId, { "x-tenant-id": "acme" })).status).toBe(404);
    expect((await exportOf(zoraida.customerId, { "x-tenant-id": "a/b" })).status).toBe(400);
    expect((await exportOf("12ab")).status).toBe(400);
    expect((await exportOf("9".repeat(19))).status).toBe(400);
    const unauthorized = await exportOf(zoraida.customerId, { authorization: "Bearer nope" });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.text()).not.toContain("Zoraida");
    const { rows: after } = await h.db.pool.query("SELECT count(*)::int AS n FROM admin_audit");
    expect(after[0].n).toBe(before[0].n);
  });
});
