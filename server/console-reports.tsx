/**
 * `/console/reports`: the service report in the agent console, for admins (plain agents get 403). Same session as
 * the console (cookie, or an agent token as bearer), same figures as GET /admin/reports/summary for the agent's own
 * tenant, a CSV download, and uPlot served from our origin (no CDN, the CSP stays `'self'` plus a nonce).
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type pg from "pg";
import { z } from "zod";
import type { Agent } from "../handoff/agent-store.ts";
import { AppError } from "../lib/errors.ts";
import { ReportQuerySchema } from "../reports/report-query.ts";
import { readSummary } from "../reports/summary.ts";
import { CSV_SECTIONS, csvFileName, renderSummaryCsv } from "../reports/summary-csv.ts";
import type { Summary } from "../reports/summary-schema.ts";
import { readAgent, SESSION_COOKIE } from "./agent-session.ts";
import type { AppEnv } from "./app-env.ts";
import { type RangeForm, ReportsLayout, ReportsPage } from "./console-reports-page.tsx";
import { sendCsv } from "./reports.routes.ts";

const ASSET_FILES = {
  "uPlot.iife.min.js": "text/javascript; charset=utf-8",
  "uPlot.min.css": "text/css; charset=utf-8",
} as const;

const CsvQuerySchema = ReportQuerySchema.safeExtend({ section: z.enum(CSV_SECTIONS).default("days") });

export function consoleReportRoutes(deps: { pool: pg.Pool }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const assets = new Map<string, Promise<string>>();
  const require = createRequire(import.meta.url);

  const signedIn = (c: Context<AppEnv>) => readAgent(deps.pool, c.req.header("authorization"), getCookie(c, SESSION_COOKIE));

  app.get("/", async (c) => {
    const nonce = randomBytes(16).toString("base64");
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    c.header("Cache-Control", "no-store");
    const agent = await signedIn(c);
    if (!agent) return c.redirect("/console");
    if (agent.role !== "admin") {
      return html(c, 403, nonce, false, <p class="forbidden">Reports are for admins. Ask an admin of your team for access.</p>);
    }
    const { form, query } = readRange(c.req.query());
    const summary: Summary | null = query ? await readSummary(deps.pool, agent.tenantId, query) : null;
    const zones = Intl.supportedValuesOf("timeZone");
    if (!zones.includes(form.tz)) zones.unshift(form.tz);
    const page = <ReportsPage agentName={agent.name} form={form} zones={zones} summary={summary} nonce={nonce} />;
    return html(c, form.error ? 400 : 200, nonce, summary !== null, page);
  });

  app.get("/summary.csv", async (c) => {
    const agent = requireAdmin(await signedIn(c));
    const parsed = CsvQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw new AppError("bad_request", "invalid report query", { userMessage: issuesOf(parsed.error) });
    const { section, ...query } = parsed.data;
    const summary = await readSummary(deps.pool, agent.tenantId, query);
    return sendCsv(c, renderSummaryCsv(summary, section), csvFileName(summary, section));
  });

  app.get("/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (!Object.hasOwn(ASSET_FILES, file)) throw new AppError("not_found", `no asset ${file}`);
    let body = assets.get(file);
    if (!body) {
      body = readFile(require.resolve(`uplot/dist/${file}`), "utf8");
      assets.set(file, body);
    }
    c.header("Content-Type", ASSET_FILES[file as keyof typeof ASSET_FILES]);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(await body, 200);
  });
  return app;
}

function requireAdmin(agent: Agent | undefined): Agent {
  if (!agent) throw new AppError("unauthorized", "missing or invalid agent token or session");
  if (agent.role !== "admin")
    throw new AppError("forbidden", `agent ${agent.id} is not an admin`, { userMessage: "Reports are for admins." });
  return agent;
}

/**
 * The range asked for: `from`/`to`/`tz`, or `days=N` ending today in `tz`; the last 30 days when nothing is given.
 * An invalid range re-renders the form with the error instead of a JSON 400.
 */
function readRange(params: Record<string, string>): { form: RangeForm; query: z.infer<typeof ReportQuerySchema> | null } {
  const tz = params.tz ?? "UTC";
  let { from, to } = params;
  if (!from && !to) {
    const days = Math.min(366, Math.max(1, Number.parseInt(params.days ?? "30", 10) || 30));
    to = todayIn(tz);
    from = to ? new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10) : undefined;
  }
  const parsed = ReportQuerySchema.safeParse({ from, to, tz });
  const form = { from: from ?? "", to: to ?? "", tz, error: parsed.success ? null : issuesOf(parsed.error) };
  return { form, query: parsed.success ? parsed.data : null };
}

function todayIn(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return undefined;
  }
}

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "query"}: ${i.message}`)
    .join("; ");
}

function html(c: Context<AppEnv>, status: 200 | 400 | 403, nonce: string, charts: boolean, body: unknown) {
  const page = (
    <ReportsLayout nonce={nonce} charts={charts}>
      {body}
    </ReportsLayout>
  );
  return c.html(`<!doctype html>${page.toString()}`, status);
}
