/**
 * What the sender does with a failed send, decided from Meta's error code
 * (../shared/docs/whatsapp-platform.md §5; https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 * Pure: the only input besides the error is the random source for jitter, which tests fix.
 */
import type { GraphError } from "./client.ts";

export type SendErrorAction =
  /** Try again after `delayMs(attempt)`; `attempt` is 1 for the first retry. */
  | { action: "retry"; delayMs(attempt: number): number }
  | { action: "fail"; reason: "permanent" }
  /** The 24-hour customer-service window is closed: only a template can reach the user now. */
  | { action: "window_closed" }
  /** The number cannot send at all (token expired or invalid) until an operator fixes it. */
  | { action: "pause_number"; reason: string }
  /** Bulk/marketing sends must stop (spam limit, restricted account); replies to customers may continue. */
  | { action: "pause_bulk"; reason: string };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

type Backoff = { baseMs: number; factor: number; maxMs: number };

/** Temporary errors on Meta's side: "check metastatus, retry with backoff". */
const TRANSIENT: Backoff = { baseMs: 2 * SECOND, factor: 2, maxMs: 5 * MINUTE };
/** App- and WABA-level call limits (4, 80007, 613) are counted per hour, so back off in minutes. */
const APP_RATE_LIMIT: Backoff = { baseMs: MINUTE, factor: 2, maxMs: HOUR };

const RETRY: ReadonlyMap<number, Backoff> = new Map([
  // Throughput (80 mps by default): slow down and queue.
  [130429, { baseMs: SECOND, factor: 2, maxMs: MINUTE }],
  // Pair rate limit. Meta: "retry after 4^X seconds (starting with X=0)", so 1 s, 4 s, 16 s, 64 s, ...
  [131056, { baseMs: SECOND, factor: 4, maxMs: HOUR }],
  // Maintenance mode, e.g. a throughput upgrade, "can take up to 1 minute".
  [131057, { baseMs: MINUTE, factor: 2, maxMs: 10 * MINUTE }],
  [1, TRANSIENT],
  [2, TRANSIENT],
  [131000, TRANSIENT],
  [131016, TRANSIENT],
  [133004, TRANSIENT],
  [4, APP_RATE_LIMIT],
  [80007, APP_RATE_LIMIT],
  // Graph "custom-level throttling"; not on Meta's WhatsApp page (UNVERIFIED), treated like 4.
  [613, APP_RATE_LIMIT],
]);

/** Codes where resending the same request cannot succeed: fix the request, the template or the contact. */
const PERMANENT = new Set([100, 130403, 131008, 131009, 131026, 131031, 131042, 131050, 131051, 131052, 131053]);
const isTemplateError = (code: number) => code >= 132000 && code <= 132999;

const WINDOW_CLOSED = new Set([131047, 470]);
const PAUSE_NUMBER = new Map([
  [190, "access token expired or invalid (190): rotate the token"],
  [0, "the app user could not be authenticated (0): get a new token"],
]);
const PAUSE_BULK = new Map([
  [131048, "spam rate limit (131048): too many messages blocked or flagged; check quality in WhatsApp Manager"],
  [368, "account restricted for a policy violation (368): see Policy Enforcement in WhatsApp Manager"],
]);
/** 131049, per-user marketing limit: Meta says "wait at least 24 hours before resending". */
const ECOSYSTEM_LIMIT_CODE = 131049;

/** Classifies a send failure. `random` (0 ≤ x < 1) drives the jitter. */
export function classifySendError(error: GraphError, random: () => number = Math.random): SendErrorAction {
  const { code } = error;
  if (code === null) {
    // Without a code, only the transport tells us anything: the network, a 5xx or a 429 (from Meta's edge or a
    // proxy) are transient. Anything else code-less (an unexpected 2xx body, a 4xx HTML page) is not.
    if (error.network || (error.httpStatus !== null && (error.httpStatus >= 500 || error.httpStatus === 429))) {
      return retryWith(TRANSIENT, random);
    }
    return { action: "fail", reason: "permanent" };
  }
  const backoff = RETRY.get(code);
  if (backoff) return retryWith(backoff, random);
  if (code === ECOSYSTEM_LIMIT_CODE) {
    return { action: "retry", delayMs: () => 24 * HOUR + Math.floor(random() * HOUR) };
  }
  if (WINDOW_CLOSED.has(code)) return { action: "window_closed" };
  const pauseNumber = PAUSE_NUMBER.get(code);
  if (pauseNumber) return { action: "pause_number", reason: pauseNumber };
  const pauseBulk = PAUSE_BULK.get(code);
  if (pauseBulk) return { action: "pause_bulk", reason: pauseBulk };
  if (PERMANENT.has(code) || isTemplateError(code)) return { action: "fail", reason: "permanent" };
  // Unknown codes fail for good: Meta accepted or rejected the request for a reason we do not understand, and
  // resending blindly risks a duplicate message and burns the quality rating. The code and title are stored on
  // the outbox row, so an operator sees it and the code can be added to the tables above.
  return { action: "fail", reason: "permanent" };
}

/** True when the sender should try the same request again later. */
export function isRetryable(error: GraphError): boolean {
  return classifySendError(error).action === "retry";
}

/**
 * Exponential backoff with jitter added on top (0–20 %), never subtracted: a delay Meta prescribes (131056's
 * 4^X seconds) is a floor. Jitter keeps many queued messages from retrying in lockstep.
 */
function retryWith({ baseMs, factor, maxMs }: Backoff, random: () => number): SendErrorAction {
  return {
    action: "retry",
    delayMs(attempt: number) {
      const exponent = Math.max(0, Math.floor(attempt) - 1);
      const delay = Math.min(maxMs, baseMs * factor ** exponent);
      return Math.floor(delay * (1 + 0.2 * random()));
    },
  };
}
