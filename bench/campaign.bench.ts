/**
 * `npm run bench:campaign`: fans a campaign out to a 10,000-customer segment (materialize recipients in keyset pages,
 * check consent, hours and parameters, queue one template each through the outbox) and, in the same run and
 * database, queues the same number of templates with plain `queueTemplate` calls: the baseline every campaign
 * recipient pays anyway. The ratio is the campaign machinery's overhead. Nothing is sent (the outbox is the
 * boundary). Uses DATABASE_URL when set, else the embedded database; BENCH_CUSTOMERS changes the size.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { readCampaignResults } from "../campaigns/campaign-results.ts";
import { createCampaignRunner } from "../campaigns/campaign-runner.ts";
import { CampaignInputSchema, createCampaign } from "../campaigns/create-campaign.ts";
import { upsertTemplate } from "../compliance/template-store.ts";
import { createLogger } from "../lib/logger.ts";
import { queueTemplate } from "../outbox/queue-message.ts";
import { addPhoneNumber } from "../tenants/tenant-store.ts";
import { BENCH_TENANT, openBenchDatabase } from "./lib-bench-db.ts";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const PHONE = "100000000000042";

const db = await openBenchDatabase(process.env.DATABASE_URL);
const pool = db.pool;
try {
  await addPhoneNumber(pool, BENCH_TENANT, PHONE);
  await upsertTemplate(pool, BENCH_TENANT, {
    name: "promo",
    language: "es",
    category: "marketing",
    status: "approved",
    body: "Hola {{1}}, -20% hoy",
    parameters: [{ type: "text" }],
  });
  // Two equal groups of opted-in customers with a conversation each: one for the campaign, one for the baseline.
  await pool.query(
    `INSERT INTO customers (tenant_id, wa_id, name, time_zone, attributes)
     SELECT $1, (34600000000 + g)::text, 'Customer ' || g, 'UTC',
            jsonb_build_object('first_name', 'C' || g, 'group', CASE WHEN g <= $2 THEN 'campaign' ELSE 'baseline' END)
     FROM generate_series(1, $2 * 2) g`,
    [BENCH_TENANT, CUSTOMERS],
  );
  await pool.query(
    `INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT $1, id, $2 FROM customers WHERE tenant_id = $1`,
    [BENCH_TENANT, PHONE],
  );
  await pool.query(
    `INSERT INTO consents (tenant_id, customer_id, action, source) SELECT $1, id, 'opt_in', 'bench' FROM customers WHERE tenant_id = $1`,
    [BENCH_TENANT],
  );

  // Any time of day is inside the allowed hours, so the run measures the fan-out, not the clock.
  const input = CampaignInputSchema.parse({
    name: "bench",
    template: { name: "promo", language: "es" },
    parameters: [{ attribute: "first_name", fallback: "cliente" }],
    segment: { filter: { attributes: { group: "campaign" } } },
    schedule: { quietHours: { start: "00:00", end: "00:00" } },
  });
  const created = await createCampaign(pool, BENCH_TENANT, input, new Date());
  if (!created.ok) throw new Error(created.message);
  const runner = createCampaignRunner({ queue: { pool }, logger: createLogger("error"), pageSize: 500 });
  console.log(`campaign fan-out to ${CUSTOMERS} customers (${db.location}) ...`);
  let started = performance.now();
  await runner.runCampaigns();
  const campaignSeconds = (performance.now() - started) / 1000;
  const results = await readCampaignResults(pool, created.campaign.id);
  if (results.queued !== CUSTOMERS) throw new Error(`expected ${CUSTOMERS} queued, got ${JSON.stringify(results)}`);

  const { rows: baseline } = await pool.query<{ conv: string; name: string }>(
    `SELECT v.id::text AS conv, c.attributes ->> 'first_name' AS name FROM conversations v JOIN customers c ON c.id = v.customer_id
     WHERE c.attributes ->> 'group' = 'baseline' ORDER BY v.id`,
  );
  console.log(`baseline: ${baseline.length} plain queueTemplate calls ...`);
  started = performance.now();
  for (const r of baseline) {
    const q = await queueTemplate(
      { pool },
      {
        tenantId: BENCH_TENANT,
        conversationId: r.conv,
        idempotencyKey: `bench:${r.conv}`,
        source: "bench",
        name: "promo",
        language: "es",
        values: [r.name],
      },
    );
    if (!q.ok) throw new Error(`baseline refused: ${q.code}`);
  }
  const baselineSeconds = (performance.now() - started) / 1000;

  const report = {
    at: new Date().toISOString(),
    database: db.location,
    customers: CUSTOMERS,
    campaign: { seconds: campaignSeconds, recipientsPerSecond: CUSTOMERS / campaignSeconds },
    baseline: { seconds: baselineSeconds, messagesPerSecond: baseline.length / baselineSeconds },
  };
  console.log(
    `campaign: ${report.campaign.recipientsPerSecond.toFixed(0)} recipients/s (${campaignSeconds.toFixed(1)} s); ` +
      `baseline queueTemplate: ${report.baseline.messagesPerSecond.toFixed(0)} messages/s (${baselineSeconds.toFixed(1)} s); ` +
      `campaign / baseline = ${(report.campaign.recipientsPerSecond / report.baseline.messagesPerSecond).toFixed(2)}`,
  );
  await mkdir("bench/out", { recursive: true });
  await writeFile("bench/out/campaign.json", `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await db.close();
}
