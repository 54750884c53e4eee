/**
 * `GET /admin/reports/summary` (JSON) and `GET /admin/reports/summary.csv`: the tenant's service figures for a range
 * of days, as a total and per day. The SQL and the definitions live in reports/.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type pg from "pg";
import { ReportQuerySchema } from "../reports/report-query.ts";
import { readSummary } from "../reports/summary.ts";
import { CSV_SECTIONS, csvFileName, renderSummaryCsv } from "../reports/summary-csv.ts";
import { SummarySchema } from "../reports/summary-schema.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

const DEFINITIONS = `Days are calendar days in \`tz\` (default UTC); \`from\` and \`to\` are both included, at most 366 days.
\`totals\` treats the whole range as one period (a conversation active on several days counts once).

- **conversations**: conversations with any message that day; **messages**: inbound, and outbound queued that day.
- **containment**: *active* conversations have an inbound message that day; *bot-resolved* ones are active and had no
  handoff created that day; rate = bot-resolved / active. **handoffs**: created that day, by reason; rate = active
  conversations with a handoff created that day / active (= 1 − containment).
- **first response**: an inbound message whose previous message (counting only inbound messages and replies) is not
  inbound starts a run; its time to first response is until the next reply. Replies from the bot are source
  \`agent\`/\`agent_handoff\`, from a person \`agent:<id>\` (the CSAT question and failed sends are not replies). A run
  belongs to the day it started; p50/p90 are \`percentile_cont\`; \`unanswered\` counts runs with no reply yet.
- **human resolution**: handoff created → resolved, p50/p90, on the day it was resolved.
- **csat**: questions sent that day, how many were answered (at any time), their mean score; rate = answered / requested.
- **top intents**: \`agent_turns.intent\` of the range's turns (stale turns excluded).
- **top unanswered questions**: inbound texts of turns that ended in \`no_answer\`, each message once, lower-cased with
  spaces collapsed and edge punctuation trimmed, grouped, with the latest wording and when it was last seen. Erased
  customers' messages have no text and are left out.`;

const summaryRoute = createRoute({
  method: "get",
  path: "/reports/summary",
  security: [{ bearer: [] }],
  description: DEFINITIONS,
  request: { headers: TenantHeader, query: ReportQuerySchema },
  responses: {
    200: { description: "The summary", content: { "application/json": { schema: SummarySchema } } },
    400: {
      description: "Bad dates, `to` before `from`, range too long, or unknown time zone",
      content: { "application/json": { schema: ErrorSchema } },
    },
    401: { description: "Missing or wrong admin token", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const csvRoute = createRoute({
  method: "get",
  path: "/reports/summary.csv",
  security: [{ bearer: [] }],
  description:
    "The summary as CSV. `section=days` (default): one row per day with every figure of GET /admin/reports/summary; " +
    "`section=intents` or `section=unanswered`: the top lists (use `limit` up to 100). Cells that a spreadsheet would " +
    "read as a formula are prefixed with a quote.",
  request: {
    headers: TenantHeader,
    query: ReportQuerySchema.safeExtend({ section: z.enum(CSV_SECTIONS).default("days") }),
  },
  responses: {
    200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string() } } },
    400: { description: "Invalid parameters", content: { "application/json": { schema: ErrorSchema } } },
    401: { description: "Missing or wrong admin token", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function reportRoutes(deps: { pool: pg.Pool }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(summaryRoute, async (c) => {
    const summary = await readSummary(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("query"));
    return c.json(summary, 200);
  });
  app.openapi(csvRoute, async (c) => {
    const { section, ...query } = c.req.valid("query");
    const summary = await readSummary(deps.pool, tenantOf(c.req.valid("header")), query);
    return sendCsv(c, renderSummaryCsv(summary, section), csvFileName(summary, section));
  });
  return app;
}

/** A CSV download (also used by the console's reports page). */
export function sendCsv(c: Context, csv: string, fileName: string) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${fileName}"`);
  c.header("Cache-Control", "no-store");
  return c.body(csv, 200);
}
