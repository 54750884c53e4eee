/**
 * Cross-cutting HTTP middleware: request ids and access logs, bearer-token auth for the admin API, and the one
 * error handler that maps AppError (and anything unexpected) to a JSON response.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { AppEnv } from "./app-env.ts";

/** Assigns a request id (or keeps a sane incoming X-Request-Id) and a child logger; logs one line per request. */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv>[] {
  return [
    requestId({ limitLength: 64 }),
    async (c, next) => {
      const log = logger.child({ requestId: c.get("requestId") });
      c.set("logger", log);
      const started = performance.now();
      await next();
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const status = c.res.status;
      // The path only: query strings can carry tokens (hub.verify_token).
      const line = { method: c.req.method, path: c.req.path, status, ms };
      if (status >= 500) log.error(line, "request failed");
      else log.info(line, "request");
    },
  ];
}

/** Compares two secrets in constant time regardless of their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Requires `Authorization: Bearer <token>`. */
export function bearerAuth(token: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1] || !safeEqual(match[1].trim(), token)) {
      c.header("WWW-Authenticate", 'Bearer realm="switchboard-admin"');
      throw new AppError("unauthorized", "missing or wrong admin token");
    }
    await next();
  };
}

/** Maps errors to responses; internal messages never reach the client. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const log = c.get("logger");
  if (err instanceof AppError) {
    if (err.status >= 500) log?.error({ err }, err.message);
    return c.json(err.toBody(), err.status);
  }
  if (err instanceof HTTPException) return err.getResponse();
  log?.error({ err }, "unhandled error");
  return c.json(new AppError("internal", "unhandled").toBody(), 500);
};

/** JSON 404 for unknown routes. */
export function notFound(c: Context): Response {
  return c.json(new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`).toBody(), 404);
}
