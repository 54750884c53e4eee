/**
 * What one invocation of the graph needs besides its state, passed as `configurable.turn`: the conversation's
 * identity, the tenant profile, the tools bound to this conversation, a tapped confirmation button, and the trace
 * recorder every node writes to. Nothing in it comes from the model.
 */
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { OrderContext } from "../tools/orders/order-service.ts";
import type { TenantProfile } from "./profile.ts";

export type TraceEntry = { node: string; ms: number };
export type ToolTrace = { name: string; args: unknown; result: string; ms: number };
export type RetrievalTrace = {
  query: string;
  hits: { n: number; title: string; section: string | null; page: number | null; score: number; similarity: number | null }[];
  droppedInjections: number;
};

/** Collected while a turn runs; stored in `agent_turns.trace` and served by GET /admin/conversations/:id/turns. */
export type TurnTrace = {
  nodes: TraceEntry[];
  retrieval: RetrievalTrace | null;
  toolCalls: ToolTrace[];
  model: { provider: string; model: string; calls: number; inputTokens: number; outputTokens: number; costUsd: number | null; ms: number };
  masked: string[];
  flags: string[];
};

export function createTurnTrace(provider: string, model: string): TurnTrace {
  return {
    nodes: [],
    retrieval: null,
    toolCalls: [],
    model: { provider, model, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null, ms: 0 },
    masked: [],
    flags: [],
  };
}

export type TurnContext = {
  tenantId: string;
  conversationId: string;
  profile: TenantProfile;
  tools: StructuredToolInterface[];
  /** The order tools' context, for confirming a proposed change (null: no order system in this graph). */
  orderContext: OrderContext | null;
  /** A tapped Yes/No button on a proposed order change. */
  buttonReply: { pendingActionId: string; decision: "yes" | "no" } | null;
  trace: TurnTrace;
};

/** The turn context of a node's config; throws when the graph was invoked without one. */
export function turnOf(config: LangGraphRunnableConfig | undefined): TurnContext {
  const turn = config?.configurable?.turn as TurnContext | undefined;
  if (!turn) throw new Error("agent graph invoked without configurable.turn");
  return turn;
}
