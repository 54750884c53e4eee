import { describe, expect, it } from "vitest";
import { isValidTimeZone, isWithinHours, localMinutes, nextAllowedAt, pickTimeZone } from "./allowed-hours.ts";

const DAY = { start: "09:00", end: "20:00" };
const at = (iso: string) => new Date(iso);

describe("allowed hours", () => {
  it("reads the local clock of each zone", () => {
    const t = at("2025-06-02T12:00:00Z");
    expect(localMinutes(t, "UTC")).toBe(12 * 60);
    expect(localMinutes(t, "Europe/Madrid")).toBe(14 * 60); // CEST, UTC+2
    expect(localMinutes(t, "America/New_York")).toBe(8 * 60); // EDT, UTC-4
    expect(localMinutes(t, "Asia/Kolkata")).toBe(17 * 60 + 30); // UTC+5:30
  });

  it("allows a day window in one zone and not in another at the same instant", () => {
    const t = at("2025-06-02T12:00:00Z");
    expect(isWithinHours(t, "Europe/Madrid", DAY)).toBe(true);
    expect(isWithinHours(t, "America/New_York", DAY)).toBe(false);
    expect(isWithinHours(t, "Asia/Tokyo", DAY)).toBe(false); // 21:00
  });

  it("treats the start as inside and the end as outside", () => {
    expect(isWithinHours(at("2025-06-02T09:00:00Z"), "UTC", DAY)).toBe(true);
    expect(isWithinHours(at("2025-06-02T08:59:00Z"), "UTC", DAY)).toBe(false);
    expect(isWithinHours(at("2025-06-02T20:00:00Z"), "UTC", DAY)).toBe(false);
  });

  it("supports overnight windows and equal ends (any time)", () => {
    const night = { start: "22:00", end: "02:00" };
    expect(isWithinHours(at("2025-06-02T23:30:00Z"), "UTC", night)).toBe(true);
    expect(isWithinHours(at("2025-06-02T01:30:00Z"), "UTC", night)).toBe(true);
    expect(isWithinHours(at("2025-06-02T12:00:00Z"), "UTC", night)).toBe(false);
    expect(isWithinHours(at("2025-06-02T03:00:00Z"), "UTC", { start: "00:00", end: "00:00" })).toBe(true);
  });

  it("names the next opening in the customer's zone: later today or tomorrow", () => {
    const t = at("2025-06-02T12:00:00Z");
    expect(nextAllowedAt(t, "America/New_York", DAY).toISOString()).toBe("2025-06-02T13:00:00.000Z");
    expect(nextAllowedAt(t, "Asia/Tokyo", DAY).toISOString()).toBe("2025-06-03T00:00:00.000Z");
    expect(nextAllowedAt(t, "Europe/Madrid", DAY)).toEqual(t);
  });

  it("lands on the local start across a DST change", () => {
    // Madrid leaves summer time on 2025-10-26 at 03:00 CEST: 21:00 UTC on the 25th is 23:00 CEST; the next 09:00
    // local is 09:00 CET = 08:00 UTC, not 07:00 UTC as a fixed offset would say.
    expect(nextAllowedAt(at("2025-10-25T21:00:00Z"), "Europe/Madrid", DAY).toISOString()).toBe("2025-10-26T08:00:00.000Z");
    // New York springs forward on 2025-03-09: 09:00 EDT = 13:00 UTC.
    expect(nextAllowedAt(at("2025-03-09T03:00:00Z"), "America/New_York", DAY).toISOString()).toBe("2025-03-09T13:00:00.000Z");
  });

  it("validates zones and falls back to the next usable one, then UTC", () => {
    expect(isValidTimeZone("Europe/Madrid")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(pickTimeZone(null, "Mars/Olympus", "Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(pickTimeZone(undefined, "nope")).toBe("UTC");
  });
});
