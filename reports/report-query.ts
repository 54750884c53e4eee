/**
 * What a report is asked for: a range of calendar days (`from`..`to`, both included) in one IANA time zone, which
 * decides where each day starts and ends. Shared by the admin API, the CSV export and the console's reports page.
 */
import { z } from "zod";

/** Longest range one request may cover: a year, leap day included. */
export const MAX_REPORT_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2024-02-30 is refused). */
const CalendarDate = z
  .string()
  .regex(DATE, "a date written YYYY-MM-DD")
  .refine((s) => isCalendarDate(s), "not a calendar date");

/** An IANA time zone name the runtime knows ('Europe/Madrid', 'UTC'). */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "an IANA time zone such as Europe/Madrid")
  .refine((tz) => isTimeZone(tz), "unknown time zone");

export const ReportQuerySchema = z
  .object({
    from: CalendarDate.describe("First day of the range (YYYY-MM-DD), in `tz`"),
    to: CalendarDate.describe("Last day of the range (YYYY-MM-DD, included), in `tz`"),
    tz: TimeZoneSchema.default("UTC").describe("IANA time zone that decides where each day starts (default UTC)"),
    limit: z.coerce.number().int().min(1).max(100).default(10).describe("Length of the top intents and unanswered questions lists"),
  })
  .superRefine((q, ctx) => {
    if (!isCalendarDate(q.from) || !isCalendarDate(q.to)) return;
    const days = dayCount(q.from, q.to);
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "`to` is before `from`" });
    else if (days > MAX_REPORT_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: `the range is longer than ${MAX_REPORT_DAYS} days` });
  });

export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** Every day from `from` to `to`, both included, as YYYY-MM-DD. */
export function listDays(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
