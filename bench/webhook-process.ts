/**
 * Starts `webhook-target.ts` in a child process (its own event loop and core), waits for the port it prints, and
 * stops it with SIGTERM so it closes its database (and drops the per-run PostgreSQL database).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { VerifyResult } from "./webhook-target.ts";

export type TargetEnv = { BENCH_MODE: "bare" | "webhook"; BENCH_DB: "pg" | "embedded" };

export type Target = {
  port: number;
  /** Waits for pending commits, then counts stored rows and the acknowledged ids that were not stored. */
  verify(wamids: string[]): Promise<VerifyResult>;
  stop(): Promise<void>;
};

const TARGET = fileURLToPath(new URL("./webhook-target.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export async function startTarget(env: TargetEnv, databaseUrl: string): Promise<Target> {
  const profile =
    process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", "--cpu-prof-dir", fileURLToPath(new URL("./out/prof", import.meta.url))] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", TARGET], {
    cwd: ROOT,
    env: { LOG_LEVEL: "warn", ...process.env, ...env, DATABASE_URL: databaseUrl },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await readPort(child);
  return {
    port,
    async verify(wamids) {
      const res = await fetch(`http://127.0.0.1:${port}/bench/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(wamids),
        signal: AbortSignal.timeout(60_000),
      });
      if (!res.ok) throw new Error(`verify failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as VerifyResult;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("benchmark target did not start in time"));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`benchmark target exited with code ${code} before it was ready`));
    });
    let ready = false;
    // The target's logs share stdout: keep draining them (so the pipe never blocks it) and pick out the ready line.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const port = ready ? undefined : readyPort(line);
      if (port === undefined) return void process.stderr.write(`[target] ${line}\n`);
      ready = true;
      clearTimeout(timer);
      resolve(port);
    });
  });
}

function readyPort(line: string): number | undefined {
  if (!line.startsWith('{"benchTargetPort":')) return undefined;
  return (JSON.parse(line) as { benchTargetPort: number }).benchTargetPort;
}
