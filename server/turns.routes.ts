/**
 * `GET /admin/conversations/:id/turns`: what the agent did on each turn (nodes with their latency, retrieval hits
 * with scores, tool calls with arguments and results, model and tokens, the decision and why), and
 * `GET/PUT /admin/tenant-profile`: the tenant profile that builds the agent's system prompt.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { readTenantProfile, saveTenantProfile, TenantProfileSchema } from "../agent/profile.ts";
import { listTurns } from "../agent/turn-store.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const TurnSchema = z
  .object({
    id: z.string(),
    messageIds: z.array(z.string()),
    status: z.string().describe("replied | escalated | stale (a newer message arrived; the reply was dropped) | failed"),
    decision: z.string().nullable(),
    reason: z.string().nullable(),
    language: z.string().nullable(),
    model: z.object({
      provider: z.string().nullable(),
      name: z.string().nullable(),
      inputTokens: z.number().nullable(),
      outputTokens: z.number().nullable(),
      costUsd: z.number().nullable(),
    }),
    durationMs: z.number(),
    reply: z.string().nullable(),
    trace: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AgentTurn");

const listRoute = createRoute({
  method: "get",
  path: "/conversations/{id}/turns",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    params: z.object({ id: NumericId }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: {
      description: "The conversation's agent turns, oldest first",
      content: { "application/json": { schema: z.object({ turns: z.array(TurnSchema) }) } },
    },
    404: { description: "No such conversation", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const ProfileSchema = TenantProfileSchema;
const getProfile = createRoute({
  method: "get",
  path: "/tenant-profile",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader },
  responses: {
    200: {
      description: "The tenant profile (the demo business's until one is saved)",
      content: { "application/json": { schema: ProfileSchema } },
    },
  },
});
const putProfile = createRoute({
  method: "put",
  path: "/tenant-profile",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: ProfileSchema } } } },
  responses: {
    200: { description: "Saved", content: { "application/json": { schema: ProfileSchema } } },
    400: { description: "Invalid", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function turnRoutes(deps: { pool: pg.Pool }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => {
    const turns = await listTurns(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id, c.req.valid("query").limit);
    if (!turns) throw new AppError("not_found", "conversation not found", { userMessage: "Conversation not found." });
    return c.json({ turns: turns as z.infer<typeof TurnSchema>[] }, 200);
  });
  app.openapi(getProfile, async (c) => c.json(await readTenantProfile(deps.pool, tenantOf(c.req.valid("header"))), 200));
  app.openapi(putProfile, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    await saveTenantProfile(deps.pool, tenantId, c.req.valid("json"));
    return c.json(await readTenantProfile(deps.pool, tenantId), 200);
  });
  return app;
}
