/**
 * `/admin/segments` (saved customer filters, with how many customers match each now, and their customers page by
 * page) and `/admin/settings/tagging` (the automatic tag rules; a change recomputes the tenant's tags).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import type { CustomerActivity } from "../customers/customer-activity.ts";
import { listCustomers } from "../customers/customer-store.ts";
import { createSegment, deleteSegment, getSegment, listSegments, SegmentInputSchema, updateSegment } from "../customers/segment-store.ts";
import { readTaggingSettings, saveTaggingSettings, TaggingSettingsSchema } from "../customers/tagging-settings.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { CustomerListQuery, cursorOfQuery, filtersOfQuery, smallJsonBody } from "./customer-query.ts";
import { ADMIN_ACTOR, ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const Loose = z.record(z.string(), z.unknown());
const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No valid admin token"),
  404: json(ErrorSchema, "No such segment"),
};
const secured = { security: [{ bearer: [] }] };
const IdParam = z.object({ id: NumericId });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true as const, content: { "application/json": { schema } } } });
const conflict = { 409: json(ErrorSchema, "A segment with this name exists") };

const routes = {
  create: createRoute({
    method: "post",
    path: "/segments",
    ...secured,
    middleware: smallJsonBody,
    request: { headers: TenantHeader, ...body(SegmentInputSchema) },
    responses: { 201: json(Loose, "Created, with its customer count"), ...errors, ...conflict },
  }),
  list: createRoute({
    method: "get",
    path: "/segments",
    ...secured,
    request: { headers: TenantHeader },
    responses: { 200: json(z.object({ segments: z.array(Loose) }), "Segments by name"), ...errors },
  }),
  get: createRoute({
    method: "get",
    path: "/segments/{id}",
    ...secured,
    request: { headers: TenantHeader, params: IdParam },
    responses: { 200: json(Loose, "The segment and its customer count"), ...errors },
  }),
  put: createRoute({
    method: "put",
    path: "/segments/{id}",
    ...secured,
    middleware: smallJsonBody,
    request: { headers: TenantHeader, params: IdParam, ...body(SegmentInputSchema) },
    responses: { 200: json(Loose, "Replaced"), ...errors, ...conflict },
  }),
  delete: createRoute({
    method: "delete",
    path: "/segments/{id}",
    ...secured,
    request: { headers: TenantHeader, params: IdParam },
    responses: { 204: { description: "Deleted" }, ...errors },
  }),
  customers: createRoute({
    method: "get",
    path: "/segments/{id}/customers",
    ...secured,
    request: { headers: TenantHeader, params: IdParam, query: CustomerListQuery.omit({ segment: true }) },
    responses: { 200: json(z.object({ customers: z.array(Loose), nextCursor: z.string().nullable() }), "A page"), ...errors },
  }),
  getTagging: createRoute({
    method: "get",
    path: "/settings/tagging",
    ...secured,
    request: { headers: TenantHeader },
    responses: { 200: json(TaggingSettingsSchema, "The rules in force (defaults filled in)"), ...errors },
  }),
  putTagging: createRoute({
    method: "put",
    path: "/settings/tagging",
    ...secured,
    middleware: smallJsonBody,
    request: { headers: TenantHeader, ...body(TaggingSettingsSchema) },
    responses: { 200: json(TaggingSettingsSchema, "Stored; the tenant's automatic tags are being recomputed"), ...errors },
  }),
};

const notFound = () => new AppError("not_found", "segment not found", { userMessage: "Segment not found." });
const nameTaken = () => new AppError("conflict", "segment name taken", { userMessage: "A segment with this name already exists." });

export function segmentRoutes(deps: { pool: pg.Pool; customers?: CustomerActivity | undefined }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.create, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const r = await createSegment(deps.pool, tenantId, c.req.valid("json"), ADMIN_ACTOR);
    if (!r.ok) throw r.code === "name_taken" ? nameTaken() : notFound();
    return c.json(await getSegment(deps.pool, tenantId, r.segment.id), 201);
  });
  app.openapi(routes.list, async (c) => c.json({ segments: await listSegments(deps.pool, tenantOf(c.req.valid("header"))) }, 200));
  app.openapi(routes.get, async (c) => {
    const segment = await getSegment(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!segment) throw notFound();
    return c.json(segment, 200);
  });
  app.openapi(routes.put, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const r = await updateSegment(deps.pool, tenantId, c.req.valid("param").id, c.req.valid("json"), ADMIN_ACTOR);
    if (!r.ok) throw r.code === "name_taken" ? nameTaken() : notFound();
    return c.json(await getSegment(deps.pool, tenantId, r.segment.id), 200);
  });
  app.openapi(routes.delete, async (c) => {
    if (!(await deleteSegment(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id, ADMIN_ACTOR))) throw notFound();
    return c.body(null, 204);
  });
  app.openapi(routes.customers, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const q = c.req.valid("query");
    const filters = await filtersOfQuery(deps.pool, tenantId, { ...q, segment: c.req.valid("param").id });
    return c.json(await listCustomers(deps.pool, tenantId, { filters, limit: q.limit, cursor: cursorOfQuery(q.cursor) }), 200);
  });
  app.openapi(routes.getTagging, async (c) => c.json(await readTaggingSettings(deps.pool, tenantOf(c.req.valid("header"))), 200));
  app.openapi(routes.putTagging, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const settings = await saveTaggingSettings(deps.pool, tenantId, c.req.valid("json"), ADMIN_ACTOR);
    deps.customers?.scheduleTenant(tenantId);
    return c.json(settings, 200);
  });
  return app;
}
