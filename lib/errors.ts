/**
 * One error type for unexpected failures and client errors that map to HTTP. `code` is stable (clients and tests
 * match on it), `message` is internal (logs), `userMessage` is what an API client or a customer may see.
 * Expected business outcomes are typed results, not AppErrors.
 */

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type HttpStatus = (typeof ERROR_STATUS)[ErrorCode];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, opts: { userMessage?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = opts.userMessage ?? defaultUserMessage(code);
    this.details = opts.details;
  }

  get status(): HttpStatus {
    return ERROR_STATUS[this.code];
  }

  /** The JSON body an HTTP client sees: never the internal message. */
  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.userMessage, ...(this.details ? { details: this.details } : {}) } };
  }
}

function defaultUserMessage(code: ErrorCode): string {
  switch (code) {
    case "unauthorized":
      return "Missing or invalid credentials.";
    case "not_found":
      return "Not found.";
    case "unavailable":
      return "Temporarily unavailable, please retry.";
    case "internal":
      return "Internal error.";
    default:
      return code.replace(/_/g, " ");
  }
}

/** True for errors that mean "the database cannot be reached right now" (connection refused, reset, timeout). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P03", "53300", "08006", "08001"].includes(e.code)) {
    return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Too many connections|Client has encountered a connection error|pool is ending/i.test(
    e.message ?? "",
  );
}
