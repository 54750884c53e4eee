import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../tenants/tenant-store.ts";
import { startHarness, type TestHarness, type TestResponse } from "./testing.ts";

let h: TestHarness;
const ids = { mx: "", es: "", us: "" };
const JSON_HEADERS = { "content-type": "application/json" };
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  h.admin(`/admin/customers/${id}`, { method: "PATCH", body: JSON.stringify(body), headers: { ...JSON_HEADERS, ...headers } });
const list = async (query = ""): Promise<TestResponse> => h.admin(`/admin/customers${query}`);
const listIds = async (query = "") => {
  const res = await list(query);
  expect(res.status).toBe(200);
  return ((await res.json()).customers as { id: string }[]).map((c) => c.id);
};

beforeAll(async () => {
  h = await startHarness();
  h.start();
  await createTenant(h.db.pool, "t2", "Other");
  ids.mx = (await h.customerSays("5215512345678", "Hola", "Ana")).customer;
  ids.es = (await h.customerSays("34600000001", "Buenas", "Bea")).customer;
  ids.us = (await h.customerSays("15550100003", "Hi", "Cal")).customer;
});
afterAll(() => h.close());

describe("customer record from inbound messages", () => {
  it("keeps contact dates and places the customer by the phone's country code", async () => {
    const res = await h.admin(`/admin/customers/${ids.mx}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      id: ids.mx,
      name: "Ana",
      identities: { phone: "5215512345678", bsuid: null },
      country: "MX",
      timeZone: "America/Mexico_City",
      timeZoneSource: "phone",
      consent: { state: "none", history: [] },
      tags: [],
      attributes: {},
      erp: { customerId: null },
      counts: { conversations: 1, messages: 1, inbound: 1, outbound: 0, handoffs: 0 },
    });
    expect(body.firstContactAt).toBe(body.lastContactAt);
    expect((await (await h.admin(`/admin/customers/${ids.us}`)).json()).timeZone).toBe("America/New_York");
  });
});

describe("GET /admin/customers", () => {
  it("lists the newest contact first, in keyset pages that lose nothing", async () => {
    expect(await listIds()).toEqual([ids.us, ids.es, ids.mx]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      const body = await res.json();
      expect(body.customers).toHaveLength(1);
      seen.push(body.customers[0].id);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.us, ids.es, ids.mx]);
  });

  it("filters by tags (repeated or comma list), language, consent and free text", async () => {
    expect((await patch(ids.es, { tags: { add: ["vip", "wholesale"] }, language: "es" })).status).toBe(200);
    expect((await patch(ids.mx, { tags: { add: ["vip"] } })).status).toBe(200);
    expect(await listIds("?tag=vip")).toEqual([ids.es, ids.mx]);
    expect(await listIds("?tag=vip,wholesale")).toEqual([ids.es]);
    expect(await listIds("?tag=vip&tag=wholesale")).toEqual([ids.es]);
    expect(await listIds("?tag=vip&tag=nobody")).toEqual([]);
    expect(await listIds("?language=es")).toEqual([ids.es]);
    expect(await listIds("?q=34600")).toEqual([ids.es]);
    expect(await listIds("?q=cal")).toEqual([ids.us]);
    const optIn = await h.admin(`/admin/customers/${ids.mx}/opt-in`, {
      method: "POST",
      body: JSON.stringify({ source: "website_form", textShown: "Yes, Acme may send me offers on WhatsApp" }),
      headers: JSON_HEADERS,
    });
    expect(optIn.status).toBe(201);
    expect(await listIds("?consent=opted_in")).toEqual([ids.mx]);
    expect(await listIds("?consent=none&tag=vip")).toEqual([ids.es]);
    const [row] = (await (await list("?consent=opted_in")).json()).customers;
    expect(row).toMatchObject({ consent: "opted_in", tags: ["vip"], country: "MX", phone: "5215512345678" });
  });

  it("filters by a saved segment, ANDed with the query's filters", async () => {
    const res = await h.admin("/admin/segments", {
      method: "POST",
      body: JSON.stringify({ name: "Spanish speakers or Mexico", filter: { countries: ["MX", "ES"] } }),
      headers: JSON_HEADERS,
    });
    const segment = await res.json();
    expect(await listIds(`?segment=${segment.id}`)).toEqual([ids.es, ids.mx]);
    expect(await listIds(`?segment=${segment.id}&consent=opted_in`)).toEqual([ids.mx]);
  });

  it("refuses bad filters, unknown parameters, bad cursors and other tenants' segments", async () => {
    for (const query of [
      "?tag=BAD!",
      `?tag=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(",")}`,
      "?language=ESP",
      "?consent=maybe",
      "?limit=0",
      "?limit=201",
      "?limit=abc",
      "?cursor=not-a-cursor",
      `?cursor=${Buffer.from(JSON.stringify({ t: "drop table", id: "1" })).toString("base64url")}`,
      "?segment=abc",
      "?colour=red",
      `?q=${"x".repeat(101)}`,
    ]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    expect((await list("?segment=999999")).status).toBe(404);
    expect((await h.admin("/admin/customers", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const other = await h.admin("/admin/customers", { headers: { "x-tenant-id": "t2" } });
    expect((await other.json()).customers).toEqual([]);
  });
});

describe("GET /admin/customers/:id", () => {
  it("answers 404 for unknown ids and other tenants' customers, 400 for malformed ids, 401 without the token", async () => {
    expect((await h.admin("/admin/customers/999999")).status).toBe(404);
    expect((await h.admin(`/admin/customers/${ids.mx}`, { headers: { "x-tenant-id": "t2" } })).status).toBe(404);
    expect((await h.admin("/admin/customers/abc")).status).toBe(400);
    expect((await h.admin(`/admin/customers/${ids.mx}`, { headers: { authorization: "" } })).status).toBe(401);
  });
});

describe("PATCH /admin/customers/:id", () => {
  it("edits name, language, time zone and attributes, audited with field names only", async () => {
    const res = await patch(ids.us, {
      name: "Cal Jones",
      language: "en",
      timeZone: "america/los_angeles",
      attributes: { plan: "gold", visits: 3, newsletter: true },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: "Cal Jones",
      language: "en",
      timeZone: "America/Los_Angeles",
      timeZoneSource: "manual",
      attributes: { plan: "gold", visits: 3, newsletter: true },
    });
    // Merge: null deletes a key, others stay.
    const merged = await (await patch(ids.us, { attributes: { visits: null, tier: "b" } })).json();
    expect(merged.attributes).toEqual({ plan: "gold", newsletter: true, tier: "b" });
    // A new message keeps the zone set by hand; clearing it goes back to the phone's.
    await h.customerSays("15550100003", "Me again", "Cal");
    expect((await (await h.admin(`/admin/customers/${ids.us}`)).json()).timeZone).toBe("America/Los_Angeles");
    const cleared = await (await patch(ids.us, { timeZone: null })).json();
    expect(cleared).toMatchObject({ timeZone: "America/New_York", timeZoneSource: "phone" });
    const { rows } = await h.db.pool.query(
      "SELECT actor, action, subject_type, subject_id, details FROM admin_audit WHERE subject_id = $1 ORDER BY id",
      [ids.us],
    );
    expect(rows[0]).toEqual({
      actor: "admin",
      action: "customer.update",
      subject_type: "customer",
      subject_id: ids.us,
      details: { fields: ["name", "language", "timeZone", "attributes"], attributeKeys: ["newsletter", "plan", "visits"] },
    });
    expect(JSON.stringify(rows)).not.toMatch(/Cal Jones|gold|1555/);
  });

  it("keeps manual tags apart from automatic ones: lang:xx follows the language, and cannot be removed by hand", async () => {
    const body = await (await h.admin(`/admin/customers/${ids.es}`)).json();
    expect(body.tags).toEqual([
      expect.objectContaining({ tag: "lang:es", source: "auto", reason: "the customer writes in es", evidence: { language: "es" } }),
      expect.objectContaining({ tag: "region:es", source: "auto", evidence: { country: "ES", timeZone: "Europe/Madrid" } }),
      expect.objectContaining({ tag: "vip", source: "manual", reason: "set by admin" }),
      expect.objectContaining({ tag: "wholesale", source: "manual" }),
    ]);
    const refused = await patch(ids.es, { name: "Changed", tags: { remove: ["lang:es", "vip"] } });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.details).toEqual({ code: "auto_tag", tags: ["lang:es"] });
    const after = await (await h.admin(`/admin/customers/${ids.es}`)).json();
    expect(after.name).toBe("Bea");
    expect(after.tags.map((t: { tag: string }) => t.tag)).toContain("vip");
    const removed = await (await patch(ids.es, { tags: { remove: ["wholesale"] } })).json();
    expect(removed.tags.map((t: { tag: string }) => t.tag)).toEqual(["lang:es", "region:es", "vip"]);
  });

  it("refuses bad input without changing anything", async () => {
    const bad: unknown[] = [
      {},
      { nickname: "x" },
      { name: "" },
      { name: 42 },
      { language: "Spanish" },
      { timeZone: "Mars/Olympus_Mons" },
      { timeZone: "+01:00" },
      { attributes: { "bad key!": 1 } },
      { attributes: { long: "x".repeat(201) } },
      { attributes: { nested: { a: 1 } } },
      { attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      { tags: { add: ["Not A Tag"] } },
      { tags: { add: [] } },
      { tags: { add: ["ok"], extra: true } },
      { tags: { add: Array.from({ length: 21 }, (_, i) => `t${i}`) } },
    ];
    for (const body of bad) expect((await patch(ids.mx, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    const notJson = await h.admin(`/admin/customers/${ids.mx}`, { method: "PATCH", body: "{", headers: JSON_HEADERS });
    expect(notJson.status).toBe(400);
    // Within the request limit but too much in total: 413, nothing stored.
    for (let i = 0; i < 2; i++) {
      const attrs = Object.fromEntries(Array.from({ length: 30 }, (_, j) => [`a${i}_${j}`, j]));
      const res = await patch(ids.mx, { attributes: attrs });
      expect(res.status).toBe(i === 0 ? 200 : 413);
    }
    const huge = Object.fromEntries(Array.from({ length: 45 }, (_, j) => [`b${j}`, "y".repeat(200)]));
    expect((await patch(ids.es, { attributes: huge })).status).toBe(413);
    expect((await (await h.admin(`/admin/customers/${ids.es}`)).json()).attributes).toEqual({});
    const oversized = await patch(ids.mx, { name: "x".repeat(70 * 1024) });
    expect(oversized.status).toBe(413);
    expect((await oversized.json()).error.code).toBe("payload_too_large");
    expect((await patch("999999", { name: "x" })).status).toBe(404);
    expect((await patch(ids.mx, { name: "x" }, { "x-tenant-id": "t2" })).status).toBe(404);
    expect((await patch(ids.mx, { name: "x" }, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await (await h.admin(`/admin/customers/${ids.mx}`)).json()).name).toBe("Ana");
  });
});
