/**
 * What agents read: the queue and their conversations (with service levels: time to first human reply and a
 * waiting-too-long flag), and one conversation with everything needed to help without asking the customer to
 * repeat themselves: transcript with statuses, the bot's summary, notes, customer profile, window state and the
 * customer's ERP orders.
 */
import type pg from "pg";
import { readConsent } from "../compliance/consent-store.ts";
import { listTemplates } from "../compliance/template-store.ts";
import { readWindow } from "../compliance/window.ts";
import { listMessages, type MessageView } from "../conversations/conversation-store.ts";
import { listMyOrders, type OrderDeps } from "../tools/orders/order-service.ts";
import type { HandoffSummary } from "./handoff-store.ts";
import type { MessageTranslator } from "./message-translator.ts";

type Queryable = Pick<pg.ClientBase, "query">;

export type HandoffListItem = {
  id: string;
  conversationId: string;
  customer: { name: string | null; waId: string | null; userId: string | null; username: string | null };
  reason: string;
  summary: HandoffSummary;
  priority: string;
  language: string | null;
  skill: string | null;
  status: "waiting" | "assigned" | "resolved";
  waitingSince: string;
  assignee: { id: string; name: string } | null;
  assignedAt: string | null;
  firstHumanReplyAt: string | null;
  /** Service level: seconds from the handoff to the first human message (null until then). */
  timeToFirstReplySeconds: number | null;
  /** Open with no human reply for longer than the configured threshold. */
  waitingTooLong: boolean;
  resolvedAt: string | null;
  csatScore: number | null;
};

export type HandoffFilter = "waiting" | "mine" | "all";

const SELECT_HANDOFF = `SELECT h.*, h.id::text AS hid, h.conversation_id::text AS cid, a.id::text AS agent_id, a.name AS agent_name,
    cu.name AS customer_name, cu.wa_id, cu.bsuid, cu.username,
    extract(epoch FROM h.first_human_reply_at - h.created_at)::float8 AS ttfr,
    (h.status <> 'resolved' AND h.first_human_reply_at IS NULL AND h.created_at < now() - make_interval(secs => $2)) AS too_long
  FROM handoffs h JOIN conversations c ON c.id = h.conversation_id JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN agents a ON a.id = h.assignee_id`;

/** Waiting: the queue in routing order. Mine: the agent's open handoffs. All: every handoff, newest first. */
export async function listHandoffs(
  db: Queryable,
  tenantId: string,
  opts: { filter: HandoffFilter; agentId: string; waitAlertSeconds: number; limit?: number },
): Promise<HandoffListItem[]> {
  const where = {
    waiting: "h.status = 'waiting' ORDER BY h.priority_rank DESC, h.created_at, h.id",
    mine: "h.status = 'assigned' AND h.assignee_id = $3 ORDER BY h.assigned_at, h.id",
    all: "true ORDER BY h.id DESC",
  }[opts.filter];
  const { rows } = await db.query(`${SELECT_HANDOFF} WHERE h.tenant_id = $1 AND ($3::bigint IS NOT NULL) AND ${where} LIMIT $4`, [
    tenantId,
    opts.waitAlertSeconds,
    opts.agentId,
    opts.limit ?? 200,
  ]);
  return rows.map(toItem);
}

export async function getHandoff(
  db: Queryable,
  tenantId: string,
  id: string,
  waitAlertSeconds: number,
): Promise<HandoffListItem | undefined> {
  const { rows } = await db.query(`${SELECT_HANDOFF} WHERE h.tenant_id = $1 AND h.id = $3`, [tenantId, waitAlertSeconds, id]);
  return rows[0] ? toItem(rows[0]) : undefined;
}

function toItem(r: Record<string, unknown>): HandoffListItem {
  return {
    id: r.hid as string,
    conversationId: r.cid as string,
    customer: {
      name: r.customer_name as string | null,
      waId: r.wa_id as string | null,
      userId: r.bsuid as string | null,
      username: r.username as string | null,
    },
    reason: r.reason as string,
    summary: r.summary as HandoffSummary,
    priority: r.priority as string,
    language: r.language as string | null,
    skill: r.skill as string | null,
    status: r.status as HandoffListItem["status"],
    waitingSince: (r.created_at as Date).toISOString(),
    assignee: r.agent_id ? { id: r.agent_id as string, name: r.agent_name as string } : null,
    assignedAt: iso(r.assigned_at),
    firstHumanReplyAt: iso(r.first_human_reply_at),
    timeToFirstReplySeconds: r.ttfr === null ? null : Math.round(r.ttfr as number),
    waitingTooLong: r.too_long === true,
    resolvedAt: iso(r.resolved_at),
    csatScore: (r.csat_score as number | null) ?? null,
  };
}

function iso(v: unknown): string | null {
  return v instanceof Date ? v.toISOString() : null;
}

export type TranscriptItem = MessageView & {
  by: "customer" | "bot" | "human" | "system";
  agentName: string | null;
  /** A human reply sent translated into the customer's language. */
  translated: boolean;
  /** The customer's message in the agent's language, when the agent asked for translations. */
  translation: string | null;
};
export type Note = { id: string; kind: "note" | "event"; text: string; agentName: string | null; createdAt: string };

export type ConversationView = {
  conversation: { id: string; owner: string; botContextSince: string | null };
  window: { open: boolean; expiresAt: string | null };
  /** Approved templates, for the picker when the window is closed. */
  templates: { name: string; language: string; category: string; body: string; parameters: number }[];
  handoff: HandoffListItem | null;
  transcript: TranscriptItem[];
  notes: Note[];
  customer: {
    id: string;
    name: string | null;
    identities: { waId: string | null; userId: string | null; username: string | null };
    language: string | null;
    marketingConsent: "opted_in" | "opted_out" | "none";
    tags: string[];
  };
  orders: { ok: true; items: unknown[] } | { ok: false; reason: string };
};

/** One conversation for the agent view; `undefined` when it is not the tenant's. */
export async function getConversationView(
  deps: { pool: pg.Pool; orders?: OrderDeps | undefined; waitAlertSeconds: number },
  tenantId: string,
  conversationId: string,
): Promise<ConversationView | undefined> {
  const { pool } = deps;
  const { rows } = await pool.query(
    `SELECT c.owner, c.bot_context_since, cu.id::text AS customer_id, cu.name, cu.wa_id, cu.bsuid, cu.username
     FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1 AND c.tenant_id = $2`,
    [conversationId, tenantId],
  );
  const conv = rows[0];
  if (!conv) return undefined;
  const [messages, window, templates, consent, notes, handoffRows, agents] = await Promise.all([
    listMessages(pool, tenantId, conversationId, { limit: 500 }),
    readWindow(pool, tenantId, conversationId),
    listTemplates(pool, tenantId, { status: "approved" }),
    readConsent(pool, conv.customer_id),
    pool.query(
      `SELECT n.id::text, n.kind, n.text, n.created_at, a.name FROM conversation_notes n LEFT JOIN agents a ON a.id = n.agent_id
       WHERE n.conversation_id = $1 ORDER BY n.id`,
      [conversationId],
    ),
    pool.query("SELECT id::text FROM handoffs WHERE conversation_id = $1 ORDER BY (status <> 'resolved') DESC, id DESC LIMIT 1", [
      conversationId,
    ]),
    pool.query<{ id: string; name: string }>("SELECT id::text, name FROM agents WHERE tenant_id = $1", [tenantId]),
  ]);
  const agentNames = new Map(agents.rows.map((a) => [a.id, a.name]));
  const handoffId = handoffRows.rows[0]?.id as string | undefined;
  const handoff = handoffId ? ((await getHandoff(pool, tenantId, handoffId, deps.waitAlertSeconds)) ?? null) : null;
  return {
    conversation: { id: conversationId, owner: conv.owner, botContextSince: iso(conv.bot_context_since) },
    window: { open: window?.open ?? false, expiresAt: window?.expiresAt?.toISOString() ?? null },
    templates: templates.map((t) => ({
      name: t.name,
      language: t.language,
      category: t.category,
      body: t.body,
      parameters: t.parameters.length,
    })),
    handoff,
    transcript: (messages ?? []).map((m) => {
      const human = /^agent:(\d+)(:translated)?$/.exec(m.source ?? "");
      const agentId = human?.[1] ?? null;
      const by: TranscriptItem["by"] =
        m.direction === "inbound"
          ? "customer"
          : agentId
            ? "human"
            : m.source === "system" || m.source?.startsWith("sandbox")
              ? "system"
              : "bot";
      return {
        ...m,
        by,
        agentName: agentId ? (agentNames.get(agentId) ?? null) : null,
        translated: Boolean(human?.[2]),
        translation: null,
      };
    }),
    notes: notes.rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      text: n.text,
      agentName: n.name ?? null,
      createdAt: (n.created_at as Date).toISOString(),
    })),
    customer: {
      id: conv.customer_id,
      name: conv.name,
      identities: { waId: conv.wa_id, userId: conv.bsuid, username: conv.username },
      language: handoff?.language ?? null,
      marketingConsent: consent,
      tags: [handoff?.skill, handoff?.reason].filter((t): t is string => Boolean(t)),
    },
    orders: await readOrders(deps.orders, tenantId, conversationId, conv),
  };
}

async function readOrders(
  orders: OrderDeps | undefined,
  tenantId: string,
  conversationId: string,
  conv: { wa_id: string | null; bsuid: string | null },
): Promise<ConversationView["orders"]> {
  if (!orders) return { ok: false, reason: "no ERP configured" };
  try {
    const r = await listMyOrders(orders, { tenantId, conversationId, customer: { bsuid: conv.bsuid, phone: conv.wa_id } }, { limit: 10 });
    return r.ok ? { ok: true, items: r.orders } : { ok: false, reason: r.message };
  } catch (err) {
    return { ok: false, reason: `ERP unavailable: ${(err as Error).message}` };
  }
}

/** Fills `translation` on the customer's messages, in the agent's language. */
export async function translateCustomerMessages(view: ConversationView, translator: MessageTranslator, language: string): Promise<void> {
  const inbound = view.transcript.filter((m) => m.by === "customer" && m.text);
  const translated = await translator.translate(
    inbound.map((m) => m.text as string),
    language,
  );
  inbound.forEach((m, i) => {
    m.translation = translated[i] ?? null;
  });
}

/** The customer's language as the bot detected it for the latest handoff, if any. */
export async function readCustomerLanguage(db: Queryable, tenantId: string, conversationId: string): Promise<string | null> {
  const { rows } = await db.query<{ language: string | null }>(
    "SELECT language FROM handoffs WHERE tenant_id = $1 AND conversation_id = $2 AND language IS NOT NULL ORDER BY id DESC LIMIT 1",
    [tenantId, conversationId],
  );
  return rows[0]?.language ?? null;
}
