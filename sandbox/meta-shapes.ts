/**
 * The JSON the sandbox speaks, shaped like Meta's: message ids, Graph API error bodies, and the webhook bodies for
 * statuses and customer messages. Sources: ../shared/docs/whatsapp-platform.md §2 (webhooks), §4 (send responses),
 * §5 (errors), and the real payloads in ../shared/fixtures/whatsapp/ (status_sent.json, status_failed.json).
 */
import { randomBytes } from "node:crypto";
import { errorInfo } from "./error-catalog.ts";

/** The WhatsApp Business Account id the sandbox reports in `entry[].id`. */
export const SANDBOX_WABA_ID = "100000000000000";
/** Where Meta's error pages live; status errors carry it as `href` (see status_failed.json). */
const ERROR_HREF = "/documentation/business-messaging/whatsapp/support/error-codes";

const PHONE = /^\+?\d{5,20}$/;
/** A business-scoped user id: country code, a dot, up to 128 alphanumerics (whatsapp-platform.md §0). */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

/** True for a phone number (`wa_id`, optional leading `+`). */
export function isPhone(value: string): boolean {
  return PHONE.test(value);
}

/** True for a business-scoped user id such as `US.13491208655302741918`. */
export function isBsuid(value: string): boolean {
  return BSUID.test(value);
}

/** The key a recipient is stored and matched under: digits for a phone (no `+`), the BSUID as is. */
export function normalizeRecipient(value: string): string {
  return isPhone(value) ? value.replace(/^\+/, "") : value;
}

/**
 * A message id the way Meta builds them: `wamid.` + base64 of a small binary record holding the customer's number
 * and a random hex id (decoding the fixtures' ids shows `1c 18 <len> <number> 15 02 00 <11|12> 18 <len> <HEX> 00`).
 */
export function createWamid(customer: string, direction: "outbound" | "inbound"): string {
  const user = Buffer.from(customer.replace(/^\+/, ""), "latin1").subarray(0, 200);
  const hex = Buffer.from(
    randomBytes(direction === "outbound" ? 9 : 10)
      .toString("hex")
      .toUpperCase(),
    "latin1",
  );
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, user.length]),
    user,
    Buffer.from([0x15, 0x02, 0x00, direction === "outbound" ? 0x11 : 0x12, 0x18, hex.length]),
    hex,
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString("base64")}`;
}

/** Meta's `fbtrace_id`: an opaque id support can look a request up by. */
export function createTraceId(): string {
  return randomBytes(16).toString("base64url").slice(0, 23);
}

/** Unix seconds as a string, as in every webhook timestamp. */
export function unixSeconds(at: Date = new Date()): string {
  return String(Math.floor(at.getTime() / 1000));
}

export type GraphErrorBody = {
  error: {
    message: string;
    type: string;
    code: number;
    error_data?: { messaging_product: "whatsapp"; details: string };
    fbtrace_id: string;
  };
};

/** A synchronous Graph API error body: `{error:{message:"(#code) title", type, code, error_data, fbtrace_id}}`. */
export function graphErrorBody(code: number, opts: { title?: string | undefined; details?: string | undefined } = {}): GraphErrorBody {
  const info = errorInfo(code);
  const title = opts.title ?? info.title;
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: "OAuthException",
      code,
      error_data: { messaging_product: "whatsapp", details: opts.details ?? info.details },
      fbtrace_id: createTraceId(),
    },
  };
}

/** One item of a status's `errors[]`, as in status_failed.json. */
export function statusErrorItem(code: number, opts: { title?: string | undefined; details?: string | undefined } = {}): object {
  const info = errorInfo(code);
  const title = opts.title ?? info.title;
  return { code, title, message: title, error_data: { details: opts.details ?? info.details }, href: ERROR_HREF };
}

export type BusinessNumber = { phoneNumberId: string; displayPhoneNumber: string };

/** The envelope every `messages`-field webhook shares. */
function envelope(number: BusinessNumber, value: Record<string, unknown>): object {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: SANDBOX_WABA_ID,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

/** Who the customer is in webhooks: `wa_id`/`recipient_id` for a phone, `user_id` for a BSUID. */
function recipientFields(recipient: string, phoneKey: string, bsuidKey: string): Record<string, string> {
  return isBsuid(recipient) ? { [bsuidKey]: recipient } : { [phoneKey]: normalizeRecipient(recipient) };
}

export type StatusWebhookInput = {
  number: BusinessNumber;
  wamid: string;
  status: "sent" | "delivered" | "read" | "failed";
  recipient: string;
  at?: Date;
  errors?: object[];
  pricing?: object;
};

/** A `statuses[]` webhook body for one of our messages. */
export function statusWebhookBody(input: StatusWebhookInput): object {
  return envelope(input.number, {
    statuses: [
      {
        id: input.wamid,
        status: input.status,
        timestamp: unixSeconds(input.at),
        ...recipientFields(input.recipient, "recipient_id", "recipient_user_id"),
        ...(input.pricing ? { pricing: input.pricing } : {}),
        ...(input.errors ? { errors: input.errors } : {}),
      },
    ],
  });
}

/** A `messages[]` webhook body for one customer message; `content` is e.g. `{ type: "text", text: { body } }`. */
export function customerMessageWebhookBody(input: {
  number: BusinessNumber;
  wamid: string;
  from: string;
  name: string;
  content: Record<string, unknown>;
  contextWamid?: string | undefined;
  at?: Date;
}): object {
  const bsuid = isBsuid(input.from);
  const contact = bsuid
    ? { profile: { name: input.name }, user_id: input.from }
    : { profile: { name: input.name }, wa_id: normalizeRecipient(input.from) };
  const sender = bsuid ? { from_user_id: input.from } : { from: normalizeRecipient(input.from) };
  return envelope(input.number, {
    contacts: [contact],
    messages: [
      {
        ...(input.contextWamid ? { context: { from: input.number.displayPhoneNumber, id: input.contextWamid } } : {}),
        ...sender,
        id: input.wamid,
        timestamp: unixSeconds(input.at),
        ...input.content,
      },
    ],
  });
}
