import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_SECRETS, parseConfig, type RawConfig } from "./env.ts";

const PROD_SECRETS = {
  WHATSAPP_APP_SECRET: "app-secret-123456",
  WHATSAPP_VERIFY_TOKEN: "verify-token-123456",
  ADMIN_TOKEN: "admin-token-123456",
  WHATSAPP_ACCESS_TOKEN: "EAAG-access-token",
  WHATSAPP_PHONE_NUMBER_ID: "123456789012345",
};

function ok(env: Record<string, string | undefined>): RawConfig {
  const r = parseConfig(env);
  if (!r.ok) throw new Error(`expected a valid config, got: ${r.errors.join("; ")}`);
  return r.config;
}

function errors(env: Record<string, string | undefined>): string[] {
  const r = parseConfig(env);
  if (r.ok) throw new Error(`expected an invalid config for ${JSON.stringify(env)}`);
  return r.errors;
}

describe("parseConfig defaults", () => {
  it("fills defaults for an empty environment", () => {
    const c = ok({});
    expect(c.PORT).toBe(3000);
    expect(c.DATA_DIR).toBe("./data");
    expect(c.WHATSAPP_API_VERSION).toBe("v23.0");
    expect(c.LOG_LEVEL).toBe("info");
    expect(c.NODE_ENV).toBe("development");
    expect(c.HOST).toBe("127.0.0.1");
    expect(c.DATABASE_URL).toBeUndefined();
    for (const k of GENERATED_SECRETS) expect(c[k]).toBeUndefined();
  });

  it("reads explicit values and coerces numbers", () => {
    const c = ok({ PORT: "8080", LOG_LEVEL: "debug", DATA_DIR: "/var/lib/sb", DATABASE_URL: "postgresql://u:p@h/db" });
    expect(c.PORT).toBe(8080);
    expect(c.LOG_LEVEL).toBe("debug");
    expect(c.DATA_DIR).toBe("/var/lib/sb");
    expect(c.DATABASE_URL).toBe("postgresql://u:p@h/db");
  });

  it("accepts postgres:// as well as postgresql://", () => {
    expect(ok({ DATABASE_URL: "postgres://localhost/x" }).DATABASE_URL).toBe("postgres://localhost/x");
  });

  it("ignores unrelated variables (like the rest of process.env)", () => {
    expect(ok({ PATH: "/usr/bin", HOME: "/root", TERM: "" }).PORT).toBe(3000);
  });
});

describe("parseConfig treats empty strings as unset", () => {
  it.each([
    ["PORT", "PORT", 3000],
    ["LOG_LEVEL", "LOG_LEVEL", "info"],
    ["DATA_DIR", "DATA_DIR", "./data"],
    ["WHATSAPP_API_VERSION", "WHATSAPP_API_VERSION", "v23.0"],
    ["NODE_ENV", "NODE_ENV", "development"],
    ["DB_POOL_SIZE", "DB_POOL_SIZE", 10],
  ] as const)("%s= falls back to the default", (_n, key, expected) => {
    expect(ok({ [key]: "" })[key]).toBe(expected);
    expect(ok({ [key]: "   " })[key]).toBe(expected);
  });

  it.each(["DATABASE_URL", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_ACCESS_TOKEN", ...GENERATED_SECRETS] as const)(
    "%s= is undefined, not an invalid value",
    (key) => {
      expect(ok({ [key]: "" })[key]).toBeUndefined();
    },
  );

  it("counts empty secrets as missing in production", () => {
    const errs = errors({ ...PROD_SECRETS, NODE_ENV: "production", ADMIN_TOKEN: "" });
    expect(errs).toEqual(["ADMIN_TOKEN: required when NODE_ENV=production"]);
  });
});

describe("parseConfig rejects invalid values with readable errors naming the variable", () => {
  it.each([
    ["PORT", "notaport"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
    ["LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://user:pw@localhost/db"],
    ["DATABASE_URL", "localhost:5432"],
    ["WHATSAPP_PHONE_NUMBER_ID", "12ab34"],
    ["WHATSAPP_PHONE_NUMBER_ID", "+16505551234"],
    ["WHATSAPP_APP_SECRET", "short"],
    ["WHATSAPP_VERIFY_TOKEN", "1234567"],
    ["ADMIN_TOKEN", "abc"],
    ["NODE_ENV", "staging"],
    ["WHATSAPP_API_VERSION", "23"],
  ])("%s=%s", (key, value) => {
    const errs = errors({ [key]: value });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^${key}: \\S`));
  });

  it("says what a DATABASE_URL must look like", () => {
    expect(errors({ DATABASE_URL: "mysql://x/y" })).toEqual(["DATABASE_URL: must be a postgres:// or postgresql:// URL"]);
  });

  it("says secrets must be at least 8 characters", () => {
    expect(errors({ ADMIN_TOKEN: "short" })).toEqual(["ADMIN_TOKEN: must be at least 8 characters"]);
  });

  it("says the phone number id must be digits", () => {
    expect(errors({ WHATSAPP_PHONE_NUMBER_ID: "abc" })).toEqual(["WHATSAPP_PHONE_NUMBER_ID: must be digits"]);
  });

  it("refuses a chunk overlap that is not smaller than the chunk size, and sizes out of range", () => {
    expect(errors({ KB_CHUNK_MAX_TOKENS: "100", KB_CHUNK_OVERLAP_TOKENS: "100" })).toEqual([
      "KB_CHUNK_OVERLAP_TOKENS: must be smaller than KB_CHUNK_MAX_TOKENS",
    ]);
    expect(errors({ KB_CHUNK_MAX_TOKENS: "10" })[0]).toMatch(/^KB_CHUNK_MAX_TOKENS: /);
    expect(parseConfig({ KB_CHUNK_MAX_TOKENS: "400", KB_CHUNK_OVERLAP_TOKENS: "60" }).ok).toBe(true);
  });

  it("lists the allowed log levels", () => {
    const [err] = errors({ LOG_LEVEL: "loud" });
    expect(err).toMatch(/^LOG_LEVEL:/);
    for (const level of ["fatal", "error", "warn", "info", "debug", "trace", "silent"]) expect(err).toContain(level);
  });

  it("reports every invalid variable at once", () => {
    const errs = errors({ PORT: "x", LOG_LEVEL: "loud", ADMIN_TOKEN: "short" });
    expect(errs.map((e) => e.split(":")[0]).sort()).toEqual(["ADMIN_TOKEN", "LOG_LEVEL", "PORT"]);
  });

  it("accepts a secret of exactly 8 characters", () => {
    expect(ok({ ADMIN_TOKEN: "12345678" }).ADMIN_TOKEN).toBe("12345678");
  });
});

describe("parseConfig in production", () => {
  it("lists each missing secret", () => {
    expect(errors({ NODE_ENV: "production" })).toEqual([
      "WHATSAPP_APP_SECRET: required when NODE_ENV=production",
      "WHATSAPP_VERIFY_TOKEN: required when NODE_ENV=production",
      "ADMIN_TOKEN: required when NODE_ENV=production",
      "WHATSAPP_ACCESS_TOKEN: required when NODE_ENV=production",
      "WHATSAPP_PHONE_NUMBER_ID: required when NODE_ENV=production",
    ]);
  });

  it.each(Object.keys(PROD_SECRETS))("names %s alone when only it is missing", (key) => {
    const env: Record<string, string | undefined> = { ...PROD_SECRETS, NODE_ENV: "production" };
    delete env[key];
    expect(errors(env)).toEqual([`${key}: required when NODE_ENV=production`]);
  });

  it("is ok with every secret set", () => {
    const c = ok({ ...PROD_SECRETS, NODE_ENV: "production" });
    expect(c.NODE_ENV).toBe("production");
    expect(c.ADMIN_TOKEN).toBe(PROD_SECRETS.ADMIN_TOKEN);
    expect(c.WHATSAPP_PHONE_NUMBER_ID).toBe(PROD_SECRETS.WHATSAPP_PHONE_NUMBER_ID);
  });

  it("does not require secrets outside production", () => {
    expect(ok({ NODE_ENV: "test" }).NODE_ENV).toBe("test");
    expect(ok({ NODE_ENV: "development" }).NODE_ENV).toBe("development");
  });
});

describe("server/main.ts with an invalid environment", () => {
  const ROOT = fileURLToPath(new URL("../", import.meta.url));
  const MAIN = join(ROOT, "server/main.ts");
  const TSX = import.meta.resolve("tsx");
  let dataDir: string;
  let cwd: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "sb-env-data-"));
    // Run from an empty directory so a developer's .env in the repo cannot change the outcome.
    cwd = await mkdtemp(join(tmpdir(), "sb-env-cwd-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(cwd, { recursive: true, force: true });
  });

  function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", TSX, MAIN], {
        cwd,
        // A clean environment: nothing inherited from the test runner (NODE_ENV=test, DATABASE_URL, ...).
        env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`server/main.ts did not exit within 20s; stderr: ${stderr}`));
      }, 20_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it("exits 1 naming PORT when PORT is not a number, before touching DATA_DIR", async () => {
    const r = await run({ PORT: "notaport" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Invalid configuration");
    expect(r.stderr).toMatch(/- PORT: /);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("exits 1 listing every missing secret in production, before touching DATA_DIR", async () => {
    const r = await run({ NODE_ENV: "production" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Invalid configuration");
    for (const key of [
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_VERIFY_TOKEN",
      "ADMIN_TOKEN",
      "WHATSAPP_ACCESS_TOKEN",
      "WHATSAPP_PHONE_NUMBER_ID",
    ]) {
      expect(r.stderr).toContain(`- ${key}: required when NODE_ENV=production`);
    }
    expect(await readdir(dataDir)).toEqual([]);
  });
});
