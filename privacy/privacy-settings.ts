/** The tenant's privacy settings (`tenant_settings` section 'privacy'): how long conversations are kept. */
import { z } from "zod";
import { readSettings, writeSettings } from "../tenants/tenant-settings.ts";

type Queryable = Parameters<typeof readSettings>[0];

export const PRIVACY_SECTION = "privacy";

export const PrivacySettingsSchema = z.strictObject({
  /** Conversations whose last message is older than this many days are deleted daily; null keeps them forever. */
  retentionDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export type PrivacySettings = z.output<typeof PrivacySettingsSchema>;

/** The settings in force (defaults when none are stored: keep forever). */
export function readPrivacySettings(db: Queryable, tenantId: string): Promise<PrivacySettings> {
  return readSettings(db, tenantId, PRIVACY_SECTION, PrivacySettingsSchema);
}

/** Validates and stores the settings; returns what is now in force. */
export function writePrivacySettings(db: Queryable, tenantId: string, value: unknown): Promise<PrivacySettings> {
  return writeSettings(db, tenantId, PRIVACY_SECTION, PrivacySettingsSchema, value);
}

/** Whether the tenant exists (settings of an unknown tenant are a 404, not a foreign-key error). */
export async function tenantExists(db: Queryable, tenantId: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM tenants WHERE id = $1", [tenantId]);
  return rows.length > 0;
}

/** Tenants with a retention period, for the daily job. */
export async function listRetentionTenants(db: Queryable): Promise<{ tenantId: string; retentionDays: number }[]> {
  const { rows } = await db.query<{ tenant_id: string; settings: unknown }>(
    "SELECT tenant_id, settings FROM tenant_settings WHERE section = $1 ORDER BY tenant_id",
    [PRIVACY_SECTION],
  );
  return rows.flatMap((r) => {
    const parsed = PrivacySettingsSchema.safeParse(r.settings);
    return parsed.success && parsed.data.retentionDays !== null
      ? [{ tenantId: r.tenant_id, retentionDays: parsed.data.retentionDays }]
      : [];
  });
}
