/**
 * Runs one eval case in the eval world: resets the customer (a fresh conversation, the ERP as seeded), applies
 * the case's setup (opted out, ERP down, window closed), writes each customer turn through the signed webhook,
 * waits for every background loop to settle, and reads back what happened from the database: the agent's turns and
 * their traces, the handoff, the consent records and every message actually queued for the customer.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { textMessageBody } from "../../server/testing.ts";
import type { EvalWorld } from "./eval-world.ts";

const TurnSchema = z.union([
  z.string().min(1),
  z.strictObject({ text: z.string().min(1) }),
  /** Taps Yes or No on the last confirmation buttons the bot sent. */
  z.strictObject({ tap: z.enum(["yes", "no"]) }),
]);

export const CaseVarsSchema = z.object({
  /** The customer's messages in order; JSON text as promptfoo passes it (see lib/assemble.ts). */
  turns: z.preprocess((v) => (typeof v === "string" && v.startsWith("[") ? JSON.parse(v) : v), z.array(TurnSchema).min(1)),
  /** Phone number (digits) or BSUID ("US.1234…"); default: a number of its own. Demo ERP customer N is 1555010000N. */
  customer: z.union([z.string(), z.number()]).transform(String).optional(),
  /** The customer's messages reach us 25 h after they were written: the 24-hour window is closed. */
  windowClosed: z.boolean().default(false),
  /** The customer opted out (sent STOP) before the case. */
  optedOut: z.boolean().default(false),
  /** The order system does not answer (an HTTP ERP integration on a closed port). */
  erpDown: z.boolean().default(false),
});
export type CaseVars = z.input<typeof CaseVarsSchema>;

export type ToolCall = { name: string; args: unknown; ok: boolean | null; error: string | null };
export type Retrieved = { title: string; section: string | null; page: number | null; similarity: number | null };
export type TurnReport = {
  customer: string;
  status: string | null;
  decision: string | null;
  reason: string | null;
  language: string | null;
  reply: string;
  toolCalls: ToolCall[];
  retrieved: Retrieved[];
  flags: string[];
  /** What reached the outbox in answer to this turn. */
  sent: Outbound[];
};
export type Outbound = { source: string | null; category: string | null; type: string; text: string | null };

/** What the provider returns as JSON: the assertions' view of a case. */
export type CaseReport = {
  reply: string;
  language: string | null;
  decision: string | null;
  reason: string | null;
  toolCalls: ToolCall[];
  retrieved: Retrieved[];
  citations: string[];
  escalated: boolean;
  escalation: { reason: string; priority: string; language: string | null; summary: Record<string, unknown> } | null;
  flags: string[];
  outbound: Outbound[];
  consent: string | null;
  owner: string | null;
  turns: TurnReport[];
};

let nextCustomer = 0;

export async function runCase(world: EvalWorld, rawVars: Record<string, unknown>): Promise<CaseReport> {
  const vars = CaseVarsSchema.parse(rawVars);
  nextCustomer += 1;
  const customer = vars.customer ?? `4470${String(nextCustomer).padStart(7, "0")}`;
  return world.exclusive(async () => {
    await resetCustomer(world, customer);
    if (vars.erpDown)
      await setIntegration(world, JSON.parse(await readFile(join(import.meta.dirname, "..", "fixtures", "erp-outage.json"), "utf8")));
    try {
      if (vars.optedOut) await say(world, customer, "STOP", false);
      const setupOutbound = await outboundCount(world, customer);
      const turns: TurnReport[] = [];
      for (const turn of vars.turns) {
        const seen = await lastIds(world, customer);
        const text = await deliver(world, customer, turn, vars.windowClosed);
        turns.push(await readTurn(world, customer, text, seen));
      }
      return await readReport(world, customer, turns, setupOutbound);
    } finally {
      if (vars.erpDown) await setIntegration(world, { adapter: "demo" });
      await world.restoreErp();
    }
  });
}

async function resetCustomer(world: EvalWorld, customer: string): Promise<void> {
  await world.h.db.pool.query("DELETE FROM customers WHERE tenant_id = $1 AND (wa_id = $2 OR bsuid = $2)", [world.tenantId, customer]);
}

async function setIntegration(world: EvalWorld, config: unknown): Promise<void> {
  const res = await world.h.admin("/admin/integrations", {
    method: "PUT",
    body: JSON.stringify(config),
    headers: { "content-type": "application/json" },
  });
  if (res.status !== 200) throw new Error(`PUT /admin/integrations answered ${res.status}: ${await res.text()}`);
}

async function say(world: EvalWorld, from: string, text: string, backdate: boolean): Promise<void> {
  if (backdate) {
    // Meta redelivers for days; a message written 25 h ago leaves no window to answer in.
    const at = Math.floor(Date.now() / 1000) - 25 * 3600;
    const body = /^\d+$/.test(from)
      ? textMessageBody({ text, from, timestamp: at })
      : textMessageBody({ text, userId: from, timestamp: at });
    const res = await world.h.postWebhook(body);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  } else {
    const res = await world.h.admin("/sandbox/inbound", {
      method: "POST",
      body: JSON.stringify({ from, name: "Eval Customer", text }),
      headers: { "content-type": "application/json" },
    });
    if (res.status !== 202) throw new Error(`sandbox inbound answered ${res.status}: ${await res.text()}`);
  }
  await world.h.settle();
}

/** Sends one turn; returns what the customer wrote (a tap reads as its button title). */
async function deliver(world: EvalWorld, customer: string, turn: z.infer<typeof TurnSchema>, backdate: boolean): Promise<string> {
  if (typeof turn === "string" || "text" in turn) {
    const text = typeof turn === "string" ? turn : turn.text;
    await say(world, customer, text, backdate);
    return text;
  }
  const { rows } = await world.h.db.pool.query<{ buttons: { reply: { id: string; title: string } }[] }>(
    `SELECT m.body->'interactive'->'action'->'buttons' AS buttons FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN customers cu ON cu.id = c.customer_id
      WHERE cu.tenant_id = $1 AND (cu.wa_id = $2 OR cu.bsuid = $2) AND m.direction = 'outbound' AND m.type = 'interactive'
      ORDER BY m.id DESC LIMIT 1`,
    [world.tenantId, customer],
  );
  const button = rows[0]?.buttons?.find((b) => b.reply.id.endsWith(`:${turn.tap}`));
  if (!button) throw new Error(`no confirmation button "${turn.tap}" was sent to tap`);
  const res = await world.h.admin("/sandbox/inbound", {
    method: "POST",
    body: JSON.stringify({ from: customer, name: "Eval Customer", reply: { id: button.reply.id, title: button.reply.title } }),
    headers: { "content-type": "application/json" },
  });
  if (res.status !== 202) throw new Error(`sandbox inbound answered ${res.status}`);
  await world.h.settle();
  return `[tap ${button.reply.title}]`;
}

const CUSTOMER_JOIN = `JOIN conversations c ON c.id = x.conversation_id JOIN customers cu ON cu.id = c.customer_id
  WHERE cu.tenant_id = $1 AND (cu.wa_id = $2 OR cu.bsuid = $2)`;

async function lastIds(world: EvalWorld, customer: string): Promise<{ turn: number; message: number }> {
  const { rows } = await world.h.db.pool.query<{ turn: string | null; message: string | null }>(
    `SELECT (SELECT max(x.id) FROM agent_turns x ${CUSTOMER_JOIN}) AS turn,
            (SELECT max(x.id) FROM messages x ${CUSTOMER_JOIN} AND x.direction = 'outbound') AS message`,
    [world.tenantId, customer],
  );
  return { turn: Number(rows[0]?.turn ?? 0), message: Number(rows[0]?.message ?? 0) };
}

async function outboundCount(world: EvalWorld, customer: string): Promise<number> {
  return (await lastIds(world, customer)).message;
}

type TraceRow = {
  status: string;
  decision: string | null;
  reason: string | null;
  language: string | null;
  reply: string | null;
  trace: {
    toolCalls?: { name: string; args: unknown; result: string }[];
    retrieval?: { hits: { title: string; section: string | null; page: number | null; similarity: number | null }[] } | null;
    flags?: string[];
  };
};

async function readTurn(world: EvalWorld, customer: string, text: string, seen: { turn: number; message: number }): Promise<TurnReport> {
  const pool = world.h.db.pool;
  const { rows } = await pool.query<TraceRow>(
    `SELECT x.status, x.decision, x.reason, x.language, x.reply, x.trace FROM agent_turns x ${CUSTOMER_JOIN}
       AND x.id > $3 AND x.status <> 'stale' ORDER BY x.id`,
    [world.tenantId, customer, seen.turn],
  );
  const turn = rows.at(-1);
  return {
    customer: text,
    status: turn?.status ?? null,
    decision: turn?.decision ?? null,
    reason: turn?.reason ?? null,
    language: turn?.language ?? null,
    reply: turn?.reply ?? "",
    toolCalls: rows.flatMap((r) => (r.trace.toolCalls ?? []).map(toToolCall)),
    retrieved: (turn?.trace.retrieval?.hits ?? []).map((h) => ({
      title: h.title,
      section: h.section,
      page: h.page,
      similarity: h.similarity,
    })),
    flags: rows.flatMap((r) => r.trace.flags ?? []),
    sent: await readOutbound(world, customer, seen.message),
  };
}

function toToolCall(c: { name: string; args: unknown; result: string }): ToolCall {
  try {
    const r = JSON.parse(c.result) as { ok?: boolean; error?: string };
    return { name: c.name, args: c.args, ok: typeof r.ok === "boolean" ? r.ok : null, error: r.error ?? null };
  } catch {
    return { name: c.name, args: c.args, ok: null, error: null };
  }
}

async function readOutbound(world: EvalWorld, customer: string, afterId: number): Promise<Outbound[]> {
  const { rows } = await world.h.db.pool.query<Outbound>(
    `SELECT x.source, x.category, x.type, x.text FROM messages x ${CUSTOMER_JOIN} AND x.direction = 'outbound' AND x.id > $3 ORDER BY x.id`,
    [world.tenantId, customer, afterId],
  );
  return rows;
}

async function readReport(world: EvalWorld, customer: string, turns: TurnReport[], setupOutbound: number): Promise<CaseReport> {
  const pool = world.h.db.pool;
  const handoff = await pool.query<{ reason: string; priority: string; language: string | null; summary: Record<string, unknown> }>(
    `SELECT x.reason, x.priority, x.language, x.summary FROM handoffs x ${CUSTOMER_JOIN} ORDER BY x.id DESC LIMIT 1`,
    [world.tenantId, customer],
  );
  const state = await pool.query<{ owner: string; consent: string | null }>(
    `SELECT c.owner, (SELECT k.action FROM consents k WHERE k.customer_id = cu.id ORDER BY k.id DESC LIMIT 1) AS consent
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.tenant_id = $1 AND (cu.wa_id = $2 OR cu.bsuid = $2)`,
    [world.tenantId, customer],
  );
  const last = turns.at(-1) as TurnReport;
  const escalation = handoff.rows[0] ?? null;
  return {
    reply: last.reply,
    language: last.language,
    decision: last.decision,
    reason: last.reason,
    toolCalls: turns.flatMap((t) => t.toolCalls),
    retrieved: last.retrieved,
    citations: [...last.reply.matchAll(/^(?:Source|Fuente|Fonte|Quelle|Fonte|Kaynak|Sumber|स्रोत|المصدر|来源|出典)\s*[:：]\s*(.+)$/gmu)].map(
      (m) => (m[1] ?? "").trim(),
    ),
    escalated: escalation !== null,
    escalation,
    flags: [...new Set(turns.flatMap((t) => t.flags))],
    outbound: await readOutbound(world, customer, setupOutbound),
    consent: state.rows[0]?.consent ?? null,
    owner: state.rows[0]?.owner ?? null,
    turns,
  };
}
