/** Owns `order_integrations`: which ERP each tenant's order tools talk to. Configs are validated before saving. */
import type pg from "pg";
import { type IntegrationConfig, IntegrationConfigSchema } from "./http/integration-config.ts";

type Queryable = Pick<pg.Pool, "query">;

export type StoredIntegration = { config: IntegrationConfig; updatedAt: string | null };

/** The tenant's integration; a tenant that never configured one uses the demo ERP. */
export async function readIntegration(db: Queryable, tenantId: string): Promise<StoredIntegration> {
  const { rows } = await db.query<{ config: unknown; updated_at: Date }>(
    "SELECT config, updated_at FROM order_integrations WHERE tenant_id = $1",
    [tenantId],
  );
  const row = rows[0];
  if (!row) return { config: { adapter: "demo" }, updatedAt: null };
  // Stored configs were validated on save; a row that no longer parses (schema changed) is reported, not used.
  const parsed = IntegrationConfigSchema.safeParse(row.config);
  if (!parsed.success) throw new Error(`stored ERP integration of tenant ${tenantId} is invalid: ${parsed.error.issues[0]?.message}`);
  return { config: parsed.data, updatedAt: new Date(row.updated_at).toISOString() };
}

/** Saves an already-validated config; undefined when the tenant does not exist. */
export async function saveIntegration(db: Queryable, tenantId: string, config: IntegrationConfig): Promise<StoredIntegration | undefined> {
  const { rows } = await db.query<{ updated_at: Date }>(
    `INSERT INTO order_integrations (tenant_id, config) SELECT id, $2 FROM tenants WHERE id = $1
     ON CONFLICT (tenant_id) DO UPDATE SET config = EXCLUDED.config, updated_at = now() RETURNING updated_at`,
    [tenantId, JSON.stringify(config)],
  );
  if (!rows[0]) return undefined;
  return { config, updatedAt: new Date(rows[0].updated_at).toISOString() };
}
