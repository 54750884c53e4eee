/**
 * Meta's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw request body keyed with the app secret.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 * The HMAC is always computed over the exact bytes received, never over re-serialized JSON (Meta escapes `/`, `@`
 * and non-ASCII differently from JSON.stringify). If the raw bytes do not match and the body has non-ASCII text,
 * the `\uXXXX`-escaped form is tried too (whatsapp-api-js#290 reported Meta signing that form).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";

/** Computes the header value Meta would send for `body` (used by the sandbox and tests). */
export function signBody(body: string | Uint8Array, appSecret: string): string {
  return PREFIX + createHmac("sha256", appSecret).update(body).digest("hex");
}

/** Timing-safe check of the signature header against the raw body. */
export function isValidSignature(raw: Uint8Array, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length).trim().toLowerCase(), "utf8");
  if (given.length !== 64) return false;
  if (matches(given, createHmac("sha256", appSecret).update(raw).digest("hex"))) return true;
  if (!hasNonAscii(raw)) return false;
  const escaped = escapeNonAscii(Buffer.from(raw).toString("utf8"));
  return matches(given, createHmac("sha256", appSecret).update(escaped).digest("hex"));
}

function matches(given: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function hasNonAscii(raw: Uint8Array): boolean {
  for (const byte of raw) if (byte > 0x7e) return true;
  return false;
}

/** Every UTF-16 code unit above `~` becomes lowercase `\uXXXX` (emoji become surrogate pairs). */
export function escapeNonAscii(text: string): string {
  return text.replace(/[^\0-~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
