/**
 * A fake Meta Graph API, mounted at `/sandbox/graph` so the real Graph client runs against it unchanged (base URL
 * `http://<host>/sandbox/graph`). It checks the bearer token, validates bodies as Meta does, records accepted
 * messages in `sandbox_messages`, answers with Meta's response and error shapes (whatsapp-platform.md §4, §5), and
 * then reports statuses through signed webhooks. Injected failures (see failure-injector.ts) are applied to valid
 * sends only, as Meta validates a request before it can fail for delivery reasons.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type pg from "pg";
import { z } from "zod";
import { OutgoingMessageSchema } from "../whatsapp/cloud-api/messages.ts";
import type { FailureInjector } from "./failure-injector.ts";
import { fakeMediaRoutes, type MediaLibrary } from "./fake-media.routes.ts";
import { createTraceId, createWamid, graphErrorBody, isBsuid, isPhone, normalizeRecipient } from "./meta-shapes.ts";
import type { SandboxState } from "./sandbox-state.ts";
import { insertSandboxMessage } from "./sandbox-store.ts";
import { bearerToken, safeEqual } from "./secrets.ts";
import type { StatusEmitter } from "./status-emitter.ts";

export type FakeGraphDeps = {
  pool: pg.Pool;
  /** The access token the Graph client must present. */
  sandboxToken: string;
  displayPhoneNumber: string;
  failures: FailureInjector;
  statuses: StatusEmitter;
  state: SandboxState;
  media?: MediaLibrary | undefined;
};

const MAX_BODY_BYTES = 1024 * 1024;
/** The message types OutgoingMessageSchema accepts (Meta has more; Switchboard sends only these). */
const SUPPORTED_TYPES = ["text", "image", "video", "audio", "document", "template", "interactive", "location", "reaction"];

const MarkReadSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: z.string().min(1),
  typing_indicator: z.strictObject({ type: z.literal("text") }).optional(),
});

const SendEnvelopeSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.enum(["individual", "group"]).optional(),
  to: z.string().optional(),
  recipient: z.string().optional(),
  context: z.strictObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

/** The fake Graph API routes (token-checked). */
export function fakeGraphRoutes(deps: FakeGraphDeps): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined || !safeEqual(token, deps.sandboxToken)) {
      const message = "Invalid OAuth access token - Cannot parse access token";
      c.header("WWW-Authenticate", `OAuth "Facebook Platform" "invalid_token" "${message}"`);
      return c.json({ error: { message, type: "OAuthException", code: 190, fbtrace_id: createTraceId() } }, 401);
    }
    await next();
  });

  app.post(
    "/:version{v\\d+\\.\\d+}/:phoneNumberId{\\d{1,32}}/messages",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(graphErrorBody(100, { details: "Request body is too large." }), 413) }),
    async (c) => {
      // When "Meta" received the request: what rate limits are judged on (bench:outbox reads it).
      const receivedAt = new Date();
      const phoneNumberId = c.req.param("phoneNumberId");
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json(graphErrorBody(100, { details: "Request body is not valid JSON." }), 400);
      }

      if (typeof body === "object" && body !== null && "status" in body) {
        const read = MarkReadSchema.safeParse(body);
        if (!read.success) return c.json(graphErrorBody(100, { details: describe(read.error) }), 400);
        deps.state.markRead(read.data.message_id, read.data.typing_indicator !== undefined);
        return c.json({ success: true });
      }

      const envelope = SendEnvelopeSchema.safeParse(body);
      if (!envelope.success) return c.json(graphErrorBody(100, { details: describe(envelope.error) }), 400);
      const to = envelope.data.to ?? envelope.data.recipient;
      if (to === undefined) return c.json(graphErrorBody(100, { details: "to: a recipient (to or recipient) is required" }), 400);
      if (!isPhone(to) && !isBsuid(to)) {
        return c.json(graphErrorBody(100, { details: "to: must be a phone number or a business-scoped user id" }), 400);
      }
      const type = (body as { type?: unknown }).type;
      if (typeof type !== "string" || !SUPPORTED_TYPES.includes(type)) {
        return c.json(graphErrorBody(100, { details: `type: must be one of ${SUPPORTED_TYPES.join(", ")}` }), 400);
      }
      const message = OutgoingMessageSchema.safeParse(body);
      if (!message.success) return c.json(graphErrorBody(100, { details: describe(message.error) }), 400);

      const recipient = normalizeRecipient(to);
      const failure = deps.failures.take(recipient);
      if (failure && !failure.async) {
        return c.json(graphErrorBody(failure.code, failure), failure.httpStatus as ContentfulStatusCode);
      }

      const wamid = createWamid(recipient, "outbound");
      await insertSandboxMessage(deps.pool, { wamid, phoneNumberId, recipient, type, body: body as Record<string, unknown>, receivedAt });
      deps.state.stopTyping(recipient);
      const accepted = {
        number: { phoneNumberId, displayPhoneNumber: deps.displayPhoneNumber },
        wamid,
        recipient,
        category: type === "template" ? ("utility" as const) : ("service" as const),
      };
      if (failure) deps.statuses.emitFailure(accepted, failure);
      else deps.statuses.emitLifecycle(accepted);

      const contact = isBsuid(recipient) ? { input: to, user_id: recipient } : { input: to, wa_id: recipient };
      return c.json({
        messaging_product: "whatsapp",
        contacts: [contact],
        messages: [{ id: wamid, ...(type === "template" ? { message_status: "accepted" } : {}) }],
      });
    },
  );

  app.route("/", fakeMediaRoutes({ sandboxToken: deps.sandboxToken, media: deps.media }));
  return app;
}

/** Meta puts a human-readable reason in `error_data.details`. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
