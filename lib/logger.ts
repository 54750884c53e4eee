/**
 * Structured JSON logs (pino). Every field of every line passes through `maskDeep`, so a phone number, BSUID or
 * e-mail that ends up in a message or an object is masked wherever it came from. Secrets are redacted by key.
 */
import { pino, type Logger } from "pino";
import { maskDeep, maskPii } from "./mask.ts";

export type { Logger };

const REDACT = [
  "*.authorization",
  "*.Authorization",
  "*.password",
  "*.token",
  "*.accessToken",
  "*.appSecret",
  "*.secret",
  "headers.authorization",
  "headers.cookie",
];

/** Creates the root logger. `destination` is for tests that capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "switchboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => maskDeep(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === "string" ? maskPii(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
