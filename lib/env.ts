/**
 * The only place that reads configuration. `parseConfig` is pure (it takes the env as an argument) so tests can
 * call it freely; `server/main.ts` calls it once with `process.env` and exits with code 1 on a bad config.
 */
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const secret = optionalString.refine((v) => v === undefined || v.length >= 8, "must be at least 8 characters");

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: z.string().default("./data"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  WHATSAPP_APP_SECRET: secret,
  WHATSAPP_VERIFY_TOKEN: secret,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,32}$/, "must be digits")
      .optional(),
  ),
  WHATSAPP_API_BASE_URL: z.url().default("https://graph.facebook.com"),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, "must look like v23.0")
    .default("v23.0"),
  ADMIN_TOKEN: secret,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  EMBEDDING_MODEL: z.string().default("text-embedding-3-small"),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  AGENT_BURST_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  KB_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(500 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /** Knowledge chunk size and overlap in tokens (defaults chosen by `npm run bench:chunking`, see chunk-document.ts). */
  KB_CHUNK_MAX_TOKENS: z.coerce.number().int().min(50).max(4000).default(250),
  KB_CHUNK_OVERLAP_TOKENS: z.coerce.number().int().min(0).max(1000).default(40),
  /** Handoffs waiting this long without a human reply are flagged in the agent API and the console. */
  HANDOFF_WAIT_ALERT_MINUTES: z.coerce.number().min(0.1).max(1440).default(5),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

/** Secrets that must be set in production and that development generates once (see `lib/dev-secrets.ts`). */
export const GENERATED_SECRETS = ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "ADMIN_TOKEN"] as const;
export type GeneratedSecret = (typeof GENERATED_SECRETS)[number];

/** The phone number id the default tenant owns when none is configured (development and tests only). */
export const SANDBOX_PHONE_NUMBER_ID = "100000000000001";

export type ConfigResult = { ok: true; config: RawConfig } | { ok: false; errors: string[] };

/** Validates the environment. In production every secret is required; elsewhere missing ones are filled later. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  // An empty (or blank) variable means "unset", so `PORT=` in a .env file falls back to the default instead of
  // coercing to 0 (and `LOG_LEVEL=` does not fail the enum).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = ConfigSchema.refine((c) => c.KB_CHUNK_OVERLAP_TOKENS < c.KB_CHUNK_MAX_TOKENS, {
    path: ["KB_CHUNK_OVERLAP_TOKENS"],
    message: "must be smaller than KB_CHUNK_MAX_TOKENS",
  }).safeParse(present);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`),
    };
  }
  const config = parsed.data;
  if (config.NODE_ENV === "production") {
    const required = [...GENERATED_SECRETS, "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"] as const;
    const missing = required.filter((k) => !config[k]);
    if (missing.length > 0) {
      return { ok: false, errors: missing.map((k) => `${k}: required when NODE_ENV=production`) };
    }
  }
  return { ok: true, config };
}

/** Config after development secrets have been filled in: every secret is present. */
export type Config = Omit<RawConfig, GeneratedSecret | "WHATSAPP_PHONE_NUMBER_ID"> & {
  [K in GeneratedSecret]: string;
} & { WHATSAPP_PHONE_NUMBER_ID: string };
