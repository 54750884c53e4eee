/**
 * The console's reports page: who may see it (admins of the tenant, by session cookie), that the HTML carries the
 * figures of the hand-counted history in reports/testing.ts, the CSV download and the chart library's assets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_TIME_ZONE, seedReportHistory } from "../reports/testing.ts";
import { createTenant, DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
let adminCookie: string;
let agentCookie: string;
const RANGE = `from=2024-01-10&to=2024-01-12&tz=${encodeURIComponent(REPORT_TIME_ZONE)}`;

async function signIn(role: "admin" | "agent", tenant = DEFAULT_TENANT_ID): Promise<string> {
  const created = await h.admin("/admin/agents", {
    method: "POST",
    headers: { "content-type": "application/json", "x-tenant-id": tenant },
    body: JSON.stringify({ name: role === "admin" ? "Marta Admin" : "Pablo Agent", role }),
  });
  expect(created.status).toBe(201);
  const { token } = await created.json();
  const login = await h.app.request("/agent/login", {
    method: "POST",
    body: JSON.stringify({ token }),
    headers: { "content-type": "application/json" },
  });
  expect(login.status).toBe(200);
  return (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

const page = (path: string, cookie?: string) => h.app.request(path, cookie ? { headers: { cookie } } : {});

beforeAll(async () => {
  h = await startHarness();
  await seedReportHistory(h.db.pool, DEFAULT_TENANT_ID);
  adminCookie = await signIn("admin");
  agentCookie = await signIn("agent");
});
afterAll(async () => h?.close());

describe("/console/reports", () => {
  it("renders the totals, the chart data and the top lists for an admin", async () => {
    const res = await page(`/console/reports?${RANGE}`, adminCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    const html = await res.text();
    // Cards (see server/reports.routes.test.ts for how each number comes from the story).
    expect(html).toMatch(/Conversations<\/span><span class="value">7<\/span>/);
    expect(html).toMatch(/Messages in \/ out<\/span><span class="value">11 \/ 13<\/span>/);
    expect(html).toMatch(/Bot-resolved \(containment\)<\/span><span class="value">50.0 %<\/span>/);
    // Bot first response p50 25 s, p90 312 s = 5 min; CSAT 4 with 1 of 2 answered.
    expect(html).toMatch(/First response, bot p50<\/span><span class="value">25 s<\/span><span class="sub">p90 5 min<\/span>/);
    expect(html).toMatch(/CSAT<\/span><span class="value">4.00<\/span><span class="sub">1 of 2 answered \(50.0 %\)<\/span>/);
    // Tables: the unanswered question in its latest wording, and the intents.
    expect(html).toContain('<td>can i pay with  paypal??</td><td class="num">2</td>');
    expect(html).toContain("<td>opening hours</td>");
    // Chart data: one entry per day, numbers only.
    const json = /<script type="application\/json" id="report-data"[^>]*>(.*?)<\/script>/s.exec(html)?.[1] as string;
    const data = JSON.parse(json);
    expect(data.days.map((d: { date: string; conversations: number }) => [d.date, d.conversations])).toEqual([
      ["2024-01-10", 2],
      ["2024-01-11", 2],
      ["2024-01-12", 3],
    ]);
    expect(json).not.toContain("paypal");
    expect(html).toContain('src="/console/reports/assets/uPlot.iife.min.js"');
    expect(html).toContain(`/console/reports/summary.csv?${RANGE.replaceAll("&", "&amp;")}&amp;section=days`);
  });

  it("escapes customer text in the tables", async () => {
    await createTenant(h.db.pool, "xss", "XSS tenant");
    await seedReportHistory(h.db.pool, "xss", [
      {
        name: "Mallory",
        messages: [{ key: "x1", at: "d11 09:00:00", dir: "in", text: "<script>alert(1)</script></script>" }],
        turns: [{ at: "d11 09:00:01", messages: ["x1"], decision: "no_answer", intent: "x" }],
      },
    ]);
    const html = await (await page(`/console/reports?${RANGE}`, await signIn("admin", "xss"))).text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
  });

  it("defaults to the last 30 days and re-renders the form on a bad range", async () => {
    const res = await page("/console/reports", adminCookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="from"');
    expect(html).toMatch(/<option value="UTC" selected="">UTC<\/option>/);
    const bad = await page("/console/reports?from=2024-01-12&to=2024-01-10", adminCookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("is before");
    expect((await page("/console/reports?from=2024-01-10&to=2024-01-12&tz=Nowhere/City", adminCookie)).status).toBe(400);
  });

  it("sends plain agents a 403 and strangers to the sign-in page", async () => {
    const forbidden = await page(`/console/reports?${RANGE}`, agentCookie);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).not.toContain("can i pay");
    const stranger = await page(`/console/reports?${RANGE}`);
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get("location")).toBe("/console");
    expect((await page(`/console/reports?${RANGE}`, "sb_agent_session=not-a-session")).status).toBe(302);
  });

  it("links to the reports from the console for admins only", async () => {
    expect(await (await page("/console", adminCookie)).text()).toContain('href="/console/reports"');
    expect(await (await page("/console", agentCookie)).text()).not.toContain('href="/console/reports"');
  });
});

describe("/console/reports/summary.csv and assets", () => {
  it("downloads the per-day CSV for admins, 403 for agents, 401 without a session", async () => {
    const res = await page(`/console/reports/summary.csv?${RANGE}`, adminCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines.map((l) => l.split(",")[0])).toEqual(["date", "2024-01-10", "2024-01-11", "2024-01-12"]);
    expect((await page(`/console/reports/summary.csv?${RANGE}&section=unanswered`, adminCookie)).status).toBe(200);
    expect((await page(`/console/reports/summary.csv?${RANGE}`, agentCookie)).status).toBe(403);
    expect((await page(`/console/reports/summary.csv?${RANGE}`)).status).toBe(401);
    const bad = await page("/console/reports/summary.csv?from=2024-13-01&to=2024-01-12", adminCookie);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    expect((await page(`/console/reports/summary.csv?${RANGE}&section=nope`, adminCookie)).status).toBe(400);
  });

  it("serves uPlot from our own origin, nothing else from node_modules", async () => {
    const js = await page("/console/reports/assets/uPlot.iife.min.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain("uPlot");
    const css = await page("/console/reports/assets/uPlot.min.css");
    expect(css.status).toBe(200);
    expect(await css.text()).toContain(".uplot");
    for (const file of ["uPlot.cjs.js", "..%2F..%2Fpackage.json", "package.json"]) {
      expect((await page(`/console/reports/assets/${file}`)).status).toBe(404);
    }
  });
});
