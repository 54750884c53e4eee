/**
 * Writes `admin_audit` rows for privacy operations. `details` holds ids and counts only, never personal data, so
 * the audit survives the erasure it records (migrations/008_customers.sql).
 */
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

export type AuditAction = "customer.export" | "customer.erase" | "retention.run" | "settings.privacy";

/** Appends one audit row. */
export async function recordPrivacyAudit(
  db: Queryable,
  e: { tenantId: string; actor: string; action: AuditAction; subjectType?: string; subjectId?: string; details: Record<string, unknown> },
): Promise<void> {
  await db.query(`INSERT INTO admin_audit (tenant_id, actor, action, subject_type, subject_id, details) VALUES ($1, $2, $3, $4, $5, $6)`, [
    e.tenantId,
    e.actor,
    e.action,
    e.subjectType ?? null,
    e.subjectId ?? null,
    JSON.stringify(e.details),
  ]);
}
