/**
 * One turn through the compiled graph, without WhatsApp around it: the in-process API the turn runner, the evals
 * (issue 8) and the benchmark call. Give it the customer's text (it is masked here, before any node sees it) and
 * the conversation's context; get back the reply, the decision and the trace.
 */
import type { RemoveMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { OrderContext } from "../tools/orders/order-service.ts";
import type { AgentGraph } from "./graph.ts";
import type { TenantProfile } from "./profile.ts";
import { type Escalation, type Outcome, turnInput } from "./state.ts";
import { redactSecrets } from "./text/redact.ts";
import { createTurnTrace, type TurnContext, type TurnTrace } from "./turn-context.ts";

export type TurnRequest = {
  tenantId: string;
  conversationId: string;
  /** Checkpoint thread; the runner uses `<conversation>:<bot context start>` so a hand-back starts a fresh context. */
  threadId: string;
  text: string;
  profile: TenantProfile;
  tools?: StructuredToolInterface[];
  orderContext?: OrderContext | null;
  buttonReply?: TurnContext["buttonReply"];
  /** Messages of a dropped (stale) reply to take out of the history first. */
  removeFromHistory?: RemoveMessage[];
  provider: { provider: string; model: string };
};

export type TurnResult = {
  reply: string;
  outcome: Outcome | null;
  escalation: Escalation | null;
  grounded: boolean | null;
  reason: string | null;
  language: string;
  trace: TurnTrace;
  /** Ids of the history messages this turn added (to remove them if the reply goes stale). */
  addedMessageIds: string[];
  durationMs: number;
};

export async function invokeTurn(graph: AgentGraph, req: TurnRequest): Promise<TurnResult> {
  const started = performance.now();
  const { text, masked } = redactSecrets(req.text);
  const trace = createTurnTrace(req.provider.provider, req.provider.model);
  trace.masked = masked;
  const turn: TurnContext = {
    tenantId: req.tenantId,
    conversationId: req.conversationId,
    profile: req.profile,
    tools: req.tools ?? [],
    orderContext: req.orderContext ?? null,
    buttonReply: req.buttonReply ?? null,
    trace,
  };
  const input = turnInput(text, req.removeFromHistory?.length ? { history: req.removeFromHistory } : {});
  // durability "exit": one checkpoint write per turn instead of one per node (the turn is the unit of work).
  const state = await graph.invoke(input, { configurable: { thread_id: req.threadId, turn }, durability: "exit" });
  const added = state.history
    .slice(-2)
    .map((m) => m.id)
    .filter((id): id is string => typeof id === "string");
  return {
    reply: state.replyText ?? "",
    outcome: state.outcome,
    escalation: state.escalation,
    grounded: state.grounded,
    reason: state.reason,
    language: state.language,
    trace,
    addedMessageIds: added,
    durationMs: performance.now() - started,
  };
}
