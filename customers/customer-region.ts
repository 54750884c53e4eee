/**
 * Country and time zone from a phone number (WhatsApp's wa_id: digits with the country calling code). Campaigns use
 * the zone for their allowed hours, so a country spanning several zones gets the zone where most of its people live
 * rather than the alphabetically first one (Spain is Europe/Madrid, not Africa/Ceuta).
 */
import { getAllTimezones, getCountry } from "countries-and-timezones";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import metadata from "libphonenumber-js/min/metadata";

export type Region = { country: string; timeZone: string };

/** The main zone of countries with more than one (by population); other countries use their only or first zone. */
const MAIN_ZONE: Record<string, string> = {
  US: "America/New_York",
  CA: "America/Toronto",
  MX: "America/Mexico_City",
  BR: "America/Sao_Paulo",
  AR: "America/Argentina/Buenos_Aires",
  CL: "America/Santiago",
  EC: "America/Guayaquil",
  ES: "Europe/Madrid",
  PT: "Europe/Lisbon",
  DE: "Europe/Berlin",
  CY: "Asia/Nicosia",
  UA: "Europe/Kyiv",
  RU: "Europe/Moscow",
  KZ: "Asia/Almaty",
  UZ: "Asia/Tashkent",
  MN: "Asia/Ulaanbaatar",
  CN: "Asia/Shanghai",
  ID: "Asia/Jakarta",
  MY: "Asia/Kuala_Lumpur",
  VN: "Asia/Ho_Chi_Minh",
  AU: "Australia/Sydney",
  NZ: "Pacific/Auckland",
  PG: "Pacific/Port_Moresby",
  CD: "Africa/Kinshasa",
  PS: "Asia/Gaza",
  GL: "America/Nuuk",
  PF: "Pacific/Tahiti",
  KI: "Pacific/Tarawa",
  FM: "Pacific/Pohnpei",
  MH: "Pacific/Majuro",
};

const callingCodes = (metadata as { country_calling_codes: Record<string, string[]> }).country_calling_codes;

/**
 * The country and time zone of a phone number (digits, with or without '+'), or null when the calling code is
 * unknown. A number that is not valid for any country of its calling code (a demo number such as +1 555 010 0003)
 * is placed in the code's main country (US for +1, GB for +44).
 */
export function regionFromPhone(phone: string | null | undefined): Region | null {
  const digits = phone?.replace(/\D/g, "") ?? "";
  if (digits.length < 4 || digits.length > 17) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const code = parsed?.countryCallingCode;
  const country = parsed?.country ?? (code ? callingCodes[code]?.[0] : undefined);
  if (!country || country === "001") return null;
  const timeZone = timeZoneOfCountry(country);
  return timeZone ? { country, timeZone } : null;
}

/** The one time zone used for a country (ISO 3166-1 alpha-2), or null for an unknown country. */
export function timeZoneOfCountry(country: string): string | null {
  return MAIN_ZONE[country] ?? getCountry(country)?.timezones[0] ?? null;
}

let zoneNames: Map<string, string> | undefined;

/**
 * The IANA name of a zone, spelled as in the tz database ("america/new_york" → "America/New_York"), or null when
 * neither the tz database nor the runtime knows it. Offsets and abbreviations ("+01:00", "CET") are refused: only
 * Area/City names (and UTC) follow daylight saving.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (zone !== "UTC" && !/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(zone)) return null;
  zoneNames ??= new Map(
    [...Intl.supportedValuesOf("timeZone"), ...Object.keys(getAllTimezones({ deprecated: true })), "UTC"].map((z) => [z.toLowerCase(), z]),
  );
  const name = zoneNames.get(zone.toLowerCase());
  if (!name) return null;
  try {
    // The runtime must be able to use it too: campaigns compute local hours with Intl.
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return name;
  } catch {
    return null;
  }
}
