/**
 * A campaign's results, computed in SQL from its recipients, their outbox messages (status and Meta's error code)
 * and the consent history: targeted, skipped by reason, waiting, queued, sent, delivered, read, replied, failed by
 * error code, opted out after the send. Statuses only move forward (message_status_rank), so a read message also
 * counts as delivered and sent; a failed one counts only as failed.
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

export type CampaignResults = {
  targeted: number;
  /** Not looked at yet, or waiting for the customer's allowed hours. */
  pending: number;
  deferred: number;
  skipped: { total: number; byReason: Record<string, number> };
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  /** The customer wrote in that conversation after the campaign message was queued. */
  replied: number;
  failed: { total: number; byCode: Record<string, number> };
  /** A marketing opt-out recorded after the campaign message was queued. */
  optedOutAfter: number;
};

const COUNTS_SQL = `
SELECT count(*)::int AS targeted,
  count(*) FILTER (WHERE r.state = 'pending')::int AS pending,
  count(*) FILTER (WHERE r.state = 'deferred')::int AS deferred,
  count(*) FILTER (WHERE r.state = 'skipped')::int AS skipped,
  count(*) FILTER (WHERE r.state = 'queued')::int AS queued,
  count(m.id) FILTER (WHERE m.status <> 'failed' AND message_status_rank(m.status) >= message_status_rank('sent'))::int AS sent,
  count(m.id) FILTER (WHERE m.status <> 'failed' AND message_status_rank(m.status) >= message_status_rank('delivered'))::int AS delivered,
  count(m.id) FILTER (WHERE m.status <> 'failed' AND message_status_rank(m.status) >= message_status_rank('read'))::int AS read,
  count(m.id) FILTER (WHERE m.status = 'failed')::int AS failed,
  -- Message ids follow insertion order: an inbound row newer than the campaign message arrived after it was queued
  -- (Meta's inbound timestamps are whole seconds, too coarse to compare with the queue time).
  count(m.id) FILTER (WHERE EXISTS (SELECT 1 FROM messages i WHERE i.conversation_id = m.conversation_id
                                     AND i.direction = 'inbound' AND i.id > m.id))::int AS replied,
  count(*) FILTER (WHERE r.queued_at IS NOT NULL AND EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = r.customer_id
                     AND k.topic = 'marketing' AND k.action = 'opt_out' AND k.created_at > r.queued_at))::int AS opted_out_after
FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
WHERE r.campaign_id = $1`;

/** The campaign's results (all zero before its recipients are materialized). */
export async function readCampaignResults(db: Queryable, campaignId: string): Promise<CampaignResults> {
  const [{ rows: counts }, { rows: reasons }, { rows: codes }] = await Promise.all([
    db.query(COUNTS_SQL, [campaignId]),
    db.query<{ reason: string; n: number }>(
      `SELECT skip_reason AS reason, count(*)::int AS n FROM campaign_recipients
       WHERE campaign_id = $1 AND state = 'skipped' GROUP BY skip_reason ORDER BY skip_reason`,
      [campaignId],
    ),
    db.query<{ code: string; n: number }>(
      `SELECT COALESCE(m.error_code::text, 'unknown') AS code, count(*)::int AS n
       FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = $1 AND m.status = 'failed' GROUP BY 1 ORDER BY 1`,
      [campaignId],
    ),
  ]);
  const c = counts[0] ?? {};
  return {
    targeted: c.targeted ?? 0,
    pending: c.pending ?? 0,
    deferred: c.deferred ?? 0,
    skipped: { total: c.skipped ?? 0, byReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])) },
    queued: c.queued ?? 0,
    sent: c.sent ?? 0,
    delivered: c.delivered ?? 0,
    read: c.read ?? 0,
    replied: c.replied ?? 0,
    failed: { total: c.failed ?? 0, byCode: Object.fromEntries(codes.map((r) => [r.code, r.n])) },
    optedOutAfter: c.opted_out_after ?? 0,
  };
}
