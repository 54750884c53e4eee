/** Test helpers for the handoff module: a migrated in-memory database with a tenant and conversations. */
import type pg from "pg";
import type { Database } from "../lib/db.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import type { HandoffSummary } from "./handoff-store.ts";

export const TEST_TENANT = "t1";

export const SAMPLE_SUMMARY: HandoffSummary = {
  customerWants: "A refund for order #W123 that arrived broken",
  facts: ["Order #W123 delivered 2 days ago", "Customer sent a photo"],
  botTried: ["Explained the return policy"],
  sentiment: "negative",
  suggestedNextStep: "Offer a replacement or a refund",
};

/** A fresh migrated database with tenant `t1`. */
export async function openHandoffTestDatabase(poolSize = 5): Promise<Database> {
  const db = await openMemoryDatabase(poolSize);
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, TEST_TENANT, "Test tenant");
  return db;
}

let seq = 0;

/** A customer and their conversation; `lastInboundAt` defaults to now (window open). */
export async function seedConversation(
  pool: pg.Pool,
  opts: { tenantId?: string; waId?: string; name?: string; lastInboundAt?: Date | null } = {},
): Promise<{ conversationId: string; customerId: string; waId: string }> {
  seq += 1;
  const tenantId = opts.tenantId ?? TEST_TENANT;
  const waId = opts.waId ?? `1555000${String(seq).padStart(4, "0")}`;
  const { rows: cu } = await pool.query<{ id: string }>(
    "INSERT INTO customers (tenant_id, wa_id, name) VALUES ($1, $2, $3) RETURNING id::text",
    [tenantId, waId, opts.name ?? `Customer ${seq}`],
  );
  const last = opts.lastInboundAt === undefined ? new Date() : opts.lastInboundAt;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO conversations (tenant_id, customer_id, phone_number_id, last_inbound_at, last_message_at)
     VALUES ($1, $2, 'pn-test', $3, $3) RETURNING id::text`,
    [tenantId, cu[0]?.id, last],
  );
  return { conversationId: rows[0]?.id as string, customerId: cu[0]?.id as string, waId };
}
