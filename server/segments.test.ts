import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../tenants/tenant-store.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
const ids = { mx: "", br: "", de: "" };
const JSON_HEADERS = { "content-type": "application/json" };
const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.admin(path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { ...JSON_HEADERS, ...headers } });

beforeAll(async () => {
  h = await startHarness();
  h.start();
  await createTenant(h.db.pool, "t2", "Other");
  ids.mx = (await h.customerSays("5215512345678", "Hola", "Ana")).customer;
  ids.br = (await h.customerSays("5511987654321", "Oi", "Bia")).customer;
  ids.de = (await h.customerSays("4915123456789", "Hallo", "Carl")).customer;
});
afterAll(() => h.close());

describe("/admin/segments", () => {
  it("creates, reads, replaces and deletes segments, counting the customers each matches now", async () => {
    const created = await send("POST", "/admin/segments", { name: "Latin America", filter: { countries: ["MX", "BR"] } });
    expect(created.status).toBe(201);
    const segment = await created.json();
    expect(segment).toMatchObject({ name: "Latin America", filter: { countries: ["MX", "BR"] }, customerCount: 2 });
    expect((await send("POST", "/admin/segments", { name: "Germany", filter: { countries: ["DE"] } })).status).toBe(201);
    const listed = await (await h.admin("/admin/segments")).json();
    expect(listed.segments.map((s: { name: string; customerCount: number }) => [s.name, s.customerCount])).toEqual([
      ["Germany", 1],
      ["Latin America", 2],
    ]);
    const page = await (await h.admin(`/admin/segments/${segment.id}/customers?limit=1`)).json();
    expect(page.customers.map((c: { id: string }) => c.id)).toEqual([ids.br]);
    const next = await (await h.admin(`/admin/segments/${segment.id}/customers?limit=1&cursor=${page.nextCursor}`)).json();
    expect(next).toEqual({ customers: [expect.objectContaining({ id: ids.mx })], nextCursor: null });
    const replaced = await send("PUT", `/admin/segments/${segment.id}`, { name: "Mexico", filter: { countries: ["MX"] } });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: segment.id, name: "Mexico", customerCount: 1 });
    expect((await (await h.admin(`/admin/segments/${segment.id}`)).json()).customerCount).toBe(1);
    expect((await send("DELETE", `/admin/segments/${segment.id}`)).status).toBe(204);
    expect((await h.admin(`/admin/segments/${segment.id}`)).status).toBe(404);
    expect((await send("DELETE", `/admin/segments/${segment.id}`)).status).toBe(404);
    const { rows } = await h.db.pool.query(
      "SELECT action, subject_id, details FROM admin_audit WHERE subject_type = 'segment' AND subject_id = $1 ORDER BY id",
      [segment.id],
    );
    expect(rows).toEqual([
      { action: "segment.create", subject_id: segment.id, details: { filterKeys: ["countries"] } },
      { action: "segment.update", subject_id: segment.id, details: { filterKeys: ["countries"] } },
      { action: "segment.delete", subject_id: segment.id, details: {} },
    ]);
  });

  it("refuses duplicate names, bad filters and other tenants' segments", async () => {
    const res = await send("POST", "/admin/segments", { name: "Opted in", filter: { consent: "opted_in" } });
    const segment = await res.json();
    expect(segment.customerCount).toBe(0);
    expect((await send("POST", "/admin/segments", { name: "Opted in", filter: {} })).status).toBe(409);
    expect((await send("PUT", `/admin/segments/${segment.id}`, { name: "Germany", filter: {} })).status).toBe(409);
    for (const body of [
      {},
      { name: "x" },
      { name: "", filter: {} },
      { name: "x".repeat(101), filter: {} },
      { name: "x", filter: { colour: "red" } },
      { name: "x", filter: { tagsAll: ["Not A Tag"] } },
      { name: "x", filter: { countries: ["mexico"] } },
      { name: "x", filter: { activeWithinDays: -1 } },
      { name: "x", filter: {}, extra: 1 },
      "not an object",
    ]) {
      expect((await send("POST", "/admin/segments", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.admin("/admin/segments", { method: "POST", body: "{", headers: JSON_HEADERS })).status).toBe(400);
    expect((await send("POST", "/admin/segments", { name: "big", filter: { q: "x".repeat(70 * 1024) } })).status).toBe(413);
    const t2 = { "x-tenant-id": "t2" };
    expect((await send("GET", `/admin/segments/${segment.id}`, undefined, t2)).status).toBe(404);
    expect((await send("PUT", `/admin/segments/${segment.id}`, { name: "Mine", filter: {} }, t2)).status).toBe(404);
    expect((await send("DELETE", `/admin/segments/${segment.id}`, undefined, t2)).status).toBe(404);
    expect((await send("GET", `/admin/segments/${segment.id}/customers`, undefined, t2)).status).toBe(404);
    expect((await send("GET", "/admin/segments/abc")).status).toBe(400);
    expect((await send("GET", "/admin/segments/999999")).status).toBe(404);
    expect((await send("GET", `/admin/segments/${segment.id}/customers?segment=1`)).status).toBe(400);
    expect((await send("GET", "/admin/segments", undefined, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await (await send("GET", "/admin/segments", undefined, t2)).json()).segments).toEqual([]);
  });
});

describe("/admin/settings/tagging", () => {
  it("reads the defaults, stores a change and recomputes the tenant's automatic tags", async () => {
    const defaults = await (await h.admin("/admin/settings/tagging")).json();
    expect(defaults).toMatchObject({ region: { enabled: true, timeZone: false }, atRisk: { enabled: true, csatAtMost: 2 } });
    // Tags come from the rules; here the region rule (after the admin edit triggers a refresh).
    expect((await send("PATCH", `/admin/customers/${ids.de}`, { language: "de" })).status).toBe(200);
    const tagsOf = async (id: string) =>
      ((await (await h.admin(`/admin/customers/${id}`)).json()).tags as { tag: string }[]).map((t) => t.tag);
    expect(await tagsOf(ids.de)).toEqual(["lang:de", "region:de"]);
    const res = await send("PUT", "/admin/settings/tagging", { region: { timeZone: true }, language: { enabled: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ region: { enabled: true, timeZone: true }, language: { enabled: false } });
    await h.customers.idle();
    expect(await tagsOf(ids.de)).toEqual(["region:de", "tz:europe.berlin"]);
    expect(await tagsOf(ids.mx)).toEqual(["region:mx", "tz:america.mexico_city"]);
    expect((await (await h.admin("/admin/settings/tagging")).json()).language).toEqual({ enabled: false });
    const { rows } = await h.db.pool.query("SELECT action, subject_id FROM admin_audit WHERE subject_type = 'settings'");
    expect(rows).toEqual([{ action: "settings.update", subject_id: "tagging" }]);
  });

  it("refuses unknown rules, bad thresholds and wrong types", async () => {
    for (const body of [
      { colour: {} },
      { atRisk: { csatAtMost: 9 } },
      { atRisk: { csatAtMost: "2" } },
      { intents: { lookbackDays: 0 } },
      { intents: { extraKeywords: { weather: ["rain"] } } },
      { intents: { extraKeywords: { purchase: ["x"] } } },
      { escalated: { enabled: "yes" } },
      [],
    ]) {
      expect((await send("PUT", "/admin/settings/tagging", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await send("PUT", "/admin/settings/tagging", {}, { authorization: "Bearer nope" })).status).toBe(401);
    const many = { intents: { extraKeywords: { purchase: Array.from({ length: 5000 }, (_, i) => `keyword number ${i}`) } } };
    expect((await send("PUT", "/admin/settings/tagging", many)).status).toBe(413);
    // Another tenant's settings are its own.
    expect((await (await send("GET", "/admin/settings/tagging", undefined, { "x-tenant-id": "t2" })).json()).language).toEqual({
      enabled: true,
    });
  });
});
