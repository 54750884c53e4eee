/**
 * Saved segments (`segments`): a name and a segment filter (segment-filter.ts), one name per tenant. Writes are
 * audited with the segment's id and name only.
 */
import type pg from "pg";
import { z } from "zod";
import { withTransaction } from "../lib/db.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import { countSegmentCustomers, type SegmentFilter, SegmentFilterSchema } from "./segment-filter.ts";

type Queryable = Pick<pg.Pool, "query">;

export const SegmentInputSchema = z.object({ name: z.string().trim().min(1).max(100), filter: SegmentFilterSchema }).strict();
export type SegmentInput = z.infer<typeof SegmentInputSchema>;

export type Segment = { id: string; name: string; filter: SegmentFilter; createdAt: string; updatedAt: string };
export type SegmentWithCount = Segment & { customerCount: number };

export type SegmentWriteResult = { ok: true; segment: Segment } | { ok: false; code: "not_found" | "name_taken" };

const UNIQUE_VIOLATION = "23505";

function toSegment(r: Record<string, unknown>): Segment {
  return {
    id: String(r.id),
    name: r.name as string,
    // A stored filter was validated on the way in; parsing again keeps the type honest.
    filter: SegmentFilterSchema.parse(r.filter),
    createdAt: new Date(r.created_at as string).toISOString(),
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}

/** Creates a segment; `name_taken` when the tenant already has one by that name. */
export async function createSegment(pool: pg.Pool, tenantId: string, input: SegmentInput, actor: string): Promise<SegmentWriteResult> {
  return saveSegment(pool, async (tx) => {
    const { rows } = await tx.query("INSERT INTO segments (tenant_id, name, filter) VALUES ($1, $2, $3) RETURNING *", [
      tenantId,
      input.name,
      JSON.stringify(input.filter),
    ]);
    const segment = toSegment(rows[0]);
    await audit(tx, tenantId, actor, "segment.create", segment.id, input.filter);
    return segment;
  });
}

/** Replaces a segment's name and filter. */
export async function updateSegment(
  pool: pg.Pool,
  tenantId: string,
  id: string,
  input: SegmentInput,
  actor: string,
): Promise<SegmentWriteResult> {
  return saveSegment(pool, async (tx) => {
    const { rows } = await tx.query(
      "UPDATE segments SET name = $3, filter = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING *",
      [id, tenantId, input.name, JSON.stringify(input.filter)],
    );
    if (!rows[0]) return undefined;
    await audit(tx, tenantId, actor, "segment.update", id, input.filter);
    return toSegment(rows[0]);
  });
}

/** Deletes a segment; false when it is not the tenant's. */
export async function deleteSegment(pool: pg.Pool, tenantId: string, id: string, actor: string): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query("DELETE FROM segments WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
    if (!rowCount) return false;
    await recordAdminAudit(tx, { tenantId, actor, action: "segment.delete", subjectType: "segment", subjectId: id });
    return true;
  });
}

/** A saved segment's filter (campaigns copy it when created), or undefined when the tenant has no such segment. */
export async function readSegmentFilter(db: Queryable, tenantId: string, id: string): Promise<SegmentFilter | undefined> {
  const { rows } = await db.query("SELECT filter FROM segments WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  return rows[0] ? SegmentFilterSchema.parse(rows[0].filter) : undefined;
}

/** One segment of the tenant with how many customers match it now. */
export async function getSegment(db: Queryable, tenantId: string, id: string): Promise<SegmentWithCount | undefined> {
  const { rows } = await db.query("SELECT * FROM segments WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  if (!rows[0]) return undefined;
  const segment = toSegment(rows[0]);
  return { ...segment, customerCount: await countSegmentCustomers(db, tenantId, segment.filter) };
}

/** The tenant's segments by name, with their counts (a tenant keeps a handful, not thousands). */
export async function listSegments(db: Queryable, tenantId: string): Promise<SegmentWithCount[]> {
  const { rows } = await db.query("SELECT * FROM segments WHERE tenant_id = $1 ORDER BY name, id LIMIT 500", [tenantId]);
  const segments = rows.map(toSegment);
  return Promise.all(segments.map(async (s) => ({ ...s, customerCount: await countSegmentCustomers(db, tenantId, s.filter) })));
}

async function saveSegment(pool: pg.Pool, write: (tx: pg.PoolClient) => Promise<Segment | undefined>): Promise<SegmentWriteResult> {
  try {
    const segment = await withTransaction(pool, write);
    return segment ? { ok: true, segment } : { ok: false, code: "not_found" };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return { ok: false, code: "name_taken" };
    throw err;
  }
}

function audit(db: Queryable, tenantId: string, actor: string, action: string, id: string, filter: SegmentFilter): Promise<void> {
  // The filter's keys say what the segment selects on without copying its values (a `q` could be a phone number).
  return recordAdminAudit(db, {
    tenantId,
    actor,
    action,
    subjectType: "segment",
    subjectId: id,
    details: { filterKeys: Object.keys(filter).sort() },
  });
}
