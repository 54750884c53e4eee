import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrderTools } from "../order-tools.ts";
import { type OrderTestbed, openOrderTestbed } from "../testing.ts";
import { replaceDemoStore } from "./demo-store.ts";
import { assignTauPhones, readTauDb, type TauDb, tauToDemoStore } from "./tau-import.ts";

const TAU_DIR = fileURLToPath(new URL("../../../../shared/benchmarks/tau-bench-retail/v1/", import.meta.url));

describe("τ-bench import: bad input", () => {
  it("names the missing file and the first problem", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tau-"));
    await expect(readTauDb(dir)).rejects.toThrow(/users\.json not found/);
    await writeFile(join(dir, "db.json"), "{not json");
    await expect(readTauDb(dir)).rejects.toThrow(/not valid JSON/);
    await writeFile(join(dir, "db.json"), JSON.stringify({ users: {}, orders: { x: { order_id: 1 } }, products: {} }));
    await expect(readTauDb(dir)).rejects.toThrow(/not a τ-bench retail database: orders\.x/);
  });

  it("refuses unknown order statuses instead of skipping them", () => {
    const db = {
      users: {},
      products: {},
      orders: { a: { order_id: "#1", user_id: "u", status: "lost at sea", items: [], fulfillments: [], address: {} } },
    };
    expect(() => tauToDemoStore(db as unknown as TauDb)).toThrow(/lost at sea/);
  });

  it("gives each user a deterministic, unique phone regardless of order", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `user_${i}`);
    const a = assignTauPhones(ids);
    const b = assignTauPhones([...ids].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(2000);
    expect(a.get("user_1")).toMatch(/^1555\d{7}$/);
  });
});

describe.skipIf(!existsSync(join(TAU_DIR, "orders.json")))("τ-bench import: the retail data in ../shared", () => {
  let tb: OrderTestbed;
  let tau: TauDb;
  beforeAll(async () => {
    tb = await openOrderTestbed({ customers: 5 });
    tau = await readTauDb(TAU_DIR);
    await replaceDemoStore(tb.db.pool, "default", tauToDemoStore(tau));
  });
  afterAll(async () => {
    await tb?.close();
  });

  it("loads every user, order, product and fulfilment", async () => {
    const { rows } = await tb.db.pool.query(
      `SELECT (SELECT count(*) FROM erp_customers)::int AS customers, (SELECT count(*) FROM erp_orders)::int AS orders,
              (SELECT count(*) FROM erp_products)::int AS products, (SELECT count(*) FROM erp_variants)::int AS variants,
              (SELECT count(*) FROM erp_shipments)::int AS shipments,
              (SELECT count(DISTINCT phone) FROM erp_customers)::int AS phones`,
    );
    const fulfilments = Object.values(tau.orders).reduce((n, o) => n + o.fulfillments.reduce((m, f) => m + f.tracking_id.length, 0), 0);
    const variants = Object.values(tau.products).reduce((n, p) => n + Object.keys(p.variants).length, 0);
    expect(rows[0]).toEqual({
      customers: Object.keys(tau.users).length,
      orders: Object.keys(tau.orders).length,
      products: Object.keys(tau.products).length,
      variants,
      shipments: fulfilments,
      phones: Object.keys(tau.users).length,
    });
    // The generated store it replaced is gone.
    expect((await tb.db.pool.query("SELECT 1 FROM erp_customers WHERE customer_id = 'C0001'")).rows).toHaveLength(0);
  });

  it("a τ-bench user writing from their phone sees exactly their orders; another verifies by e-mail", async () => {
    const phones = assignTauPhones(Object.keys(tau.users));
    const [userId, user] = Object.entries(tau.users)[0] as [string, TauDb["users"][string] & { orders?: string[] }];
    const ctx = await tb.contextFor({ phone: phones.get(userId) as string });
    const tools = createOrderTools(ctx, tb.deps);
    const list = JSON.parse(String(await tools[0]?.invoke({ limit: 20 })));
    const expected = Object.values(tau.orders)
      .filter((o) => o.user_id === userId)
      .map((o) => o.order_id);
    expect(list.orders.map((o: { order_id: string }) => o.order_id).sort()).toEqual(expected.sort());
    expect(user.email).toContain("@");

    const [otherId, other] = Object.entries(tau.users)[1] as [string, TauDb["users"][string]];
    const anon = createOrderTools(await tb.contextFor({ phone: "4400000000001" }), tb.deps);
    const order = Object.values(tau.orders).find((o) => o.user_id === otherId)?.order_id;
    const verify = anon.find((t) => t.name === "verify_identity");
    expect(JSON.parse(String(await verify?.invoke({ order_id: order, email: other.email })))).toMatchObject({ ok: true });
  });
});
