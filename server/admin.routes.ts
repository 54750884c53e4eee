/**
 * Admin read API (bearer ADMIN_TOKEN): conversations and their messages. The tenant is the default one unless
 * the `X-Tenant-Id` header names another.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { listConversations, listMessages } from "../conversations/conversation-store.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const Id = NumericId;

const ConversationSchema = z
  .object({
    id: z.string(),
    customer: z.object({
      waId: z.string().nullable(),
      userId: z.string().nullable(),
      name: z.string().nullable(),
      username: z.string().nullable(),
    }),
    phoneNumberId: z.string(),
    owner: z.string(),
    lastInboundAt: z.string().nullable(),
    windowExpiresAt: z.string().nullable(),
    lastMessageAt: z.string().nullable(),
  })
  .openapi("Conversation");

const MessageSchema = z
  .object({
    id: z.string(),
    direction: z.enum(["inbound", "outbound"]),
    waMessageId: z.string().nullable(),
    type: z.string(),
    text: z.string().nullable(),
    status: z.string().nullable(),
    error: z.object({ code: z.number().nullable(), title: z.string().nullable() }).nullable(),
    createdAt: z.string(),
  })
  .openapi("Message");

const listConversationsRoute = createRoute({
  method: "get",
  path: "/conversations",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: Id.optional() }),
  },
  responses: {
    200: {
      description: "Most recent first. Pass the last id as `before` for the next page.",
      content: {
        "application/json": { schema: z.object({ conversations: z.array(ConversationSchema), nextBefore: z.string().nullable() }) },
      },
    },
    400: { description: "Bad query", content: { "application/json": { schema: ErrorSchema } } },
    401: { description: "Missing or wrong token", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const listMessagesRoute = createRoute({
  method: "get",
  path: "/conversations/{id}/messages",
  security: [{ bearer: [] }],
  request: {
    headers: TenantHeader,
    params: z.object({ id: Id }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200), after: Id.optional() }),
  },
  responses: {
    200: { description: "Oldest first.", content: { "application/json": { schema: z.object({ messages: z.array(MessageSchema) }) } } },
    400: { description: "Bad id or query", content: { "application/json": { schema: ErrorSchema } } },
    401: { description: "Missing or wrong token", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "No such conversation for this tenant", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function adminRoutes(deps: { pool: pg.Pool }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listConversationsRoute, async (c) => {
    const { limit, before } = c.req.valid("query");
    const tenantId = tenantOf(c.req.valid("header"));
    const conversations = await listConversations(deps.pool, tenantId, { limit, before });
    const nextBefore = conversations.length === limit ? (conversations.at(-1)?.id ?? null) : null;
    return c.json({ conversations, nextBefore }, 200);
  });

  app.openapi(listMessagesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { limit, after } = c.req.valid("query");
    const tenantId = tenantOf(c.req.valid("header"));
    const messages = await listMessages(deps.pool, tenantId, id, { limit, after });
    if (!messages)
      throw new AppError("not_found", `conversation ${id} not found for tenant ${tenantId}`, { userMessage: "Conversation not found." });
    return c.json({ messages }, 200);
  });

  return app;
}
