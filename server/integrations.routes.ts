/**
 * `/admin/integrations`: which ERP the tenant's order tools talk to (the demo tables, or its ERP over HTTP with
 * endpoint templates and response mappings). Secrets are never accepted inline: headers reference env var names,
 * and the answer says which of those are set in this process.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type pg from "pg";
import { AppError } from "../lib/errors.ts";
import { type IntegrationConfig, IntegrationConfigSchema, referencedEnvVars } from "../tools/orders/http/integration-config.ts";
import { readIntegration, saveIntegration } from "../tools/orders/integration-store.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

export const MAX_INTEGRATION_BYTES = 64 * 1024;

// The config's own schema is recursive (mappings nest); the OpenAPI document describes it loosely and the handler
// validates it with IntegrationConfigSchema.
const ConfigDoc = z.record(z.string(), z.unknown()).openapi("IntegrationConfig", {
  description: '{"adapter":"demo"} or {"adapter":"http","baseUrl","headers","timeoutMs","capabilities":{...}} (see README)',
});
const IntegrationSchema = z
  .object({
    tenantId: z.string(),
    config: ConfigDoc,
    updatedAt: z.string().nullable(),
    envVars: z.array(z.object({ name: z.string(), set: z.boolean() })),
  })
  .openapi("Integration");

const get = createRoute({
  method: "get",
  path: "/integrations",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader },
  responses: { 200: { description: "The tenant's ERP integration", content: { "application/json": { schema: IntegrationSchema } } } },
});

const put = createRoute({
  method: "put",
  path: "/integrations",
  security: [{ bearer: [] }],
  middleware: [
    bodyLimit({
      maxSize: MAX_INTEGRATION_BYTES,
      onError: (c) => c.json({ error: { code: "payload_too_large", message: "Integration config over 64 KB." } }, 413),
    }),
  ] as const,
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: ConfigDoc } } } },
  responses: {
    200: { description: "Saved", content: { "application/json": { schema: IntegrationSchema } } },
    400: { description: "Invalid config (every problem is listed)", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Unknown tenant", content: { "application/json": { schema: ErrorSchema } } },
    413: { description: "Too large", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export type IntegrationRouteDeps = {
  pool: pg.Pool;
  secretEnv: Record<string, string | undefined>;
  /** Called after a save so the running adapters and breakers pick up the change. */
  onChange?: (tenantId: string) => void;
};

export function integrationRoutes(deps: IntegrationRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const view = (tenantId: string, config: IntegrationConfig, updatedAt: string | null) => ({
    tenantId,
    config,
    updatedAt,
    envVars: referencedEnvVars(config).map((name) => ({ name, set: !!deps.secretEnv[name] })),
  });
  app.openapi(get, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { config, updatedAt } = await readIntegration(deps.pool, tenantId);
    return c.json(view(tenantId, config, updatedAt), 200);
  });
  app.openapi(put, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const parsed = IntegrationConfigSchema.safeParse(c.req.valid("json"));
    if (!parsed.success) {
      const details = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
      return c.json({ error: { code: "bad_request", message: "Invalid integration config.", details } }, 400);
    }
    const saved = await saveIntegration(deps.pool, tenantId, parsed.data);
    if (!saved) throw new AppError("not_found", `tenant ${tenantId} not found`, { userMessage: "Tenant not found." });
    deps.onChange?.(tenantId);
    return c.json(view(tenantId, saved.config, saved.updatedAt), 200);
  });
  return app;
}
