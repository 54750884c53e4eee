/**
 * GDPR export of one customer (`GET /admin/customers/:id/export`): every section of export-sections.ts as one JSON
 * document, produced as a stream of text chunks so a long message history never sits in memory at once. Column
 * names are the stored ones (snake_case), so the export shows exactly what is kept.
 */
import type pg from "pg";
import { EXPORT_SECTIONS, type ExportSection } from "./export-sections.ts";

export const EXPORT_FORMAT = "switchboard.customer-export/1";
const PAGE_SIZE = 500;

export type ExportCheck = "ok" | "not_found" | "erased";

/** Whether the customer exists in the tenant and still has personal data to export. */
export async function checkExportable(db: Pick<pg.Pool, "query">, tenantId: string, customerId: string): Promise<ExportCheck> {
  const { rows } = await db.query<{ erased: boolean }>(
    "SELECT erased_at IS NOT NULL AS erased FROM customers WHERE id = $1 AND tenant_id = $2",
    [customerId, tenantId],
  );
  if (!rows[0]) return "not_found";
  return rows[0].erased ? "erased" : "ok";
}

/** The export document in chunks; call after `checkExportable` answered "ok". */
export async function* streamCustomerExport(
  pool: pg.Pool,
  tenantId: string,
  customerId: string,
  opts: { sections?: ExportSection[]; pageSize?: number } = {},
): AsyncGenerator<string> {
  const sections = opts.sections ?? EXPORT_SECTIONS;
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const head = { format: EXPORT_FORMAT, exported_at: new Date().toISOString(), tenant_id: tenantId, customer_id: customerId };
  yield `${JSON.stringify(head).slice(0, -1)},"sections":{`;
  for (const [i, section] of sections.entries()) {
    yield `${i > 0 ? "," : ""}${JSON.stringify(section.name)}:[`;
    let first = true;
    for await (const row of sectionRows(pool, section, tenantId, customerId, pageSize)) {
      yield `${first ? "" : ","}${JSON.stringify(row)}`;
      first = false;
    }
    yield "]";
  }
  yield "}}";
}

async function* sectionRows(
  pool: pg.Pool,
  s: ExportSection,
  tenantId: string,
  customerId: string,
  pageSize: number,
): AsyncGenerator<unknown> {
  if (s.requiresTable) {
    const { rows } = await pool.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [s.requiresTable]);
    if (!rows[0]?.present) return;
  }
  if (!s.paged) {
    yield* (await pool.query(s.sql, [tenantId, customerId])).rows;
    return;
  }
  let after = "0";
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(s.sql, [tenantId, customerId, after, pageSize]);
    yield* rows;
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as { id: string }).id;
  }
}
