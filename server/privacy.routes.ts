/**
 * GDPR and retention (issue 9): `GET /admin/customers/:id/export` (everything stored about a customer, as a JSON
 * attachment), `DELETE /admin/customers/:id` (erasure, keeping anonymous aggregates), `GET/PUT
 * /admin/settings/privacy` (the retention period) and `POST /admin/privacy/retention/run` (run it now).
 * Every export, erasure and retention run is written to admin_audit.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../lib/errors.ts";
import { eraseCustomer, type PrivacyDeps } from "../privacy/customer-erase.ts";
import { checkExportable, streamCustomerExport } from "../privacy/customer-export.ts";
import { PrivacySettingsSchema, readPrivacySettings, tenantExists, writePrivacySettings } from "../privacy/privacy-settings.ts";
import type { RetentionJob } from "../privacy/retention-job.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import type { AppEnv } from "./app-env.ts";
import { ADMIN_ACTOR, ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

export type PrivacyRouteDeps = PrivacyDeps & { retention: RetentionJob };

// The admin token names no person: audit rows say which credential acted.
const MAX_SETTINGS_BYTES = 4 * 1024;

const Settings = PrivacySettingsSchema;
const Counts = z.record(z.string(), z.number());
const EraseResponse = z
  .object({ status: z.enum(["erased", "already_erased"]), erasedAt: z.string(), counts: Counts.optional() })
  .openapi("ErasureResult");
const RetentionResponse = z.object({ tenantId: z.string(), retentionDays: z.number(), counts: Counts }).openapi("RetentionRun");
const notFound = { description: "No such customer in this tenant", content: { "application/json": { schema: ErrorSchema } } };
const customerRequest = { headers: TenantHeader, params: z.object({ id: NumericId }) };

const exportRoute = createRoute({
  method: "get",
  path: "/customers/{id}/export",
  security: [{ bearer: [] }],
  request: customerRequest,
  responses: {
    200: {
      description: "Everything stored about the customer, one list per section",
      content: { "application/json": { schema: z.unknown() } },
    },
    400: { description: "Bad id", content: { "application/json": { schema: ErrorSchema } } },
    404: notFound,
  },
});
const eraseRoute = createRoute({
  method: "delete",
  path: "/customers/{id}",
  security: [{ bearer: [] }],
  request: customerRequest,
  responses: {
    200: { description: "Erased now, or erased before (idempotent)", content: { "application/json": { schema: EraseResponse } } },
    400: { description: "Bad id", content: { "application/json": { schema: ErrorSchema } } },
    404: notFound,
  },
});
const getSettings = createRoute({
  method: "get",
  path: "/settings/privacy",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader },
  responses: {
    200: { description: "The privacy settings in force", content: { "application/json": { schema: Settings } } },
    404: { description: "Unknown tenant", content: { "application/json": { schema: ErrorSchema } } },
  },
});
const putSettings = createRoute({
  method: "put",
  path: "/settings/privacy",
  security: [{ bearer: [] }],
  middleware: [
    bodyLimit({
      maxSize: MAX_SETTINGS_BYTES,
      onError: (c) => c.json({ error: { code: "payload_too_large", message: "Settings over 4 KB." } }, 413),
    }),
  ] as const,
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: Settings } } } },
  responses: {
    200: { description: "Saved", content: { "application/json": { schema: Settings } } },
    400: { description: "Invalid settings", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Unknown tenant", content: { "application/json": { schema: ErrorSchema } } },
    413: { description: "Too large", content: { "application/json": { schema: ErrorSchema } } },
  },
});
const runRetention = createRoute({
  method: "post",
  path: "/privacy/retention/run",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader },
  responses: {
    200: { description: "What the run deleted", content: { "application/json": { schema: RetentionResponse } } },
    404: { description: "Unknown tenant", content: { "application/json": { schema: ErrorSchema } } },
    409: { description: "No retention period is set", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const customerNotFound = (id: string) => new AppError("not_found", `customer ${id} not found`, { userMessage: "Customer not found." });

export function privacyRoutes(deps: PrivacyRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const requireTenant = async (tenantId: string) => {
    if (!(await tenantExists(deps.pool, tenantId)))
      throw new AppError("not_found", `tenant ${tenantId} not found`, { userMessage: "Tenant not found." });
  };

  app.openapi(exportRoute, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { id } = c.req.valid("param");
    // An erased customer has nothing personal left: the anonymous remains are not "about" anyone.
    if ((await checkExportable(deps.pool, tenantId, id)) !== "ok") throw customerNotFound(id);
    await recordAdminAudit(deps.pool, {
      tenantId,
      actor: ADMIN_ACTOR,
      action: "customer.export",
      subjectType: "customer",
      subjectId: id,
      details: {},
    });
    const chunks = streamCustomerExport(deps.pool, tenantId, id);
    const encoder = new TextEncoder();
    const log = c.get("logger");
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          log.error({ err, customerId: id }, "customer export failed mid-stream");
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const headers = {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="customer-${id}-export.json"`,
      "cache-control": "no-store",
    };
    // Typed routes model JSON bodies built with c.json; this one is streamed, so its type is asserted here.
    return c.body(body, 200, headers) as never;
  });

  app.openapi(eraseRoute, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const { id } = c.req.valid("param");
    const result = await eraseCustomer(deps, tenantId, id, ADMIN_ACTOR);
    if (result.status === "not_found") throw customerNotFound(id);
    return c.json(result, 200);
  });

  app.openapi(getSettings, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    await requireTenant(tenantId);
    return c.json(await readPrivacySettings(deps.pool, tenantId), 200);
  });

  app.openapi(putSettings, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    await requireTenant(tenantId);
    const saved = await writePrivacySettings(deps.pool, tenantId, c.req.valid("json"));
    await recordAdminAudit(deps.pool, { tenantId, actor: ADMIN_ACTOR, action: "settings.privacy", details: saved });
    return c.json(saved, 200);
  });

  app.openapi(runRetention, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    await requireTenant(tenantId);
    const result = await deps.retention.runNow(tenantId, ADMIN_ACTOR);
    if (!result.ok) throw new AppError("conflict", "no retention period", { userMessage: "No retention period is set for this tenant." });
    return c.json(result.run, 200);
  });
  return app;
}
