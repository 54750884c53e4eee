/**
 * Creating a campaign: the request's shape, and the checks that need the database (the template exists, is
 * approved and takes exactly the parameters given; a saved segment is the tenant's). Refusals are typed results
 * with a message an admin can act on.
 */
import type pg from "pg";
import { z } from "zod";
import { findTemplate } from "../compliance/template-store.ts";
import { SegmentFilterSchema } from "../customers/segment-filter.ts";
import { readSegmentFilter } from "../customers/segment-store.ts";
import { AllowedHoursSchema } from "./allowed-hours.ts";
import { TemplateRefSchema } from "./automation-settings.ts";
import { type Campaign, insertCampaign } from "./campaign-store.ts";
import { checkTemplateForSources, ParameterSourcesSchema } from "./parameter-sources.ts";

type Queryable = Pick<pg.Pool, "query">;

const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export const CampaignInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    template: TemplateRefSchema,
    /** One source per body parameter of the template, in order. */
    parameters: ParameterSourcesSchema.default([]),
    /** A saved segment (`{ "id": "12" }`, its filter as it is now) or an inline filter (`{ "filter": {...} }`). */
    segment: z.union([
      z.object({ id: z.string().regex(/^\d{1,18}$/, "must be a numeric id") }).strict(),
      z.object({ filter: SegmentFilterSchema }).strict(),
    ]),
    schedule: z
      .object({
        /** When to start (default now; a past time means now). */
        at: z.iso.datetime({ offset: true }).optional(),
        /** Allowed sending hours in each customer's zone; default: the tenant's (settings section 'automations'). */
        quietHours: AllowedHoursSchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInputSchema>;

export type CreateResult = { ok: true; campaign: Campaign } | { ok: false; code: "invalid"; message: string };

/** Validates against the database and stores the campaign (status scheduled). */
export async function createCampaign(db: Queryable, tenantId: string, input: CampaignInput, now: Date): Promise<CreateResult> {
  const template = await findTemplate(db, tenantId, input.template.name, input.template.language);
  const check = checkTemplateForSources(template, input.template, input.parameters);
  if (!check.ok) return { ok: false, code: "invalid", message: check.message };
  let segmentFilter: z.infer<typeof SegmentFilterSchema>;
  let segmentId: string | null = null;
  if ("id" in input.segment) {
    const saved = await readSegmentFilter(db, tenantId, input.segment.id);
    const parsed = SegmentFilterSchema.safeParse(saved);
    if (saved === undefined) return { ok: false, code: "invalid", message: `Segment ${input.segment.id} does not exist.` };
    if (!parsed.success)
      return { ok: false, code: "invalid", message: `Segment ${input.segment.id} has a filter this version cannot read.` };
    segmentFilter = parsed.data;
    segmentId = input.segment.id;
  } else {
    segmentFilter = input.segment.filter;
  }
  const at = input.schedule.at ? new Date(input.schedule.at) : now;
  if (at.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS) {
    return { ok: false, code: "invalid", message: "A campaign can be scheduled at most a year ahead." };
  }
  const campaign = await insertCampaign(db, {
    tenantId,
    name: input.name,
    template: input.template,
    parameters: input.parameters,
    segmentId,
    segmentFilter,
    // A past time is stored as given: it is due at once, and the job's clock alone decides what is due.
    sendAt: at.toISOString(),
    allowedHours: input.schedule.quietHours ?? null,
  });
  return { ok: true, campaign };
}
