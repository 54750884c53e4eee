import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import { upsertCustomer } from "./conversation-store.ts";

let db: Database;
beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, "t1", "T1");
});
afterAll(() => db.close());

const row = async (id: string) =>
  (await db.pool.query("SELECT bsuid, wa_id, username, name, erased_at FROM customers WHERE id = $1", [id])).rows[0];

describe("upsertCustomer", () => {
  it("finds a customer by BSUID, else by wa_id, and fills in what it learns", async () => {
    const id = await upsertCustomer(db.pool, "t1", { waId: "15550100001" });
    expect(await upsertCustomer(db.pool, "t1", { waId: "15550100001", userId: "US.1", name: "Ana" })).toBe(id);
    expect(await upsertCustomer(db.pool, "t1", { userId: "US.1", username: "ana" })).toBe(id);
    expect(await row(id)).toMatchObject({ bsuid: "US.1", wa_id: "15550100001", username: "ana", name: "Ana" });
  });

  it("never writes identifiers back onto a customer erased after the lookup: whoever writes again is a new customer", async () => {
    const id = await upsertCustomer(db.pool, "t1", { waId: "15550100002", name: "Bo" });
    // The erasure commits between this upsert's lookups and its update (what a concurrent DELETE does).
    let looked = 0;
    const racing = {
      query: async (text: string, values?: unknown[]) => {
        if (text.trimStart().startsWith("UPDATE customers SET bsuid") && looked++ === 0) {
          await db.pool.query("UPDATE customers SET erased_at = now(), wa_id = NULL, name = NULL WHERE id = $1", [id]);
        }
        return db.pool.query(text, values);
      },
    } as unknown as Pick<pg.PoolClient, "query">;
    const again = await upsertCustomer(racing, "t1", { waId: "15550100002", name: "Bo" });
    expect(again).not.toBe(id);
    expect(await row(id)).toMatchObject({ wa_id: null, bsuid: null, name: null });
    expect(await row(again)).toMatchObject({ wa_id: "15550100002", name: "Bo", erased_at: null });
  });
});
