/**
 * `/admin/customers`: the customer list (tag, saved segment, language, consent and free-text filters; keyset pages,
 * newest contact first), one customer's profile, admin edits (name, language, time zone, attributes, manual tags),
 * and marketing consent records (`/opt-in`, `/consents`). Segments and tagging settings are mounted here too.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { listConsents, readConsent, recordConsent } from "../compliance/consent-store.ts";
import { refreshAutoTags } from "../customers/auto-tags.ts";
import type { CustomerActivity } from "../customers/customer-activity.ts";
import { getCustomerProfile, listCustomers } from "../customers/customer-store.ts";
import { CustomerPatchSchema, updateCustomer } from "../customers/customer-update.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { CustomerListQuery, cursorOfQuery, filtersOfQuery, smallJsonBody } from "./customer-query.ts";
import { ADMIN_ACTOR, ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { segmentRoutes } from "./segments.routes.ts";
import { validationHook } from "./validation.ts";

export type CustomerRouteDeps = { pool: pg.Pool; customers?: CustomerActivity | undefined };

const OptInSchema = z.object({
  source: z.string().min(1).max(100).describe("Where the customer opted in, e.g. 'checkout_checkbox', 'website_form'"),
  textShown: z.string().min(1).max(2000).describe("The exact wording the customer agreed to (must name the business)"),
});
const ConsentView = z.object({ state: z.enum(["opted_in", "opted_out", "none"]), history: z.array(z.record(z.string(), z.unknown())) });
const Loose = z.record(z.string(), z.unknown());
const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No valid admin token"),
  404: json(ErrorSchema, "No such customer"),
};
const IdParam = z.object({ id: NumericId });

const list = createRoute({
  method: "get",
  path: "/customers",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, query: CustomerListQuery },
  responses: { 200: json(z.object({ customers: z.array(Loose), nextCursor: z.string().nullable() }), "A page of customers"), ...errors },
});
const get = createRoute({
  method: "get",
  path: "/customers/{id}",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: IdParam },
  responses: { 200: json(Loose, "Profile, identities, consent, tags with reasons, counts, attributes, ERP link"), ...errors },
});
const patch = createRoute({
  method: "patch",
  path: "/customers/{id}",
  security: [{ bearer: [] }],
  middleware: smallJsonBody,
  request: {
    headers: TenantHeader,
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: CustomerPatchSchema } } },
  },
  responses: {
    200: json(Loose, "The updated profile"),
    409: json(ErrorSchema, "An automatic tag cannot be removed by hand"),
    413: json(ErrorSchema, "Attributes too large"),
    ...errors,
  },
});
const optIn = createRoute({
  method: "post",
  path: "/customers/{id}/opt-in",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: IdParam, body: { required: true, content: { "application/json": { schema: OptInSchema } } } },
  responses: { 201: json(ConsentView, "Recorded"), ...errors },
});
const consents = createRoute({
  method: "get",
  path: "/customers/{id}/consents",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: IdParam },
  responses: { 200: json(ConsentView, "Current state and history"), ...errors },
});

const notFound = () => new AppError("not_found", "customer not found", { userMessage: "Customer not found." });

export function customerRoutes(deps: CustomerRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const requireCustomer = async (tenantId: string, id: string) => {
    const { rows } = await deps.pool.query("SELECT 1 FROM customers WHERE id = $1 AND tenant_id = $2 AND erased_at IS NULL", [
      id,
      tenantId,
    ]);
    if (rows.length === 0) throw notFound();
  };
  const view = async (id: string) => ({ state: await readConsent(deps.pool, id), history: await listConsents(deps.pool, id) });

  app.openapi(list, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const q = c.req.valid("query");
    const page = await listCustomers(deps.pool, tenantId, {
      filters: await filtersOfQuery(deps.pool, tenantId, q),
      limit: q.limit,
      cursor: cursorOfQuery(q.cursor),
    });
    return c.json(page, 200);
  });
  app.openapi(get, async (c) => {
    const profile = await getCustomerProfile(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!profile) throw notFound();
    return c.json(profile, 200);
  });
  app.openapi(patch, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { id } = c.req.valid("param");
    const r = await updateCustomer(deps.pool, tenantId, id, c.req.valid("json"), ADMIN_ACTOR);
    if (!r.ok) {
      if (r.code === "not_found") throw notFound();
      if (r.code === "attributes_too_large") throw new AppError("payload_too_large", r.detail, { userMessage: r.detail });
      throw new AppError("conflict", "auto tag removal", {
        userMessage: "Automatic tags cannot be removed by hand; switch the rule off in the tagging settings instead.",
        details: { code: "auto_tag", tags: r.tags },
      });
    }
    // Language and time zone feed the lang: and region: rules.
    if (r.fields.includes("language") || r.fields.includes("timeZone")) await refreshAutoTags(deps.pool, tenantId, id);
    return c.json(await getCustomerProfile(deps.pool, tenantId, id), 200);
  });
  app.openapi(optIn, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { id } = c.req.valid("param");
    await requireCustomer(tenantId, id);
    const body = c.req.valid("json");
    await recordConsent(deps.pool, tenantId, id, { action: "opt_in", source: body.source, textShown: body.textShown });
    return c.json(await view(id), 201);
  });
  app.openapi(consents, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { id } = c.req.valid("param");
    await requireCustomer(tenantId, id);
    return c.json(await view(id), 200);
  });
  app.route("/", segmentRoutes(deps));
  return app;
}
