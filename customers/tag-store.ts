/** Reads of a customer's tags and the manual ones agents and admins add or remove (`customer_tags`). */
import type pg from "pg";
import { z } from "zod";

type Queryable = Pick<pg.Pool, "query">;

/** The tag format the schema enforces (migrations/008_customers.sql). */
export const TagSchema = z.string().regex(/^[a-z0-9][a-z0-9_:.-]{0,63}$/, "lower-case tag: letters, digits, _ : . - (at most 64)");

export type TagView = {
  tag: string;
  source: "auto" | "manual";
  reason: string | null;
  evidence: unknown;
  createdAt: string;
  updatedAt: string;
};

/** A customer's tags, alphabetical. */
export async function listCustomerTags(db: Queryable, customerId: string): Promise<TagView[]> {
  const { rows } = await db.query(
    "SELECT tag, source, reason, evidence, created_at, updated_at FROM customer_tags WHERE customer_id = $1 ORDER BY tag",
    [customerId],
  );
  return rows.map((r) => ({
    tag: r.tag,
    source: r.source,
    reason: r.reason,
    evidence: r.evidence,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

export type TagChange = { add?: string[] | undefined; remove?: string[] | undefined };
export type TagChangeResult =
  | { ok: true; added: string[]; removed: string[] }
  /** Automatic tags cannot be removed by hand: the rule would set them again (switch the rule off instead). */
  | { ok: false; code: "auto_tag"; tags: string[] };

/**
 * Adds and removes manual tags (in the caller's transaction). Adding a tag a rule had set makes it manual, so the
 * rules leave it alone from then on; `actor` ("admin", "agent:12") is kept as the reason.
 */
export async function changeManualTags(
  db: Queryable,
  tenantId: string,
  customerId: string,
  change: TagChange,
  actor: string,
): Promise<TagChangeResult> {
  const remove = [...new Set(change.remove ?? [])];
  const add = [...new Set(change.add ?? [])].filter((t) => !remove.includes(t));
  if (remove.length > 0) {
    const { rows } = await db.query<{ tag: string }>(
      "SELECT tag FROM customer_tags WHERE customer_id = $1 AND source = 'auto' AND tag = ANY($2::text[]) ORDER BY tag",
      [customerId, remove],
    );
    if (rows.length > 0) return { ok: false, code: "auto_tag", tags: rows.map((r) => r.tag) };
  }
  const { rows: removed } = await db.query<{ tag: string }>(
    "DELETE FROM customer_tags WHERE customer_id = $1 AND source = 'manual' AND tag = ANY($2::text[]) RETURNING tag",
    [customerId, remove],
  );
  const added: string[] = [];
  for (const tag of add) {
    const { rows } = await db.query<{ tag: string }>(
      `INSERT INTO customer_tags (tenant_id, customer_id, tag, source, reason) VALUES ($1, $2, $3, 'manual', $4)
       ON CONFLICT (customer_id, tag) DO UPDATE SET source = 'manual', reason = EXCLUDED.reason, evidence = NULL, updated_at = now()
       WHERE customer_tags.source = 'auto'
       RETURNING tag`,
      [tenantId, customerId, tag, `set by ${actor}`],
    );
    if (rows[0]) added.push(tag);
  }
  return { ok: true, added, removed: removed.map((r) => r.tag).sort() };
}
