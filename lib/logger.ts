/**
 * Structured JSON logs (pino). Every field of every line passes through `maskDeep`, so a phone number, BSUID or
 * e-mail that ends up in a message or an object is masked wherever it came from. Secrets are redacted by key.
 */
import { type Logger, pino } from "pino";
import { maskDeep, maskPii } from "./mask.ts";

export type { Logger };

const SECRET_KEYS = ["authorization", "Authorization", "password", "token", "accessToken", "appSecret", "secret"];
const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  "headers.cookie",
  // Request-shaped objects: `{ req: { headers } }`.
  "*.headers.authorization",
  "*.headers.Authorization",
  "*.headers.cookie",
];

/** Creates the root logger. `destination` is for tests that capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: "switchboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: "[redacted]" },
      // `formatters.log` already turned errors into masked `{ type, message, stack }`; pino's own err serializer
      // would run after it and report every error's type as "Object".
      serializers: { err: (e: unknown) => e },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => maskDeep(obj) as Record<string, unknown>,
        bindings: (bindings) => maskDeep(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // Without a message pino uses the raw `err.message` (`log.error(err)`, `log.error({ err })`), which the
          // formatters never see: pass the message explicitly so it is masked like any other.
          const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
          if (err instanceof Error && typeof rest[0] !== "string") rest.unshift(err.message);
          // The merge object is masked by `formatters.log`; strings and printf arguments (`%o`, `%j`) here.
          const masked = [typeof first === "string" ? maskPii(first) : first, ...rest.map((a) => maskDeep(a))];
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // pino applies `formatters.bindings` to the root only, so mask child bindings here. Children are created from
  // their parent's prototype, so grandchildren inherit this too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, maskDeep(bindings) as pino.Bindings, options);
  } as typeof logger.child;
  return logger;
}
