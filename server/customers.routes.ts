/** `/admin/customers/:id/opt-in` and `/consents`: marketing consent records with their source and wording. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { listConsents, readConsent, recordConsent } from "../compliance/consent-store.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const OptInSchema = z.object({
  source: z.string().min(1).max(100).describe("Where the customer opted in, e.g. 'checkout_checkbox', 'website_form'"),
  textShown: z.string().min(1).max(2000).describe("The exact wording the customer agreed to (must name the business)"),
});
const ConsentView = z.object({ state: z.enum(["opted_in", "opted_out", "none"]), history: z.array(z.record(z.string(), z.unknown())) });

const optIn = createRoute({
  method: "post",
  path: "/customers/{id}/opt-in",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    params: z.object({ id: NumericId }),
    body: { required: true, content: { "application/json": { schema: OptInSchema } } },
  },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: ConsentView } } },
    400: { description: "Invalid", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "No such customer", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const consents = createRoute({
  method: "get",
  path: "/customers/{id}/consents",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: z.object({ id: NumericId }) },
  responses: {
    200: { description: "Current state and history", content: { "application/json": { schema: ConsentView } } },
    404: { description: "No such customer", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function customerRoutes(deps: { pool: pg.Pool }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const requireCustomer = async (tenantId: string, id: string) => {
    const { rows } = await deps.pool.query("SELECT 1 FROM customers WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
    if (rows.length === 0) throw new AppError("not_found", `customer ${id} not found`, { userMessage: "Customer not found." });
  };
  const view = async (id: string) => ({ state: await readConsent(deps.pool, id), history: await listConsents(deps.pool, id) });

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
  return app;
}
