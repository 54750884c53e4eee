/** `/admin/agents`: the tenant's human agents (skills, languages, capacity, status) and their personal tokens. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { AgentInputSchema, AgentPatchSchema, createAgent, getAgent, listAgents, updateAgent } from "../handoff/agent-store.ts";
import type { HandoffEvents } from "../handoff/handoff-events.ts";
import { pullNextForAgent } from "../handoff/routing.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const AgentSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    role: z.enum(["agent", "admin"]),
    skills: z.array(z.string()),
    languages: z.array(z.string()),
    maxConcurrent: z.number(),
    status: z.enum(["online", "away"]),
    activeConversations: z.number(),
    createdAt: z.string(),
  })
  .openapi("Agent");
const WithToken = AgentSchema.extend({ token: z.string().describe("Personal API token: shown only now") });
const errors = {
  400: { description: "Invalid", content: { "application/json": { schema: ErrorSchema } } },
  404: { description: "No such agent", content: { "application/json": { schema: ErrorSchema } } },
};

const create = createRoute({
  method: "post",
  path: "/agents",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: AgentInputSchema } } } },
  responses: { 201: { description: "Created, with its token", content: { "application/json": { schema: WithToken } } }, ...errors },
});
const list = createRoute({
  method: "get",
  path: "/agents",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader },
  responses: { 200: { description: "Agents", content: { "application/json": { schema: z.object({ agents: z.array(AgentSchema) }) } } } },
});
const read = createRoute({
  method: "get",
  path: "/agents/{id}",
  security: [{ bearer: [] }],
  request: { headers: TenantHeader, params: z.object({ id: NumericId }) },
  responses: { 200: { description: "Agent", content: { "application/json": { schema: AgentSchema } } }, ...errors },
});
const patch = createRoute({
  method: "patch",
  path: "/agents/{id}",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    params: z.object({ id: NumericId }),
    body: { required: true, content: { "application/json": { schema: AgentPatchSchema } } },
  },
  responses: {
    200: {
      description: "Updated (with a new token when rotateToken was set)",
      content: { "application/json": { schema: WithToken.partial({ token: true }) } },
    },
    ...errors,
  },
});

export function agentAdminRoutes(deps: { pool: pg.Pool; events: HandoffEvents }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const notFound = () => new AppError("not_found", "agent not found", { userMessage: "Agent not found." });
  app.openapi(create, async (c) => {
    const { agent, token } = await createAgent(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("json"));
    if (agent.status === "online") await pullNextForAgent(deps.pool, agent.id, deps.events);
    return c.json({ ...agent, token }, 201);
  });
  app.openapi(list, async (c) => c.json({ agents: await listAgents(deps.pool, tenantOf(c.req.valid("header"))) }, 200));
  app.openapi(read, async (c) => {
    const agent = await getAgent(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!agent) throw notFound();
    return c.json(agent, 200);
  });
  app.openapi(patch, async (c) => {
    const tenantId = tenantOf(c.req.valid("header"));
    const updated = await updateAgent(deps.pool, tenantId, c.req.valid("param").id, c.req.valid("json"));
    if (!updated) throw notFound();
    // Coming online, or more capacity, pulls waiting handoffs.
    if (updated.agent.status === "online") await pullNextForAgent(deps.pool, updated.agent.id, deps.events);
    const agent = (await getAgent(deps.pool, tenantId, updated.agent.id)) ?? updated.agent;
    return c.json({ ...agent, ...(updated.token ? { token: updated.token } : {}) }, 200);
  });
  return app;
}
