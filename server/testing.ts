/**
 * Test harness: the real services on a test database, plus helpers to sign and post webhook bodies the way Meta
 * does. Used by the tests beside the server code and by the benchmarks.
 */
import type { ConversationHandler } from "../conversations/inbound-processor.ts";
import type { Database } from "../lib/db.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { signBody } from "../whatsapp/signature.ts";
import { createServices, type ServiceOptions, type Services } from "./services.ts";

export const TEST_SECRETS = {
  appSecret: "test-app-secret-0123456789",
  verifyToken: "test-verify-token",
  adminToken: "test-admin-token-abcdef",
  phoneNumberId: "106540352242922",
} as const;

/** A Response whose json() is loosely typed: tests assert on JSON shapes with expect(). */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type TestResponse = Omit<Response, "json"> & { json(): Promise<any> };

export type TestHarness = Services & {
  db: Database;
  /** POSTs a body to the webhook, signed with the app secret unless `signature` is given (null = no header). */
  postWebhook(body: string | object, opts?: { signature?: string | null }): Promise<Response>;
  admin(path: string, init?: RequestInit): Promise<TestResponse>;
  /**
   * A customer message through the sandbox (signed webhook, worker done): the ids of the customer's conversation
   * and customer record. Throws when the sandbox refuses it.
   */
  customerSays(from: string, text: string, name?: string): Promise<{ id: string; customer: string }>;
  close(): Promise<void>;
};

export async function startHarness(
  opts: {
    db?: Database;
    handler?: ConversationHandler;
    logger?: Logger;
    worker?: ServiceOptions["worker"];
    workerConcurrency?: number;
    client?: ServiceOptions["client"];
    kbMaxUploadBytes?: number;
    agent?: ServiceOptions["agent"];
  } = {},
): Promise<TestHarness> {
  const db = opts.db ?? (await openMemoryDatabase());
  const services = await createServices({
    db,
    logger: opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    ...TEST_SECRETS,
    ...(opts.handler ? { handler: opts.handler } : {}),
    ...(opts.worker ? { worker: opts.worker } : {}),
    workerConcurrency: opts.workerConcurrency ?? 4,
    sandboxStatusDelaysMs: { sent: 0, delivered: 0, read: 0 },
    sender: { idlePollMs: 20 },
    ...(opts.client ? { client: opts.client } : {}),
    ...(opts.kbMaxUploadBytes ? { kbMaxUploadBytes: opts.kbMaxUploadBytes } : {}),
    ...(opts.agent ? { agent: opts.agent } : {}),
  });
  const admin = (path: string, init: RequestInit = {}): Promise<TestResponse> => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${TEST_SECRETS.adminToken}`);
    return Promise.resolve(services.app.request(path, { ...init, headers }));
  };
  return {
    ...services,
    db,
    postWebhook(body, { signature } = {}) {
      const raw = typeof body === "string" ? body : JSON.stringify(body);
      const headers: Record<string, string> = { "content-type": "application/json" };
      const sig = signature === undefined ? signBody(raw, TEST_SECRETS.appSecret) : signature;
      if (sig !== null) headers["x-hub-signature-256"] = sig;
      return Promise.resolve(services.app.request("/webhooks/whatsapp", { method: "POST", body: raw, headers }));
    },
    admin,
    async customerSays(from, text, name = "Lucía") {
      const res = await admin("/sandbox/inbound", {
        method: "POST",
        body: JSON.stringify({ from, name, text }),
        headers: { "content-type": "application/json" },
      });
      if (res.status !== 202) throw new Error(`sandbox inbound answered ${res.status}: ${await res.text()}`);
      await services.worker.idle();
      const { rows } = await db.pool.query<{ id: string; customer: string }>(
        "SELECT c.id::text AS id, cu.id::text AS customer FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = $1",
        [from],
      );
      if (!rows[0]) throw new Error(`no conversation recorded for ${from}`);
      return rows[0];
    },
    async close() {
      await services.stop();
      await db.close();
    },
  };
}

let seq = 0;

/** A Meta webhook envelope around one `messages`-field value for the test business number. */
export function webhookEnvelope(value: Record<string, unknown>, phoneNumberId: string = TEST_SECRETS.phoneNumberId): object {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A Meta-shaped text message webhook body. */
export function textMessageBody(opts: {
  text: string;
  from?: string;
  userId?: string;
  wamid?: string;
  timestamp?: number;
  phoneNumberId?: string;
  name?: string;
}): object {
  seq += 1;
  const from = opts.from ?? "16505551234";
  return webhookEnvelope(
    {
      contacts: [{ profile: { name: opts.name ?? "Sheena Nelson" }, wa_id: from, ...(opts.userId ? { user_id: opts.userId } : {}) }],
      messages: [
        {
          from,
          ...(opts.userId ? { from_user_id: opts.userId } : {}),
          id: opts.wamid ?? `wamid.test.${Date.now()}.${seq}`,
          timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
          type: "text",
          text: { body: opts.text },
        },
      ],
    },
    opts.phoneNumberId,
  );
}

/** A Meta-shaped status webhook body. */
export function statusBody(opts: { wamid: string; status: string; timestamp: number; recipient?: string; errors?: unknown[] }): object {
  return webhookEnvelope({
    statuses: [
      {
        id: opts.wamid,
        status: opts.status,
        timestamp: String(opts.timestamp),
        recipient_id: opts.recipient ?? "16505551234",
        ...(opts.errors ? { errors: opts.errors } : {}),
      },
    ],
  });
}
