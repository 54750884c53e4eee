/**
 * The reports page in a real headless browser (Debian's chromium via playwright-core): an admin signs in to the
 * console, follows the Reports link, picks the range of the hand-counted history (reports/testing.ts), sees the
 * cards, the four uPlot charts drawn (served from our origin under the page's CSP, with no errors in the console)
 * and the unanswered questions, and downloads the CSV. A screenshot is saved under test-artifacts/.
 * Skipped (with a message) on a machine without chromium, an error under CI (server/browser-testing.ts).
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReportHistory } from "../reports/testing.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";
import { hasChromium, launchChromium, type ServedApp, serveApp } from "./browser-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

const available = hasChromium("reports e2e");

const WAIT = { timeout: 20_000 };

describe.skipIf(!available)("console reports end to end (headless chromium)", () => {
  let h: TestHarness;
  let served: ServedApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness();
    await seedReportHistory(h.db.pool, DEFAULT_TENANT_ID);
    served = await serveApp(h);
    base = served.base;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await h?.close();
  });

  it("sign in, open the reports, pick the range, see the charts and tables, download the CSV", async () => {
    const created = await h.admin("/admin/agents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Marta", role: "admin" }),
    });
    const { token } = (await created.json()) as { token: string };

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const problems: string[] = [];
    // CSP violations and script errors show up here; a missing resource is reported with its URL below.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${base}/console`);
    await page.getByLabel("Your agent token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { name: "Service report" }).waitFor(WAIT);

    await page.getByLabel("From", { exact: true }).fill("2024-01-10");
    await page.getByLabel("To", { exact: true }).fill("2024-01-12");
    await page.locator("select[name='tz']").selectOption("Europe/Madrid");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=2024-01-10/, WAIT);

    for (const id of ["chart-volume", "chart-containment", "chart-response", "chart-csat"]) {
      await page.locator(`#${id}[data-ready='true'] canvas`).waitFor(WAIT);
    }
    await page.getByText("Time to first response").waitFor(WAIT);
    const card = (label: string) => page.locator(".card", { has: page.locator(".label", { hasText: label }) }).locator(".value");
    expect(await card("Conversations").textContent()).toBe("7");
    expect(await card("Bot-resolved").textContent()).toBe("50.0 %");
    await page.getByRole("cell", { name: "can i pay with paypal??" }).waitFor(WAIT);

    await mkdir("test-artifacts", { recursive: true });
    await page.screenshot({ path: "test-artifacts/reports.png", fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV (per day)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("switchboard-days-2024-01-10-2024-01-12.csv");
    const csv = await readFile((await download.path()) as string, "utf8");
    expect(csv.split("\r\n")[1]).toMatch(/^2024-01-10,2,2,3,/);
    expect(problems).toEqual([]);
  });
});
