/**
 * The tenant's automatic-tagging rules (settings section 'tagging'): each rule can be switched off, and the ones
 * that look back over the conversation record say how far. Missing settings read as these defaults.
 */
import type pg from "pg";
import { z } from "zod";
import { withTransaction } from "../lib/db.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import { readSettings, writeSettings } from "../tenants/tenant-settings.ts";

type Queryable = Pick<pg.Pool, "query">;

export const TAGGING_SECTION = "tagging";

const LookbackDays = z.number().int().min(1).max(3650);
const Keyword = z.string().trim().min(2).max(60);
const Keywords = z.array(Keyword).max(50).default([]);
const Rule = <T extends z.ZodRawShape>(shape: T, lookbackDays: number) =>
  z.object({ enabled: z.boolean().default(true), lookbackDays: LookbackDays.default(lookbackDays), ...shape }).strict();

export const TaggingSettingsSchema = z
  .object({
    /** intent:orders, intent:returns, intent:product_question, intent:complaint from the intents of agent turns. */
    intents: Rule(
      {
        /** Extra words that also count as the intent when a customer's message contains them (e.g. a product line). */
        extraKeywords: z
          .object({
            orders: Keywords,
            returns: Keywords,
            product_question: Keywords,
            complaint: Keywords,
            purchase: Keywords,
          })
          .strict()
          .prefault({}),
      },
      90,
    ).prefault({}),
    /** lang:<xx> from the customer's language. */
    language: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** region:<cc> from the country of the phone number; tz:<area.city> as well when `timeZone` is on. */
    region: z
      .object({ enabled: z.boolean().default(true), timeZone: z.boolean().default(false) })
      .strict()
      .prefault({}),
    /** escalated: a handoff to a person. */
    escalated: Rule({}, 90).prefault({}),
    /** high_intent: asked about price, availability or checkout. */
    highIntent: Rule({}, 30).prefault({}),
    /** at_risk: a low CSAT score, a handoff for anger, or (when `complaints`) a complaint. */
    atRisk: Rule(
      {
        csatAtMost: z.number().int().min(1).max(5).default(2),
        angerHandoffs: z.boolean().default(true),
        complaints: z.boolean().default(true),
      },
      90,
    ).prefault({}),
  })
  .strict();
export type TaggingSettings = z.output<typeof TaggingSettingsSchema>;

/** The tenant's tagging settings, defaults filled in. */
export function readTaggingSettings(db: Queryable, tenantId: string): Promise<TaggingSettings> {
  return readSettings(db, tenantId, TAGGING_SECTION, TaggingSettingsSchema);
}

/** Validates (throws ZodError) and stores the whole section; returns what is now in force. */
export function writeTaggingSettings(db: Queryable, tenantId: string, value: unknown): Promise<TaggingSettings> {
  return writeSettings(db, tenantId, TAGGING_SECTION, TaggingSettingsSchema, value);
}

/** An admin's change of the settings, audited in the same transaction (which rules changed is in the document). */
export function saveTaggingSettings(pool: pg.Pool, tenantId: string, value: unknown, actor: string): Promise<TaggingSettings> {
  return withTransaction(pool, async (tx) => {
    const settings = await writeTaggingSettings(tx, tenantId, value);
    await recordAdminAudit(tx, { tenantId, actor, action: "settings.update", subjectType: "settings", subjectId: TAGGING_SECTION });
    return settings;
  });
}
