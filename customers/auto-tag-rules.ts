/**
 * The automatic tag rules, as a pure function of a customer's record: each tag says which rule set it and what it
 * saw (the turn, handoff or message), so a support lead can check why a customer is "at risk". auto-tags.ts reads
 * the record and stores the result.
 */
import { compilePhrases, findPhrase } from "../agent/text/match.ts";
import type { TaggingSettings } from "./tagging-settings.ts";

export type AutoTag = { tag: string; reason: string; evidence: Record<string, unknown> };

/** What the rules read about one customer (newest first within each list). */
export type CustomerRecord = {
  language: string | null;
  country: string | null;
  timeZone: string | null;
  turns: { id: string; conversationId: string; intent: string; at: Date }[];
  handoffs: { id: string; conversationId: string; reason: string; csat: number | null; at: Date }[];
  /** Inbound texts, only read when the tenant configured extra keywords. */
  messages: { id: string; text: string; at: Date }[];
};

const INTENT_TAGS = ["orders", "returns", "product_question", "complaint"] as const;
const DAY_MS = 86_400_000;

/** The automatic tags a customer should carry now under these settings. */
export function computeAutoTags(record: CustomerRecord, settings: TaggingSettings, now: Date = new Date()): AutoTag[] {
  const tags: AutoTag[] = [];
  const since = (days: number) => now.getTime() - days * DAY_MS;
  const turnWith = (intent: string, days: number) => record.turns.find((t) => t.intent === intent && t.at.getTime() >= since(days));
  const keywordHit = (intent: keyof TaggingSettings["intents"]["extraKeywords"], days: number) => {
    const words = settings.intents.extraKeywords[intent];
    if (words.length === 0) return undefined;
    const matcher = compilePhrases(words.map(escapeRegExp));
    for (const m of record.messages) {
      if (m.at.getTime() < since(days)) continue;
      const keyword = findPhrase(matcher, m.text);
      if (keyword) return { messageId: m.id, keyword };
    }
    return undefined;
  };
  // One helper for "a turn had this intent, or a message had one of the tenant's words for it".
  const intentSeen = (intent: keyof TaggingSettings["intents"]["extraKeywords"], days: number) => {
    const turn = turnWith(intent, days);
    if (turn) {
      return {
        reason: `turn ${turn.id} was classified as ${intent}`,
        evidence: { turnId: turn.id, conversationId: turn.conversationId, intent },
      };
    }
    const hit = keywordHit(intent, days);
    return hit
      ? { reason: `message ${hit.messageId} contains "${hit.keyword}" (${intent} keyword)`, evidence: { ...hit, intent } }
      : undefined;
  };

  if (settings.intents.enabled) {
    for (const intent of INTENT_TAGS) {
      const seen = intentSeen(intent, settings.intents.lookbackDays);
      if (seen) tags.push({ tag: `intent:${intent}`, ...seen });
    }
  }
  if (settings.language.enabled && record.language && /^[a-z]{2,3}$/.test(record.language)) {
    tags.push({
      tag: `lang:${record.language}`,
      reason: `the customer writes in ${record.language}`,
      evidence: { language: record.language },
    });
  }
  if (settings.region.enabled && record.country && /^[A-Z]{2}$/.test(record.country)) {
    const evidence = { country: record.country, timeZone: record.timeZone };
    tags.push({ tag: `region:${record.country.toLowerCase()}`, reason: `phone number from ${record.country}`, evidence });
    if (settings.region.timeZone && record.timeZone) {
      tags.push({ tag: timeZoneTag(record.timeZone), reason: `time zone ${record.timeZone}`, evidence });
    }
  }
  if (settings.escalated.enabled) {
    const h = record.handoffs.find((x) => x.at.getTime() >= since(settings.escalated.lookbackDays));
    if (h) tags.push({ tag: "escalated", reason: `handed off to a person (${h.reason})`, evidence: handoffEvidence(h) });
  }
  if (settings.highIntent.enabled) {
    const seen = intentSeen("purchase", settings.highIntent.lookbackDays);
    if (seen) tags.push({ tag: "high_intent", ...seen, reason: `${seen.reason}: asked about price, availability or checkout` });
  }
  if (settings.atRisk.enabled) {
    const risk = atRisk(record, settings.atRisk, since(settings.atRisk.lookbackDays), intentSeen);
    if (risk) tags.push({ tag: "at_risk", ...risk });
  }
  return tags;
}

type RiskSettings = TaggingSettings["atRisk"];

/** The strongest sign first: a low CSAT score, then a handoff for anger, then a complaint. */
function atRisk(
  record: CustomerRecord,
  rule: RiskSettings,
  sinceMs: number,
  intentSeen: (intent: "complaint", days: number) => { reason: string; evidence: Record<string, unknown> } | undefined,
): { reason: string; evidence: Record<string, unknown> } | undefined {
  const recent = record.handoffs.filter((h) => h.at.getTime() >= sinceMs);
  const low = recent.find((h) => h.csat !== null && h.csat <= rule.csatAtMost);
  if (low) return { reason: `CSAT ${low.csat} (at most ${rule.csatAtMost}) on handoff ${low.id}`, evidence: handoffEvidence(low) };
  const angry = rule.angerHandoffs ? recent.find((h) => h.reason === "anger") : undefined;
  if (angry) return { reason: `handoff ${angry.id} was opened for anger`, evidence: handoffEvidence(angry) };
  const complaint = rule.complaints ? intentSeen("complaint", rule.lookbackDays) : undefined;
  return complaint ? { reason: `complaint: ${complaint.reason}`, evidence: complaint.evidence } : undefined;
}

function handoffEvidence(h: CustomerRecord["handoffs"][number]): Record<string, unknown> {
  return { handoffId: h.id, conversationId: h.conversationId, reason: h.reason, csat: h.csat };
}

/** "America/New_York" → "tz:america.new_york" (tags allow no '/' or capitals). */
export function timeZoneTag(zone: string): string {
  return `tz:${zone
    .toLowerCase()
    .replace(/\//g, ".")
    .replace(/\+/g, "plus")
    .replace(/[^a-z0-9_.-]/g, "_")}`.slice(0, 64);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
