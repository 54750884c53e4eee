/**
 * Test kit for the sandbox's own tests: an in-memory migrated database, a sandbox whose webhook deliveries are
 * captured (and answered with a chosen status), and a Hono app with the routes mounted where the server mounts them.
 */

import { Hono, type MiddlewareHandler } from "hono";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Database } from "../lib/db.ts";
import { migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { normalizeWebhook } from "../whatsapp/normalize.ts";
import { isValidSignature } from "../whatsapp/signature.ts";
import { createSandbox, type Sandbox, type SandboxOptions } from "./index.ts";
import type { WebhookHeaders } from "./webhook-sender.ts";

export const KIT = {
  appSecret: "sandbox-test-app-secret",
  sandboxToken: "sandbox-test-token",
  adminToken: "sandbox-test-admin",
  phoneNumberId: "106540352242922",
  displayPhoneNumber: "15550783881",
} as const;

export type Delivery = { raw: string; headers: WebhookHeaders; body: unknown };

export type SandboxKit = {
  sandbox: Sandbox;
  app: Hono;
  deliveries: Delivery[];
  /** The status the fake webhook answers with (200 unless a test changes it). */
  webhookStatus: { value: number | "throw" };
  /** A request to the mounted app with the admin token. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** A request to the fake Graph API with the sandbox token: POST of `body` as JSON, or GET without one. */
  graph(path: string, body?: unknown): Promise<Response>;
  close(): void;
};

/** A fresh in-memory database with every migration applied. */
export async function openSandboxDatabase(): Promise<Database> {
  const db = await openMemoryDatabase();
  await migrate(db.pool);
  return db;
}

const adminAuth: MiddlewareHandler = async (c, next) => {
  if (c.req.header("authorization") !== `Bearer ${KIT.adminToken}`) return c.json({ error: { code: "unauthorized" } }, 401);
  await next();
};

/** A sandbox on `db` with zero status delays unless overridden. */
export function createSandboxKit(db: Database, opts: Partial<SandboxOptions> = {}): SandboxKit {
  const deliveries: Delivery[] = [];
  const webhookStatus: SandboxKit["webhookStatus"] = { value: 200 };
  const sandbox = createSandbox({
    pool: db.pool,
    appSecret: KIT.appSecret,
    sandboxToken: KIT.sandboxToken,
    phoneNumberId: KIT.phoneNumberId,
    displayPhoneNumber: KIT.displayPhoneNumber,
    statusDelaysMs: { sent: 0, delivered: 0, read: 0, failed: 0 },
    simulatorToken: "simulator-test-token",
    deliverWebhook: async (raw, headers) => {
      deliveries.push({ raw, headers, body: JSON.parse(raw) });
      if (webhookStatus.value === "throw") throw new Error("webhook unreachable");
      return { status: webhookStatus.value };
    },
    ...opts,
  });
  const app = new Hono();
  app.route("/sandbox/graph", sandbox.graphRoutes);
  app.route("/sandbox", sandbox.adminRoutes(adminAuth));
  app.route("/simulator", sandbox.simulatorRoutes);
  const request = async (path: string, init: RequestInit, token: string) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return app.request(path, { ...init, headers });
  };
  return {
    sandbox,
    app,
    deliveries,
    webhookStatus,
    admin: (path, init = {}) => request(path, init, KIT.adminToken),
    graph: (path, body) =>
      request(
        path,
        body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
        KIT.sandboxToken,
      ),
    close: () => sandbox.close(),
  };
}

/** Checks a delivery's signature the way the app's webhook does, and normalizes its body. */
export function verifyDelivery(delivery: Delivery) {
  const signed = isValidSignature(new TextEncoder().encode(delivery.raw), delivery.headers["x-hub-signature-256"], KIT.appSecret);
  return { signed, normalized: normalizeWebhook(JSON.parse(delivery.raw)) };
}

/** A Meta-shaped text send body. */
export function textSend(to: string, body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body }, ...extra };
}

export const MESSAGES_PATH = `/sandbox/graph/v23.0/${KIT.phoneNumberId}/messages`;

/**
 * Registers the usual lifecycle for a sandbox test file: one in-memory database per file, a fresh kit (and an empty
 * `sandbox_messages`) per test. Read `ctx.db` and `ctx.kit` inside tests.
 */
export function useSandboxKit(opts: Partial<SandboxOptions> = {}): { db: Database; kit: SandboxKit } {
  const ctx = {} as { db: Database; kit: SandboxKit };
  beforeAll(async () => {
    ctx.db = await openSandboxDatabase();
  });
  afterAll(async () => {
    await ctx.db.close();
  });
  beforeEach(async () => {
    await ctx.db.pool.query("TRUNCATE sandbox_messages");
    ctx.kit = createSandboxKit(ctx.db, opts);
  });
  afterEach(() => ctx.kit.close());
  return ctx;
}
