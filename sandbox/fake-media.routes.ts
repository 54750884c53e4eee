/**
 * Media download, Meta's two steps (whatsapp-platform.md §4 "Media download"): `GET /{version}/{media-id}` answers
 * the file's metadata and a short-lived URL; `GET <url>` with the bearer token answers the bytes. Ids registered in
 * `media` serve their file; ids starting with `missing` answer Meta's "does not exist" error; any other id serves a
 * deterministic 1×1 PNG, so a downloader can be exercised with the ids that arrive in sandbox webhooks.
 * The URL carries an expiry and an HMAC (keyed with the sandbox token) and stops working after 5 minutes, like Meta's.
 */
import { createHash, createHmac } from "node:crypto";
import { Hono } from "hono";
import { createTraceId, unixSeconds } from "./meta-shapes.ts";
import { safeEqual } from "./secrets.ts";

export type MediaFile = { mimeType: string; bytes: Uint8Array };
export type MediaLibrary = ReadonlyMap<string, MediaFile>;

/** The file served for any id that is neither registered nor `missing…`. */
export const DEFAULT_MEDIA: MediaFile = {
  mimeType: "image/png",
  bytes: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64"),
};

/** Meta: "Media URLs expire after 5 minutes and must be re-retrieved if expired." */
const URL_TTL_SECONDS = 5 * 60;
const DOWNLOAD_PATH = "/media-download";

/** Media routes for the fake Graph API; authentication is applied by the caller. */
export function fakeMediaRoutes(deps: { sandboxToken: string; media?: MediaLibrary | undefined; now?: () => Date }): Hono {
  const app = new Hono();
  const now = deps.now ?? (() => new Date());
  const sign = (id: string, expires: string) =>
    createHmac("sha256", deps.sandboxToken).update(`${id}:${expires}`).digest("hex").slice(0, 32);
  const find = (id: string): MediaFile | undefined => deps.media?.get(id) ?? (id.startsWith("missing") ? undefined : DEFAULT_MEDIA);

  app.get(DOWNLOAD_PATH, (c) => {
    const id = c.req.query("mid") ?? "";
    const expires = c.req.query("ext") ?? "";
    const hash = c.req.query("hash") ?? "";
    const file = find(id);
    const fresh = /^\d{1,12}$/.test(expires) && Number(expires) > Number(unixSeconds(now()));
    if (!file || !fresh || !safeEqual(hash, sign(id, expires))) {
      return c.json(
        { error: { message: "Media URL is invalid or has expired.", type: "OAuthException", code: 100, fbtrace_id: createTraceId() } },
        404,
      );
    }
    return c.body(new Uint8Array(file.bytes), 200, { "content-type": file.mimeType, "content-length": String(file.bytes.byteLength) });
  });

  app.get("/:version{v\\d+\\.\\d+}/:mediaId{[\\w.-]{1,128}}", (c) => {
    const { version, mediaId } = c.req.param();
    const file = find(mediaId);
    if (!file) {
      const message = `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
      return c.json({ error: { message, type: "GraphMethodException", code: 100, error_subcode: 33, fbtrace_id: createTraceId() } }, 400);
    }
    const url = new URL(c.req.url);
    const prefix = url.pathname.slice(0, url.pathname.length - `/${version}/${mediaId}`.length);
    const expires = String(Number(unixSeconds(now())) + URL_TTL_SECONDS);
    const download = new URL(`${prefix}${DOWNLOAD_PATH}`, url.origin);
    download.search = new URLSearchParams({ mid: mediaId, ext: expires, hash: sign(mediaId, expires) }).toString();
    return c.json({
      messaging_product: "whatsapp",
      url: download.toString(),
      mime_type: file.mimeType,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      file_size: String(file.bytes.byteLength),
      id: mediaId,
    });
  });
  return app;
}
