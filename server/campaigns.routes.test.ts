import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPhoneNumber, createTenant } from "../tenants/tenant-store.ts";
import { addTemplates, postCampaign } from "./campaign-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
let otherTenantsCampaign: string;

const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.admin(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
const valid = {
  name: "Summer sale",
  template: { name: "promo", language: "es" },
  parameters: [{ attribute: "first_name", fallback: "cliente" }],
  segment: { filter: { consent: "opted_in" } },
};

beforeAll(async () => {
  h = await startHarness();
  await addTemplates(h);
  await createTenant(h.db.pool, "t2", "Other business");
  await addPhoneNumber(h.db.pool, "t2", "999000111");
  const t2 = { "x-tenant-id": "t2" };
  await send(
    "POST",
    "/admin/templates",
    { name: "promo", language: "es", category: "marketing", body: "Hi {{1}}", parameters: [{ type: "text" }] },
    t2,
  );
  otherTenantsCampaign = (await (await send("POST", "/admin/campaigns", valid, t2)).json()).id;
});
afterAll(async () => {
  await h.close();
});

describe("POST /admin/campaigns", () => {
  it("schedules a campaign for an inline filter or a saved segment", async () => {
    const at = new Date(Date.now() + 30 * 86_400_000);
    at.setUTCMinutes(0, 0, 0);
    const local = `${at.toISOString().slice(0, 19)}+01:00`; // the same wall time an hour east: one hour earlier
    const res = await send("POST", "/admin/campaigns", { ...valid, schedule: { at: local, quietHours: { start: "10:00", end: "19:30" } } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ status: "scheduled", allowedHours: { start: "10:00", end: "19:30" } });
    expect(Date.parse(body.sendAt)).toBe(at.getTime() - 3_600_000);
    const { rows } = await h.db.pool.query(
      `INSERT INTO segments (tenant_id, name, filter) VALUES ('default', 'vip', '{"tagsAll": ["vip"]}') RETURNING id::text`,
    );
    const saved = await send("POST", "/admin/campaigns", { ...valid, segment: { id: rows[0].id } });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ segmentId: rows[0].id, segmentFilter: { tagsAll: ["vip"] }, allowedHours: null });
  });

  it("refuses templates that cannot be sent and parameters that do not fit, saying why", async () => {
    const cases: [object, RegExp][] = [
      [{ template: { name: "nope", language: "es" } }, /does not exist/],
      [{ template: { name: "promo", language: "en" } }, /does not exist/],
      [{ template: { name: "draft", language: "es" }, parameters: [] }, /is pending; only approved/],
      [{ parameters: [] }, /takes 1 parameters; 0 were given/],
      [{ parameters: [{ value: "a" }, { value: "b" }] }, /takes 1 parameters; 2 were given/],
      [{ segment: { id: "999999" } }, /Segment 999999 does not exist/],
    ];
    for (const [over, message] of cases) {
      const res = await send("POST", "/admin/campaigns", { ...valid, ...over });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
  });

  it("answers 400 for malformed bodies and wrong types, 413 when oversized, 401 without the token", async () => {
    const bad = [
      "{not json",
      [],
      { ...valid, name: 42 },
      { ...valid, name: "" },
      { ...valid, extra: true },
      { ...valid, template: "promo" },
      { ...valid, template: { name: "Promo!", language: "es" } },
      { ...valid, parameters: [{ attribute: "a b" }] },
      { ...valid, parameters: Array.from({ length: 21 }, () => ({ value: "x" })) },
      { ...valid, segment: {} },
      { ...valid, segment: { id: "abc" } },
      { ...valid, segment: { filter: { tagsAll: [] } } },
      { ...valid, segment: { filter: { unknown: 1 } } },
      { ...valid, schedule: { at: "tomorrow" } },
      { ...valid, schedule: { quietHours: { start: "25:00", end: "20:00" } } },
      { name: "only a name" },
    ];
    for (const body of bad) expect((await send("POST", "/admin/campaigns", body)).status).toBe(400);
    const ahead = await send("POST", "/admin/campaigns", {
      ...valid,
      schedule: { at: new Date(Date.now() + 400 * 86_400_000).toISOString() },
    });
    expect(ahead.status).toBe(400);
    expect((await send("POST", "/admin/campaigns", { ...valid, name: "x".repeat(70_000) })).status).toBe(413);
    const anon = await h.app.request("/admin/campaigns", {
      method: "POST",
      body: JSON.stringify(valid),
      headers: { "content-type": "application/json" },
    });
    expect(anon.status).toBe(401);
    expect((await send("POST", "/admin/campaigns", valid, { "x-tenant-id": "bad tenant!" })).status).toBe(400);
  });
});

describe("GET and cancel /admin/campaigns/:id", () => {
  it("lists newest first with paging, only the tenant's own", async () => {
    const first = (await (await postCampaign(h, "page")).json()).id;
    const second = (await (await postCampaign(h, "page")).json()).id;
    const page = await (await send("GET", "/admin/campaigns?limit=1")).json();
    expect(page.campaigns.map((c: { id: string }) => c.id)).toEqual([second]);
    const next = await (await send("GET", `/admin/campaigns?limit=1&before=${second}`)).json();
    expect(next.campaigns.map((c: { id: string }) => c.id)).toEqual([first]);
    const all = await (await send("GET", "/admin/campaigns?limit=200")).json();
    expect(all.campaigns.map((c: { id: string }) => c.id)).not.toContain(otherTenantsCampaign);
    for (const q of ["limit=0", "limit=201", "limit=abc", "before=x"])
      expect((await send("GET", `/admin/campaigns?${q}`)).status).toBe(400);
    expect((await h.app.request("/admin/campaigns")).status).toBe(401);
  });

  it("shows one campaign with results; 404 for unknown ids and other tenants' campaigns, 400 for bad ids", async () => {
    const id = (await (await postCampaign(h, "one")).json()).id;
    const res = await send("GET", `/admin/campaigns/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, name: "campaign one", results: { targeted: 0 } });
    expect((await send("GET", "/admin/campaigns/999999")).status).toBe(404);
    expect((await send("GET", `/admin/campaigns/${otherTenantsCampaign}`)).status).toBe(404);
    expect((await send("GET", `/admin/campaigns/${otherTenantsCampaign}`, undefined, { "x-tenant-id": "t2" })).status).toBe(200);
    expect((await send("GET", "/admin/campaigns/abc")).status).toBe(400);
    expect((await h.app.request(`/admin/campaigns/${id}`)).status).toBe(401);
  });

  it("cancels once; 409 after, 404 for unknown or other tenants' ids, 400 for bad ids, 401 without the token", async () => {
    const id = (await (await postCampaign(h, "cancel")).json()).id;
    const res = await send("POST", `/admin/campaigns/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: "cancelled", finishedAt: expect.any(String) });
    expect((await send("POST", `/admin/campaigns/${id}/cancel`)).status).toBe(409);
    expect((await send("POST", "/admin/campaigns/999999/cancel")).status).toBe(404);
    expect((await send("POST", `/admin/campaigns/${otherTenantsCampaign}/cancel`)).status).toBe(404);
    expect((await send("POST", "/admin/campaigns/1e3/cancel")).status).toBe(400);
    expect((await h.app.request(`/admin/campaigns/${id}/cancel`, { method: "POST" })).status).toBe(401);
    const other = await (await send("GET", `/admin/campaigns/${otherTenantsCampaign}`, undefined, { "x-tenant-id": "t2" })).json();
    expect(other.status).toBe("scheduled"); // Creating and cancelling are audited once each (refused attempts are not).
    const { rows } = await h.db.pool.query(
      "SELECT action, actor FROM admin_audit WHERE tenant_id = 'default' AND subject_type = 'campaign' AND subject_id = $1 ORDER BY id",
      [id],
    );
    expect(rows).toEqual([
      { action: "campaign.create", actor: "admin" },
      { action: "campaign.cancel", actor: "admin" },
    ]);
  });
});

describe("OpenAPI", () => {
  it("documents the campaign and automation endpoints in /openapi.json", async () => {
    const doc = (await (await h.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const path of ["/admin/campaigns", "/admin/campaigns/{id}", "/admin/campaigns/{id}/cancel", "/admin/settings/automations"]) {
      expect(doc.paths[path]).toBeDefined();
    }
  });
});
