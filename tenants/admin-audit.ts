/**
 * The audit of administrative writes and privacy operations (`admin_audit`, migrations/008_customers.sql): customer
 * edits, segments, settings, exports, erasures, retention runs. `details` holds ids, field names and counts only,
 * never personal data, so an entry outlives the erasure of the customer it is about.
 */
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

export type AuditEntry = {
  tenantId: string;
  actor: string;
  action: string;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  details?: Record<string, unknown>;
};

/** Appends one entry (in the caller's transaction when given one). */
export async function recordAdminAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query("INSERT INTO admin_audit (tenant_id, actor, action, subject_type, subject_id, details) VALUES ($1, $2, $3, $4, $5, $6)", [
    e.tenantId,
    e.actor,
    e.action,
    e.subjectType ?? null,
    e.subjectId ?? null,
    JSON.stringify(e.details ?? {}),
  ]);
}
