/**
 * The built-in WhatsApp sandbox, used when WHATSAPP_ACCESS_TOKEN is not set. This folder owns:
 * - a fake Meta Graph API (`graphRoutes`, mount at `/sandbox/graph`) that the real Graph client talks to: it records
 *   what the business sent in `sandbox_messages`, answers with realistic ids, reports signed status webhooks back
 *   to the app's own webhook, and fails on demand with any error code;
 * - the admin API (`adminRoutes`, mount at `/sandbox`): read the recorded messages, write in as a customer, queue
 *   failures;
 * - the customer simulator page (`simulatorRoutes`, mount at `/simulator`).
 * Everything reaches the app only through `deliverWebhook` (signed bodies, like Meta's) and HTTP, so the real paths
 * run. Nothing here does I/O until a request arrives.
 */
import type { Hono, MiddlewareHandler } from "hono";
import type pg from "pg";
import { createInboundSender } from "./customer-inbound.ts";
import { createFailureInjector, type FailureInjector } from "./failure-injector.ts";
import { fakeGraphRoutes } from "./fake-graph.routes.ts";
import type { MediaLibrary } from "./fake-media.routes.ts";
import { sandboxAdminRoutes } from "./sandbox.routes.ts";
import { createSandboxState } from "./sandbox-state.ts";
import { randomToken } from "./secrets.ts";
import type { DemoCustomer } from "./simulator.page.tsx";
import { simulatorRoutes } from "./simulator.routes.ts";
import { createStatusEmitter, type SandboxLogger, type StatusDelays } from "./status-emitter.ts";
import { createWebhookSender, type DeliverWebhook } from "./webhook-sender.ts";

export type { FailureInjector, FailureSpec } from "./failure-injector.ts";
export type { MediaLibrary } from "./fake-media.routes.ts";
export type { StatusDelays } from "./status-emitter.ts";
export type { DeliverWebhook, WebhookHeaders } from "./webhook-sender.ts";

export type SandboxOptions = {
  pool: pg.Pool;
  /** Signs every webhook the sandbox delivers (X-Hub-Signature-256). */
  appSecret: string;
  /** The access token the Graph client must send to the fake API; random per process unless given. */
  sandboxToken?: string;
  /** The default business number: customers write to it. */
  phoneNumberId: string;
  displayPhoneNumber?: string;
  /** Delivers a signed body to the app's webhook (in the app: an in-process POST to /webhooks/whatsapp). */
  deliverWebhook: DeliverWebhook;
  /** Status timings in ms after a send; `{ read: null }` disables read receipts. Tests pass zeros. */
  statusDelaysMs?: Partial<StatusDelays> | undefined;
  media?: MediaLibrary;
  logger?: SandboxLogger;
  /** Linked from the simulator's footer. */
  readmeUrl?: string;
  customers?: DemoCustomer[];
  /** The simulator's cookie value; random per process unless given (tests). */
  simulatorToken?: string;
};

export type Sandbox = {
  /** The bearer token the Graph client must use against `graphRoutes`. */
  token: string;
  graphRoutes: Hono;
  /** The admin routes, each guarded by `auth` (in the app: the ADMIN_TOKEN bearer check). */
  adminRoutes(auth: MiddlewareHandler): Hono;
  simulatorRoutes: Hono;
  failures: FailureInjector;
  /** Resolves when every status webhook scheduled so far has been delivered. */
  settled(): Promise<void>;
  /** Cancels pending status webhooks. */
  close(): void;
};

/** Builds the sandbox; mount `graphRoutes` at `/sandbox/graph`, `adminRoutes` at `/sandbox`, `simulatorRoutes` at `/simulator`. */
export function createSandbox(opts: SandboxOptions): Sandbox {
  const token = opts.sandboxToken ?? randomToken();
  const number = { phoneNumberId: opts.phoneNumberId, displayPhoneNumber: opts.displayPhoneNumber ?? "15550000000" };
  const state = createSandboxState();
  const failures = createFailureInjector();
  const send = createWebhookSender(opts.appSecret, opts.deliverWebhook);
  const statuses = createStatusEmitter({ send, state, delays: opts.statusDelaysMs, logger: opts.logger });
  const sendInbound = createInboundSender({ send, number, state });

  return {
    token,
    graphRoutes: fakeGraphRoutes({
      pool: opts.pool,
      sandboxToken: token,
      displayPhoneNumber: number.displayPhoneNumber,
      failures,
      statuses,
      state,
      media: opts.media,
    }),
    adminRoutes: (auth) => sandboxAdminRoutes({ pool: opts.pool, auth, failures, state, sendInbound }),
    simulatorRoutes: simulatorRoutes({
      pool: opts.pool,
      state,
      sendInbound,
      sessionToken: opts.simulatorToken ?? randomToken(),
      phoneNumberId: opts.phoneNumberId,
      readmeUrl: opts.readmeUrl,
      customers: opts.customers,
    }),
    failures,
    settled: () => statuses.settled(),
    close: () => statuses.close(),
  };
}
