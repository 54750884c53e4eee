import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db.ts";
import { migrate } from "../../../lib/migrate.ts";
import { openMemoryDatabase } from "../../../lib/testing/test-db.ts";
import { ensureDefaultTenant } from "../../../tenants/tenant-store.ts";
import { ORDER_STATUSES } from "../ports.ts";
import { demoPhone, generateDemoStore } from "./demo-seed.ts";
import { seedDemoStoreIfEmpty } from "./demo-store.ts";

const now = new Date("2026-11-27T12:00:00Z");

describe("generated demo store", () => {
  const store = generateDemoStore({ now });

  it("is deterministic for a seed and a clock", () => {
    expect(generateDemoStore({ now })).toEqual(store);
    expect(generateDemoStore({ now, seed: 7 })).not.toEqual(store);
  });

  it("has products with variants, a few hundred customers with unique phones, and orders in every state", () => {
    expect(store.products.length).toBeGreaterThanOrEqual(10);
    expect(store.variants.length).toBeGreaterThan(store.products.length);
    expect(store.customers).toHaveLength(300);
    expect(new Set(store.customers.map((c) => c.phone)).size).toBe(300);
    expect(store.customers[0]?.phone).toBe(demoPhone(1));
    const statuses = new Set(store.orders.map((o) => o.status));
    expect([...statuses].sort()).toEqual([...ORDER_STATUSES].sort());
    // Customers 1-3 each have one order of every state.
    for (const id of ["C0001", "C0002", "C0003"]) {
      expect(new Set(store.orders.filter((o) => o.customer_id === id).map((o) => o.status)).size).toBe(ORDER_STATUSES.length);
    }
  });

  it("ships every order that left the warehouse, with tracking events in time order", () => {
    const shipped = store.orders.filter((o) => !["pending", "cancelled"].includes(o.status));
    expect(store.shipments).toHaveLength(shipped.length);
    for (const s of store.shipments) {
      const times = s.events.map((e) => e.at);
      expect(times).toEqual([...times].sort());
      expect(s.events.every((e) => e.at <= now.toISOString())).toBe(true);
    }
    const delivered = store.orders.find((o) => o.status === "delivered");
    expect(store.shipments.find((s) => s.order_id === delivered?.order_id)?.events.at(-1)?.status).toBe("delivered");
  });
});

describe("seeding", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openMemoryDatabase();
    await migrate(db.pool);
    await ensureDefaultTenant(db.pool, "106540352242922");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("seeds an empty tenant once, and every row lands", async () => {
    const store = generateDemoStore({ now });
    expect(await seedDemoStoreIfEmpty(db.pool, "default", () => store)).toBe(true);
    expect(await seedDemoStoreIfEmpty(db.pool, "default", () => store)).toBe(false);
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM erp_customers)::int AS customers, (SELECT count(*) FROM erp_orders)::int AS orders,
              (SELECT count(*) FROM erp_shipments)::int AS shipments, (SELECT count(*) FROM erp_variants)::int AS variants`,
    );
    expect(rows[0]).toEqual({
      customers: 300,
      orders: store.orders.length,
      shipments: store.shipments.length,
      variants: store.variants.length,
    });
  });
});
