/**
 * Test kit for the console's end-to-end tests: the app served over real HTTP on an ephemeral port, and Debian's
 * chromium driven by playwright-core. A developer without chromium sees those tests skipped with a message; under
 * CI (`CI` set, as .ci/run does) a missing browser is an error, so the browser tests can never silently not run.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Browser } from "playwright-core";
import type { TestHarness } from "./testing.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether the browser tests can run here; throws under CI when they cannot. */
export function hasChromium(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${suite}: ${why}; CI must run the browser tests`);
  console.warn(`${suite} skipped: ${why}`);
  return false;
}

export type ServedApp = { base: string; close(): Promise<void> };

/** Serves the harness's app on 127.0.0.1 at an ephemeral port. */
export async function serveApp(h: TestHarness): Promise<ServedApp> {
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      // SSE streams stay open until their connection goes: close them so the server can stop.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headless chromium with what a sandboxed CI container needs and nothing that talks to the network. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
