/**
 * Masks personal data before it reaches a log line: e-mail addresses, phone numbers (7+ digits, with or without
 * separators), and business-scoped user ids (BSUID, `US.13491208655302741918`).
 * See https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 */

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const BSUID = /\b([A-Z]{2})\.([A-Za-z0-9]{4,128})\b/g;
// A run of 7-15 digits, optionally with +, spaces, dots, dashes or parentheses between them.
const PHONE = /(?<![\w.])\+?\d(?:[\s().-]?\d){6,14}(?![\w])/g;

/** Returns the string with e-mails, BSUIDs and phone numbers masked (keeping a short tail for correlation). */
export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(BSUID, (_m, cc: string, id: string) => `${cc}.***${id.slice(-3)}`)
    .replace(PHONE, (m) => {
      const digits = m.replace(/\D/g, "");
      return `***${digits.slice(-3)}`;
    });
}

/** Deeply masks every string in a JSON-like value. Objects are copied, never mutated. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPii(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskPii(value.message), stack: value.stack ? maskPii(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
