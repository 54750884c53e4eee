/**
 * CSV exports of a summary (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed). Three sections:
 * `days` (one row per day), `intents` and `unanswered` (the top lists). Customer texts reach spreadsheets here, so a
 * cell that a spreadsheet would read as a formula (starting with = + - @, tab or CR) is prefixed with a quote.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
import { HANDOFF_REASONS } from "../handoff/handoff-store.ts";
import type { Summary } from "./summary-schema.ts";

export const CSV_SECTIONS = ["days", "intents", "unanswered"] as const;
export type CsvSection = (typeof CSV_SECTIONS)[number];

type Cell = string | number | null;

/** The section as CSV text, header row first. */
export function renderSummaryCsv(summary: Summary, section: CsvSection): string {
  switch (section) {
    case "days":
      return toCsv(DAY_COLUMNS, summary.days.map(dayRow));
    case "intents":
      return toCsv(
        ["intent", "count"],
        summary.topIntents.map((i) => [i.intent, i.count]),
      );
    case "unanswered":
      return toCsv(
        ["question", "example", "count", "last_seen_at"],
        summary.topUnanswered.map((q) => [q.question, q.example, q.count, q.lastSeenAt]),
      );
  }
}

/** A download name that says what and when: `switchboard-days-2024-03-01-2024-03-31.csv`. */
export function csvFileName(summary: Summary, section: CsvSection): string {
  return `switchboard-${section}-${summary.from}-${summary.to}.csv`;
}

const DAY_COLUMNS = [
  "date",
  "conversations",
  "inbound_messages",
  "outbound_messages",
  "active_conversations",
  "bot_resolved",
  "containment_rate",
  "handoffs",
  "handed_off_conversations",
  "handoff_rate",
  ...HANDOFF_REASONS.map((r) => `handoffs_${r}`),
  "first_response_bot_count",
  "first_response_bot_p50_s",
  "first_response_bot_p90_s",
  "first_response_human_count",
  "first_response_human_p50_s",
  "first_response_human_p90_s",
  "unanswered_runs",
  "resolution_count",
  "resolution_p50_s",
  "resolution_p90_s",
  "csat_requested",
  "csat_answered",
  "csat_response_rate",
  "csat_average",
];

function dayRow(d: Summary["days"][number]): Cell[] {
  const f = d.firstResponse;
  return [
    d.date,
    d.conversations,
    d.messages.inbound,
    d.messages.outbound,
    d.containment.activeConversations,
    d.containment.botResolved,
    d.containment.rate,
    d.handoffs.count,
    d.handoffs.conversations,
    d.handoffs.rate,
    ...HANDOFF_REASONS.map((r) => d.handoffs.byReason[r] ?? 0),
    f.bot.count,
    f.bot.p50Seconds,
    f.bot.p90Seconds,
    f.human.count,
    f.human.p50Seconds,
    f.human.p90Seconds,
    f.unanswered,
    d.humanResolution.count,
    d.humanResolution.p50Seconds,
    d.humanResolution.p90Seconds,
    d.csat.requested,
    d.csat.answered,
    d.csat.responseRate,
    d.csat.average,
  ];
}

function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** One field: empty for null, formula-looking text defused, quoted when it holds a quote, comma or line break. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
