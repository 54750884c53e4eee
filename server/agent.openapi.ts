/** OpenAPI definitions of the agent API (`/agent/*`): paths, parameters, bodies and responses. */
import { createRoute, z } from "@hono/zod-openapi";
import { TemplateValueSchema } from "../compliance/template-store.ts";
import { ErrorSchema, NumericId } from "./route-helpers.ts";

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const err = (description: string) => json(ErrorSchema, description);
const Loose = z.record(z.string(), z.unknown());
const common = { 400: err("Invalid request"), 401: err("No valid agent token or session"), 404: err("Unknown id") };
const conflict = { 403: err("Another agent holds it"), 409: err("Conflict (already claimed, resolved, window closed)") };
const secured = { security: [{ bearer: [] }] };
const IdParam = z.object({ id: NumericId });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true as const, content: { "application/json": { schema } } } });

export const agentApi = {
  handoffs: createRoute({
    method: "get",
    path: "/handoffs",
    ...secured,
    request: { query: z.object({ status: z.enum(["waiting", "mine", "all"]).default("waiting") }) },
    responses: { 200: json(z.object({ handoffs: z.array(Loose) }), "Handoffs"), ...common },
  }),
  claim: createRoute({
    method: "post",
    path: "/handoffs/{id}/claim",
    ...secured,
    request: { params: IdParam },
    responses: { 200: json(Loose, "Claimed (or already yours)"), ...common, ...conflict },
  }),
  transfer: createRoute({
    method: "post",
    path: "/handoffs/{id}/transfer",
    ...secured,
    request: {
      params: IdParam,
      ...body(
        z.union([
          z.object({ agentId: NumericId, note: z.string().max(2000).optional() }).strict(),
          z.object({ skill: z.string().regex(/^[a-zA-Z0-9][\w-]{0,39}$/), note: z.string().max(2000).optional() }).strict(),
        ]),
      ),
    },
    responses: { 200: json(Loose, "Transferred"), ...common, ...conflict },
  }),
  resolve: createRoute({
    method: "post",
    path: "/handoffs/{id}/resolve",
    ...secured,
    request: {
      params: IdParam,
      ...body(
        z.object({
          returnToBot: z.boolean(),
          csat: z.boolean().default(false).describe("Ask the customer for a 1-5 rating"),
          csatQuestion: z.string().min(1).max(1000).default("How would you rate the help you got today? (1 = poor, 5 = excellent)"),
        }),
      ),
    },
    responses: { 200: json(Loose, "Resolved"), ...common, ...conflict },
  }),
  conversation: createRoute({
    method: "get",
    path: "/conversations/{id}",
    ...secured,
    request: { params: IdParam, query: z.object({ translate: z.enum(["true", "false"]).default("false") }) },
    responses: { 200: json(Loose, "Transcript, summary, customer, orders"), ...common },
  }),
  message: createRoute({
    method: "post",
    path: "/conversations/{id}/messages",
    ...secured,
    request: {
      params: IdParam,
      ...body(
        z.object({
          text: z.string().trim().min(1).max(4096),
          clientId: z
            .string()
            .regex(/^[\w-]{1,64}$/)
            .optional(),
          translate: z.boolean().default(false).describe("Send in the customer's language (needs an LLM)"),
        }),
      ),
    },
    responses: { 202: json(Loose, "Queued in the outbox"), ...common, ...conflict },
  }),
  template: createRoute({
    method: "post",
    path: "/conversations/{id}/template",
    ...secured,
    request: {
      params: IdParam,
      ...body(
        z.object({
          name: z.string().min(1).max(512),
          language: z.string().min(2).max(15),
          parameters: z.array(TemplateValueSchema).max(20).default([]),
          clientId: z
            .string()
            .regex(/^[\w-]{1,64}$/)
            .optional(),
        }),
      ),
    },
    responses: {
      202: json(Loose, "Queued in the outbox"),
      422: err("Template unknown, unapproved or badly filled"),
      ...common,
      ...conflict,
    },
  }),
  note: createRoute({
    method: "post",
    path: "/conversations/{id}/notes",
    ...secured,
    request: { params: IdParam, ...body(z.object({ text: z.string().trim().min(1).max(4000) })) },
    responses: { 201: json(Loose, "Note stored (never sent)"), ...common },
  }),
  status: createRoute({
    method: "post",
    path: "/status",
    ...secured,
    request: body(z.object({ status: z.enum(["online", "away"]) })),
    responses: { 200: json(Loose, "Status changed; coming online pulls waiting handoffs"), ...common },
  }),
};
