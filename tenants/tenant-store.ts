/**
 * Tenants are businesses; each owns one or more WhatsApp business numbers (`phone_number_id`). Owns `tenants` and
 * `phone_numbers`. The default tenant is created at startup and owns WHATSAPP_PHONE_NUMBER_ID.
 */
import type pg from "pg";

export const DEFAULT_TENANT_ID = "default";

type Queryable = Pick<pg.Pool, "query">;

/** Creates the default tenant if needed and makes sure it owns `phoneNumberId`. Idempotent. */
export async function ensureDefaultTenant(db: Queryable, phoneNumberId: string, name = "Default business"): Promise<void> {
  await db.query("INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [DEFAULT_TENANT_ID, name]);
  await addPhoneNumber(db, DEFAULT_TENANT_ID, phoneNumberId);
}

/** Assigns a business number to a tenant (moving it if another tenant had it). */
export async function addPhoneNumber(db: Queryable, tenantId: string, phoneNumberId: string, display?: string): Promise<void> {
  await db.query(
    `INSERT INTO phone_numbers (phone_number_id, tenant_id, display_phone_number) VALUES ($1, $2, $3)
     ON CONFLICT (phone_number_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id,
       display_phone_number = COALESCE(EXCLUDED.display_phone_number, phone_numbers.display_phone_number)`,
    [phoneNumberId, tenantId, display ?? null],
  );
}

/** Creates a tenant (used by tests and, later, the admin API). */
export async function createTenant(db: Queryable, id: string, name: string): Promise<void> {
  await db.query("INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [id, name]);
}
