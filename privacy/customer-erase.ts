/**
 * GDPR erasure of one customer (`DELETE /admin/customers/:id`). The database part runs in one transaction under
 * the customer row's lock: every step of `ERASE_STEPS`, the media rows, and the audit row. The media files are
 * removed from storage after COMMIT (see media-deletions.ts). The customer row stays as an anonymous anchor with
 * `erased_at` set, so conversation and message counts in reports do not change.
 */
import type pg from "pg";
import { withTransaction } from "../lib/db.ts";
import type { Logger } from "../lib/logger.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import type { MediaStorage } from "../whatsapp/media/media-storage.ts";
import { ERASE_STEPS, type EraseSubject } from "./erase-steps.ts";
import { drainMediaDeletions, queueMediaDeletions } from "./media-deletions.ts";

export type PrivacyDeps = { pool: pg.Pool; storage: MediaStorage; logger: Logger };

export type EraseResult =
  | { status: "erased"; erasedAt: string; counts: Record<string, number> }
  | { status: "already_erased"; erasedAt: string }
  | { status: "not_found" };

// Substring matching in raw bodies needs identifiers long enough not to match unrelated text.
const MIN_IDENTIFIER_LENGTH = 5;

/**
 * Erases the customer's personal data. A second call answers `already_erased`; it re-applies the scrub (idempotent)
 * and retries pending file deletes.
 */
export async function eraseCustomer(deps: PrivacyDeps, tenantId: string, customerId: string, actor: string): Promise<EraseResult> {
  const result = await withTransaction(deps.pool, async (tx): Promise<EraseResult> => {
    const { rows } = await tx.query<{ bsuid: string | null; wa_id: string | null; username: string | null; erased_at: Date | null }>(
      "SELECT bsuid, wa_id, username, erased_at FROM customers WHERE id = $1 AND tenant_id = $2 FOR UPDATE",
      [customerId, tenantId],
    );
    const customer = rows[0];
    if (!customer) return { status: "not_found" };
    const subject = await loadSubject(tx, tenantId, customerId, customer);
    const counts: Record<string, number> = {};
    counts.mediaFiles = await deleteMediaRows(tx, subject);
    for (const step of ERASE_STEPS) counts[step.name] = await step.run(tx, subject);
    // Again on an erased customer: the identities are gone, but the conversation-scoped steps scrub whatever a
    // turn, a send or an inbound message that was in flight during the first erasure wrote afterwards.
    if (customer.erased_at) return { status: "already_erased", erasedAt: customer.erased_at.toISOString() };
    await recordAdminAudit(tx, {
      tenantId,
      actor,
      action: "customer.erase",
      subjectType: "customer",
      subjectId: customerId,
      details: { conversations: subject.conversationIds.length, counts },
    });
    // now() is the transaction's start, the erased_at the profile step wrote.
    const { rows: at } = await tx.query<{ now: Date }>("SELECT now()");
    return { status: "erased", erasedAt: new Date(at[0]?.now ?? Date.now()).toISOString(), counts };
  });
  if (result.status !== "not_found") {
    const drained = await drainMediaDeletions(deps, { tenantId });
    if (result.status === "erased") result.counts.mediaFilesRemovedFromStorage = drained.deleted;
  }
  deps.logger.info({ tenantId, customerId, status: result.status }, "customer erasure");
  return result;
}

async function loadSubject(
  tx: pg.PoolClient,
  tenantId: string,
  customerId: string,
  c: { bsuid: string | null; wa_id: string | null; username: string | null },
): Promise<EraseSubject> {
  const { rows: convs } = await tx.query<{ id: string }>("SELECT id::text FROM conversations WHERE customer_id = $1 ORDER BY id", [
    customerId,
  ]);
  const conversationIds = convs.map((r) => r.id);
  const { rows: msgs } = await tx.query<{ id: string; wamid: string | null; media_id: string | null }>(
    `SELECT id::text, wa_message_id AS wamid, payload -> type ->> 'id' AS media_id FROM messages
     WHERE conversation_id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [conversationIds],
  );
  const present = (v: string | null): v is string => v !== null && v !== "";
  return {
    tenantId,
    customerId,
    conversationIds,
    messageIds: msgs.map((m) => m.id),
    wamids: msgs.map((m) => m.wamid).filter(present),
    mediaIds: msgs.map((m) => m.media_id).filter(present),
    userKeys: [c.bsuid, c.wa_id, c.username ? `username:${c.username}` : null].filter(present),
    identifiers: [c.bsuid, c.wa_id].filter((v): v is string => present(v) && v.length >= MIN_IDENTIFIER_LENGTH),
  };
}

/** Deletes the customer's media rows and queues their files for deletion from storage. */
async function deleteMediaRows(tx: pg.PoolClient, s: EraseSubject): Promise<number> {
  const { rows } = await tx.query<{ storage_key: string | null }>(
    `DELETE FROM media_files WHERE tenant_id = $1 AND (message_id = ANY($2::bigint[]) OR media_id = ANY($3::text[]))
     RETURNING storage_key`,
    [s.tenantId, s.messageIds, s.mediaIds],
  );
  const keys = [...new Set(rows.map((r) => r.storage_key).filter((k): k is string => k !== null))];
  await queueMediaDeletions(tx, s.tenantId, keys, "erase");
  return rows.length;
}
