/**
 * The shape of a summary: the types the report code works with and the schema the API documents come from here.
 * Definitions of each figure: summary-sql.ts.
 */
import { z } from "zod";

const Rate = z.number().min(0).max(1).nullable();
const Seconds = z.number().nullable();

export const PercentilesSchema = z.object({
  count: z.number().int().describe("How many durations were measured"),
  p50Seconds: Seconds.describe("Median (percentile_cont 0.5); null when nothing was measured"),
  p90Seconds: Seconds.describe("90th percentile (percentile_cont 0.9); null when nothing was measured"),
});

export const PeriodStatsSchema = z.object({
  conversations: z.number().int().describe("Conversations with any message (either direction) in the period"),
  messages: z.object({
    inbound: z.number().int(),
    outbound: z.number().int().describe("Queued to customers in the period, whatever their delivery status"),
  }),
  containment: z.object({
    activeConversations: z.number().int().describe("Conversations with an inbound message in the period"),
    botResolved: z.number().int().describe("Active conversations with no handoff created in the period"),
    rate: Rate.describe("botResolved / activeConversations"),
  }),
  handoffs: z.object({
    count: z.number().int().describe("Handoffs created in the period"),
    conversations: z.number().int().describe("Active conversations that had a handoff created in the period"),
    rate: Rate.describe("conversations / activeConversations (= 1 − containment rate)"),
    byReason: z.record(z.string(), z.number().int()),
  }),
  firstResponse: z.object({
    bot: PercentilesSchema,
    human: PercentilesSchema,
    unanswered: z.number().int().describe("Runs started in the period that have no reply yet"),
  }),
  humanResolution: PercentilesSchema.describe("Handoff created → resolved, for handoffs resolved in the period"),
  csat: z.object({
    requested: z.number().int().describe("CSAT questions sent in the period"),
    answered: z.number().int().describe("Of those, answered (at any time)"),
    responseRate: Rate.describe("answered / requested"),
    average: z.number().nullable().describe("Mean score (1-5) of those answers"),
  }),
});

export const SummarySchema = z.object({
  tenantId: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  totals: PeriodStatsSchema.describe("The whole range as one period (not a sum of the days)"),
  days: z.array(PeriodStatsSchema.extend({ date: z.string().describe("YYYY-MM-DD in timeZone") })),
  topIntents: z.array(z.object({ intent: z.string(), count: z.number().int() })),
  topUnanswered: z.array(
    z.object({
      question: z.string().describe("Normalized: lower case, spaces collapsed, edge punctuation trimmed"),
      example: z.string().describe("The latest wording as the customer wrote it"),
      count: z.number().int(),
      lastSeenAt: z.string(),
    }),
  ),
});

export type Percentiles = z.infer<typeof PercentilesSchema>;
export type PeriodStats = z.infer<typeof PeriodStatsSchema>;
export type DayStats = Summary["days"][number];
export type Summary = z.infer<typeof SummarySchema>;
