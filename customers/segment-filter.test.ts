import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsent } from "../compliance/consent-store.ts";
import type { Database } from "../lib/db.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import { countSegmentCustomers, listSegmentCustomerIds, type SegmentFilter, SegmentFilterSchema } from "./segment-filter.ts";

let db: Database;
const ids: Record<string, string> = {};

async function customer(tenant: string, key: string, cols: Record<string, unknown>, tags: string[] = []) {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO customers (tenant_id, wa_id, name, language, country, last_contact_at, attributes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
    [
      tenant,
      cols.waId,
      cols.name ?? null,
      cols.language ?? null,
      cols.country ?? null,
      cols.last ?? null,
      JSON.stringify(cols.attributes ?? {}),
    ],
  );
  const id = rows[0]?.id as string;
  for (const tag of tags) {
    await db.pool.query("INSERT INTO customer_tags (tenant_id, customer_id, tag, source) VALUES ($1, $2, $3, 'manual')", [tenant, id, tag]);
  }
  ids[key] = id;
}

beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, "t1", "T1");
  await createTenant(db.pool, "t2", "T2");
  const day = 86_400_000;
  await customer(
    "t1",
    "ana",
    {
      waId: "5215500000001",
      name: "Ana López",
      language: "es",
      country: "MX",
      last: new Date(Date.now() - 2 * day),
      attributes: { plan: "gold" },
    },
    ["vip", "orders"],
  );
  await customer("t1", "bob", { waId: "15550100002", name: "Bob", language: "en", country: "US", last: new Date(Date.now() - 40 * day) }, [
    "orders",
  ]);
  await customer("t1", "cem", { waId: "905550000003", name: "Cem 100%_off", language: "tr", country: "TR" }, ["at_risk"]);
  await customer("t2", "other", { waId: "5215500000009", name: "Ana Other", language: "es", country: "MX" }, ["vip", "orders"]);
  await recordConsent(db.pool, "t1", ids.ana as string, { action: "opt_in", source: "test" });
  await recordConsent(db.pool, "t1", ids.bob as string, { action: "opt_in", source: "test" });
  await recordConsent(db.pool, "t1", ids.bob as string, { action: "opt_out", source: "test" });
  await db.pool.query("UPDATE customers SET erased_at = now() WHERE id = $1", [ids.cem]);
  await customer("t1", "dan", { waId: "4915100000004", name: "Dan", language: "de", country: "DE" }, ["at_risk"]);
});
afterAll(() => db.close());

const names = async (filter: SegmentFilter) => {
  const got = await listSegmentCustomerIds(db.pool, "t1", SegmentFilterSchema.parse(filter), { limit: 100 });
  return Object.entries(ids)
    .filter(([, id]) => got.includes(id))
    .map(([k]) => k)
    .sort();
};

describe("segment filters", () => {
  it("matches by tags (all / any / none), language, country, consent, activity and attributes, within the tenant", async () => {
    expect(await names({})).toEqual(["ana", "bob", "dan"]);
    expect(await names({ tagsAll: ["vip", "orders"] })).toEqual(["ana"]);
    expect(await names({ tagsAny: ["vip", "at_risk"] })).toEqual(["ana", "dan"]);
    expect(await names({ tagsNone: ["vip"] })).toEqual(["bob", "dan"]);
    expect(await names({ languages: ["es", "de"] })).toEqual(["ana", "dan"]);
    expect(await names({ countries: ["US"] })).toEqual(["bob"]);
    expect(await names({ consent: "opted_in" })).toEqual(["ana"]);
    expect(await names({ consent: "opted_out" })).toEqual(["bob"]);
    expect(await names({ consent: "none" })).toEqual(["dan"]);
    expect(await names({ activeWithinDays: 7 })).toEqual(["ana"]);
    expect(await names({ inactiveForDays: 30 })).toEqual(["bob", "dan"]);
    expect(await names({ attributes: { plan: "gold" } })).toEqual(["ana"]);
    expect(await names({ q: "lópez" })).toEqual(["ana"]);
    expect(await names({ q: "0100002" })).toEqual(["bob"]);
  });

  it("never matches erased customers, and treats % and _ in free text literally", async () => {
    expect(await names({ tagsAny: ["at_risk"] })).toEqual(["dan"]);
    expect(await names({ q: "100%_" })).toEqual([]);
  });

  it("pages by id and counts", async () => {
    const first = await listSegmentCustomerIds(db.pool, "t1", {}, { limit: 2 });
    const second = await listSegmentCustomerIds(db.pool, "t1", {}, { afterId: first.at(-1), limit: 2 });
    expect([...first, ...second]).toEqual([ids.ana, ids.bob, ids.dan]);
    expect(await countSegmentCustomers(db.pool, "t1", { tagsAny: ["orders"] })).toBe(2);
  });

  it("rejects unknown keys, bad tags and oversized lists", () => {
    expect(SegmentFilterSchema.safeParse({ tag: "vip" }).success).toBe(false);
    expect(SegmentFilterSchema.safeParse({ tagsAll: ["VIP!"] }).success).toBe(false);
    expect(SegmentFilterSchema.safeParse({ tagsAny: [] }).success).toBe(false);
    expect(SegmentFilterSchema.safeParse({ languages: Array(21).fill("es") }).success).toBe(false);
    expect(SegmentFilterSchema.safeParse({ activeWithinDays: 0 }).success).toBe(false);
    expect(SegmentFilterSchema.safeParse({ attributes: { "bad key!": 1 } }).success).toBe(false);
  });
});
