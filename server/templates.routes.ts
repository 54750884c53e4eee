/** `/admin/templates`: the tenant's WhatsApp template registry (what may be sent outside the 24-hour window). */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { deleteTemplate, listTemplates, TemplateInputSchema, upsertTemplate } from "../compliance/template-store.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const TemplateSchema = TemplateInputSchema.extend({ id: z.string(), updatedAt: z.string() }).openapi("Template");

const list = createRoute({
  method: "get",
  path: "/templates",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    query: z.object({ status: z.enum(["approved", "pending", "rejected", "paused", "disabled"]).optional() }),
  },
  responses: {
    200: { description: "Templates", content: { "application/json": { schema: z.object({ templates: z.array(TemplateSchema) }) } } },
    400: { description: "Bad query", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const create = createRoute({
  method: "post",
  path: "/templates",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: TemplateInputSchema } } } },
  responses: {
    201: { description: "Created or replaced (same name and language)", content: { "application/json": { schema: TemplateSchema } } },
    400: { description: "Invalid template", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const remove = createRoute({
  method: "delete",
  path: "/templates/{id}",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: z.object({ id: z.string().regex(/^\d{1,18}$/) }) },
  responses: {
    204: { description: "Deleted" },
    400: { description: "Bad id", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function templateRoutes(deps: { pool: pg.Pool }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(list, async (c) => {
    const templates = await listTemplates(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("query"));
    return c.json({ templates }, 200);
  });
  app.openapi(create, async (c) => {
    const template = await upsertTemplate(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("json"));
    return c.json(template, 201);
  });
  app.openapi(remove, async (c) => {
    const deleted = await deleteTemplate(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!deleted) throw new AppError("not_found", "template not found", { userMessage: "Template not found." });
    return c.body(null, 204);
  });
  return app;
}
