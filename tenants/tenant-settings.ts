/**
 * Per-tenant settings, one JSON document per section (`tenant_settings`). Each owning module defines its section's
 * zod schema with defaults; a missing or stale document reads as the defaults, so adding a setting needs no migration.
 */
import type pg from "pg";
import type { z } from "zod";

type Queryable = Pick<pg.Pool, "query">;

/** Reads a section, filling defaults (the schema's own `.default()`s) for anything not stored. */
export async function readSettings<S extends z.ZodType>(db: Queryable, tenantId: string, section: string, schema: S): Promise<z.output<S>> {
  const { rows } = await db.query<{ settings: unknown }>("SELECT settings FROM tenant_settings WHERE tenant_id = $1 AND section = $2", [
    tenantId,
    section,
  ]);
  const parsed = schema.safeParse(rows[0]?.settings ?? {});
  // A document written by an older version that no longer validates falls back to the defaults rather than failing.
  return parsed.success ? parsed.data : schema.parse({});
}

/** Validates and stores a whole section; returns what is now in force. */
export async function writeSettings<S extends z.ZodType>(
  db: Queryable,
  tenantId: string,
  section: string,
  schema: S,
  value: unknown,
): Promise<z.output<S>> {
  const settings = schema.parse(value);
  await db.query(
    `INSERT INTO tenant_settings (tenant_id, section, settings) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, section) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
    [tenantId, section, JSON.stringify(settings)],
  );
  return settings;
}
