/**
 * The follow-up automation: a template to an opted-in customer whose conversation has been silent for N days (no
 * inbound message since). Once per silence period: the outbox key names the conversation and the moment the silence
 * began (`followup:<conversationId>:<last inbound, epoch ms>`), so a new customer message starts a new period and
 * any number of runs or processes queue it once. A period more than GRACE_DAYS past due is left alone, so turning the
 * automation on does not message everyone who went quiet years ago. Outside the allowed hours it simply waits for a
 * later run; a conversation a human agent owns is not followed up.
 */
import type pg from "pg";
import { CONSENT_SQL } from "../customers/segment-filter.ts";
import type { Logger } from "../lib/logger.ts";
import { type QueueDeps, queueTemplate } from "../outbox/queue-message.ts";
import { isWithinHours, pickTimeZone } from "./allowed-hours.ts";
import { AUTOMATIONS_SECTION, type AutomationSettings, AutomationSettingsSchema } from "./automation-settings.ts";
import { REACH_COLUMNS, toCustomerReach } from "./customer-reach.ts";
import { resolveParameters } from "./parameter-sources.ts";

export const GRACE_DAYS = 7;

type Queryable = Pick<pg.Pool, "query">;

export type FollowUpSummary = { queued: number; waiting: number; skipped: number };

async function tenantsWithFollowUp(db: Queryable) {
  const { rows } = await db.query<{ tenant_id: string; settings: unknown }>(
    `SELECT tenant_id, settings FROM tenant_settings WHERE section = $1 AND settings -> 'followUp' ->> 'enabled' = 'true'`,
    [AUTOMATIONS_SECTION],
  );
  return rows.flatMap((r) => {
    const parsed = AutomationSettingsSchema.safeParse(r.settings);
    return parsed.success && parsed.data.followUp.enabled && parsed.data.followUp.template
      ? [{ tenantId: r.tenant_id, settings: parsed.data }]
      : [];
  });
}

// Silent for afterDays but not more than afterDays + GRACE_DAYS, opted in, not erased, and not followed up yet.
const DUE_SQL = `
SELECT v.id::text AS conv_id, (extract(epoch FROM v.last_inbound_at) * 1000)::bigint::text AS since, ${REACH_COLUMNS}
FROM conversations v JOIN customers c ON c.id = v.customer_id
WHERE v.tenant_id = $1 AND v.id > $5::bigint AND v.owner <> 'human' AND c.erased_at IS NULL
  AND (c.wa_id IS NOT NULL OR c.bsuid IS NOT NULL) AND ${CONSENT_SQL} = 'opted_in'
  AND v.last_inbound_at <= $2::timestamptz - make_interval(days => $3::int)
  AND v.last_inbound_at > $2::timestamptz - make_interval(days => $3::int + ${GRACE_DAYS})
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = $1
                  AND m.idempotency_key = 'followup:' || v.id || ':' || (extract(epoch FROM v.last_inbound_at) * 1000)::bigint)
ORDER BY v.id LIMIT $4`;

/** Queues the follow-ups due now for every tenant that turned them on. */
export async function runFollowUps(deps: { queue: QueueDeps; logger: Logger }, now: Date, pageSize = 500): Promise<FollowUpSummary> {
  const summary: FollowUpSummary = { queued: 0, waiting: 0, skipped: 0 };
  for (const { tenantId, settings } of await tenantsWithFollowUp(deps.queue.pool)) {
    const { afterDays } = settings.followUp;
    // Keyset pages: customers waiting for their hours stay due and must not hide the ones after them.
    for (let after = "0"; ; ) {
      const { rows } = await deps.queue.pool.query(DUE_SQL, [tenantId, now, afterDays, pageSize, after]);
      if (rows.length === 0) break;
      after = rows.at(-1)?.conv_id;
      for (const row of rows) await followUp(deps, tenantId, settings, row, now, summary);
    }
  }
  return summary;
}

async function followUp(
  deps: { queue: QueueDeps; logger: Logger },
  tenantId: string,
  settings: AutomationSettings,
  row: Record<string, unknown>,
  now: Date,
  summary: FollowUpSummary,
): Promise<void> {
  const { template, parameters } = settings.followUp;
  if (!template) return;
  const reach = toCustomerReach(row);
  const params = resolveParameters(parameters, reach);
  if (!params.ok) {
    summary.skipped++;
    return;
  }
  if (!isWithinHours(now, pickTimeZone(reach.timeZone, settings.timeZone), settings.allowedHours)) {
    summary.waiting++;
    return;
  }
  const r = await queueTemplate(deps.queue, {
    tenantId,
    conversationId: row.conv_id as string,
    idempotencyKey: `followup:${row.conv_id}:${row.since}`,
    source: "automation:follow_up",
    name: template.name,
    language: template.language,
    values: params.values,
  });
  if (r.ok) summary.queued++;
  else {
    summary.skipped++;
    deps.logger.warn({ tenantId, conversationId: row.conv_id, code: r.code }, "follow-up not queued");
  }
}
