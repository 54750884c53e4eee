/**
 * Masks personal data before it reaches a log line: e-mail addresses, phone numbers (7+ digits, with or without
 * separators), and business-scoped user ids (BSUID, `US.13491208655302741918`).
 * See https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 */

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const BSUID = /\b([A-Z]{2})\.([A-Za-z0-9]{4,128})\b/g;
// A run of 7-15 digits, optionally with +, spaces, dots, dashes or parentheses between them (up to two in a row,
// as in `+1 (650) 555-1234`).
const PHONE = /(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\w])/;
// Digit runs that are not phone numbers and must survive intact: UUIDs, ISO dates/times, IPv4 addresses. They are
// matched first (same regex, earlier alternative) so the phone pattern never sees their digits.
const NOT_PHONE =
  /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/;
const PHONE_OR_SAFE = new RegExp(`(${NOT_PHONE.source})|${PHONE.source}`, "g");

/** Returns the string with e-mails, BSUIDs and phone numbers masked (keeping a short tail for correlation). */
export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(BSUID, (_m, cc: string, id: string) => `${cc}.***${id.slice(-3)}`)
    .replace(PHONE_OR_SAFE, (m, safe: string | undefined) => {
      if (safe) return m;
      const digits = m.replace(/\D/g, "");
      return `***${digits.slice(-3)}`;
    });
}

/** Deeply masks every string in a JSON-like value. Objects are copied, never mutated. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPii(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      ...(code !== undefined ? { code } : {}),
      message: maskPii(value.message),
      stack: value.stack ? maskPii(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
