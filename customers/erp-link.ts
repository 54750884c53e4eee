/**
 * Links a customer to the ERP's customer record when the tenant's order system finds exactly one customer with
 * the customer's WhatsApp number. Two or more matches stay unlinked: a shared family number must not expose one
 * person's orders to another.
 */
import type pg from "pg";
import type { OrderSystem } from "../tools/orders/ports.ts";

type Queryable = Pick<pg.Pool, "query">;

/** The ERP port plus a memory of recent attempts, so an unmatched customer is not looked up on every turn. */
export type ErpLookup = Pick<OrderSystem, "findCustomersByPhone"> & {
  shouldTry(customerId: string): boolean;
  tried(customerId: string): void;
};

export type ErpLinkResult =
  | { outcome: "linked"; erpCustomerId: string }
  | { outcome: "already_linked" | "no_phone" | "skipped" | "no_match" | "ambiguous" | "unavailable" };

/** Looks the customer up by phone in the ERP unless already linked; stores the id on a single match. */
export async function linkErpCustomer(db: Queryable, erp: ErpLookup, tenantId: string, customerId: string): Promise<ErpLinkResult> {
  const { rows } = await db.query<{ wa_id: string | null; erp_customer_id: string | null }>(
    "SELECT wa_id, erp_customer_id FROM customers WHERE id = $1 AND tenant_id = $2 AND erased_at IS NULL",
    [customerId, tenantId],
  );
  const c = rows[0];
  if (!c) return { outcome: "skipped" };
  if (c.erp_customer_id) return { outcome: "already_linked" };
  if (!c.wa_id) return { outcome: "no_phone" };
  if (!erp.shouldTry(customerId)) return { outcome: "skipped" };
  erp.tried(customerId);
  const found = await erp.findCustomersByPhone(tenantId, c.wa_id);
  if (!found.ok) return { outcome: found.reason === "not_found" ? "no_match" : "unavailable" };
  if (found.value.length === 0) return { outcome: "no_match" };
  if (found.value.length > 1) return { outcome: "ambiguous" };
  const erpCustomerId = (found.value[0] as { customerId: string }).customerId;
  await db.query("UPDATE customers SET erp_customer_id = $2, updated_at = now() WHERE id = $1 AND erp_customer_id IS NULL", [
    customerId,
    erpCustomerId,
  ]);
  return { outcome: "linked", erpCustomerId };
}
