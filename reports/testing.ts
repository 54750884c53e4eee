/**
 * Test kit for the reports: writes a small conversation history with explicit timestamps, the rows the real system
 * writes (messages with their source, handoffs with resolution and CSAT, agent turns with decision and intent).
 * The expected figures are worked out by hand in the tests that use it; `REPORT_HISTORY` is the one story they
 * all read, so keep its comments and the tests in step.
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

/** Times are wall-clock in Europe/Madrid in January (UTC+1): `d10 09:00:00` is 2024-01-10T09:00:00+01:00. */
export const REPORT_TIME_ZONE = "Europe/Madrid";

/** `d10 09:00:30` → 2024-01-10T09:00:30+01:00 */
export function madrid(at: string): Date {
  const m = /^d(\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(at);
  if (!m) throw new Error(`bad time ${at}`);
  return new Date(`2024-01-${m[1]}T${m[2]}+01:00`);
}

type Msg = { key: string; at: string; dir: "in" | "out"; text?: string | null; source?: string; csat?: boolean; failed?: boolean };
type Turn = { at: string; messages: string[]; decision: string; intent: string | null; status?: string };
type Handoff = {
  created: string;
  reason: string;
  resolved?: string;
  csatRequested?: string;
  csatScore?: number;
  csatAnswered?: string;
};
type Story = { name: string; messages: Msg[]; turns?: Turn[]; handoffs?: Handoff[]; erased?: boolean };

/**
 * Seven conversations over 2024-01-10..12 (Madrid), plus one message on the 9th and one on the 13th around them.
 * C1 two bot-answered runs on the 10th · C2 starts at 00:30 on the 11th (still the 10th in UTC), no answer → handoff,
 * a person replies, resolves with CSAT 4 · C3 asks the same unanswered question twice, then a waiting handoff ·
 * C4 asks for a person on the 12th, CSAT never answered · C5 an erased customer (no texts) · C6 asked on the 9th,
 * answered just after midnight on the 10th · C7 asks at 23:50 on the 12th; the first reply failed, the next came on
 * the 13th.
 */
export const REPORT_HISTORY: Story[] = [
  {
    name: "C1",
    messages: [
      { key: "m1", at: "d10 09:00:00", dir: "in", text: "Where is my order?" },
      { key: "m2", at: "d10 09:00:30", dir: "out", source: "agent" },
      { key: "m3", at: "d10 09:05:00", dir: "in", text: "Thanks!" },
      { key: "m4", at: "d10 09:05:10", dir: "out", source: "agent" },
    ],
    turns: [
      { at: "d10 09:00:29", messages: ["m1"], decision: "answer", intent: "orders" },
      { at: "d10 09:05:09", messages: ["m3"], decision: "small_talk", intent: null },
    ],
  },
  {
    name: "C2",
    messages: [
      { key: "m5", at: "d11 00:30:00", dir: "in", text: "Do you ship to the Canary Islands?" },
      { key: "m6", at: "d11 00:30:20", dir: "out", source: "agent_handoff" },
      { key: "m7", at: "d11 00:40:00", dir: "in", text: "hello??" },
      { key: "m8", at: "d11 01:00:00", dir: "out", source: "agent:1" },
      { key: "m9", at: "d11 01:30:20", dir: "out", source: "agent:1", csat: true },
      { key: "m10", at: "d11 01:35:00", dir: "in", text: "★★★★ 4" },
    ],
    turns: [{ at: "d11 00:30:19", messages: ["m5"], decision: "no_answer", intent: "shipping", status: "escalated" }],
    handoffs: [
      {
        created: "d11 00:30:20",
        reason: "no_grounded_answer",
        resolved: "d11 01:30:20",
        csatRequested: "d11 01:30:20",
        csatScore: 4,
        csatAnswered: "d11 01:35:00",
      },
    ],
  },
  {
    name: "C3",
    messages: [
      { key: "m11", at: "d11 10:00:00", dir: "in", text: "Can I pay with PayPal?" },
      { key: "m12", at: "d11 10:01:00", dir: "out", source: "agent" },
      { key: "m13", at: "d11 10:02:00", dir: "in", text: "can i pay with  paypal??" },
      { key: "m14", at: "d11 10:02:40", dir: "out", source: "agent" },
    ],
    turns: [
      { at: "d11 10:00:58", messages: ["m11"], decision: "no_answer", intent: "payment", status: "stale" },
      { at: "d11 10:00:59", messages: ["m11"], decision: "no_answer", intent: "payment" },
      { at: "d11 10:02:39", messages: ["m13"], decision: "no_answer", intent: "payment" },
    ],
    handoffs: [{ created: "d11 10:05:00", reason: "anger" }],
  },
  {
    name: "C4",
    messages: [
      { key: "m15", at: "d12 08:00:00", dir: "in", text: "I want to talk to a person" },
      { key: "m16", at: "d12 08:00:05", dir: "out", source: "agent_handoff" },
      { key: "m17", at: "d12 08:05:00", dir: "in", text: "???" },
      { key: "m18", at: "d12 08:10:00", dir: "out", source: "agent:2" },
      { key: "m19", at: "d12 08:30:05", dir: "out", source: "agent:2", csat: true },
    ],
    turns: [{ at: "d12 08:00:04", messages: ["m15"], decision: "escalation", intent: "complaint", status: "escalated" }],
    handoffs: [{ created: "d12 08:00:05", reason: "customer_request", resolved: "d12 08:30:05", csatRequested: "d12 08:30:05" }],
  },
  {
    name: "C5",
    erased: true,
    messages: [
      { key: "m20", at: "d12 12:00:00", dir: "in", text: null },
      { key: "m21", at: "d12 12:00:10", dir: "out", source: "agent", text: null },
    ],
    turns: [{ at: "d12 12:00:09", messages: ["m20"], decision: "no_answer", intent: "orders" }],
  },
  {
    name: "C6",
    messages: [
      { key: "m22", at: "d09 23:50:00", dir: "in", text: "Are you open tomorrow?" },
      { key: "m23", at: "d10 00:00:10", dir: "out", source: "agent" },
    ],
    turns: [{ at: "d09 23:59:00", messages: ["m22"], decision: "answer", intent: "opening_hours" }],
    handoffs: [{ created: "d09 23:55:00", reason: "other", resolved: "d10 00:25:00" }],
  },
  {
    name: "C7",
    messages: [
      { key: "m24", at: "d12 23:50:00", dir: "in", text: "Is the store open on Sunday?" },
      { key: "m25", at: "d12 23:50:30", dir: "out", source: "agent", failed: true },
      { key: "m26", at: "d13 00:05:00", dir: "out", source: "agent" },
    ],
    turns: [{ at: "d12 23:50:29", messages: ["m24"], decision: "answer", intent: "opening_hours" }],
  },
];

let customerSeq = 0;

/** Writes `REPORT_HISTORY` (or another story list) for `tenantId`; returns message ids by key. */
export async function seedReportHistory(db: Queryable, tenantId: string, stories: Story[] = REPORT_HISTORY): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const story of stories) {
    customerSeq += 1;
    const waId = story.erased ? null : `34699${String(customerSeq).padStart(6, "0")}`;
    const { rows: cu } = await db.query<{ id: string }>(
      "INSERT INTO customers (tenant_id, wa_id, name, erased_at) VALUES ($1, $2, $3, $4) RETURNING id::text",
      [tenantId, waId, story.erased ? null : story.name, story.erased ? new Date() : null],
    );
    const { rows: cv } = await db.query<{ id: string }>(
      "INSERT INTO conversations (tenant_id, customer_id, phone_number_id) VALUES ($1, $2, $3) RETURNING id::text",
      [tenantId, cu[0]?.id, `pn-${tenantId}`],
    );
    const conversationId = cv[0]?.id as string;
    const handoffIds: string[] = [];
    for (const h of story.handoffs ?? []) handoffIds.push(await insertHandoff(db, tenantId, conversationId, h));
    for (const m of story.messages) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, source, status, idempotency_key, sent_at)
         VALUES ($1, $2, $3, 'text', $4, '{}', $5, $6, $7, $8) RETURNING id::text`,
        [
          tenantId,
          conversationId,
          m.dir === "in" ? "inbound" : "outbound",
          m.text === undefined ? (m.dir === "out" ? "a reply" : null) : m.text,
          m.source ?? null,
          m.dir === "in" ? "received" : m.failed ? "failed" : "delivered",
          m.csat ? `csat:${handoffIds[0]}` : null,
          madrid(m.at),
        ],
      );
      ids.set(m.key, rows[0]?.id as string);
    }
    for (const t of story.turns ?? []) {
      await db.query(
        `INSERT INTO agent_turns (tenant_id, conversation_id, message_ids, status, decision, intent, duration_ms, trace, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 100, '{}', $7)`,
        [tenantId, conversationId, t.messages.map((k) => ids.get(k)), t.status ?? "replied", t.decision, t.intent, madrid(t.at)],
      );
    }
  }
  return ids;
}

async function insertHandoff(db: Queryable, tenantId: string, conversationId: string, h: Handoff): Promise<string> {
  const at = (s: string | undefined) => (s ? madrid(s) : null);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO handoffs (tenant_id, conversation_id, status, reason, summary, created_at, resolved_at, csat_requested_at, csat_score,
                           csat_answered_at)
     VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8, $9) RETURNING id::text`,
    [
      tenantId,
      conversationId,
      h.resolved ? "resolved" : "waiting",
      h.reason,
      madrid(h.created),
      at(h.resolved),
      at(h.csatRequested),
      h.csatScore ?? null,
      at(h.csatAnswered),
    ],
  );
  return rows[0]?.id as string;
}
