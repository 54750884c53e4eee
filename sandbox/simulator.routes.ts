/**
 * `/simulator`: the customer simulator page and its two JSON endpoints.
 *
 * Why a cookie and not the admin token: the page runs in a browser, and putting ADMIN_TOKEN into its HTML or script
 * would hand a credential that also opens `/admin/*` to anything that can read the page. Instead, serving the page
 * sets a random per-process session token as an HttpOnly (scripts cannot read it), SameSite=Strict (other sites
 * cannot make the browser send it) cookie scoped to the simulator's path; the API endpoints require it. The token
 * dies with the process. The simulator exists only in sandbox mode (no WhatsApp access token), where everything it
 * can do is pretend to be a customer of the local sandbox.
 */
import { randomBytes } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type pg from "pg";
import { z } from "zod";
import { CustomerMessageInputSchema, CustomerRefSchema, type InboundSender } from "./customer-inbound.ts";
import { type MessageView, toMessageView } from "./message-view.ts";
import { normalizeRecipient } from "./meta-shapes.ts";
import { badRequest, inboundResponse, readJson } from "./sandbox.routes.ts";
import type { SandboxState } from "./sandbox-state.ts";
import { listLatestSandboxMessages } from "./sandbox-store.ts";
import { safeEqual } from "./secrets.ts";
import { type DemoCustomer, renderSimulatorPage } from "./simulator.page.tsx";

export const SIMULATOR_COOKIE = "sb_simulator";
/** How many of the business's latest messages the chat shows. */
const HISTORY = 100;

export type SimulatorDeps = {
  pool: pg.Pool;
  state: SandboxState;
  sendInbound: InboundSender;
  /** The per-process session token the page's cookie carries. */
  sessionToken: string;
  phoneNumberId: string;
  readmeUrl?: string | undefined;
  customers?: DemoCustomer[] | undefined;
};

export type TimelineItem =
  | { direction: "inbound"; id: string; type: string; text: string; contextId: string | null; read: boolean; createdAt: string }
  | ({ direction: "outbound" } & MessageView);

const TimelineQuerySchema = z.object({ to: CustomerRefSchema });

/** The simulator page and API. */
export function simulatorRoutes(deps: SimulatorDeps): Hono {
  const app = new Hono();

  const requireSession: MiddlewareHandler = async (c, next) => {
    const cookie = getCookie(c, SIMULATOR_COOKIE);
    if (cookie === undefined || !safeEqual(cookie, deps.sessionToken)) {
      return c.json({ error: { code: "unauthorized", message: "Open the simulator page first (it sets a session cookie)." } }, 401);
    }
    await next();
  };

  app.get("/", (c) => {
    const basePath = c.req.path.replace(/\/+$/, "") || "/";
    const nonce = randomBytes(16).toString("base64");
    setCookie(c, SIMULATOR_COOKIE, deps.sessionToken, {
      path: basePath,
      httpOnly: true,
      sameSite: "Strict",
      secure: new URL(c.req.url).protocol === "https:",
    });
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Content-Type-Options", "nosniff");
    return c.html(
      renderSimulatorPage({ basePath, nonce, phoneNumberId: deps.phoneNumberId, readmeUrl: deps.readmeUrl, customers: deps.customers }),
    );
  });

  app.get("/api/messages", requireSession, async (c) => {
    const query = TimelineQuerySchema.safeParse(c.req.query());
    if (!query.success) return badRequest(c, query.error);
    const customer = normalizeRecipient(query.data.to);
    const rows = await listLatestSandboxMessages(deps.pool, customer, HISTORY);
    const outbound: TimelineItem[] = rows.map((row) => ({ direction: "outbound", ...toMessageView(row, deps.state.statusOf(row.wamid)) }));
    const inbound: TimelineItem[] = deps.state.customerMessages(customer).map((m) => ({
      direction: "inbound",
      id: m.wamid,
      type: m.type,
      text: m.text,
      contextId: m.contextWamid,
      read: m.read,
      createdAt: m.createdAt,
    }));
    // A stable sort keeps each side's own order when timestamps tie.
    const timeline = [...inbound, ...outbound].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return c.json({ customer, typing: deps.state.isTyping(customer), timeline });
  });

  app.post("/api/send", requireSession, async (c) => {
    const input = CustomerMessageInputSchema.safeParse(await readJson(c));
    if (!input.success) return badRequest(c, input.error);
    return inboundResponse(c, await deps.sendInbound(input.data));
  });
  return app;
}
