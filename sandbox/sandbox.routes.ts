/**
 * The sandbox's admin API, mounted at `/sandbox` and protected by the `auth` middleware the caller passes (the
 * admin bearer token): what the business sent (`GET /messages`), a customer writing in (`POST /inbound`), and
 * failure injection for the fake Graph API (`/failures`).
 */
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type pg from "pg";
import { z } from "zod";
import { CustomerMessageInputSchema, CustomerRefSchema, type InboundSender } from "./customer-inbound.ts";
import { type FailureInjector, FailureSpecSchema } from "./failure-injector.ts";
import { toMessageView } from "./message-view.ts";
import { normalizeRecipient } from "./meta-shapes.ts";
import type { SandboxState } from "./sandbox-state.ts";
import { listSandboxMessages } from "./sandbox-store.ts";

export type SandboxAdminDeps = {
  pool: pg.Pool;
  /** Runs before every route here; in the app, the admin bearer-token check. */
  auth: MiddlewareHandler;
  failures: FailureInjector;
  state: SandboxState;
  sendInbound: InboundSender;
};

const ListQuerySchema = z.object({
  to: CustomerRefSchema.optional(),
  after: z
    .string()
    .regex(/^wamid\.[\w+/=-]{1,512}$/, "must be a message id (wamid) from a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The admin routes; `deps.auth` guards each one (not the rest of `/sandbox`, so the fake Graph API stays separate). */
export function sandboxAdminRoutes(deps: SandboxAdminDeps): Hono {
  const app = new Hono();
  const { auth } = deps;

  app.get("/messages", auth, async (c) => {
    const query = ListQuerySchema.safeParse(c.req.query());
    if (!query.success) return badRequest(c, query.error);
    const { to, after, limit } = query.data;
    const result = await listSandboxMessages(deps.pool, {
      recipient: to === undefined ? undefined : normalizeRecipient(to),
      afterWamid: after,
      limit,
    });
    if (!result.ok) return c.json({ error: { code: "bad_request", message: "Unknown `after` message id." } }, 400);
    return c.json({ messages: result.messages.map((row) => toMessageView(row, deps.state.statusOf(row.wamid))) });
  });

  app.post("/inbound", auth, async (c) => {
    const input = CustomerMessageInputSchema.safeParse(await readJson(c));
    if (!input.success) return badRequest(c, input.error);
    return inboundResponse(c, await deps.sendInbound(input.data));
  });

  app.get("/failures", auth, (c) => c.json({ failures: deps.failures.list() }));

  app.post("/failures", auth, async (c) => {
    const spec = FailureSpecSchema.safeParse(await readJson(c));
    if (!spec.success) return badRequest(c, spec.error);
    return c.json({ failure: deps.failures.push(spec.data) }, 201);
  });

  app.delete("/failures", auth, (c) => c.json({ cleared: deps.failures.clear() }));
  return app;
}

/** 202 with the new wamid, or the webhook's own status when the app did not accept the delivery. */
export function inboundResponse(c: Context, result: Awaited<ReturnType<InboundSender>>): Response {
  if (result.ok) return c.json({ wamid: result.wamid }, 202);
  const status = (result.webhookStatus !== null && result.webhookStatus >= 400 ? result.webhookStatus : 502) as ContentfulStatusCode;
  const error = {
    code: "webhook_rejected",
    message: "The app's webhook did not accept the message.",
    details: { webhookStatus: result.webhookStatus },
  };
  return c.json({ error, wamid: result.wamid }, status);
}

/** The parsed JSON body, or `undefined` when it is not JSON (which then fails validation). */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/** 400 in the app's error shape, with the first validation issues. */
export function badRequest(c: Context, error: z.ZodError): Response {
  const details = error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message }));
  return c.json({ error: { code: "bad_request", message: "Invalid request.", details } }, 400);
}
