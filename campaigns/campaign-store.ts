/**
 * Campaigns and their recipients: the SQL of `campaigns` and `campaign_recipients` (migrations/009). A campaign is
 * worked by one process at a time under a lease (`locked_by`, `locked_until`); its recipients are copied from the
 * segment in keyset pages with a cursor, so a restart continues where the last process stopped.
 */
import type pg from "pg";
import { listSegmentCustomerIds, type SegmentFilter } from "../customers/segment-filter.ts";
import { withTransaction } from "../lib/db.ts";
import type { AllowedHours } from "./allowed-hours.ts";
import { type CustomerReach, REACH_COLUMNS, toCustomerReach } from "./customer-reach.ts";
import type { ParameterSource } from "./parameter-sources.ts";

type Queryable = Pick<pg.Pool, "query">;

export type CampaignStatus = "scheduled" | "sending" | "done" | "cancelled" | "failed";

export type Campaign = {
  id: string;
  tenantId: string;
  name: string;
  template: { name: string; language: string };
  parameters: ParameterSource[];
  segmentId: string | null;
  segmentFilter: SegmentFilter;
  sendAt: string;
  allowedHours: AllowedHours | null;
  status: CampaignStatus;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
};

export type NewCampaign = Omit<Campaign, "id" | "status" | "failure" | "createdAt" | "finishedAt">;

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function toCampaign(r: Record<string, unknown>): Campaign {
  return {
    id: String(r.id),
    tenantId: r.tenant_id as string,
    name: r.name as string,
    template: { name: r.template_name as string, language: r.template_language as string },
    parameters: r.parameters as ParameterSource[],
    segmentId: r.segment_id === null ? null : String(r.segment_id),
    segmentFilter: r.segment_filter as SegmentFilter,
    sendAt: iso(r.send_at) as string,
    allowedHours: (r.allowed_hours as AllowedHours | null) ?? null,
    status: r.status as CampaignStatus,
    failure: (r.failure as string | null) ?? null,
    createdAt: iso(r.created_at) as string,
    finishedAt: iso(r.finished_at),
  };
}

export async function insertCampaign(db: Queryable, c: NewCampaign): Promise<Campaign> {
  const { rows } = await db.query(
    `INSERT INTO campaigns (tenant_id, name, template_name, template_language, parameters, segment_id, segment_filter, send_at,
                            allowed_hours, next_run_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) RETURNING *`,
    [
      c.tenantId,
      c.name,
      c.template.name,
      c.template.language,
      JSON.stringify(c.parameters),
      c.segmentId,
      JSON.stringify(c.segmentFilter),
      c.sendAt,
      c.allowedHours ? JSON.stringify(c.allowedHours) : null,
    ],
  );
  return toCampaign(rows[0]);
}

/** A tenant's campaigns, newest first; `before` is the last id of the previous page. */
export async function listCampaigns(db: Queryable, tenantId: string, page: { limit: number; before?: string | undefined }) {
  const { rows } = await db.query(
    "SELECT * FROM campaigns WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3",
    [tenantId, page.before ?? null, page.limit],
  );
  return rows.map(toCampaign);
}

export async function findCampaign(db: Queryable, tenantId: string, id: string): Promise<Campaign | undefined> {
  const { rows } = await db.query("SELECT * FROM campaigns WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  return rows[0] ? toCampaign(rows[0]) : undefined;
}

export type CancelResult =
  | { ok: true; campaign: Campaign }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "finished"; status: string };

/** Stops a campaign that has not finished: no further recipient is queued (messages already queued still go out). */
export async function cancelCampaign(db: Queryable, tenantId: string, id: string): Promise<CancelResult> {
  const { rows } = await db.query(
    `UPDATE campaigns SET status = 'cancelled', finished_at = now(), updated_at = now()
     WHERE id = $1 AND tenant_id = $2 AND status IN ('scheduled', 'sending') RETURNING *`,
    [id, tenantId],
  );
  if (rows[0]) return { ok: true, campaign: toCampaign(rows[0]) };
  const existing = await findCampaign(db, tenantId, id);
  return existing ? { ok: false, code: "finished", status: existing.status } : { ok: false, code: "not_found" };
}

/** Takes the lease of one due campaign (none while another process holds it). */
export async function claimDueCampaign(db: Queryable, owner: string, now: Date, leaseMs: number): Promise<Campaign | undefined> {
  const { rows } = await db.query(
    `UPDATE campaigns SET locked_by = $1, locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id = (SELECT id FROM campaigns WHERE status IN ('scheduled', 'sending') AND next_run_at <= $2
                   AND (locked_until IS NULL OR locked_until < now())
                 ORDER BY next_run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [owner, now, leaseMs],
  );
  return rows[0] ? toCampaign(rows[0]) : undefined;
}

/** Extends the lease; false when it was lost (expired and taken) or the campaign was cancelled meanwhile. */
export async function renewLease(db: Queryable, id: string, owner: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE campaigns SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
     WHERE id = $1 AND locked_by = $2 AND status IN ('scheduled', 'sending')`,
    [id, owner, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

/** Copies the next page of segment members into recipients; false when the segment is exhausted (status → sending). */
export async function materializePage(pool: pg.Pool, c: Campaign, owner: string, now: Date, pageSize: number): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ materialized_to: string | null }>(
      "SELECT materialized_to::text FROM campaigns WHERE id = $1 AND locked_by = $2 AND status = 'scheduled' FOR UPDATE",
      [c.id, owner],
    );
    if (!rows[0]) return false;
    const ids = await listSegmentCustomerIds(tx, c.tenantId, c.segmentFilter, {
      afterId: rows[0].materialized_to ?? undefined,
      limit: pageSize,
    });
    if (ids.length === 0) {
      await tx.query("UPDATE campaigns SET status = 'sending', materialized_at = now(), updated_at = now() WHERE id = $1", [c.id]);
      return false;
    }
    await tx.query(
      `INSERT INTO campaign_recipients (campaign_id, customer_id, next_attempt_at)
       SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
      [c.id, ids, now],
    );
    await tx.query("UPDATE campaigns SET materialized_to = $2 WHERE id = $1", [c.id, ids.at(-1)]);
    return true;
  });
}

export type RecipientOutcome =
  | { state: "queued"; messageId: string }
  | { state: "skipped"; reason: string }
  | { state: "deferred"; until: Date };

/**
 * Records what happened to a page of recipients in one statement (one commit per page, not per customer: the
 * writes dominate a campaign's cost). Only recipients not yet queued or skipped change.
 */
export async function recordRecipients(db: Queryable, campaignId: string, outcomes: { customerId: string; outcome: RecipientOutcome }[]) {
  if (outcomes.length === 0) return;
  const col = <T>(f: (o: RecipientOutcome) => T) => outcomes.map((o) => f(o.outcome));
  await db.query(
    `UPDATE campaign_recipients r SET state = u.state, updated_at = now(), skip_reason = u.reason, message_id = u.message_id,
       queued_at = CASE WHEN u.state = 'queued' THEN now() END, next_attempt_at = COALESCE(u.until, r.next_attempt_at)
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) AS u(customer_id, state, reason, message_id, until)
     WHERE r.campaign_id = $1 AND r.customer_id = u.customer_id AND r.state IN ('pending', 'deferred')`,
    [
      campaignId,
      outcomes.map((o) => o.customerId),
      col((o) => o.state),
      col((o) => (o.state === "skipped" ? o.reason : null)),
      col((o) => (o.state === "queued" ? o.messageId : null)),
      col((o) => (o.state === "deferred" ? o.until : null)),
    ],
  );
}

/** After a run: done when nobody is left, else sleep until the earliest deferred recipient; releases the lease. */
export async function finishRun(db: Queryable, id: string, owner: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE campaigns SET locked_by = NULL, locked_until = NULL, updated_at = now(),
       next_run_at = COALESCE((SELECT min(next_attempt_at) FROM campaign_recipients WHERE campaign_id = $1 AND state IN ('pending', 'deferred')), $3),
       status = CASE WHEN status = 'sending' AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND state IN ('pending', 'deferred'))
                     THEN 'done' ELSE status END,
       finished_at = CASE WHEN status = 'sending' AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND state IN ('pending', 'deferred'))
                          THEN now() ELSE finished_at END
     WHERE id = $1 AND locked_by = $2`,
    [id, owner, now],
  );
}

/** Ends a campaign that cannot go on (its template was deleted or is no longer approved). */
export async function failCampaign(db: Queryable, id: string, owner: string, failure: string): Promise<void> {
  await db.query(
    `UPDATE campaigns SET status = 'failed', failure = $3, finished_at = now(), updated_at = now(), locked_by = NULL, locked_until = NULL
     WHERE id = $1 AND locked_by = $2 AND status IN ('scheduled', 'sending')`,
    [id, owner, failure],
  );
}

/** Recipients due now with what sending to them needs, in customer order. */
export async function listDueRecipients(db: Queryable, c: Campaign, now: Date, limit: number): Promise<CustomerReach[]> {
  const { rows } = await db.query(
    `SELECT ${REACH_COLUMNS} FROM campaign_recipients r JOIN customers c ON c.id = r.customer_id
     WHERE r.campaign_id = $1 AND r.state IN ('pending', 'deferred') AND r.next_attempt_at <= $2
     ORDER BY r.customer_id LIMIT $3`,
    [c.id, now, limit],
  );
  return rows.map(toCustomerReach);
}
