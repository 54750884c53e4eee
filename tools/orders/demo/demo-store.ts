/**
 * Writes a whole demo store (products, variants, customers, orders, shipments) into the `erp_*` tables for one
 * tenant: one multi-row insert per table (`jsonb_to_recordset`), so the ~1,000 orders of the generated store go in
 * with five statements. Used by the first-start seed and by the τ-bench importer.
 */
import type pg from "pg";
import { withTransaction } from "../../../lib/db.ts";
import type { Address, OrderItem, OrderStatus } from "../ports.ts";

export type TrackingEventRow = { at: string; status: string; location: string | null; description: string };

export type DemoStoreData = {
  products: { product_id: string; name: string }[];
  variants: { item_id: string; product_id: string; options: Record<string, string>; price: number; available: boolean }[];
  customers: { customer_id: string; name: string; email: string; phone: string | null; address: Address; extra?: object }[];
  orders: {
    order_id: string;
    customer_id: string;
    status: OrderStatus;
    placed_at: string | null;
    currency?: string;
    items: OrderItem[];
    address: Address;
    return_items?: string[];
    extra?: object;
  }[];
  shipments: {
    tracking_id: string;
    order_id: string;
    carrier: string | null;
    status: string;
    estimated_delivery: string | null;
    item_ids: string[];
    events: TrackingEventRow[];
  }[];
};

type Queryable = Pick<pg.PoolClient, "query">;

/** Inserts the store's rows for `tenantId` (the tables must not already hold the same ids). */
export async function insertDemoStore(db: Queryable, tenantId: string, data: DemoStoreData): Promise<void> {
  await db.query(
    `INSERT INTO erp_products (tenant_id, product_id, name)
     SELECT $1, product_id, name FROM jsonb_to_recordset($2::jsonb) AS r(product_id text, name text)`,
    [tenantId, JSON.stringify(data.products)],
  );
  await db.query(
    `INSERT INTO erp_variants (tenant_id, item_id, product_id, options, price, available)
     SELECT $1, item_id, product_id, options, price, available
     FROM jsonb_to_recordset($2::jsonb) AS r(item_id text, product_id text, options jsonb, price numeric, available boolean)`,
    [tenantId, JSON.stringify(data.variants)],
  );
  await db.query(
    `INSERT INTO erp_customers (tenant_id, customer_id, name, email, phone, address, extra)
     SELECT $1, customer_id, name, email, phone, address, COALESCE(extra, '{}')
     FROM jsonb_to_recordset($2::jsonb) AS r(customer_id text, name text, email text, phone text, address jsonb, extra jsonb)`,
    [tenantId, JSON.stringify(data.customers)],
  );
  await db.query(
    `INSERT INTO erp_orders (tenant_id, order_id, customer_id, status, placed_at, currency, items, address, return_items, extra)
     SELECT $1, order_id, customer_id, status, placed_at, COALESCE(currency, 'USD'), items, address,
            COALESCE(return_items, '[]'), COALESCE(extra, '{}')
     FROM jsonb_to_recordset($2::jsonb) AS r(order_id text, customer_id text, status text, placed_at timestamptz, currency text,
          items jsonb, address jsonb, return_items jsonb, extra jsonb)`,
    [tenantId, JSON.stringify(data.orders)],
  );
  await db.query(
    `INSERT INTO erp_shipments (tenant_id, tracking_id, order_id, carrier, status, estimated_delivery, item_ids, events)
     SELECT $1, tracking_id, order_id, carrier, status, estimated_delivery, item_ids, events
     FROM jsonb_to_recordset($2::jsonb) AS r(tracking_id text, order_id text, carrier text, status text, estimated_delivery date,
          item_ids jsonb, events jsonb)`,
    [tenantId, JSON.stringify(data.shipments)],
  );
}

/** Deletes a tenant's demo ERP data (orders, shipments and idempotency records go with it). */
export async function clearDemoStore(db: Queryable, tenantId: string): Promise<void> {
  await db.query("DELETE FROM erp_write_requests WHERE tenant_id = $1", [tenantId]);
  await db.query("DELETE FROM erp_customers WHERE tenant_id = $1", [tenantId]);
  await db.query("DELETE FROM erp_products WHERE tenant_id = $1", [tenantId]);
}

/** Replaces a tenant's demo data in one transaction. */
export function replaceDemoStore(pool: pg.Pool, tenantId: string, data: DemoStoreData): Promise<void> {
  return withTransaction(pool, async (tx) => {
    await clearDemoStore(tx, tenantId);
    await insertDemoStore(tx, tenantId, data);
  });
}

/**
 * Seeds the store produced by `generate` when the tenant has no demo data yet; idempotent and safe when two
 * processes start together (advisory lock). Returns whether it seeded.
 */
export function seedDemoStoreIfEmpty(pool: pg.Pool, tenantId: string, generate: () => DemoStoreData): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`erp-seed:${tenantId}`]);
    const { rows } = await tx.query("SELECT 1 FROM erp_customers WHERE tenant_id = $1 LIMIT 1", [tenantId]);
    if (rows.length > 0) return false;
    await insertDemoStore(tx, tenantId, generate());
    return true;
  });
}
