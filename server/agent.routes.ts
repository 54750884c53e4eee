/**
 * `/agent/*`: the API human agents (and the console) use, authenticated by a personal token or the console's
 * session cookie: the queue, claiming, the conversation view, replies and templates through the outbox, notes,
 * transfer, resolve, and the live event stream (server-sent events).
 */
import { type Hook, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import { addNote, sendAgentTemplate, sendAgentText } from "../handoff/agent-messages.ts";
import { createSession, deleteSession, findAgentByToken, listAgents, updateAgent } from "../handoff/agent-store.ts";
import { type ActionDeps, type ActionRefusal, claimHandoff, resolveHandoff, transferHandoff } from "../handoff/handoff-actions.ts";
import { getConversationView, listHandoffs, readCustomerLanguage, translateCustomerMessages } from "../handoff/handoff-views.ts";
import type { MessageTranslator } from "../handoff/message-translator.ts";
import { pullNextForAgent } from "../handoff/routing.ts";
import { AppError } from "../lib/errors.ts";
import type { QueueResult } from "../outbox/queue-message.ts";
import type { OrderDeps } from "../tools/orders/order-service.ts";
import { agentApi } from "./agent.openapi.ts";
import { type AgentEnv, agentAuth, SESSION_COOKIE } from "./agent-session.ts";
import { registerAgentTagRoutes } from "./agent-tags.routes.ts";
import { validationHook } from "./validation.ts";

export type AgentRouteDeps = ActionDeps & {
  orders?: OrderDeps | undefined;
  waitAlertSeconds: number;
  /** Present when an LLM is configured: the console's translate toggle. */
  translator?: MessageTranslator | undefined;
};

const MAX_BODY_BYTES = 64 * 1024;

/** Maps a typed refusal to the error response. */
function refuse(r: ActionRefusal | { ok: false; code: "unknown_agent" }): never {
  switch (r.code) {
    case "not_found":
      throw new AppError("not_found", "handoff or conversation not found", { userMessage: "Not found." });
    case "unknown_agent":
      throw new AppError("not_found", "transfer target not found", { userMessage: "No such agent." });
    case "already_claimed":
      throw new AppError("conflict", "already claimed", {
        userMessage: "Another agent has already claimed this handoff.",
        details: { assigneeId: r.assigneeId },
      });
    case "not_assignee":
      throw new AppError("forbidden", "not the assignee", { userMessage: "This conversation is assigned to another agent." });
    case "already_resolved":
      throw new AppError("conflict", "already resolved", { userMessage: "This handoff is already resolved." });
  }
}

type SendOutcome = QueueResult | ActionRefusal;

export function agentRoutes(deps: AgentRouteDeps): OpenAPIHono<AgentEnv> {
  // biome-ignore lint/suspicious/noExplicitAny: the shared hook is typed for AppEnv, which AgentEnv extends
  const app = new OpenAPIHono<AgentEnv>({ defaultHook: validationHook as unknown as Hook<any, AgentEnv, any, any> });
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", "agent request body too large");
      },
    }),
  );

  // Login exchanges a personal token for a session cookie (HttpOnly, SameSite=Strict: no cross-site requests).
  app.post("/login", async (c) => {
    // JSON from the console's script, or a plain form post (the page works before its script runs).
    const isForm = (c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
    const input = isForm ? await c.req.parseBody().catch(() => null) : await c.req.json().catch(() => null);
    const parsed = z.object({ token: z.string().min(10).max(200) }).safeParse(input);
    if (!parsed.success) throw new AppError("bad_request", "login body", { userMessage: 'Send {"token": "<your agent token>"}.' });
    const agent = await findAgentByToken(deps.pool, parsed.data.token);
    if (!agent) throw new AppError("unauthorized", "unknown agent token", { userMessage: "Unknown agent token." });
    const session = await createSession(deps.pool, agent.id);
    setCookie(c, SESSION_COOKIE, session.sessionId, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: session.maxAgeSeconds,
      secure: new URL(c.req.url).protocol === "https:",
    });
    return isForm ? c.redirect("/console", 303) : c.json({ agent });
  });
  app.post("/logout", async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await deleteSession(deps.pool, session);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true });
  });

  app.use("*", agentAuth(deps.pool));
  app.get("/me", (c) => c.json({ agent: c.get("agent") }));
  app.get("/agents", async (c) => {
    const agents = await listAgents(deps.pool, c.get("agent").tenantId);
    return c.json({ agents: agents.map(({ id, name, skills, languages, status }) => ({ id, name, skills, languages, status })) });
  });

  app.openapi(agentApi.status, async (c) => {
    const me = c.get("agent");
    const updated = await updateAgent(deps.pool, me.tenantId, me.id, { status: c.req.valid("json").status });
    const pulled = updated?.agent.status === "online" ? await pullNextForAgent(deps.pool, me.id, deps.events) : [];
    return c.json({ agent: updated?.agent, pulled }, 200);
  });
  app.openapi(agentApi.handoffs, async (c) => {
    const me = c.get("agent");
    const handoffs = await listHandoffs(deps.pool, me.tenantId, {
      filter: c.req.valid("query").status,
      agentId: me.id,
      waitAlertSeconds: deps.waitAlertSeconds,
    });
    return c.json({ handoffs }, 200);
  });
  app.openapi(agentApi.claim, async (c) => {
    const r = await claimHandoff(deps, c.get("agent"), c.req.valid("param").id);
    if (!r.ok) refuse(r);
    return c.json({ handoffId: c.req.valid("param").id, conversationId: r.conversationId, assignee: c.get("agent").id }, 200);
  });
  app.openapi(agentApi.transfer, async (c) => {
    const r = await transferHandoff(deps, c.get("agent"), c.req.valid("param").id, c.req.valid("json"), c.req.valid("json").note);
    if (!r.ok) refuse(r);
    return c.json({ assigneeId: r.assigneeId, status: r.assigneeId ? "assigned" : "waiting" }, 200);
  });
  app.openapi(agentApi.resolve, async (c) => {
    const b = c.req.valid("json");
    const r = await resolveHandoff(deps, c.get("agent"), c.req.valid("param").id, {
      returnToBot: b.returnToBot,
      csat: b.csat ? { question: b.csatQuestion, buttonLabel: "Rate" } : undefined,
    });
    if (!r.ok) refuse(r);
    return c.json({ resolved: true, owner: b.returnToBot ? "bot" : "closed", csatQueued: r.csatQueued }, 200);
  });
  app.openapi(agentApi.conversation, async (c) => {
    const me = c.get("agent");
    const view = await getConversationView(deps, me.tenantId, c.req.valid("param").id);
    if (!view) refuse({ ok: false, code: "not_found" });
    const agentLanguage = me.languages[0] ?? "en";
    if (c.req.valid("query").translate === "true") {
      if (!deps.translator)
        throw new AppError("bad_request", "no translator", { userMessage: "Translation needs an LLM (OPENAI_API_KEY)." });
      await translateCustomerMessages(view, deps.translator, agentLanguage).catch((err: unknown) => {
        throw new AppError("unavailable", "translation failed", { cause: err, userMessage: "Translation is unavailable right now." });
      });
    }
    return c.json({ ...view, translation: { available: Boolean(deps.translator), agentLanguage } }, 200);
  });
  app.openapi(agentApi.message, async (c) => {
    const me = c.get("agent");
    const conversationId = c.req.valid("param").id;
    const { text, clientId, translate } = c.req.valid("json");
    if (!translate) return sent(await sendAgentText(deps, me, conversationId, text, clientId));
    if (!deps.translator) throw new AppError("bad_request", "no translator", { userMessage: "Translation needs an LLM (OPENAI_API_KEY)." });
    const language = await readCustomerLanguage(deps.pool, me.tenantId, conversationId);
    if (!language) throw new AppError("bad_request", "customer language unknown", { userMessage: "The customer's language is not known." });
    const [translated] = await deps.translator.translate([text], language).catch((err: unknown) => {
      throw new AppError("unavailable", "translation failed", { cause: err, userMessage: "Translation is unavailable right now." });
    });
    return sent(await sendAgentText(deps, me, conversationId, translated ?? text, clientId, { original: text, language }));
  });
  app.openapi(agentApi.template, async (c) => {
    const { clientId, ...t } = c.req.valid("json");
    return sent(await sendAgentTemplate(deps, c.get("agent"), c.req.valid("param").id, t, clientId));
  });
  app.openapi(agentApi.note, async (c) => {
    const r = await addNote(deps, c.get("agent"), c.req.valid("param").id, c.req.valid("json").text);
    if (!r.ok) refuse(r);
    return c.json({ noteId: r.noteId }, 201);
  });
  registerAgentTagRoutes(app, deps);

  // Live updates for the console: queue changes and new messages of this agent's tenant.
  app.get("/events", (c) => {
    const tenantId = c.get("agent").tenantId;
    return streamSSE(c, async (stream) => {
      const unsubscribe = deps.events.subscribe((event) => {
        if (event.tenantId !== tenantId) return;
        void stream.writeSSE({ event: event.type, data: JSON.stringify(event) }).catch(() => undefined);
      });
      await stream.writeSSE({ event: "ready", data: "{}" });
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      while (!stream.aborted && !stream.closed) {
        await Promise.race([closed, stream.sleep(25_000)]);
        if (!stream.aborted) await stream.writeSSE({ event: "ping", data: "{}" }).catch(() => undefined);
      }
      unsubscribe();
    });
  });

  // biome-ignore lint/suspicious/noExplicitAny: one mapper for two routes with different response unions
  const sent = (r: SendOutcome): any => {
    if (r.ok) return Response.json({ messageIds: r.messageIds, duplicate: r.duplicate }, { status: 202 });
    switch (r.code) {
      case "window_closed":
        // The issue's shape ({code, templates}) plus the usual error envelope.
        return Response.json(
          {
            code: "window_closed",
            templates: r.templates,
            error: { code: "window_closed", message: "The 24-hour window is closed: send a template." },
          },
          { status: 409 },
        );
      case "conversation_not_found":
        return refuse({ ok: false, code: "not_found" });
      case "opted_out":
      case "no_opt_in":
        throw new AppError("conflict", r.code, {
          userMessage: `The customer cannot receive this message (${r.code}).`,
          details: { code: r.code },
        });
      case "template_not_found":
      case "template_not_approved":
      case "template_invalid":
        throw new AppError("unprocessable", r.details, { userMessage: r.details, details: { code: r.code } });
      case "invalid_message":
        throw new AppError("bad_request", r.details, { userMessage: r.details });
      default:
        return refuse(r);
    }
  };
  return app;
}
