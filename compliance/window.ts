/**
 * The 24-hour customer-service window: free-form messages only within 24 h of the customer's last inbound
 * message; templates any time. Meta's clock wins: a 131047 ("more than 24 hours have passed") closes the window
 * early until the customer writes again.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
import type pg from "pg";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export type WindowState = { open: boolean; expiresAt: Date | null };

type Queryable = Pick<pg.Pool, "query">;

/** Pure rule, so tests can probe the boundaries. */
export function windowState(lastInboundAt: Date | null, closedAt: Date | null, now: Date): WindowState {
  if (!lastInboundAt) return { open: false, expiresAt: null };
  const expiresAt = new Date(lastInboundAt.getTime() + WINDOW_MS);
  const closedEarly = closedAt !== null && closedAt.getTime() >= lastInboundAt.getTime();
  return { open: !closedEarly && now.getTime() < expiresAt.getTime(), expiresAt };
}

/** Reads a conversation's window; `undefined` when the conversation is not the tenant's. */
export async function readWindow(
  db: Queryable,
  tenantId: string,
  conversationId: string,
  now = new Date(),
): Promise<WindowState | undefined> {
  const { rows } = await db.query<{ last_inbound_at: Date | null; window_closed_at: Date | null }>(
    "SELECT last_inbound_at, window_closed_at FROM conversations WHERE id = $1 AND tenant_id = $2",
    [conversationId, tenantId],
  );
  const row = rows[0];
  return row ? windowState(row.last_inbound_at, row.window_closed_at, now) : undefined;
}

/** Records that Meta refused a free-form message as outside the window (error 131047). */
export async function closeWindow(db: Queryable, conversationId: string): Promise<void> {
  await db.query("UPDATE conversations SET window_closed_at = now() WHERE id = $1", [conversationId]);
}
