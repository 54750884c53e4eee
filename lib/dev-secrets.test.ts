import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fillDevSecrets } from "./dev-secrets.ts";
import { GENERATED_SECRETS, parseConfig, type RawConfig, SANDBOX_PHONE_NUMBER_ID } from "./env.ts";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sb-secrets-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function raw(env: Record<string, string> = {}): RawConfig {
  const r = parseConfig({ DATA_DIR: dataDir, ...env });
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.config;
}

const readStored = async (file: string) => JSON.parse(await readFile(file, "utf8")) as Record<string, string>;

describe("fillDevSecrets", () => {
  it("generates missing secrets and writes them to DATA_DIR/secrets.json with mode 0600", async () => {
    const out = await fillDevSecrets(raw());
    expect(out.file).toBe(join(dataDir, "secrets.json"));
    expect(out.generated).toEqual([...GENERATED_SECRETS]);
    for (const key of GENERATED_SECRETS) {
      expect(out.config[key]).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes, base64url
    }
    // Distinct values, not one secret reused three times.
    expect(new Set(GENERATED_SECRETS.map((k) => out.config[k])).size).toBe(GENERATED_SECRETS.length);

    const stored = await readStored(out.file);
    for (const key of GENERATED_SECRETS) expect(stored[key]).toBe(out.config[key]);
    expect((await stat(out.file)).mode & 0o777).toBe(0o600);
  });

  it("generated secrets pass the config's own minimum length", async () => {
    const out = await fillDevSecrets(raw());
    const again = parseConfig(Object.fromEntries(GENERATED_SECRETS.map((k) => [k, out.config[k]])));
    expect(again.ok).toBe(true);
  });

  it("returns the same values and generated: [] on the next call", async () => {
    const first = await fillDevSecrets(raw());
    const before = await readFile(first.file, "utf8");
    const second = await fillDevSecrets(raw());
    expect(second.generated).toEqual([]);
    for (const key of GENERATED_SECRETS) expect(second.config[key]).toBe(first.config[key]);
    expect(await readFile(second.file, "utf8")).toBe(before);
  });

  it("creates DATA_DIR when it does not exist yet", async () => {
    const nested = join(dataDir, "a", "b");
    const r = parseConfig({ DATA_DIR: nested });
    if (!r.ok) throw new Error(r.errors.join("; "));
    const out = await fillDevSecrets(r.config);
    expect(out.file).toBe(join(nested, "secrets.json"));
    expect(existsSync(out.file)).toBe(true);
  });

  it("uses configured secrets and writes nothing when all are configured", async () => {
    const env = { WHATSAPP_APP_SECRET: "configured-app", WHATSAPP_VERIFY_TOKEN: "configured-verify", ADMIN_TOKEN: "configured-admin" };
    const out = await fillDevSecrets(raw(env));
    expect(out.generated).toEqual([]);
    expect(out.config.WHATSAPP_APP_SECRET).toBe("configured-app");
    expect(out.config.WHATSAPP_VERIFY_TOKEN).toBe("configured-verify");
    expect(out.config.ADMIN_TOKEN).toBe("configured-admin");
    expect(existsSync(out.file)).toBe(false);
  });

  it("generates only the missing ones and never writes a configured secret to the file", async () => {
    const out = await fillDevSecrets(raw({ ADMIN_TOKEN: "configured-admin" }));
    expect(out.generated).toEqual(["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]);
    expect(out.config.ADMIN_TOKEN).toBe("configured-admin");
    const stored = await readStored(out.file);
    expect(Object.keys(stored).sort()).toEqual(["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]);
    expect(JSON.stringify(stored)).not.toContain("configured-admin");
  });

  it("prefers a configured secret over one kept in the file, and keeps the file's other values", async () => {
    const first = await fillDevSecrets(raw());
    const out = await fillDevSecrets(raw({ ADMIN_TOKEN: "configured-admin" }));
    expect(out.config.ADMIN_TOKEN).toBe("configured-admin");
    expect(out.config.WHATSAPP_APP_SECRET).toBe(first.config.WHATSAPP_APP_SECRET);
    expect(out.generated).toEqual([]);
    expect((await readStored(out.file)).ADMIN_TOKEN).toBe(first.config.ADMIN_TOKEN);
  });

  it("adds a secret that is missing from an existing file without changing the others", async () => {
    await writeFile(join(dataDir, "secrets.json"), JSON.stringify({ WHATSAPP_APP_SECRET: "kept-app-secret" }), { mode: 0o600 });
    const out = await fillDevSecrets(raw());
    expect(out.generated).toEqual(["WHATSAPP_VERIFY_TOKEN", "ADMIN_TOKEN"]);
    expect(out.config.WHATSAPP_APP_SECRET).toBe("kept-app-secret");
    const stored = await readStored(out.file);
    expect(stored.WHATSAPP_APP_SECRET).toBe("kept-app-secret");
    expect(stored.ADMIN_TOKEN).toBe(out.config.ADMIN_TOKEN);
  });

  it("defaults WHATSAPP_PHONE_NUMBER_ID to the sandbox number", async () => {
    expect((await fillDevSecrets(raw())).config.WHATSAPP_PHONE_NUMBER_ID).toBe(SANDBOX_PHONE_NUMBER_ID);
    const allSet = raw({
      WHATSAPP_APP_SECRET: "configured-app",
      WHATSAPP_VERIFY_TOKEN: "configured-verify",
      ADMIN_TOKEN: "configured-admin",
    });
    expect((await fillDevSecrets(allSet)).config.WHATSAPP_PHONE_NUMBER_ID).toBe(SANDBOX_PHONE_NUMBER_ID);
  });

  it("keeps a configured WHATSAPP_PHONE_NUMBER_ID", async () => {
    const out = await fillDevSecrets(raw({ WHATSAPP_PHONE_NUMBER_ID: "555000111" }));
    expect(out.config.WHATSAPP_PHONE_NUMBER_ID).toBe("555000111");
  });

  it("keeps the rest of the config untouched", async () => {
    const out = await fillDevSecrets(raw({ PORT: "4321", LOG_LEVEL: "warn" }));
    expect(out.config.PORT).toBe(4321);
    expect(out.config.LOG_LEVEL).toBe("warn");
    expect(out.config.DATA_DIR).toBe(dataDir);
  });

  it("fails with a clear error naming the file when secrets.json is not valid JSON, and leaves it alone", async () => {
    const file = join(dataDir, "secrets.json");
    await writeFile(file, "{ not json");
    await expect(fillDevSecrets(raw())).rejects.toThrow(`cannot read ${file}`);
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"secret"'],
    ["null", "null"],
  ])("refuses a secrets.json holding %s instead of overwriting it", async (_name, content) => {
    const file = join(dataDir, "secrets.json");
    await writeFile(file, content);
    await expect(fillDevSecrets(raw())).rejects.toThrow(/cannot read .*secrets\.json: expected a JSON object/);
    expect(await readFile(file, "utf8")).toBe(content);
  });
});
