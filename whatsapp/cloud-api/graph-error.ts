/**
 * Turns Graph API failures into `GraphError` values: Meta's JSON error envelope, non-JSON error pages, network
 * failures and timeouts, and our own validation failures. Meta asks integrators to key their handling on `code`
 * and `error_data.details`, not on the title (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
import { z } from "zod";
import type { GraphError } from "./client.ts";

/** Meta's "invalid parameter" code: what Meta would answer for a body we refuse to send. Permanent. */
export const INVALID_PARAMETER_CODE = 100;

const GraphErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** The error for a non-2xx response; `body` is the raw text (JSON from Meta, HTML from a proxy, or empty). */
export function parseErrorResponse(httpStatus: number, body: string): GraphError {
  const parsed = GraphErrorBodySchema.safeParse(parseJson(body));
  if (!parsed.success) return { httpStatus, code: null, title: `HTTP ${httpStatus} without a Graph API error body` };
  const { message, code, error_data } = parsed.data.error;
  return {
    httpStatus,
    code: code ?? null,
    title: message ?? `HTTP ${httpStatus}`,
    ...(error_data?.details ? { details: error_data.details } : {}),
  };
}

/** A network failure or timeout: nothing is known about whether Meta received the request. */
export function networkError(err: unknown, timeoutMs: number): GraphError {
  const name = err instanceof Error ? err.name : "Error";
  // AbortSignal.timeout() rejects fetch with a DOMException named TimeoutError.
  const title = name === "TimeoutError" ? `request timed out after ${timeoutMs} ms` : `network error: ${errorMessage(err)}`;
  return { httpStatus: null, code: null, network: true, title };
}

/** A 2xx whose body is not what the endpoint documents. */
export function unexpectedResponse(httpStatus: number, what: string): GraphError {
  return { httpStatus, code: null, title: `unexpected Graph API response: ${what}` };
}

/** Our own refusal to send an invalid message, shaped like Meta's answer to the same request. */
export function validationError(issues: readonly z.core.$ZodIssue[]): GraphError {
  return { httpStatus: null, code: INVALID_PARAMETER_CODE, title: `invalid message: ${describeIssue(issues)}` };
}

/** Removes a secret from text that may echo a request (titles and details are logged and stored). */
export function redactSecret(error: GraphError, secret: string): GraphError {
  // A short "secret" (a test token) would shred ordinary words; real Graph tokens are well over 100 characters.
  if (secret.length < 8) return error;
  const redact = (s: string) => s.split(secret).join("[redacted]");
  return { ...error, title: redact(error.title), ...(error.details !== undefined ? { details: redact(error.details) } : {}) };
}

/** `JSON.parse`, or undefined for a body that is not JSON (an HTML error page, an empty body). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return `${err.message}${cause}`;
}

/**
 * The first issue, readable. `OutgoingMessageSchema` is a union, so zod reports one issue list per branch; the
 * branch whose discriminator (`type`, `interactive.type`) matched is the one that explains the failure.
 */
function describeIssue(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  const issue = issues[0];
  if (!issue) return "invalid input";
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const branch = issue.errors.find((b) => !b.some(isDiscriminatorMismatch)) ?? issue.errors[0] ?? [];
    if (branch.length > 0) return describeIssue(branch, [...prefix, ...issue.path]);
  }
  const path = [...prefix, ...issue.path].map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

function isDiscriminatorMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.path.at(-1) === "type" && (issue.code === "invalid_value" || issue.code === "invalid_union");
}
