/**
 * The extractive hand-off summary (no model needed): what the customer wants (their latest words), the facts
 * gathered (order numbers, items and statuses from tool results, passages consulted), what the bot tried, the
 * sentiment from the anger score, and a next step that follows from the escalation reason.
 */
import type { BaseMessage } from "@langchain/core/messages";
import type { HandoffSummary } from "../handoff/handoff-store.ts";
import type { AgentStateValue, Escalation } from "./state.ts";
import { angerScore, isGreetingOnly } from "./text/triggers.ts";
import type { TurnContext } from "./turn-context.ts";

const ORDER_ID = /#[A-Za-z]{0,3}\d{3,12}\b/g;

const NEXT_STEP: Record<Escalation["reason"], string> = {
  customer_request: "Greet the customer, say you are taking over, and pick up from what they want.",
  no_grounded_answer: "Answer the question the bot could not ground; consider adding the answer to the knowledge base.",
  tool_unavailable: "Look the order up in the ERP directly: the order system did not answer the bot.",
  sensitive_topic: "Handle under the business's policy for this topic; do not admit liability or promise refunds before checking.",
  anger: "Apologise, acknowledge the problem and resolve it quickly; the customer is upset.",
  model_error: "Answer the customer's last message: the AI model failed on it.",
  other: "Read the conversation and take over.",
};

export function extractSummary(state: AgentStateValue, turn: TurnContext, escalation: Escalation): HandoffSummary {
  const humanTexts = [...state.history.filter((m) => m.getType() === "human").map(textOf), state.turnText].filter(
    (t) => t.trim() !== "" && !isGreetingOnly(t),
  );
  const wants = humanTexts.at(-1) ?? state.turnText;
  const facts = new Set<string>();
  for (const t of humanTexts) for (const id of t.match(ORDER_ID) ?? []) facts.add(`order ${id}`);
  for (const call of turn.trace.toolCalls) {
    const fact = factFromToolResult(call.result);
    if (fact) facts.add(fact);
  }
  const botTried: string[] = [];
  if (turn.trace.retrieval && turn.trace.retrieval.hits.length > 0) {
    const best = turn.trace.retrieval.hits[0];
    botTried.push(`searched the knowledge base (best: ${best?.title}${best?.section ? ` › ${best.section}` : ""})`);
  }
  for (const call of turn.trace.toolCalls) botTried.push(`called ${call.name}(${JSON.stringify(call.args)})`);
  const earlierReplies = state.history.filter((m) => m.getType() === "ai").length;
  if (earlierReplies > 0) botTried.push(`answered ${earlierReplies} earlier message${earlierReplies === 1 ? "" : "s"}`);
  botTried.push(`escalated: ${escalation.reason} (${escalation.why})`);
  const anger = Math.max(...humanTexts.slice(-3).map(angerScore), 0);
  return {
    customerWants: truncate(wants, 300),
    facts: [...facts].slice(0, 10).map((f) => truncate(f, 200)),
    botTried: botTried.slice(0, 10).map((b) => truncate(b, 200)),
    sentiment: escalation.reason === "anger" || anger >= 4 ? "angry" : anger >= 2 ? "negative" : "neutral",
    suggestedNextStep: NEXT_STEP[escalation.reason],
  };
}

function factFromToolResult(result: string): string | null {
  try {
    const r = JSON.parse(result) as {
      ok?: boolean;
      order?: { order_id: string; status: string; items?: { name: string }[] };
      orders?: unknown[];
    };
    if (r.ok && r.order)
      return `order ${r.order.order_id}: ${r.order.status}${r.order.items ? ` (${r.order.items.map((i) => i.name).join(", ")})` : ""}`;
    if (r.ok && Array.isArray(r.orders)) return `${r.orders.length} recent orders on file`;
  } catch {
    return null;
  }
  return null;
}

function textOf(m: BaseMessage): string {
  return typeof m.content === "string" ? m.content : "";
}

function truncate(s: string, n: number): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
