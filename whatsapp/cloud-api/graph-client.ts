/**
 * The `WhatsAppClient` adapter over Meta's Graph API (../shared/docs/whatsapp-platform.md §4). Messages are
 * validated before any network call; every HTTP or network failure comes back as a `GraphError` value, never an
 * exception, so the sender can classify it (retry-policy.ts). The access token only ever goes in the
 * Authorization header: it is never logged and is scrubbed from anything echoed into an error.
 */
import { z } from "zod";
import type { GraphError, MediaInfo, WhatsAppClient } from "./client.ts";
import { networkError, parseErrorResponse, parseJson, redactSecret, unexpectedResponse, validationError } from "./graph-error.ts";
import { OutgoingMessageSchema, RecipientSchema } from "./messages.ts";

export type GraphClientOptions = {
  /** `https://graph.facebook.com` in production, the sandbox's URL in development. */
  baseUrl: string;
  /** Graph API version, e.g. `v23.0`. */
  version: string;
  accessToken: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** Media downloads are larger than API calls, so they get their own timeout. */
  downloadTimeoutMs?: number;
  maxDownloadBytes?: number;
};

/**
 * 100 MB: the largest media type WhatsApp accepts (documents; images 5 MB, audio and video 16 MB), per Meta's
 * supported-media table, mirrored at https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html
 */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

const SendResponseSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const SuccessResponseSchema = z.object({ success: z.literal(true) });
const MediaResponseSchema = z.object({
  url: z.string().min(1),
  mime_type: z.string().min(1),
  sha256: z.string().optional(),
  // Meta documents a string ("303833"); accept a number too.
  file_size: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).optional(),
  id: z.string().optional(),
});

type Fetched = { ok: true; status: number; body: unknown } | { ok: false; error: GraphError };

/** Creates the Graph API client. Nothing happens on the network until a method is called. */
export function createGraphClient(opts: GraphClientOptions): WhatsAppClient {
  const { accessToken, timeoutMs = 10_000, downloadTimeoutMs = 120_000, maxDownloadBytes = MAX_MEDIA_BYTES } = opts;
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const root = `${opts.baseUrl.replace(/\/+$/, "")}/${opts.version}`;
  const auth = { Authorization: `Bearer ${accessToken}` };
  const fail = (error: GraphError) => ({ ok: false as const, error: redactSecret(error, accessToken) });

  async function call(method: "GET" | "POST", url: string, body?: unknown): Promise<Fetched> {
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(url, {
        method,
        headers: body === undefined ? auth : { ...auth, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      return fail(networkError(err, timeoutMs));
    }
    if (!res.ok) return fail(parseErrorResponse(res.status, text));
    return { ok: true, status: res.status, body: parseJson(text) };
  }

  const messagesUrl = (phoneNumberId: string) => `${root}/${encodeURIComponent(phoneNumberId)}/messages`;

  return {
    async send(phoneNumberId, to, message, sendOpts) {
      const msg = OutgoingMessageSchema.safeParse(message);
      if (!msg.success) return { ok: false, error: validationError(msg.error.issues) };
      const recipient = RecipientSchema.safeParse(to);
      if (!recipient.success) return { ok: false, error: validationError(recipient.error.issues) };
      const { waId, userId } = recipient.data;
      // Sending to a BSUID: Meta's field name is UNVERIFIED (whatsapp-platform.md §4); `recipient` follows
      // 360dialog's reference. Check against Meta's send-messages page once BSUID sends are documented.
      // wa_ids carry the country code but no '+'; without '+' Meta prepends the business number's country code
      // (../shared/docs/whatsapp-platform.md §4), so always send E.164 with '+'.
      const address = waId ? { to: waId.startsWith("+") ? waId : `+${waId}` } : { recipient: userId };
      const context = sendOpts?.contextWamid ? { context: { message_id: sendOpts.contextWamid } } : {};
      const res = await call("POST", messagesUrl(phoneNumberId), {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        ...address,
        ...msg.data,
        ...context,
      });
      if (!res.ok) return res;
      const parsed = SendResponseSchema.safeParse(res.body);
      if (!parsed.success) return fail(unexpectedResponse(res.status, "no messages[0].id in the send response"));
      return { ok: true, wamid: parsed.data.messages[0]?.id as string };
    },

    async markRead(phoneNumberId, wamid, readOpts) {
      const res = await call("POST", messagesUrl(phoneNumberId), {
        messaging_product: "whatsapp",
        status: "read",
        message_id: wamid,
        // The typing indicator rides on the read receipt (https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators).
        ...(readOpts?.typing ? { typing_indicator: { type: "text" } } : {}),
      });
      if (!res.ok) return res;
      if (!SuccessResponseSchema.safeParse(res.body).success) return fail(unexpectedResponse(res.status, "expected {success: true}"));
      return { ok: true };
    },

    async getMedia(mediaId, phoneNumberId) {
      // phone_number_id makes Meta check the media belongs to that number.
      const query = phoneNumberId ? `?phone_number_id=${encodeURIComponent(phoneNumberId)}` : "";
      const res = await call("GET", `${root}/${encodeURIComponent(mediaId)}${query}`);
      if (!res.ok) return res;
      const parsed = MediaResponseSchema.safeParse(res.body);
      if (!parsed.success) return fail(unexpectedResponse(res.status, "no url/mime_type in the media response"));
      const { url, mime_type, sha256, file_size } = parsed.data;
      const media: MediaInfo = {
        url,
        mimeType: mime_type,
        sha256: sha256 ?? null,
        fileSize: file_size === undefined ? null : Number(file_size),
      };
      return { ok: true, media };
    },

    async downloadMedia(url) {
      // The bearer token must not leak to an arbitrary host over plain HTTP; the sandbox shares baseUrl's origin.
      if (!url.startsWith("https://") && !sameOrigin(url, opts.baseUrl)) {
        return fail({ httpStatus: null, code: null, title: "refusing to send the access token to a non-https media URL" });
      }
      let res: Response;
      try {
        res = await fetchFn(url, { method: "GET", headers: auth, signal: AbortSignal.timeout(downloadTimeoutMs) });
        if (!res.ok) return fail(parseErrorResponse(res.status, await res.text()));
        const bytes = await readCapped(res, maxDownloadBytes);
        if (!bytes) return fail({ httpStatus: res.status, code: null, title: `media larger than the ${maxDownloadBytes}-byte cap` });
        return { ok: true, bytes, mimeType: res.headers.get("content-type") };
      } catch (err) {
        return fail(networkError(err, downloadTimeoutMs));
      }
    },
  };
}

/** Reads the body, or returns undefined as soon as it exceeds `max` bytes (without buffering the rest). */
async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  if (Number(res.headers.get("content-length") ?? 0) > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
