/**
 * Our own records around the ERP: the conversation's linked ERP customer (`order_identity_links`), failed
 * verification attempts, pending write actions awaiting the customer's Yes/No (`order_pending_actions`) and the
 * audit trail (`order_audit`). The ERP's data itself lives behind the ports.
 */
import type pg from "pg";

type Queryable = Pick<pg.PoolClient, "query">;

export type LinkMethod = "phone" | "order_email" | "order_postal_code";

/** The ERP customer this conversation is linked to, if any. */
export async function readLink(
  db: Queryable,
  tenantId: string,
  conversationId: string,
): Promise<{ erpCustomerId: string; method: LinkMethod } | undefined> {
  const { rows } = await db.query<{ erp_customer_id: string; method: LinkMethod }>(
    "SELECT erp_customer_id, method FROM order_identity_links WHERE conversation_id = $1 AND tenant_id = $2",
    [conversationId, tenantId],
  );
  return rows[0] ? { erpCustomerId: rows[0].erp_customer_id, method: rows[0].method } : undefined;
}

/** Links the conversation to an ERP customer; an existing link is kept (the first link wins). Returns the link in force. */
export async function linkConversation(
  db: Queryable,
  link: { tenantId: string; conversationId: string; erpCustomerId: string; method: LinkMethod },
): Promise<string> {
  await db.query(
    `INSERT INTO order_identity_links (conversation_id, tenant_id, erp_customer_id, method) VALUES ($1, $2, $3, $4)
     ON CONFLICT (conversation_id) DO NOTHING`,
    [link.conversationId, link.tenantId, link.erpCustomerId, link.method],
  );
  const current = await readLink(db, link.tenantId, link.conversationId);
  return current?.erpCustomerId ?? link.erpCustomerId;
}

export async function recordVerificationFailure(db: Queryable, conversationId: string): Promise<void> {
  await db.query("INSERT INTO order_verification_failures (conversation_id) VALUES ($1)", [conversationId]);
}

export async function countRecentVerificationFailures(db: Queryable, conversationId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM order_verification_failures WHERE conversation_id = $1 AND at > $2",
    [conversationId, since],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Is the conversation this tenant's? Tool contexts are built by the server, but a wrong id must not leak data. */
export async function isTenantConversation(db: Queryable, tenantId: string, conversationId: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(conversationId)) return false;
  const { rows } = await db.query("SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2", [conversationId, tenantId]);
  return rows.length > 0;
}

export type AuditEntry = {
  tenantId: string;
  conversationId: string | null;
  actor: string;
  erpCustomerId: string | null;
  action: string;
  orderId: string | null;
  pendingActionId?: string | null;
  outcome: string;
  detail?: object;
};

export async function recordAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO order_audit (tenant_id, conversation_id, actor, erp_customer_id, action, order_id, pending_action_id, outcome, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      e.tenantId,
      e.conversationId,
      e.actor,
      e.erpCustomerId,
      e.action,
      e.orderId,
      e.pendingActionId ?? null,
      e.outcome,
      JSON.stringify(e.detail ?? {}),
    ],
  );
}

export type AuditRow = AuditEntry & { id: string; at: string };

/** The tenant's audit trail, newest first. */
export async function listAudit(db: Queryable, tenantId: string, opts: { limit: number; conversationId?: string }): Promise<AuditRow[]> {
  const { rows } = await db.query(
    `SELECT id::text, tenant_id, conversation_id::text, actor, erp_customer_id, action, order_id, pending_action_id::text, outcome, detail, at
     FROM order_audit WHERE tenant_id = $1 AND ($2::bigint IS NULL OR conversation_id = $2::bigint) ORDER BY id DESC LIMIT $3`,
    [tenantId, opts.conversationId ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    conversationId: r.conversation_id,
    actor: r.actor,
    erpCustomerId: r.erp_customer_id,
    action: r.action,
    orderId: r.order_id,
    pendingActionId: r.pending_action_id,
    outcome: r.outcome,
    detail: r.detail,
    at: new Date(r.at).toISOString(),
  }));
}

export type PendingKind = "cancel_order" | "update_shipping_address" | "request_return";
export type PendingStatus = "pending" | "executing" | "executed" | "failed" | "rejected" | "expired" | "superseded";

export type PendingAction = {
  id: string;
  tenantId: string;
  conversationId: string;
  erpCustomerId: string;
  kind: PendingKind;
  orderId: string;
  input: Record<string, unknown>;
  summary: string;
  status: PendingStatus;
  idempotencyKey: string;
  result: Record<string, unknown> | null;
  expiresAt: Date;
};

const PENDING_COLUMNS = `id::text, tenant_id, conversation_id::text, erp_customer_id, kind, order_id, input, summary, status,
  idempotency_key, result, expires_at`;

function toPending(r: Record<string, unknown>): PendingAction {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    conversationId: r.conversation_id as string,
    erpCustomerId: r.erp_customer_id as string,
    kind: r.kind as PendingKind,
    orderId: r.order_id as string,
    input: r.input as Record<string, unknown>,
    summary: r.summary as string,
    status: r.status as PendingStatus,
    idempotencyKey: r.idempotency_key as string,
    result: r.result as Record<string, unknown> | null,
    expiresAt: new Date(r.expires_at as string),
  };
}

/**
 * Records a new pending action, superseding the conversation's other pending ones (one question open at a time,
 * so a "yes" in text is never ambiguous). The same proposal made twice returns the open action instead.
 */
export async function createPendingAction(
  db: Queryable,
  a: Omit<PendingAction, "id" | "status" | "result">,
): Promise<{ action: PendingAction; reused: boolean }> {
  const { rows: open } = await db.query(
    `SELECT ${PENDING_COLUMNS} FROM order_pending_actions
     WHERE conversation_id = $1 AND status = 'pending' AND kind = $2 AND order_id = $3 AND input = $4::jsonb AND expires_at > now()
     ORDER BY id DESC LIMIT 1`,
    [a.conversationId, a.kind, a.orderId, JSON.stringify(a.input)],
  );
  if (open[0]) return { action: toPending(open[0]), reused: true };
  await db.query(
    "UPDATE order_pending_actions SET status = 'superseded', decided_at = now() WHERE conversation_id = $1 AND status = 'pending'",
    [a.conversationId],
  );
  const { rows } = await db.query(
    `INSERT INTO order_pending_actions (tenant_id, conversation_id, erp_customer_id, kind, order_id, input, summary, status, idempotency_key, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) RETURNING ${PENDING_COLUMNS}`,
    [a.tenantId, a.conversationId, a.erpCustomerId, a.kind, a.orderId, JSON.stringify(a.input), a.summary, a.idempotencyKey, a.expiresAt],
  );
  return { action: toPending(rows[0] as Record<string, unknown>), reused: false };
}

/** Locks and returns a conversation's pending action: the given id, or the latest one still pending. */
export async function lockPendingAction(
  db: Queryable,
  tenantId: string,
  conversationId: string,
  actionId: string | undefined,
): Promise<PendingAction | undefined> {
  if (actionId !== undefined && !/^\d{1,18}$/.test(actionId)) return undefined;
  const { rows } = actionId
    ? await db.query(
        `SELECT ${PENDING_COLUMNS} FROM order_pending_actions WHERE id = $1 AND tenant_id = $2 AND conversation_id = $3 FOR UPDATE`,
        [actionId, tenantId, conversationId],
      )
    : await db.query(
        `SELECT ${PENDING_COLUMNS} FROM order_pending_actions WHERE tenant_id = $1 AND conversation_id = $2 AND status = 'pending'
         ORDER BY id DESC LIMIT 1 FOR UPDATE`,
        [tenantId, conversationId],
      );
  return rows[0] ? toPending(rows[0]) : undefined;
}

export async function setPendingStatus(db: Queryable, id: string, status: PendingStatus, result?: object): Promise<void> {
  await db.query(
    `UPDATE order_pending_actions SET status = $2, result = COALESCE($3::jsonb, result),
       decided_at = CASE WHEN $2 IN ('pending', 'executing') THEN decided_at ELSE now() END
     WHERE id = $1`,
    [id, status, result ? JSON.stringify(result) : null],
  );
}
