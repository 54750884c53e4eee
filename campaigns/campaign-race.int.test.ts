import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertTemplate } from "../compliance/template-store.ts";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openServerTestDatabase } from "../lib/testing/test-db.ts";
import { addPhoneNumber, createTenant } from "../tenants/tenant-store.ts";
import { createCampaignRunner } from "./campaign-runner.ts";
import { CampaignInputSchema, createCampaign } from "./create-campaign.ts";

let db: Database;
const TENANT = "race";
const CUSTOMERS = 300;

beforeAll(async () => {
  db = await openServerTestDatabase(20);
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, TENANT, "Race");
  await addPhoneNumber(db.pool, TENANT, "555000111");
  await upsertTemplate(db.pool, TENANT, {
    name: "promo",
    language: "es",
    category: "marketing",
    status: "approved",
    body: "Hola {{1}}",
    parameters: [{ type: "text" }],
  });
  // Every third customer has never written (the campaign creates their conversation) and every fifth never opted in.
  await db.pool.query(
    `INSERT INTO customers (tenant_id, wa_id, name, attributes) SELECT $1, (34600000000 + g)::text, 'C' || g, '{"batch": "race"}'
     FROM generate_series(1, $2) g`,
    [TENANT, CUSTOMERS],
  );
  await db.pool.query(
    "INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT $1, id, '555000111' FROM customers WHERE id % 3 <> 0",
    [TENANT],
  );
  await db.pool.query(
    "INSERT INTO consents (tenant_id, customer_id, action, source) SELECT $1, id, 'opt_in', 'test' FROM customers WHERE id % 5 <> 0",
    [TENANT],
  );
});
afterAll(async () => {
  await db?.close();
});

describe("campaign runners on PostgreSQL", () => {
  it("four processes racing over one campaign queue exactly one message per opted-in customer", async () => {
    const input = CampaignInputSchema.parse({
      name: "race",
      template: { name: "promo", language: "es" },
      parameters: [{ field: "name" }],
      segment: { filter: { attributes: { batch: "race" } } },
      schedule: { quietHours: { start: "00:00", end: "00:00" } },
    });
    const created = await createCampaign(db.pool, TENANT, input, new Date());
    if (!created.ok) throw new Error(created.message);
    // Short leases so runners also steal each other's campaign mid-run.
    const runners = Array.from({ length: 4 }, () =>
      createCampaignRunner({ queue: { pool: db.pool }, logger: createLogger("silent"), pageSize: 25, leaseMs: 50 }),
    );
    await Promise.all(runners.map((r) => r.runCampaigns()));
    await runners[0]?.runCampaigns();

    const { rows: perCustomer } = await db.pool.query(
      `SELECT v.customer_id, count(*)::int AS n FROM messages m JOIN conversations v ON v.id = m.conversation_id
       WHERE m.source = $1 GROUP BY v.customer_id`,
      [`campaign:${created.campaign.id}`],
    );
    const optedIn = CUSTOMERS - Math.floor(CUSTOMERS / 5);
    expect(perCustomer).toHaveLength(optedIn);
    expect(perCustomer.every((r) => r.n === 1)).toBe(true);
    const { rows: conversations } = await db.pool.query(
      "SELECT count(*)::int AS n, count(DISTINCT customer_id)::int AS d FROM conversations",
    );
    expect(conversations[0].n).toBe(conversations[0].d);
    const { rows: states } = await db.pool.query(
      "SELECT state, skip_reason, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY 1, 2 ORDER BY 1",
      [created.campaign.id],
    );
    expect(states).toEqual([
      { state: "queued", skip_reason: null, n: optedIn },
      { state: "skipped", skip_reason: "no_opt_in", n: CUSTOMERS - optedIn },
    ]);
  });
});
