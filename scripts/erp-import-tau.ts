/**
 * `npm run erp:import-tau -- <dir> [--tenant <id>]`: replaces a tenant's demo ERP data (default tenant unless
 * named) with the τ-bench retail database in <dir> (users.json, orders.json, products.json, or τ²'s db.json), so
 * the agent can be measured on τ-bench's retail tasks. Every user gets a deterministic phone number (printed for
 * the first few). Stop `npm start` first when using the embedded database (one process at a time).
 */
import { existsSync } from "node:fs";
import { openDatabase } from "../lib/db.ts";
import { parseConfig, SANDBOX_PHONE_NUMBER_ID } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { migrate } from "../lib/migrate.ts";
import { DEFAULT_TENANT_ID, ensureDefaultTenant } from "../tenants/tenant-store.ts";
import { replaceDemoStore } from "../tools/orders/demo/demo-store.ts";
import { readTauDb, tauToDemoStore } from "../tools/orders/demo/tau-import.ts";

const args = process.argv.slice(2);
const tenantAt = args.indexOf("--tenant");
const tenantId = tenantAt >= 0 ? args[tenantAt + 1] : DEFAULT_TENANT_ID;
const dir = args.find((a, i) => !a.startsWith("--") && (tenantAt < 0 || i !== tenantAt + 1));
if (!dir || !tenantId) {
  console.error("usage: npm run erp:import-tau -- <dir> [--tenant <id>]   e.g. ../shared/benchmarks/tau-bench-retail/v1");
  process.exit(2);
}

if (existsSync(".env")) process.loadEnvFile(".env");
const parsed = parseConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV === "production" ? "development" : process.env.NODE_ENV });
if (!parsed.ok) {
  console.error(`Invalid configuration:\n  - ${parsed.errors.join("\n  - ")}`);
  process.exit(1);
}
const config = parsed.config;
try {
  const data = tauToDemoStore(await readTauDb(dir));
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2, logger: createLogger("warn") });
  try {
    await migrate(db.pool);
    if (tenantId === DEFAULT_TENANT_ID) await ensureDefaultTenant(db.pool, config.WHATSAPP_PHONE_NUMBER_ID ?? SANDBOX_PHONE_NUMBER_ID);
    const { rows } = await db.pool.query("SELECT 1 FROM tenants WHERE id = $1", [tenantId]);
    if (rows.length === 0) throw new Error(`tenant ${tenantId} does not exist`);
    await replaceDemoStore(db.pool, tenantId, data);
  } finally {
    await db.close();
  }
  console.log(
    `imported into tenant ${tenantId}: ${data.customers.length} customers, ${data.orders.length} orders, ` +
      `${data.products.length} products (${data.variants.length} variants), ${data.shipments.length} shipments`,
  );
  for (const c of data.customers.slice(0, 3)) console.log(`  ${c.customer_id} writes from ${c.phone} (${c.email})`);
} catch (err) {
  console.error(`import failed: ${(err as Error).message}`);
  process.exit(1);
}
