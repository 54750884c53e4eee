/**
 * Posts a webhook body to the app the way Meta does: serialized once, signed over those exact bytes with the app
 * secret (`X-Hub-Signature-256`), and handed to the caller's `deliverWebhook` (in the app: an in-process POST to
 * `/webhooks/whatsapp`), so the real verification and storage path runs.
 */
import { signBody } from "../whatsapp/signature.ts";

export type WebhookHeaders = { "content-type": "application/json"; "x-hub-signature-256": string };

/** Delivers a signed raw body to the app's webhook; resolves with the HTTP status the webhook answered. */
export type DeliverWebhook = (rawBody: string, headers: WebhookHeaders) => Promise<{ status: number }>;

/** The webhook's answer, or `status: null` when delivery itself threw. */
export type WebhookResult = { status: number | null; ok: boolean; error?: unknown };

export type WebhookSender = (body: object) => Promise<WebhookResult>;

/** Creates a sender that signs with `appSecret`; it never throws. */
export function createWebhookSender(appSecret: string, deliverWebhook: DeliverWebhook): WebhookSender {
  return async (body) => {
    const raw = JSON.stringify(body);
    const headers: WebhookHeaders = { "content-type": "application/json", "x-hub-signature-256": signBody(raw, appSecret) };
    try {
      const { status } = await deliverWebhook(raw, headers);
      return { status, ok: status >= 200 && status < 300 };
    } catch (error) {
      return { status: null, ok: false, error };
    }
  };
}
