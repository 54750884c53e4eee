/**
 * Segment filters: the one definition of "which customers" shared by the customer list (`GET /admin/customers`),
 * saved segments and campaign audiences. A filter is validated with zod and compiled to a parameterized WHERE clause
 * over `customers c`; erased customers never match.
 */
import type pg from "pg";
import { z } from "zod";

type Queryable = Pick<pg.Pool, "query">;

const Tag = z.string().regex(/^[a-z0-9][a-z0-9_:.-]{0,63}$/, "lower-case tag: letters, digits, _ : . -");
const Tags = z.array(Tag).min(1).max(20);
const AttributeValue = z.union([z.string().max(200), z.number(), z.boolean()]);

export const SegmentFilterSchema = z
  .object({
    /** Has every one of these tags. */
    tagsAll: Tags.optional(),
    /** Has at least one of these tags. */
    tagsAny: Tags.optional(),
    /** Has none of these tags. */
    tagsNone: Tags.optional(),
    /** Primary language subtags ('es', 'pt'). */
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .min(1)
      .max(20)
      .optional(),
    /** ISO 3166-1 alpha-2 countries ('MX'). */
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .max(50)
      .optional(),
    /** Current marketing consent. */
    consent: z.enum(["opted_in", "opted_out", "none"]).optional(),
    /** Last contact within the last N days. */
    activeWithinDays: z.number().int().min(1).max(3650).optional(),
    /** No contact for at least N days. */
    inactiveForDays: z.number().int().min(1).max(3650).optional(),
    /** Custom attributes equal to these values. */
    attributes: z
      .record(z.string().regex(/^[\w.-]{1,64}$/), AttributeValue)
      .refine((r) => Object.keys(r).length <= 20, "at most 20 attributes")
      .optional(),
    /** Free text: name, username, phone digits or BSUID contain it. */
    q: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SegmentFilter = z.infer<typeof SegmentFilterSchema>;

export type CompiledFilter = { where: string; params: unknown[] };

/**
 * Compiles a filter for `tenantId` to a WHERE clause over `customers c`. `params` continues from `firstParam`
 * ($1 by default), so callers can put their own parameters first.
 */
export function compileSegmentFilter(tenantId: string, filter: SegmentFilter, firstParam = 1): CompiledFilter {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const clauses = [`c.tenant_id = ${p(tenantId)}`, "c.erased_at IS NULL"];
  const tagged = (tags: string[]) =>
    `SELECT count(DISTINCT t.tag) FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ANY(${p(tags)}::text[])`;
  if (filter.tagsAll) clauses.push(`(${tagged(filter.tagsAll)}) = ${filter.tagsAll.length}`);
  if (filter.tagsAny) clauses.push(`(${tagged(filter.tagsAny)}) > 0`);
  if (filter.tagsNone) clauses.push(`(${tagged(filter.tagsNone)}) = 0`);
  if (filter.languages) clauses.push(`c.language = ANY(${p(filter.languages)}::text[])`);
  if (filter.countries) clauses.push(`c.country = ANY(${p(filter.countries)}::text[])`);
  if (filter.consent) clauses.push(`${CONSENT_SQL} = ${p(filter.consent)}`);
  if (filter.activeWithinDays) clauses.push(`c.last_contact_at >= now() - make_interval(days => ${p(filter.activeWithinDays)}::int)`);
  if (filter.inactiveForDays) {
    clauses.push(`(c.last_contact_at IS NULL OR c.last_contact_at < now() - make_interval(days => ${p(filter.inactiveForDays)}::int))`);
  }
  if (filter.attributes) clauses.push(`c.attributes @> ${p(JSON.stringify(filter.attributes))}::jsonb`);
  if (filter.q) {
    const like = p(`%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    clauses.push(`(c.name ILIKE ${like} OR c.username ILIKE ${like} OR c.wa_id LIKE ${like} OR c.bsuid ILIKE ${like})`);
  }
  return { where: clauses.join(" AND "), params };
}

/** The customer's current marketing consent as 'opted_in' | 'opted_out' | 'none' (latest `consents` row wins). */
export const CONSENT_SQL = `COALESCE((SELECT CASE k.action WHEN 'opt_in' THEN 'opted_in' ELSE 'opted_out' END FROM consents k
  WHERE k.customer_id = c.id AND k.topic = 'marketing' ORDER BY k.created_at DESC, k.id DESC LIMIT 1), 'none')`;

/** Ids of the customers matching a filter, ascending, one keyset page at a time (`afterId` = last id of the previous page). */
export async function listSegmentCustomerIds(
  db: Queryable,
  tenantId: string,
  filter: SegmentFilter,
  page: { afterId?: string | undefined; limit: number },
): Promise<string[]> {
  const { where, params } = compileSegmentFilter(tenantId, filter, 3);
  const { rows } = await db.query<{ id: string }>(
    `SELECT c.id::text FROM customers c WHERE c.id > $1 AND ${where} ORDER BY c.id LIMIT $2`,
    [page.afterId ?? "0", page.limit, ...params],
  );
  return rows.map((r) => r.id);
}

/** How many customers match a filter. */
export async function countSegmentCustomers(db: Queryable, tenantId: string, filter: SegmentFilter): Promise<number> {
  const { where, params } = compileSegmentFilter(tenantId, filter);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers c WHERE ${where}`, params);
  return rows[0]?.n ?? 0;
}
