/**
 * The tenant's `automations` settings section: the default time zone and allowed hours for business-initiated
 * messages (campaigns use them too), and the three triggered automations, each of which can be turned off: a
 * welcome on first contact, a follow-up template after N days of silence, and what is asked after a human resolves
 * a handoff (the 1-5 CSAT list or a review request). Defaults keep the behaviour from before this section existed:
 * no welcome, no follow-up, CSAT when the agent asks for it.
 */
import type pg from "pg";
import { z } from "zod";
import { findTemplate } from "../compliance/template-store.ts";
import { readSettings, writeSettings } from "../tenants/tenant-settings.ts";
import { AllowedHoursSchema, DEFAULT_ALLOWED_HOURS, isValidTimeZone } from "./allowed-hours.ts";
import { checkTemplateForSources, ParameterSourcesSchema } from "./parameter-sources.ts";

type Queryable = Pick<pg.Pool, "query">;

export const AUTOMATIONS_SECTION = "automations";

export const TemplateRefSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, "lower-case letters, digits and _"),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a locale such as en_US or es"),
  })
  .strict();
const Text = z.string().trim().min(1).max(1000);
const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, "a primary language subtag such as 'es'");

export const AutomationSettingsSchema = z
  .object({
    /** The zone used for a customer without a (valid) time zone of their own. */
    timeZone: z.string().refine(isValidTimeZone, "an IANA time zone such as Europe/Madrid").default("UTC"),
    /** When business-initiated messages may go out, in the customer's local time. */
    allowedHours: AllowedHoursSchema.default(DEFAULT_ALLOWED_HOURS),
    welcome: z
      .object({
        enabled: z.boolean().default(false),
        /** Per primary language ('es'); the customer's language picks one, else `defaultText`. */
        texts: z
          .record(LanguageCode, Text)
          .refine((r) => Object.keys(r).length <= 50, "at most 50 languages")
          .default({}),
        defaultText: Text.default("Hi! Thanks for writing to us. We're reading your message and will answer right away."),
      })
      .strict()
      .prefault({}),
    followUp: z
      .object({
        enabled: z.boolean().default(false),
        afterDays: z.number().int().min(1).max(90).default(3),
        template: TemplateRefSchema.optional(),
        parameters: ParameterSourcesSchema.default([]),
      })
      .strict()
      .refine((f) => !f.enabled || f.template, { message: "an enabled follow-up needs a template", path: ["template"] })
      .prefault({}),
    postResolution: z
      .object({
        enabled: z.boolean().default(true),
        /** `agent`: when the resolving agent asks for it (the console's CSAT toggle); `always`: on every resolution. */
        ask: z.enum(["agent", "always"]).default("agent"),
        kind: z.enum(["csat", "review"]).default("csat"),
        /** Replaces the question the agent's resolve request carries. */
        csatQuestion: Text.optional(),
        /** A review request: free-form text (inside the 24-hour window) or a template (any time). */
        reviewText: Text.optional(),
        reviewTemplate: TemplateRefSchema.optional(),
        reviewParameters: ParameterSourcesSchema.default([]),
      })
      .strict()
      .refine((p) => p.kind !== "review" || p.reviewText || p.reviewTemplate, {
        message: "a review request needs reviewText or reviewTemplate",
        path: ["reviewText"],
      })
      .prefault({}),
  })
  .strict();
export type AutomationSettings = z.infer<typeof AutomationSettingsSchema>;

/** The tenant's automations, defaults filled in. */
export function readAutomationSettings(db: Queryable, tenantId: string): Promise<AutomationSettings> {
  return readSettings(db, tenantId, AUTOMATIONS_SECTION, AutomationSettingsSchema);
}

export type SettingsWrite =
  | { ok: true; settings: AutomationSettings }
  | { ok: false; code: "unknown_tenant" | "invalid_template"; message: string };

/** Stores the section after checking that the templates it names can be sent (exist, approved, parameters fit). */
export async function writeAutomationSettings(db: Queryable, tenantId: string, value: AutomationSettings): Promise<SettingsWrite> {
  const { rows } = await db.query("SELECT 1 FROM tenants WHERE id = $1", [tenantId]);
  if (rows.length === 0) return { ok: false, code: "unknown_tenant", message: `No tenant ${tenantId}.` };
  const checks: [{ name: string; language: string } | undefined, z.infer<typeof ParameterSourcesSchema>][] = [
    [value.followUp.template, value.followUp.parameters],
    [value.postResolution.reviewTemplate, value.postResolution.reviewParameters],
  ];
  for (const [ref, sources] of checks) {
    if (!ref) continue;
    const check = checkTemplateForSources(await findTemplate(db, tenantId, ref.name, ref.language), ref, sources);
    if (!check.ok) return { ok: false, code: "invalid_template", message: check.message };
  }
  return { ok: true, settings: await writeSettings(db, tenantId, AUTOMATIONS_SECTION, AutomationSettingsSchema, value) };
}
