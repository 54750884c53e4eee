/**
 * The ports the order tools talk to, named for the capability: `OrderSystem` (customers, orders and the three
 * writes) and `ShipmentTracker`. Adapters: `demo/` (tables in our own Postgres) and `http/` (a real ERP).
 * Expected outcomes are typed results: `not_found`, `not_allowed` (the order's state forbids the change) and
 * `unavailable` (timeout, error, open circuit, malformed answer), which the agent turns into an escalation.
 * Ownership is NOT checked here: the ports answer for the whole tenant and `order-service.ts` filters by customer.
 */
import { z } from "zod";

export const ORDER_STATUSES = ["pending", "processed", "shipped", "delivered", "cancelled", "return_requested"] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const AddressSchema = z.object({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).nullish(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().max(100).nullish(),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().trim().min(2).max(60),
});
export type Address = z.infer<typeof AddressSchema>;

export const CustomerSchema = z.object({
  customerId: z.string().min(1),
  name: z.string(),
  email: z.string().nullish(),
  /** Digits only, as WhatsApp's wa_id. */
  phone: z.string().nullish(),
  postalCode: z.string().nullish(),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const OrderItemSchema = z.object({
  itemId: z.string().min(1),
  productId: z.string().nullish(),
  name: z.string(),
  options: z.record(z.string(), z.string()).default({}),
  price: z.number(),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

export const OrderSummarySchema = z.object({
  orderId: z.string().min(1),
  status: OrderStatusSchema,
  placedAt: z.string().nullish(),
  total: z.number(),
  currency: z.string().default("USD"),
  itemCount: z.number().int().nonnegative(),
});
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

export const OrderSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: OrderStatusSchema,
  placedAt: z.string().nullish(),
  currency: z.string().default("USD"),
  items: z.array(OrderItemSchema),
  shippingAddress: AddressSchema,
  trackingIds: z.array(z.string()).default([]),
  returnItemIds: z.array(z.string()).default([]),
});
export type Order = z.infer<typeof OrderSchema>;

export const TrackingEventSchema = z.object({
  at: z.string(),
  status: z.string(),
  location: z.string().nullish(),
  description: z.string().nullish(),
});
export const ShipmentSchema = z.object({
  trackingId: z.string().min(1),
  carrier: z.string().nullish(),
  status: z.string(),
  estimatedDelivery: z.string().nullish(),
  events: z.array(TrackingEventSchema).default([]),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

export type NotFound = { ok: false; reason: "not_found" };
export type NotAllowed = { ok: false; reason: "not_allowed"; status: OrderStatus | null; detail: string };
export type Unavailable = { ok: false; reason: "unavailable"; detail: string };
export type Ok<T> = { ok: true; value: T };

export type ReadResult<T> = Ok<T> | NotFound | Unavailable;
export type WriteResult<T> = Ok<T> | NotFound | NotAllowed | Unavailable;

/** Every write carries the idempotency key of the pending action it executes. */
export type WriteOptions = { idempotencyKey: string };

export type OrderSystem = {
  getCustomer(tenantId: string, customerId: string): Promise<ReadResult<Customer>>;
  /** Customers whose phone is this number (digits only); usually zero or one. */
  findCustomersByPhone(tenantId: string, phone: string): Promise<ReadResult<Customer[]>>;
  /** Most recent first. */
  listOrders(tenantId: string, customerId: string, opts: { limit: number }): Promise<ReadResult<OrderSummary[]>>;
  getOrder(tenantId: string, orderId: string): Promise<ReadResult<Order>>;
  /** Only a pending order can be cancelled. */
  cancelOrder(tenantId: string, orderId: string, reason: string, opts: WriteOptions): Promise<WriteResult<Order>>;
  /** Only a pending order's address can change. */
  updateShippingAddress(tenantId: string, orderId: string, address: Address, opts: WriteOptions): Promise<WriteResult<Order>>;
  /** Only items of a delivered order, each at most once. */
  requestReturn(tenantId: string, orderId: string, itemIds: string[], reason: string, opts: WriteOptions): Promise<WriteResult<Order>>;
};

export type ShipmentTracker = {
  trackShipment(tenantId: string, trackingId: string): Promise<ReadResult<Shipment>>;
};

export type Capability = keyof OrderSystem | keyof ShipmentTracker;
export const CAPABILITIES = [
  "getCustomer",
  "findCustomersByPhone",
  "listOrders",
  "getOrder",
  "cancelOrder",
  "updateShippingAddress",
  "requestReturn",
  "trackShipment",
] as const satisfies readonly Capability[];
export const WRITE_CAPABILITIES: ReadonlySet<Capability> = new Set(["cancelOrder", "updateShippingAddress", "requestReturn"]);

export const notFound: NotFound = { ok: false, reason: "not_found" };
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}
export function unavailable(detail: string): Unavailable {
  return { ok: false, reason: "unavailable", detail };
}
export function notAllowed(status: OrderStatus | null, detail: string): NotAllowed {
  return { ok: false, reason: "not_allowed", status, detail };
}

/** The policy both adapters enforce (and the service checks before asking the customer). */
export const ALLOWED_STATUS: Record<"cancelOrder" | "updateShippingAddress" | "requestReturn", OrderStatus> = {
  cancelOrder: "pending",
  updateShippingAddress: "pending",
  requestReturn: "delivered",
};

/** Digits only: "+1 (555) 010-0001" and "15550100001" compare equal. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, "");
}

export function orderTotal(items: OrderItem[]): number {
  return Math.round(items.reduce((s, i) => s + i.price, 0) * 100) / 100;
}

/** Why these items cannot be returned from this order, or null when they can. */
export function checkReturnItems(order: Order, itemIds: string[]): string | null {
  if (itemIds.length === 0) return "name at least one item to return";
  const available = order.items.map((i) => i.itemId).filter((id) => !order.returnItemIds.includes(id));
  for (const id of itemIds) {
    const at = available.indexOf(id);
    if (at < 0) return `item ${id} is not in this order or was already returned`;
    available.splice(at, 1);
  }
  return null;
}
