import { describe, expect, it } from "vitest";
import { type CustomerRecord, computeAutoTags, timeZoneTag } from "./auto-tag-rules.ts";
import { TaggingSettingsSchema } from "./tagging-settings.ts";

const NOW = new Date("2025-06-01T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const defaults = TaggingSettingsSchema.parse({});
const empty: CustomerRecord = { language: null, country: null, timeZone: null, turns: [], handoffs: [], messages: [] };
const turn = (id: string, intent: string, age = 1) => ({ id, conversationId: "c1", intent, at: daysAgo(age) });
const handoff = (id: string, reason: string, csat: number | null, age = 1) => ({
  id,
  conversationId: "c1",
  reason,
  csat,
  at: daysAgo(age),
});
const tagsOf = (record: Partial<CustomerRecord>, settings: unknown = {}) =>
  computeAutoTags({ ...empty, ...record }, TaggingSettingsSchema.parse(settings), NOW);
const names = (record: Partial<CustomerRecord>, settings: unknown = {}) => tagsOf(record, settings).map((t) => t.tag);

describe("computeAutoTags", () => {
  it("sets nothing for a customer with no record", () => {
    expect(computeAutoTags(empty, defaults, NOW)).toEqual([]);
  });

  it("tags each intent category seen in the look-back window, with the turn as evidence", () => {
    const tags = tagsOf({ turns: [turn("11", "orders"), turn("12", "returns"), turn("13", "product_question"), turn("14", "small_talk")] });
    expect(tags.map((t) => t.tag)).toEqual(["intent:orders", "intent:returns", "intent:product_question"]);
    expect(tags[1]).toEqual({
      tag: "intent:returns",
      reason: "turn 12 was classified as returns",
      evidence: { turnId: "12", conversationId: "c1", intent: "returns" },
    });
    expect(names({ turns: [turn("11", "orders", 91)] })).toEqual([]);
    expect(names({ turns: [turn("11", "orders", 91)] }, { intents: { lookbackDays: 120 } })).toEqual(["intent:orders"]);
  });

  it("tags language and region (and the time zone when asked), from the profile", () => {
    const record = { language: "es", country: "MX", timeZone: "America/Mexico_City" };
    expect(names(record)).toEqual(["lang:es", "region:mx"]);
    expect(names(record, { region: { timeZone: true } })).toEqual(["lang:es", "region:mx", "tz:america.mexico_city"]);
    expect(tagsOf(record)[1]?.evidence).toEqual({ country: "MX", timeZone: "America/Mexico_City" });
  });

  it("tags escalated from a handoff, high_intent from a purchase question", () => {
    const tags = tagsOf({ turns: [turn("20", "purchase")], handoffs: [handoff("5", "customer_request", null)] });
    expect(tags.map((t) => t.tag)).toEqual(["escalated", "high_intent"]);
    expect(tags[0]?.evidence).toMatchObject({ handoffId: "5", reason: "customer_request" });
    expect(tags[1]?.reason).toContain("asked about price, availability or checkout");
    expect(names({ turns: [turn("20", "purchase", 31)] })).toEqual([]);
  });

  it("marks at_risk on a CSAT at or under the threshold, an anger handoff, or a complaint (strongest sign first)", () => {
    const low = tagsOf({ handoffs: [handoff("7", "other", 2)] }).find((t) => t.tag === "at_risk");
    expect(low).toMatchObject({ reason: "CSAT 2 (at most 2) on handoff 7", evidence: { handoffId: "7", csat: 2 } });
    expect(names({ handoffs: [handoff("7", "other", 3)] })).not.toContain("at_risk");
    expect(names({ handoffs: [handoff("7", "other", 3)] }, { atRisk: { csatAtMost: 3 } })).toContain("at_risk");
    const angry = tagsOf({ handoffs: [handoff("8", "anger", null)] }).find((t) => t.tag === "at_risk");
    expect(angry?.evidence).toMatchObject({ handoffId: "8", reason: "anger" });
    const complaint = tagsOf({ turns: [turn("30", "complaint")] }).find((t) => t.tag === "at_risk");
    expect(complaint).toMatchObject({ reason: "complaint: turn 30 was classified as complaint", evidence: { turnId: "30" } });
    const both = tagsOf({ turns: [turn("30", "complaint")], handoffs: [handoff("8", "anger", null), handoff("9", "other", 1)] });
    expect(both.find((t) => t.tag === "at_risk")?.evidence).toMatchObject({ handoffId: "9", csat: 1 });
  });

  it("leaves out what the tenant switched off", () => {
    const record = {
      language: "pt",
      country: "BR",
      timeZone: "America/Sao_Paulo",
      turns: [turn("1", "orders"), turn("2", "purchase"), turn("3", "complaint")],
      handoffs: [handoff("4", "anger", 1)],
    };
    expect(names(record)).toEqual(["intent:orders", "intent:complaint", "lang:pt", "region:br", "escalated", "high_intent", "at_risk"]);
    const off = { enabled: false };
    expect(
      names(record, { intents: off, language: off, region: { enabled: false }, escalated: off, highIntent: off, atRisk: off }),
    ).toEqual([]);
    expect(names({ turns: [turn("3", "complaint")] }, { atRisk: { complaints: false } })).toEqual(["intent:complaint"]);
    expect(names({ handoffs: [handoff("4", "anger", null)] }, { atRisk: { angerHandoffs: false } })).toEqual(["escalated"]);
  });

  it("counts the tenant's extra keywords in the customer's messages (taken literally, not as patterns)", () => {
    const messages = [{ id: "m9", text: "Do you have the Trail-X 2.0 in red?", at: daysAgo(2) }];
    const tags = tagsOf({ messages }, { intents: { extraKeywords: { product_question: ["trail-x 2.0"], purchase: ["a.b"] } } });
    expect(tags).toEqual([
      {
        tag: "intent:product_question",
        reason: 'message m9 contains "trail-x 2.0" (product_question keyword)',
        evidence: { messageId: "m9", keyword: "trail-x 2.0", intent: "product_question" },
      },
    ]);
  });

  it("writes time zone tags the tag format allows", () => {
    expect(timeZoneTag("America/Argentina/Buenos_Aires")).toBe("tz:america.argentina.buenos_aires");
    expect(timeZoneTag("Etc/GMT+3")).toBe("tz:etc.gmtplus3");
  });
});
