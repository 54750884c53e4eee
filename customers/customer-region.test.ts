import { describe, expect, it } from "vitest";
import { canonicalTimeZone, regionFromPhone, timeZoneOfCountry } from "./customer-region.ts";

describe("regionFromPhone", () => {
  it.each([
    ["5215512345678", "MX", "America/Mexico_City"],
    ["34600000001", "ES", "Europe/Madrid"],
    ["5511987654321", "BR", "America/Sao_Paulo"],
    ["4915123456789", "DE", "Europe/Berlin"],
    ["919812345678", "IN", "Asia/Kolkata"],
    ["61412345678", "AU", "Australia/Sydney"],
    ["79161234567", "RU", "Europe/Moscow"],
    ["12025550123", "US", "America/New_York"],
    ["+351 912 345 678", "PT", "Europe/Lisbon"],
    ["5491123456789", "AR", "America/Argentina/Buenos_Aires"],
  ])("%s is in %s (%s)", (phone, country, timeZone) => {
    expect(regionFromPhone(phone)).toEqual({ country, timeZone });
  });

  it("places numbers no country claims in their calling code's main country (the demo numbers are +1: US)", () => {
    expect(regionFromPhone("15550100003")).toEqual({ country: "US", timeZone: "America/New_York" });
    expect(regionFromPhone("447700900123")).toEqual({ country: "GB", timeZone: "Europe/London" });
  });

  it("gives up on numbers without a known calling code", () => {
    expect(regionFromPhone(null)).toBeNull();
    expect(regionFromPhone("")).toBeNull();
    expect(regionFromPhone("12")).toBeNull();
    expect(regionFromPhone("999123456789")).toBeNull();
    expect(regionFromPhone("1".repeat(30))).toBeNull();
  });
});

describe("timeZoneOfCountry / canonicalTimeZone", () => {
  it("uses the only zone of single-zone countries", () => {
    expect(timeZoneOfCountry("CO")).toBe("America/Bogota");
    expect(timeZoneOfCountry("ZZ")).toBeNull();
  });

  it("accepts IANA names in any case and refuses offsets, abbreviations and unknown zones", () => {
    expect(canonicalTimeZone("america/new_york")).toBe("America/New_York");
    expect(canonicalTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    for (const bad of ["+01:00", "CET", "Mars/Olympus_Mons", "America/", "../etc/passwd", ""]) expect(canonicalTimeZone(bad)).toBeNull();
  });
});
