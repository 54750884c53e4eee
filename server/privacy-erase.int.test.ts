import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerTestDatabase } from "../lib/testing/test-db.ts";
import { findStrings, type PrivacyHarness, type SeededCustomer, seedFullCustomer, startPrivacyHarness } from "./privacy-testing.ts";

// Erase completeness on a real PostgreSQL (the unit test runs the same on the embedded database).
let h: PrivacyHarness;
let first: SeededCustomer;
let second: SeededCustomer;

beforeAll(async () => {
  h = await startPrivacyHarness(await openServerTestDatabase());
  first = await seedFullCustomer(h, "p");
  second = await seedFullCustomer(h, "q");
}, 180_000);
afterAll(async () => {
  await h.close();
});

describe("customer erasure on PostgreSQL", () => {
  it("leaves none of the customer's strings in any table, and all of the other customer's", async () => {
    expect(new Set((await findStrings(h.db.pool, first.needles)).map((f) => f.needle))).toEqual(new Set(first.needles));
    const secondBefore = await findStrings(h.db.pool, second.needles);
    const { rows: countsBefore } = await h.db.pool.query("SELECT conversation_id, count(*)::int AS n FROM messages GROUP BY 1 ORDER BY 1");

    const res = await h.admin(`/admin/customers/${first.customerId}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await findStrings(h.db.pool, first.needles)).toEqual([]);
    // Both sent the same picture (the same bytes, so the same storage key): the second customer's copy stays.
    expect(first.mediaKey).toBe(second.mediaKey);
    expect(await h.storage.get(second.mediaKey)).toBeDefined();
    expect((await res.json()).counts.mediaFilesRemovedFromStorage).toBe(0);
    expect(await findStrings(h.db.pool, second.needles)).toEqual(secondBefore);
    const { rows: countsAfter } = await h.db.pool.query("SELECT conversation_id, count(*)::int AS n FROM messages GROUP BY 1 ORDER BY 1");
    expect(countsAfter).toEqual(countsBefore);

    // Erasing the second customer removes the last reference, and with it the file.
    const again = await h.admin(`/admin/customers/${second.customerId}`, { method: "DELETE" });
    expect((await again.json()).counts.mediaFilesRemovedFromStorage).toBe(1);
    expect(await h.storage.get(second.mediaKey)).toBeUndefined();
    expect(await findStrings(h.db.pool, [...first.needles, ...second.needles])).toEqual([]);
  });

  it("serializes two concurrent erasures of the same customer: one erases, the other finds it erased", async () => {
    const third = await seedFullCustomer(h, "s");
    const results = await Promise.all([1, 2].map(() => h.admin(`/admin/customers/${third.customerId}`, { method: "DELETE" })));
    const statuses = (await Promise.all(results.map((r) => r.json()))).map((b) => b.status).sort();
    expect(statuses).toEqual(["already_erased", "erased"]);
    const { rows } = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM admin_audit WHERE action = 'customer.erase' AND subject_id = $1",
      [third.customerId],
    );
    expect(rows[0].n).toBe(1);
  });
});
