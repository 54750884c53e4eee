/**
 * The markup of the console's reports page: a range form, cards for the totals, four chart slots the inline script
 * fills with uPlot, the top lists as tables and the CSV links. Everything a reader needs is in the HTML itself;
 * the charts are the only part that needs the script.
 */
import type { Summary } from "../reports/summary-schema.ts";
import { REPORTS_SCRIPT, REPORTS_STYLE } from "./console-reports-script.ts";
import { CONSOLE_STYLE } from "./console-style.ts";

const ASSETS = "/console/reports/assets";

export function ReportsLayout(props: { nonce: string; charts: boolean; children: unknown }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Switchboard reports</title>
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: CONSOLE_STYLE + REPORTS_STYLE }} />
        {props.charts ? <link rel="stylesheet" href={`${ASSETS}/uPlot.min.css`} nonce={props.nonce} /> : null}
      </head>
      <body>
        {props.children}
        {props.charts ? <script nonce={props.nonce} src={`${ASSETS}/uPlot.iife.min.js`} /> : null}
        {/* Our own constant, not user data: inlined as is. */}
        {props.charts ? <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: REPORTS_SCRIPT }} /> : null}
      </body>
    </html>
  );
}

export type RangeForm = { from: string; to: string; tz: string; error: string | null };

export function ReportsPage(props: { agentName: string; form: RangeForm; zones: string[]; summary: Summary | null; nonce: string }) {
  const { form, summary } = props;
  const query = (extra: Record<string, string>) => new URLSearchParams({ from: form.from, to: form.to, tz: form.tz, ...extra }).toString();
  return (
    <div>
      <header class="bar">
        <strong>Switchboard</strong>
        <a href="/console">Console</a>
        <span>Reports</span>
        <span>
          Signed in as <span id="me">{props.agentName}</span>
        </span>
      </header>
      <main class="reports">
        <h1>Service report</h1>
        <form class="range" method="get" action="/console/reports" aria-label="Date range">
          <label>
            From
            <input type="date" name="from" value={form.from} required />
          </label>
          <label>
            To
            <input type="date" name="to" value={form.to} required />
          </label>
          <label>
            Time zone
            <select name="tz">
              {props.zones.map((z) => (
                <option value={z} selected={z === form.tz}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary">
            Show
          </button>
          <span class="quick">
            {[7, 30, 90].map((n) => (
              <a href={`/console/reports?${new URLSearchParams({ days: String(n), tz: form.tz })}`}>Last {n} days</a>
            ))}
          </span>
          {summary ? (
            <span class="downloads">
              <a href={`/console/reports/summary.csv?${query({ section: "days" })}`}>Download CSV (per day)</a>
              <a href={`/console/reports/summary.csv?${query({ section: "unanswered", limit: "100" })}`}>Unanswered questions CSV</a>
              <a href={`/console/reports/summary.csv?${query({ section: "intents", limit: "100" })}`}>Intents CSV</a>
            </span>
          ) : null}
        </form>
        {form.error ? (
          <p role="alert" class="error">
            {form.error}
          </p>
        ) : null}
        {summary ? <ReportBody summary={summary} nonce={props.nonce} /> : null}
      </main>
    </div>
  );
}

function ReportBody(props: { summary: Summary; nonce: string }) {
  const { totals: t, topIntents, topUnanswered } = props.summary;
  // Numbers only (no customer text) and "<" escaped, so the JSON cannot close its script element.
  const chartData = JSON.stringify({ days: props.summary.days }).replaceAll("<", "\\u003c");
  return (
    <>
      <section class="cards" aria-label="Totals">
        <Card label="Conversations" value={String(t.conversations)} sub={`${t.containment.activeConversations} with customer messages`} />
        <Card label="Messages in / out" value={`${t.messages.inbound} / ${t.messages.outbound}`} />
        <Card label="Bot-resolved (containment)" value={percent(t.containment.rate)} sub={`${t.containment.botResolved} conversations`} />
        <Card label="Handoffs" value={String(t.handoffs.count)} sub={`rate ${percent(t.handoffs.rate)}`} />
        <Card
          label="First response, bot p50"
          value={duration(t.firstResponse.bot.p50Seconds)}
          sub={`p90 ${duration(t.firstResponse.bot.p90Seconds)}`}
        />
        <Card
          label="First response, human p50"
          value={duration(t.firstResponse.human.p50Seconds)}
          sub={`p90 ${duration(t.firstResponse.human.p90Seconds)}`}
        />
        <Card label="Resolution p50" value={duration(t.humanResolution.p50Seconds)} sub={`p90 ${duration(t.humanResolution.p90Seconds)}`} />
        <Card
          label="CSAT"
          value={t.csat.average === null ? "—" : t.csat.average.toFixed(2)}
          sub={`${t.csat.answered} of ${t.csat.requested} answered (${percent(t.csat.responseRate)})`}
        />
      </section>
      <section class="charts" aria-label="Charts">
        <div id="chart-volume" class="chart" />
        <div id="chart-containment" class="chart" />
        <div id="chart-response" class="chart" />
        <div id="chart-csat" class="chart" />
      </section>
      <div class="tables">
        <section aria-label="Top intents">
          <h2>Top intents</h2>
          {topIntents.length === 0 ? <p class="note">No intents recorded in this range.</p> : null}
          <table>
            <tbody>
              {topIntents.map((i) => (
                <tr>
                  <td>{i.intent.replaceAll("_", " ")}</td>
                  <td class="num">{i.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="Top unanswered questions">
          <h2>Top unanswered questions</h2>
          <p class="note">Questions the bot had no grounded answer for: candidates for the help center.</p>
          <table>
            <thead>
              <tr>
                <th>Question (latest wording)</th>
                <th class="num">Asked</th>
                <th>Last asked</th>
              </tr>
            </thead>
            <tbody>
              {topUnanswered.map((q) => (
                <tr>
                  <td>{q.example}</td>
                  <td class="num">{q.count}</td>
                  <td>{q.lastSeenAt.slice(0, 16).replace("T", " ")} UTC</td>
                </tr>
              ))}
            </tbody>
          </table>
          {topUnanswered.length === 0 ? <p class="note">None in this range.</p> : null}
        </section>
      </div>
      <script type="application/json" id="report-data" nonce={props.nonce} dangerouslySetInnerHTML={{ __html: chartData }} />
    </>
  );
}

function Card(props: { label: string; value: string; sub?: string }) {
  return (
    <div class="card">
      <span class="label">{props.label}</span>
      <span class="value">{props.value}</span>
      {props.sub ? <span class="sub">{props.sub}</span> : null}
    </div>
  );
}

function percent(rate: number | null): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(1)} %`;
}

/** 45 s, 12 min, 3.5 h: the unit a support lead reads at a glance. */
export function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
