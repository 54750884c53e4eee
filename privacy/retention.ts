/**
 * The retention period's deletes for one tenant, inside the caller's transaction: conversations whose last message
 * is older than the cutoff (their messages, handoffs, notes, turns and order actions go with them by cascade), their
 * checkpoints, statuses, order audit and media files, and the raw webhook archive and queue entries older than the
 * cutoff. Customer profiles stay: retention is about the conversation record (erasure removes a whole customer).
 */
import type pg from "pg";
import { deleteConversationCheckpoints } from "./checkpoint-cleanup.ts";
import { queueMediaDeletions } from "./media-deletions.ts";

type Queryable = Pick<pg.ClientBase, "query">;

export type RetentionCounts = {
  conversations: number;
  messages: number;
  messageStatuses: number;
  mediaFiles: number;
  checkpoints: number;
  orderAudit: number;
  webhookEvents: number;
  webhookDeliveries: number;
  sandboxMessages: number;
};

const CUTOFF = "now() - make_interval(days => $2)";

/** Deletes what is older than `days` days for the tenant; queues media files for deletion from storage. */
export async function deleteExpired(db: Queryable, tenantId: string, days: number): Promise<RetentionCounts> {
  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rowCount ?? 0;
  const { rows: convs } = await db.query<{ id: string }>(
    `SELECT id::text FROM conversations WHERE tenant_id = $1 AND COALESCE(last_message_at, created_at) < ${CUTOFF} ORDER BY id FOR UPDATE`,
    [tenantId, days],
  );
  const ids = convs.map((c) => c.id);
  const { rows: msgs } = await db.query<{ n: number; wamids: string[] }>(
    `SELECT count(*)::int AS n, COALESCE(array_agg(wa_message_id) FILTER (WHERE wa_message_id IS NOT NULL), '{}') AS wamids
     FROM messages WHERE conversation_id = ANY($1::bigint[])`,
    [ids],
  );
  const { rows: media } = await db.query<{ storage_key: string | null }>(
    `DELETE FROM media_files WHERE tenant_id = $1 AND message_id IN (SELECT id FROM messages WHERE conversation_id = ANY($2::bigint[]))
     RETURNING storage_key`,
    [tenantId, ids],
  );
  await queueMediaDeletions(db, tenantId, [...new Set(media.flatMap((m) => (m.storage_key ? [m.storage_key] : [])))], "retention");
  const counts: RetentionCounts = {
    conversations: 0,
    messages: msgs[0]?.n ?? 0,
    mediaFiles: media.length,
    checkpoints: await deleteConversationCheckpoints(db, ids),
    orderAudit: await count("DELETE FROM order_audit WHERE tenant_id = $1 AND conversation_id = ANY($2::bigint[])", [tenantId, ids]),
    messageStatuses: 0,
    webhookEvents: 0,
    webhookDeliveries: 0,
    sandboxMessages: 0,
  };
  counts.conversations = await count("DELETE FROM conversations WHERE id = ANY($1::bigint[])", [ids]);
  // Statuses of the deleted messages, and statuses older than the cutoff whose message was never recorded.
  counts.messageStatuses = await count(
    `DELETE FROM message_statuses s WHERE s.tenant_id = $1 AND (s.wa_message_id = ANY($3::text[]) OR (s.created_at < ${CUTOFF}
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = s.tenant_id AND m.wa_message_id = s.wa_message_id)))`,
    [tenantId, days, msgs[0]?.wamids ?? []],
  );
  // A pending event is still to be processed, whatever its age.
  counts.webhookEvents = await count(`DELETE FROM webhook_events WHERE tenant_id = $1 AND created_at < ${CUTOFF} AND state <> 'pending'`, [
    tenantId,
    days,
  ]);
  // The raw archive has no tenant: a delivery goes when none of its remaining events belongs to anyone else (a
  // delivery with no events at all, e.g. an unexpected shape, goes with the first tenant's retention).
  counts.webhookDeliveries = await count(
    `DELETE FROM webhook_deliveries d WHERE d.received_at < ${CUTOFF}
       AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.delivery_id = d.id AND e.tenant_id IS DISTINCT FROM $1)`,
    [tenantId, days],
  );
  counts.sandboxMessages = await count(
    `DELETE FROM sandbox_messages WHERE created_at < ${CUTOFF}
       AND phone_number_id IN (SELECT phone_number_id FROM phone_numbers WHERE tenant_id = $1)`,
    [tenantId, days],
  );
  return counts;
}
