/**
 * `/webhooks/whatsapp`: Meta's verification handshake (GET) and event deliveries (POST).
 * POST checks the signature over the raw bytes before anything is parsed, stores the delivery and its events
 * durably, and answers 200 only after the commit. Nothing else happens in the request: the worker does the rest.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Metrics } from "../lib/metrics.ts";
import type { EventStore } from "../whatsapp/event-store.ts";
import { normalizeWebhook } from "../whatsapp/normalize.ts";
import { isValidSignature } from "../whatsapp/signature.ts";
import type { AppEnv } from "./app-env.ts";
import { safeEqual } from "./middleware.ts";

/** Meta: "Webhook payloads can be up to 3 MB." */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

export type WebhookDeps = { appSecret: string; verifyToken: string; store: EventStore; metrics?: Metrics | undefined };

export function webhookRoutes(deps: WebhookDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => {
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token");
    const challenge = c.req.query("hub.challenge");
    if (mode === "subscribe" && token !== undefined && challenge && safeEqual(token, deps.verifyToken)) {
      return c.text(challenge, 200);
    }
    c.get("logger").warn({ mode }, "webhook verification refused");
    return c.text("Forbidden", 403);
  });

  const rejected = (reason: "signature" | "malformed" | "too_large" | "unavailable") => deps.metrics?.webhookRejected.inc({ reason });
  const tooLarge = (c: Context<AppEnv>) => {
    rejected("too_large");
    return c.json({ error: { code: "payload_too_large", message: "Body over 3 MB." } }, 413);
  };
  const streamingLimit = bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: tooLarge });

  app.post(
    "/",
    // Meta always sends Content-Length, and Node reads exactly that many bytes, so checking the header suffices.
    // Hono's bodyLimit wraps the body in a web ReadableStream, which cost ~17% of the webhook's CPU in
    // `npm run bench:webhook`; it is kept for chunked bodies without a length.
    async (c, next) => {
      const length = c.req.header("content-length");
      if (length === undefined || c.req.header("transfer-encoding")) return streamingLimit(c, next);
      if (!/^\d+$/.test(length)) {
        rejected("malformed");
        return c.json({ error: { code: "bad_request", message: "Bad Content-Length." } }, 400);
      }
      if (Number(length) > MAX_WEBHOOK_BYTES) return tooLarge(c);
      await next();
    },
    async (c) => {
      const log = c.get("logger");
      const bytes = await c.req.arrayBuffer();
      const raw = new Uint8Array(bytes);
      if (!isValidSignature(raw, c.req.header("x-hub-signature-256"), deps.appSecret)) {
        log.warn({ bytes: raw.byteLength }, "webhook signature missing or wrong; nothing stored");
        rejected("signature");
        return c.json({ error: { code: "unauthorized", message: "Missing or invalid X-Hub-Signature-256." } }, 401);
      }
      // A view of the same bytes, not a copy.
      const text = Buffer.from(bytes).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        rejected("malformed");
        return c.json({ error: { code: "bad_request", message: "Body is not JSON." } }, 400);
      }
      const normalized = normalizeWebhook(body);
      const outcome = normalized.shape === "unexpected" ? "unexpected_shape" : normalized.problems.length > 0 ? "partial" : "accepted";
      try {
        const result = await deps.store.store({
          requestId: c.get("requestId"),
          raw: text,
          outcome,
          problems: normalized.problems,
          events: normalized.events,
        });
        if (outcome !== "accepted") {
          log.warn({ deliveryId: result.deliveryId, outcome, problems: normalized.problems.slice(0, 5) }, "webhook flagged for inspection");
        }
        if (result.unroutable > 0) {
          log.warn({ phoneNumberIds: result.unroutableNumbers, events: result.unroutable }, "webhook events for a number no tenant owns");
        }
        deps.metrics?.webhookEvents.inc({ outcome: "received" }, result.stored - result.unroutable);
        deps.metrics?.webhookEvents.inc({ outcome: "unroutable" }, result.unroutable);
        deps.metrics?.webhookEvents.inc({ outcome: "duplicate" }, result.duplicates);
        return c.json({ received: result.stored, duplicates: result.duplicates }, 200);
      } catch (err) {
        // Not stored: a non-200 makes Meta retry (for up to 7 days), so nothing is lost.
        log.error({ err }, "webhook delivery could not be stored");
        rejected("unavailable");
        return c.json({ error: { code: "unavailable", message: "Temporarily unavailable, please retry." } }, 503);
      }
    },
  );
  return app;
}
