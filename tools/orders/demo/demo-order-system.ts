/**
 * The `demo` adapter: `OrderSystem` and `ShipmentTracker` over the `erp_*` tables in our own Postgres (a generated
 * fictional store, or τ-bench's retail data). It enforces the same policy a real ERP would (cancel and address
 * change only while pending, returns only of delivered items) and its own idempotency (`erp_write_requests`).
 * Database failures go through the same timeout and breaker as a remote ERP and come back as `unavailable`.
 */
import type pg from "pg";
import { withTransaction } from "../../../lib/db.ts";
import type { Resilience } from "../../resilience.ts";
import {
  type Address,
  ALLOWED_STATUS,
  type Capability,
  type Customer,
  checkReturnItems,
  notAllowed,
  notFound,
  type Order,
  type OrderStatus,
  type OrderSystem,
  ok,
  orderTotal,
  type ReadResult,
  type Shipment,
  type ShipmentTracker,
  type WriteResult,
} from "../ports.ts";

type Queryable = Pick<pg.PoolClient, "query">;

const ORDER_SELECT = `SELECT o.order_id, o.customer_id, o.status, o.placed_at, o.currency, o.items, o.address, o.return_items,
    COALESCE((SELECT jsonb_agg(s.tracking_id ORDER BY s.tracking_id) FROM erp_shipments s
              WHERE s.tenant_id = o.tenant_id AND s.order_id = o.order_id), '[]'::jsonb) AS tracking_ids
  FROM erp_orders o`;

type OrderRow = {
  order_id: string;
  customer_id: string;
  status: OrderStatus;
  placed_at: Date | null;
  currency: string;
  items: Order["items"];
  address: Address;
  return_items: string[];
  tracking_ids: string[];
};

function toOrder(r: OrderRow): Order {
  return {
    orderId: r.order_id,
    customerId: r.customer_id,
    status: r.status,
    placedAt: r.placed_at ? new Date(r.placed_at).toISOString() : null,
    currency: r.currency,
    items: r.items,
    shippingAddress: r.address,
    trackingIds: r.tracking_ids,
    returnItemIds: r.return_items,
  };
}

async function readOrder(db: Queryable, tenantId: string, orderId: string, lock = false): Promise<Order | undefined> {
  const { rows } = await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.tenant_id = $1 AND o.order_id = $2${lock ? " FOR UPDATE OF o" : ""}`, [
    tenantId,
    orderId,
  ]);
  return rows[0] ? toOrder(rows[0]) : undefined;
}

function toCustomer(r: { customer_id: string; name: string; email: string; phone: string | null; postal_code: string | null }): Customer {
  return { customerId: r.customer_id, name: r.name, email: r.email, phone: r.phone, postalCode: r.postal_code };
}
const CUSTOMER_SELECT = "SELECT customer_id, name, email, phone, address->>'postalCode' AS postal_code FROM erp_customers";

type WriteCapability = keyof typeof ALLOWED_STATUS;

export function createDemoOrderSystem(deps: { pool: pg.Pool; resilience: Resilience }): OrderSystem & ShipmentTracker {
  const { pool, resilience } = deps;
  const read = <T>(tenantId: string, capability: Capability, fn: () => Promise<ReadResult<T>>) =>
    resilience.run({ tenantId, capability }, { write: false }, fn);

  /** Runs a state-checked write once per idempotency key, in one transaction with the order row locked. */
  function write(
    tenantId: string,
    capability: WriteCapability,
    orderId: string,
    key: string,
    apply: (tx: Queryable, order: Order) => Promise<WriteResult<Order>>,
  ): Promise<WriteResult<Order>> {
    return resilience.run({ tenantId, capability }, { write: true }, () =>
      withTransaction(pool, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`erp:${tenantId}:${key}`]);
        const { rows: seen } = await tx.query<{ result: WriteResult<Order> }>(
          "SELECT result FROM erp_write_requests WHERE tenant_id = $1 AND idempotency_key = $2",
          [tenantId, key],
        );
        if (seen[0]) return seen[0].result;
        const order = await readOrder(tx, tenantId, orderId, true);
        let result: WriteResult<Order>;
        if (!order) result = notFound;
        else if (order.status !== ALLOWED_STATUS[capability]) {
          result = notAllowed(order.status, `only a ${ALLOWED_STATUS[capability]} order allows this; this one is ${order.status}`);
        } else result = await apply(tx, order);
        await tx.query("INSERT INTO erp_write_requests (tenant_id, idempotency_key, result) VALUES ($1, $2, $3)", [
          tenantId,
          key,
          JSON.stringify(result),
        ]);
        return result;
      }),
    );
  }

  async function updated(tx: Queryable, tenantId: string, orderId: string): Promise<WriteResult<Order>> {
    const order = await readOrder(tx, tenantId, orderId);
    return order ? ok(order) : notFound;
  }

  return {
    getCustomer: (tenantId, customerId) =>
      read(tenantId, "getCustomer", async () => {
        const { rows } = await pool.query(`${CUSTOMER_SELECT} WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, customerId]);
        return rows[0] ? ok(toCustomer(rows[0])) : notFound;
      }),
    findCustomersByPhone: (tenantId, phone) =>
      read(tenantId, "findCustomersByPhone", async () => {
        const { rows } = await pool.query(`${CUSTOMER_SELECT} WHERE tenant_id = $1 AND phone = $2 ORDER BY customer_id LIMIT 5`, [
          tenantId,
          phone,
        ]);
        return ok(rows.map(toCustomer));
      }),
    listOrders: (tenantId, customerId, { limit }) =>
      read(tenantId, "listOrders", async () => {
        const { rows } = await pool.query<OrderRow>(
          `${ORDER_SELECT} WHERE o.tenant_id = $1 AND o.customer_id = $2 ORDER BY o.placed_at DESC NULLS LAST, o.order_id LIMIT $3`,
          [tenantId, customerId, limit],
        );
        return ok(
          rows.map((r) => ({
            orderId: r.order_id,
            status: r.status,
            placedAt: r.placed_at ? new Date(r.placed_at).toISOString() : null,
            total: orderTotal(r.items),
            currency: r.currency,
            itemCount: r.items.length,
          })),
        );
      }),
    getOrder: (tenantId, orderId) =>
      read(tenantId, "getOrder", async () => {
        const order = await readOrder(pool, tenantId, orderId);
        return order ? ok(order) : notFound;
      }),
    cancelOrder: (tenantId, orderId, reason, { idempotencyKey }) =>
      write(tenantId, "cancelOrder", orderId, idempotencyKey, async (tx) => {
        await tx.query(
          `UPDATE erp_orders SET status = 'cancelled', updated_at = now(),
             extra = extra || jsonb_build_object('cancel_reason', $3::text)
           WHERE tenant_id = $1 AND order_id = $2`,
          [tenantId, orderId, reason],
        );
        return updated(tx, tenantId, orderId);
      }),
    updateShippingAddress: (tenantId, orderId, address, { idempotencyKey }) =>
      write(tenantId, "updateShippingAddress", orderId, idempotencyKey, async (tx) => {
        await tx.query("UPDATE erp_orders SET address = $3, updated_at = now() WHERE tenant_id = $1 AND order_id = $2", [
          tenantId,
          orderId,
          JSON.stringify(address),
        ]);
        return updated(tx, tenantId, orderId);
      }),
    requestReturn: (tenantId, orderId, itemIds, reason, { idempotencyKey }) =>
      write(tenantId, "requestReturn", orderId, idempotencyKey, async (tx, order) => {
        const problem = checkReturnItems(order, itemIds);
        if (problem) return notAllowed(order.status, problem);
        await tx.query(
          `UPDATE erp_orders SET status = 'return_requested', return_items = $3, updated_at = now(),
             extra = extra || jsonb_build_object('return_reason', $4::text)
           WHERE tenant_id = $1 AND order_id = $2`,
          [tenantId, orderId, JSON.stringify(itemIds), reason],
        );
        return updated(tx, tenantId, orderId);
      }),
    trackShipment: (tenantId, trackingId) =>
      read(tenantId, "trackShipment", async () => {
        const { rows } = await pool.query(
          `SELECT tracking_id, carrier, status, estimated_delivery::text, events FROM erp_shipments
           WHERE tenant_id = $1 AND tracking_id = $2`,
          [tenantId, trackingId],
        );
        const r = rows[0];
        if (!r) return notFound;
        const shipment: Shipment = {
          trackingId: r.tracking_id,
          carrier: r.carrier,
          status: r.status,
          estimatedDelivery: r.estimated_delivery,
          events: r.events,
        };
        return ok(shipment);
      }),
  };
}
