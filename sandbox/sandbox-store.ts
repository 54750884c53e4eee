/**
 * SQL for `sandbox_messages` (migrations/002_outbox.sql): every message the business sent through the fake Graph
 * API, as received. Recipients are stored normalized (digits without `+`, or the BSUID).
 */
import type pg from "pg";

export type SandboxMessageRow = {
  /** The row id, a paging cursor only. */
  seq: string;
  wamid: string;
  phoneNumberId: string;
  recipient: string;
  type: string;
  body: Record<string, unknown>;
  createdAt: string;
};

type DbRow = {
  id: string;
  wamid: string;
  phone_number_id: string;
  recipient: string;
  type: string;
  body: Record<string, unknown>;
  created_at: Date;
};

const COLUMNS = "id::text AS id, wamid, phone_number_id, recipient, type, body, created_at";

function toRow(r: DbRow): SandboxMessageRow {
  return {
    seq: r.id,
    wamid: r.wamid,
    phoneNumberId: r.phone_number_id,
    recipient: r.recipient,
    type: r.type,
    body: r.body,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Records one accepted message. */
export async function insertSandboxMessage(
  pool: pg.Pool,
  message: { wamid: string; phoneNumberId: string; recipient: string; type: string; body: Record<string, unknown>; receivedAt?: Date },
): Promise<SandboxMessageRow> {
  const { rows } = await pool.query<DbRow>(
    `INSERT INTO sandbox_messages (wamid, phone_number_id, recipient, type, body, created_at) VALUES ($1, $2, $3, $4, $5, COALESCE($6, now())) RETURNING ${COLUMNS}`,
    [message.wamid, message.phoneNumberId, message.recipient, message.type, JSON.stringify(message.body), message.receivedAt ?? null],
  );
  return toRow(rows[0] as DbRow);
}

export type ListResult = { ok: true; messages: SandboxMessageRow[] } | { ok: false; reason: "unknown_cursor" };

/** Oldest first, optionally for one recipient and only after the message `afterWamid`. */
export async function listSandboxMessages(
  pool: pg.Pool,
  opts: { recipient?: string | undefined; afterWamid?: string | undefined; limit: number },
): Promise<ListResult> {
  let after = "0";
  if (opts.afterWamid !== undefined) {
    const { rows } = await pool.query<{ id: string }>("SELECT id::text AS id FROM sandbox_messages WHERE wamid = $1", [opts.afterWamid]);
    if (!rows[0]) return { ok: false, reason: "unknown_cursor" };
    after = rows[0].id;
  }
  const { rows } = await pool.query<DbRow>(
    `SELECT ${COLUMNS} FROM sandbox_messages
      WHERE id > $1::bigint AND ($2::text IS NULL OR recipient = $2)
      ORDER BY id LIMIT $3`,
    [after, opts.recipient ?? null, opts.limit],
  );
  return { ok: true, messages: rows.map(toRow) };
}

/** The `limit` most recent messages to one recipient, oldest first (what a chat screen shows). */
export async function listLatestSandboxMessages(pool: pg.Pool, recipient: string, limit: number): Promise<SandboxMessageRow[]> {
  const { rows } = await pool.query<DbRow>(
    `SELECT * FROM (SELECT ${COLUMNS} FROM sandbox_messages WHERE recipient = $1 ORDER BY id DESC LIMIT $2) latest ORDER BY id`,
    [recipient, limit],
  );
  return rows.map(toRow);
}
