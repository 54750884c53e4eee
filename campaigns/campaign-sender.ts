/**
 * Works one leased campaign: copies the segment's members into recipients, then decides for each due recipient.
 * Skipped (final, counted by reason): no opt-in record or opted out, whatever the template's category ("customers
 * without opt-in are skipped and counted, never messaged"); no phone or BSUID; a parameter missing with no fallback.
 * Deferred (not skipped): outside the allowed hours in the customer's zone, until they open. Otherwise queued through
 * the outbox under the key `campaign:<id>:<customerId>`, so a crash between queueing and recording the recipient
 * never sends twice: the next run finds the same outbox row. Rate limits and pauses are the outbox sender's job.
 */
import type { Logger } from "../lib/logger.ts";
import { type QueueDeps, queueTemplate } from "../outbox/queue-message.ts";
import { isWithinHours, nextAllowedAt, pickTimeZone } from "./allowed-hours.ts";
import { readAutomationSettings } from "./automation-settings.ts";
import {
  type Campaign,
  failCampaign,
  finishRun,
  listDueRecipients,
  materializePage,
  type RecipientOutcome,
  recordRecipients,
  renewLease,
} from "./campaign-store.ts";
import { type CustomerReach, ensureConversation } from "./customer-reach.ts";
import { resolveParameters } from "./parameter-sources.ts";

export type CampaignSendDeps = {
  queue: QueueDeps;
  logger: Logger;
  owner: string;
  leaseMs: number;
  pageSize: number;
};

export type RunSummary = { queued: number; skipped: number; deferred: number };

/** One run over a leased campaign; returns what this run did. */
export async function runCampaign(deps: CampaignSendDeps, c: Campaign, now: Date): Promise<RunSummary> {
  const { pool } = deps.queue;
  const summary: RunSummary = { queued: 0, skipped: 0, deferred: 0 };
  while (await materializePage(pool, c, deps.owner, now, deps.pageSize)) {
    if (!(await renewLease(pool, c.id, deps.owner, deps.leaseMs))) return summary;
  }
  const settings = await readAutomationSettings(pool, c.tenantId);
  const hours = c.allowedHours ?? settings.allowedHours;
  for (;;) {
    // Re-checked per page: a cancel or a lost lease stops the run before the next page is queued.
    if (!(await renewLease(pool, c.id, deps.owner, deps.leaseMs))) return summary;
    const due = await listDueRecipients(pool, c, now, deps.pageSize);
    if (due.length === 0) break;
    const decided: { customerId: string; outcome: RecipientOutcome }[] = [];
    for (const reach of due) {
      const outcome = await decide(deps, c, reach, now, pickTimeZone(reach.timeZone, settings.timeZone), hours);
      if (outcome === "stop") {
        await recordRecipients(pool, c.id, decided);
        return summary;
      }
      decided.push({ customerId: reach.customerId, outcome });
      summary[outcome.state]++;
    }
    // A crash before this line loses only the bookkeeping: the next run finds the outbox rows by their keys.
    await recordRecipients(pool, c.id, decided);
  }
  await finishRun(pool, c.id, deps.owner, now);
  return summary;
}

async function decide(
  deps: CampaignSendDeps,
  c: Campaign,
  reach: CustomerReach,
  now: Date,
  zone: string,
  hours: { start: string; end: string },
): Promise<RecipientOutcome | "stop"> {
  const skip = (reason: string): RecipientOutcome => ({ state: "skipped", reason });
  if (reach.erased) return skip("erased");
  if (reach.consent === "none") return skip("no_opt_in");
  if (reach.consent === "opted_out") return skip("opted_out");
  if (!reach.reachable) return skip("no_contact");
  const params = resolveParameters(c.parameters, reach);
  if (!params.ok) return skip("missing_parameter");
  if (!isWithinHours(now, zone, hours)) return { state: "deferred", until: nextAllowedAt(now, zone, hours) };
  const conversationId = await ensureConversation(deps.queue.pool, c.tenantId, reach);
  if (!conversationId) return skip("no_conversation");
  const r = await queueTemplate(deps.queue, {
    tenantId: c.tenantId,
    conversationId,
    idempotencyKey: `campaign:${c.id}:${reach.customerId}`,
    source: `campaign:${c.id}`,
    name: c.template.name,
    language: c.template.language,
    values: params.values,
  });
  if (r.ok) return { state: "queued", messageId: r.messageIds[0] as string };
  switch (r.code) {
    case "opted_out":
    case "no_opt_in":
      return skip(r.code); // consent changed between the check above and the queue's own check
    case "template_not_found":
    case "template_not_approved":
      // The template changed after creation: every further recipient would fail the same way.
      deps.logger.warn({ campaignId: c.id, code: r.code }, "campaign stopped: its template can no longer be sent");
      await failCampaign(deps.queue.pool, c.id, deps.owner, r.details);
      return "stop";
    case "template_invalid":
    case "invalid_message":
      return skip("invalid_parameter");
    default:
      return skip(r.code);
  }
}
