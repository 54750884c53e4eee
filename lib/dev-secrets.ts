/**
 * Development convenience: secrets that are not configured are generated once and kept in
 * `DATA_DIR/secrets.json` (mode 0600), so restarts keep the same webhook secret and admin token.
 * Production never gets here (`parseConfig` rejects missing secrets there).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Config, GENERATED_SECRETS, type GeneratedSecret, type RawConfig, SANDBOX_PHONE_NUMBER_ID } from "./env.ts";

export type SecretsOutcome = { config: Config; generated: GeneratedSecret[]; file: string };

/** Fills missing secrets from (or into) the secrets file under DATA_DIR. */
export async function fillDevSecrets(raw: RawConfig): Promise<SecretsOutcome> {
  const file = resolve(join(raw.DATA_DIR, "secrets.json"));
  const missing = GENERATED_SECRETS.filter((k) => !raw[k]);
  const base = { ...raw, WHATSAPP_PHONE_NUMBER_ID: raw.WHATSAPP_PHONE_NUMBER_ID ?? SANDBOX_PHONE_NUMBER_ID };
  if (missing.length === 0) return { config: base as Config, generated: [], file };

  const stored = await readSecretsFile(file);
  const generated: GeneratedSecret[] = [];
  for (const key of missing) {
    if (!stored[key]) {
      stored[key] = randomBytes(24).toString("base64url");
      generated.push(key);
    }
  }
  if (generated.length > 0) {
    await mkdir(raw.DATA_DIR, { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const filled = Object.fromEntries(missing.map((k) => [k, stored[k]]));
  return { config: { ...base, ...filled } as Config, generated, file };
}

async function readSecretsFile(file: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  // Anything else would be silently overwritten (an array even loses the generated keys on write), so refuse.
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`cannot read ${file}: expected a JSON object of secrets`);
  }
  return parsed as Record<string, string>;
}
