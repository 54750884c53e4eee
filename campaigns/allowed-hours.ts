/**
 * Allowed sending hours in the customer's own time zone: business-initiated messages go out between `start` and
 * `end` local time (e.g. 09:00-20:00) and wait otherwise. A window whose end is before its start runs overnight
 * (22:00-02:00); equal ends mean any time. Pure functions over an injected clock, so tests probe zones and DST.
 */
import { z } from "zod";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a local time HH:MM");

export const AllowedHoursSchema = z.object({ start: HHMM, end: HHMM }).strict();
export type AllowedHours = z.infer<typeof AllowedHoursSchema>;

export const DEFAULT_ALLOWED_HOURS: AllowedHours = { start: "09:00", end: "20:00" };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(zone, f);
  }
  return f;
}

/** True for an IANA zone name the runtime knows ('Europe/Madrid', 'UTC'). */
export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The first usable zone of the candidates, else UTC (a bad stored zone must not stop a campaign). */
export function pickTimeZone(...candidates: (string | null | undefined)[]): string {
  return candidates.find((z): z is string => typeof z === "string" && isValidTimeZone(z)) ?? "UTC";
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Minutes since local midnight at `at` in `zone`. */
export function localMinutes(at: Date, zone: string): number {
  const parts = formatterFor(zone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

/** Whether `at` falls inside the allowed hours in `zone`. */
export function isWithinHours(at: Date, zone: string, hours: AllowedHours): boolean {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return true;
  const now = localMinutes(at, zone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * When sending is next allowed: `now` itself inside the hours, else the next moment the local clock reads `start`.
 * The first guess assumes a fixed UTC offset; a few corrections absorb a DST change in between.
 */
export function nextAllowedAt(now: Date, zone: string, hours: AllowedHours): Date {
  if (isWithinHours(now, zone, hours)) return now;
  const start = minutesOf(hours.start);
  const wholeMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  let candidate = wholeMinute + ((start - localMinutes(now, zone) + 1440) % 1440) * 60_000;
  for (let i = 0; i < 3; i++) {
    const off = start - localMinutes(new Date(candidate), zone);
    if (off === 0) break;
    // The shortest correction (a DST jump is an hour or so, never half a day).
    candidate += (((off + 2160) % 1440) - 720) * 60_000;
  }
  // A start time skipped by a DST jump (02:30 on a spring-forward night) lands just after it; never in the past.
  return new Date(Math.max(candidate, now.getTime() + 1000));
}
