/** The customer list's query, shared by `GET /admin/customers` and `GET /admin/segments/:id/customers`. */
import { z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type pg from "pg";
import { decodeCursor } from "../customers/customer-store.ts";
import { type SegmentFilter, SegmentFilterSchema } from "../customers/segment-filter.ts";
import { getSegment } from "../customers/segment-store.ts";
import { AppError } from "../lib/errors.ts";
import { NumericId } from "./route-helpers.ts";

/** Query of the customer list; also used by `GET /admin/segments/:id/customers` (without `segment`). */
export const CustomerListQuery = z
  .object({
    tag: z
      .union([z.string().max(1400), z.array(z.string().max(64)).max(20)])
      .optional()
      .describe("Tags the customer must all have: repeat the parameter or separate with commas"),
    segment: NumericId.optional().describe("A saved segment's id"),
    q: z.string().min(1).max(100).optional().describe("Name, username, phone digits or BSUID contain this"),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/)
      .optional(),
    consent: z.enum(["opted_in", "opted_out", "none"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
  })
  .strict();

/** The filters of a list query: the saved segment's (when given) and the query's own, ANDed by the caller. */
export async function filtersOfQuery(pool: pg.Pool, tenantId: string, q: z.infer<typeof CustomerListQuery>): Promise<SegmentFilter[]> {
  const tags = (Array.isArray(q.tag) ? q.tag : q.tag ? [q.tag] : [])
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const own = SegmentFilterSchema.safeParse({
    ...(tags.length > 0 ? { tagsAll: [...new Set(tags)] } : {}),
    ...(q.language ? { languages: [q.language] } : {}),
    ...(q.consent ? { consent: q.consent } : {}),
    ...(q.q ? { q: q.q } : {}),
  });
  if (!own.success) {
    const details = own.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AppError("bad_request", "bad customer filter", { userMessage: "Invalid request.", details });
  }
  const filters = [own.data];
  if (q.segment) {
    const segment = await getSegment(pool, tenantId, q.segment);
    if (!segment) throw new AppError("not_found", "segment not found", { userMessage: "Segment not found." });
    filters.push(segment.filter);
  }
  return filters;
}

/** Reads `cursor`, answering 400 for one that is not ours. */
export function cursorOfQuery(raw: string | undefined) {
  if (raw === undefined) return undefined;
  const cursor = decodeCursor(raw);
  if (!cursor) throw new AppError("bad_request", "bad cursor", { userMessage: "Invalid cursor: pass nextCursor from the previous page." });
  return cursor;
}

/** Customer, segment and tagging writes are small JSON documents: anything over 64 KB is refused before parsing. */
export const smallJsonBody = bodyLimit({
  maxSize: 64 * 1024,
  onError: () => {
    throw new AppError("payload_too_large", "admin request body too large", { userMessage: "Request body over 64 KB." });
  },
});
