/**
 * `/agent/conversations/:id/tags`: the tags of the conversation's customer, with the rule and evidence behind each
 * automatic one, and the manual tags a human agent adds or removes. Registered on the agent API after its auth.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { changeConversationCustomerTags, listConversationCustomerTags, TagList } from "../customers/customer-update.ts";
import { AppError } from "../lib/errors.ts";
import type { AgentEnv } from "./agent-session.ts";
import { ErrorSchema, NumericId } from "./route-helpers.ts";

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const TagsView = z.object({ tags: z.array(z.record(z.string(), z.unknown())) });
const common = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No valid agent token or session"),
  404: json(ErrorSchema, "Unknown conversation"),
};

const list = createRoute({
  method: "get",
  path: "/conversations/{id}/tags",
  security: [{ bearer: [] }],
  request: { params: z.object({ id: NumericId }) },
  responses: { 200: json(TagsView, "The customer's tags"), ...common },
});
const change = createRoute({
  method: "patch",
  path: "/conversations/{id}/tags",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: NumericId }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({ add: TagList.optional(), remove: TagList.optional() })
            .strict()
            .refine((b) => b.add || b.remove, "add or remove tags"),
        },
      },
    },
  },
  responses: { 200: json(TagsView, "The customer's tags now"), 409: json(ErrorSchema, "Automatic tags cannot be removed"), ...common },
});

const notFound = () => new AppError("not_found", "conversation not found", { userMessage: "Not found." });

/** Adds the routes to the agent API's app (which already authenticated the agent). */
export function registerAgentTagRoutes(app: OpenAPIHono<AgentEnv>, deps: { pool: pg.Pool }): void {
  app.openapi(list, async (c) => {
    const tags = await listConversationCustomerTags(deps.pool, c.get("agent").tenantId, c.req.valid("param").id);
    if (!tags) throw notFound();
    return c.json({ tags }, 200);
  });
  app.openapi(change, async (c) => {
    const me = c.get("agent");
    const r = await changeConversationCustomerTags(deps.pool, me.tenantId, c.req.valid("param").id, c.req.valid("json"), `agent:${me.id}`);
    if (!r.ok) {
      if (r.code === "not_found") throw notFound();
      throw new AppError("conflict", "auto tag removal", {
        userMessage: "Automatic tags cannot be removed by hand.",
        details: { code: "auto_tag", tags: r.tags },
      });
    }
    return c.json({ tags: r.tags }, 200);
  });
}
