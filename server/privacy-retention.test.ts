import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../lib/logger.ts";
import { createRetentionJob } from "../privacy/retention-job.ts";
import { type PrivacyHarness, type SeededCustomer, seedFullCustomer, startPrivacyHarness } from "./privacy-testing.ts";

let h: PrivacyHarness;
let old: SeededCustomer;
let recent: { id: string; customer: string };
let oldPhone = "";

beforeAll(async () => {
  h = await startPrivacyHarness();
  old = await seedFullCustomer(h, "r");
  recent = await h.customerSays("34677000333", "Is the amber hat back in stock?", "Recent Customer");
  await h.settle();
  // Forty days pass for the old customer's conversation and everything the webhook stored for it.
  const { rows } = await h.db.pool.query("SELECT wa_id FROM customers WHERE id = $1", [old.customerId]);
  oldPhone = rows[0].wa_id;
  await h.db.pool.query("UPDATE conversations SET last_message_at = now() - interval '40 days' WHERE id = $1", [old.conversationId]);
  await h.db.pool.query("UPDATE webhook_events SET created_at = now() - interval '40 days' WHERE strpos(payload::text, $1) > 0", [
    rows[0].wa_id,
  ]);
  await h.db.pool.query("UPDATE webhook_deliveries SET received_at = now() - interval '40 days' WHERE strpos(body, $1) > 0", [
    rows[0].wa_id,
  ]);
  await h.db.pool.query("UPDATE sandbox_messages SET created_at = now() - interval '40 days' WHERE recipient = $1", [rows[0].wa_id]);
}, 120_000);
afterAll(async () => {
  await h.close();
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "PUT",
  body: typeof body === "string" ? body : JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});
const count = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows[0].n as number;
const retentionAudits = () => count("SELECT count(*)::int AS n FROM admin_audit WHERE action = 'retention.run'");

describe("retention", () => {
  it("keeps everything until a period is set: the default is null (keep forever), and a manual run is refused", async () => {
    expect(await (await h.admin("/admin/settings/privacy")).json()).toEqual({ retentionDays: null });
    expect(await h.retention.runDue()).toEqual([]);
    const res = await h.admin("/admin/privacy/retention/run", { method: "POST" });
    expect(res.status).toBe(409);
    expect(await count("SELECT count(*)::int AS n FROM conversations WHERE id = $1", [old.conversationId])).toBe(1);
  });

  it("deletes conversations older than the period with their checkpoints and media, keeps recent ones, once a day", async () => {
    const put = await h.admin("/admin/settings/privacy", json({ retentionDays: 30 }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ retentionDays: 30 });
    const threads = "SELECT count(*)::int AS n FROM agent_checkpoints.checkpoints WHERE split_part(thread_id, ':', 1) = $1";
    expect(await count(threads, [old.conversationId])).toBeGreaterThan(0);
    expect(await h.storage.get(old.mediaKey)).toBeDefined();
    const recentMessages = await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1", [recent.id]);

    const runs = await h.retention.runDue();
    expect(runs).toEqual([
      {
        tenantId: "default",
        retentionDays: 30,
        counts: expect.objectContaining({ conversations: 1, mediaFiles: 1, orderAudit: 1, mediaFilesRemovedFromStorage: 1 }),
      },
    ]);
    const c = runs[0]?.counts;
    expect(c?.messages).toBeGreaterThanOrEqual(7);
    expect(c?.checkpoints).toBeGreaterThan(0);
    expect(c?.webhookEvents).toBeGreaterThan(0);
    expect(c?.webhookDeliveries).toBeGreaterThan(0);
    expect(c?.sandboxMessages).toBeGreaterThan(0);

    expect(await count("SELECT count(*)::int AS n FROM conversations WHERE id = $1", [old.conversationId])).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1", [old.conversationId])).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM handoffs WHERE conversation_id = $1", [old.conversationId])).toBe(0);
    expect(await count(threads, [old.conversationId])).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM media_files WHERE storage_key = $1", [old.mediaKey])).toBe(0);
    expect(await h.storage.get(old.mediaKey)).toBeUndefined();
    expect(await count("SELECT count(*)::int AS n FROM webhook_deliveries WHERE strpos(body, $1) > 0", [oldPhone])).toBe(0);
    // The recent conversation and its archive are untouched; the old customer's profile stays (erasure removes that).
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1", [recent.id])).toBe(recentMessages);
    expect(await count("SELECT count(*)::int AS n FROM webhook_deliveries WHERE strpos(body, '34677000333') > 0")).toBeGreaterThan(0);
    expect(await count("SELECT count(*)::int AS n FROM customers WHERE id = $1 AND erased_at IS NULL", [old.customerId])).toBe(1);

    const { rows: audit } = await h.db.pool.query("SELECT actor, details FROM admin_audit WHERE action = 'retention.run'");
    expect(audit).toEqual([
      { actor: "system:retention", details: { retentionDays: 30, counts: expect.objectContaining({ conversations: 1 }) } },
    ]);

    // Once a day: a second tick, and a freshly started job (a restart), find today's run already done.
    expect(await h.retention.runDue()).toEqual([]);
    const restarted = createRetentionJob({ pool: h.db.pool, storage: h.storage, logger: createLogger("silent") });
    expect(await restarted.runDue()).toEqual([]);
    expect(await retentionAudits()).toBe(1);
    // The next day it runs again.
    await h.db.pool.query("UPDATE retention_runs SET last_run_on = last_run_on - 1 WHERE tenant_id = 'default'");
    expect((await restarted.runDue()).map((r) => [r.tenantId, r.counts.conversations])).toEqual([["default", 0]]);
    expect(await retentionAudits()).toBe(2);
  });

  it("runs on demand (even if it already ran today) and answers the counts", async () => {
    await h.db.pool.query("UPDATE conversations SET last_message_at = now() - interval '31 days' WHERE id = $1", [recent.id]);
    const res = await h.admin("/admin/privacy/retention/run", { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ tenantId: "default", retentionDays: 30, counts: { conversations: 1 } });
    expect(await count("SELECT count(*)::int AS n FROM conversations WHERE id = $1", [recent.id])).toBe(0);
    const { rows } = await h.db.pool.query("SELECT actor FROM admin_audit WHERE action = 'retention.run' ORDER BY id DESC LIMIT 1");
    expect(rows[0].actor).toBe("admin");
  });

  it("applies each tenant's own period to its own conversations only", async () => {
    await h.db.pool.query("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING");
    const seed = async (tenant: string, waId: string) => {
      const { rows: cu } = await h.db.pool.query("INSERT INTO customers (tenant_id, wa_id) VALUES ($1, $2) RETURNING id", [tenant, waId]);
      const { rows } = await h.db.pool.query(
        `INSERT INTO conversations (tenant_id, customer_id, phone_number_id, last_message_at)
         VALUES ($1, $2, 'pn-' || $1, now() - interval '10 days') RETURNING id::text`,
        [tenant, cu[0].id],
      );
      return rows[0].id as string;
    };
    const acmeConv = await seed("acme", "4470000001");
    const defaultConv = await seed("default", "4470000002");
    expect((await h.admin("/admin/settings/privacy", json({ retentionDays: 5 }, { "x-tenant-id": "acme" }))).status).toBe(200);
    const res = await h.admin("/admin/privacy/retention/run", { method: "POST", headers: { "x-tenant-id": "acme" } });
    expect(await res.json()).toMatchObject({ tenantId: "acme", retentionDays: 5, counts: { conversations: 1 } });
    expect(await count("SELECT count(*)::int AS n FROM conversations WHERE id = ANY($1::bigint[])", [[acmeConv, defaultConv]])).toBe(1);
    expect(await count("SELECT count(*)::int AS n FROM conversations WHERE id = $1", [defaultConv])).toBe(1);
    expect(await (await h.admin("/admin/settings/privacy")).json()).toEqual({ retentionDays: 30 });
  });
});

describe("privacy settings input", () => {
  it.each([
    ["zero days", { retentionDays: 0 }],
    ["over ten years", { retentionDays: 3651 }],
    ["a fraction", { retentionDays: 1.5 }],
    ["a string", { retentionDays: "30" }],
    ["an unknown field", { retentionDays: 30, keepMedia: true }],
    ["an array", [30]],
    ["malformed JSON", "{retentionDays: 30"],
  ])("refuses %s with 400 and keeps the settings", async (_name, body) => {
    const res = await h.admin("/admin/settings/privacy", json(body));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("bad_request");
    expect(await (await h.admin("/admin/settings/privacy")).json()).toEqual({ retentionDays: 30 });
  });

  it("refuses an oversized body (413), no credentials (401) and an unknown tenant (404)", async () => {
    expect((await h.admin("/admin/settings/privacy", json({ retentionDays: 30, pad: "x".repeat(10_000) }))).status).toBe(413);
    expect((await h.admin("/admin/settings/privacy", json({ retentionDays: 1 }, { authorization: "Bearer wrong" }))).status).toBe(401);
    expect((await h.admin("/admin/settings/privacy", { headers: { authorization: "" } })).status).toBe(401);
    expect((await h.admin("/admin/privacy/retention/run", { method: "POST", headers: { authorization: "Bearer x" } })).status).toBe(401);
    expect((await h.admin("/admin/settings/privacy", json({ retentionDays: 1 }, { "x-tenant-id": "ghost" }))).status).toBe(404);
    expect((await h.admin("/admin/settings/privacy", { headers: { "x-tenant-id": "ghost" } })).status).toBe(404);
    expect((await h.admin("/admin/privacy/retention/run", { method: "POST", headers: { "x-tenant-id": "ghost" } })).status).toBe(404);
    expect(await (await h.admin("/admin/settings/privacy")).json()).toEqual({ retentionDays: 30 });
  });

  it("documents the privacy routes in the OpenAPI document", async () => {
    const { paths } = await (await h.admin("/openapi.json")).json();
    expect(Object.keys(paths["/admin/customers/{id}"])).toContain("delete");
    expect(Object.keys(paths["/admin/customers/{id}/export"])).toEqual(["get"]);
    expect(Object.keys(paths["/admin/settings/privacy"]).sort()).toEqual(["get", "put"]);
    expect(Object.keys(paths["/admin/privacy/retention/run"])).toEqual(["post"]);
  });

  it("accepts null to keep conversations forever again", async () => {
    const res = await h.admin("/admin/settings/privacy", json({ retentionDays: null }));
    expect(await res.json()).toEqual({ retentionDays: null });
    expect(await h.retention.runDue()).toEqual([]);
  });
});
