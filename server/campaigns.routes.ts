/**
 * `/admin/campaigns`: business-initiated template sends to a segment's opted-in customers, with their results, and
 * `/admin/settings/automations`: the tenant's welcome, follow-up and post-resolution automations.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type pg from "pg";
import { AutomationSettingsSchema, readAutomationSettings, writeAutomationSettings } from "../campaigns/automation-settings.ts";
import { readCampaignResults } from "../campaigns/campaign-results.ts";
import { cancelCampaign, findCampaign, listCampaigns } from "../campaigns/campaign-store.ts";
import { CampaignInputSchema, createCampaign } from "../campaigns/create-campaign.ts";
import { AppError } from "../lib/errors.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import type { AppEnv } from "./app-env.ts";
import { ADMIN_ACTOR, ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

export type CampaignRouteDeps = { pool: pg.Pool; campaignRunner?: { wake(): void } | undefined };

const MAX_BODY_BYTES = 64 * 1024;
const Loose = z.record(z.string(), z.unknown());
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const err = (description: string) => json(ErrorSchema, description);
const secured = { security: [{ bearer: [] }] };
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true as const, content: { "application/json": { schema } } } });
const IdParams = z.object({ id: NumericId });

const routes = {
  create: createRoute({
    method: "post",
    path: "/campaigns",
    ...secured,
    request: { headers: TenantHeader, ...body(CampaignInputSchema) },
    responses: { 201: json(Loose, "Scheduled"), 400: err("Invalid (unknown or unapproved template, parameters, segment)") },
  }),
  list: createRoute({
    method: "get",
    path: "/campaigns",
    ...secured,
    request: {
      headers: TenantHeader,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: NumericId.optional() }),
    },
    responses: { 200: json(z.object({ campaigns: z.array(Loose) }), "Newest first"), 400: err("Bad query") },
  }),
  get: createRoute({
    method: "get",
    path: "/campaigns/{id}",
    ...secured,
    request: { headers: TenantHeader, params: IdParams },
    responses: { 200: json(Loose, "The campaign and its results"), 400: err("Bad id"), 404: err("Not found") },
  }),
  cancel: createRoute({
    method: "post",
    path: "/campaigns/{id}/cancel",
    ...secured,
    request: { headers: TenantHeader, params: IdParams },
    responses: { 200: json(Loose, "Cancelled"), 400: err("Bad id"), 404: err("Not found"), 409: err("Already finished") },
  }),
  readSettings: createRoute({
    method: "get",
    path: "/settings/automations",
    ...secured,
    request: { headers: TenantHeader },
    responses: { 200: json(Loose, "The automations in force (defaults filled in)") },
  }),
  writeSettings: createRoute({
    method: "put",
    path: "/settings/automations",
    ...secured,
    request: { headers: TenantHeader, ...body(AutomationSettingsSchema) },
    responses: { 200: json(Loose, "Stored; what is now in force"), 400: err("Invalid settings or template"), 404: err("No such tenant") },
  }),
};

export function campaignRoutes(deps: CampaignRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", "campaign or automation body too large", { userMessage: "Request body over 64 KB." });
    },
  });
  // Scoped to these paths: this sub-app is mounted on /admin beside other routes.
  app.use("/campaigns", limit);
  app.use("/campaigns/*", limit);
  app.use("/settings/automations", limit);

  app.openapi(routes.create, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const r = await createCampaign(deps.pool, tenantId, c.req.valid("json"), new Date());
    if (!r.ok) throw new AppError("bad_request", r.message, { userMessage: r.message });
    await recordAdminAudit(deps.pool, {
      tenantId,
      actor: ADMIN_ACTOR,
      action: "campaign.create",
      subjectType: "campaign",
      subjectId: r.campaign.id,
    });
    deps.campaignRunner?.wake();
    return c.json(r.campaign, 201);
  });
  app.openapi(routes.list, async (c) => {
    const campaigns = await listCampaigns(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("query"));
    return c.json({ campaigns }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const campaign = await findCampaign(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!campaign) throw new AppError("not_found", "campaign not found", { userMessage: "Campaign not found." });
    return c.json({ ...campaign, results: await readCampaignResults(deps.pool, campaign.id) }, 200);
  });
  app.openapi(routes.cancel, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const r = await cancelCampaign(deps.pool, tenantId, c.req.valid("param").id);
    if (!r.ok && r.code === "not_found") throw new AppError("not_found", "campaign not found", { userMessage: "Campaign not found." });
    if (!r.ok) throw new AppError("conflict", "campaign finished", { userMessage: `The campaign is already ${r.status}.` });
    await recordAdminAudit(deps.pool, {
      tenantId,
      actor: ADMIN_ACTOR,
      action: "campaign.cancel",
      subjectType: "campaign",
      subjectId: r.campaign.id,
    });
    return c.json(r.campaign, 200);
  });
  app.openapi(routes.readSettings, async (c) => c.json(await readAutomationSettings(deps.pool, tenantOf(c.req.valid("header"))), 200));
  app.openapi(routes.writeSettings, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const r = await writeAutomationSettings(deps.pool, tenantId, c.req.valid("json"));
    if (!r.ok) throw new AppError(r.code === "unknown_tenant" ? "not_found" : "bad_request", r.message, { userMessage: r.message });
    await recordAdminAudit(deps.pool, {
      tenantId,
      actor: ADMIN_ACTOR,
      action: "settings.update",
      subjectType: "settings",
      subjectId: "automations",
    });
    return c.json(r.settings, 200);
  });
  return app;
}
