/**
 * The agent as a state machine (issue 6):
 *
 *   START → guard ─┬─ confirm ─┬─ reply → END
 *                  │           └─ retrieve (a typed "yes" with nothing pending is an ordinary message)
 *                  ├─ escalate → END
 *                  ├─ reply → END                     (bot disclosure, refusals: decided without a model)
 *                  └─ retrieve → respond ⇄ tools
 *                                   └─ check ─┬─ reply → END
 *                                             └─ escalate → END
 *
 * `buildAgentGraph` returns the uncompiled builder (tests compile it with MemorySaver); `compileAgentGraph` adds
 * the checkpointer. Every node is timed into the turn's trace.
 */

import type { AIMessage } from "@langchain/core/messages";
import { type BaseCheckpointSaver, END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph";
import type { OrderDeps } from "../tools/orders/order-service.ts";
import type { AgentModel } from "./model/model-port.ts";
import { checkNode } from "./nodes/check.ts";
import { createConfirmNode } from "./nodes/confirm.ts";
import { createEscalateNode, type HandoffPort } from "./nodes/escalate.ts";
import { guardNode } from "./nodes/guard.ts";
import { replyNode } from "./nodes/reply.ts";
import { createRespondNode } from "./nodes/respond.ts";
import { createRetrieveNode, type SearchFn } from "./nodes/retrieve.ts";
import { toolsNode } from "./nodes/tools.ts";
import { AgentState, type AgentStateUpdate, type AgentStateValue } from "./state.ts";
import { turnOf } from "./turn-context.ts";

export type AgentGraphDeps = {
  model: AgentModel;
  search: SearchFn;
  handoff: HandoffPort;
  /** Needed to execute confirmed order changes; without it Yes/No are ordinary messages. */
  orders?: OrderDeps | undefined;
  /** Model steps per turn before the answer must be final (tool rounds + 1); default 4. */
  maxModelSteps?: number;
  /** Per model call; default 30 s. */
  modelTimeoutMs?: number;
};

export function buildAgentGraph(deps: AgentGraphDeps) {
  const maxSteps = deps.maxModelSteps ?? 4;
  return (
    new StateGraph(AgentState)
      .addNode("guard", timed("guard", guardNode))
      .addNode("confirm", timed("confirm", createConfirmNode(deps.orders)))
      .addNode("retrieve", timed("retrieve", createRetrieveNode(deps.search)))
      .addNode("respond", timed("respond", createRespondNode(deps.model, deps.modelTimeoutMs ?? 30_000)))
      .addNode("tools", timed("tools", toolsNode))
      .addNode("check", timed("check", checkNode))
      .addNode("reply", timed("reply", replyNode))
      .addNode("escalate", timed("escalate", createEscalateNode(deps.handoff, deps.model)))
      .addEdge(START, "guard")
      .addConditionalEdges("guard", (s) => s.route, ["confirm", "retrieve", "reply", "escalate"])
      .addConditionalEdges("confirm", (s) => s.route, ["reply", "retrieve", "escalate"])
      .addEdge("retrieve", "respond")
      // Tool calls loop back through tools until the model answers in text (or runs out of steps).
      .addConditionalEdges("respond", (s) => afterRespond(s, maxSteps), ["tools", "check", "escalate"])
      // An `unavailable` order system is a person's job, not the model's.
      .addConditionalEdges("tools", (s) => (s.escalation ? "escalate" : "respond"), ["respond", "escalate"])
      .addConditionalEdges("check", (s) => (s.escalation ? "escalate" : "reply"), ["reply", "escalate"])
      .addEdge("reply", END)
      .addEdge("escalate", END)
  );
}

function afterRespond(s: AgentStateValue, maxSteps: number): "tools" | "check" | "escalate" {
  if (s.escalation) return "escalate";
  const last = s.steps.at(-1) as AIMessage | undefined;
  const modelSteps = s.steps.filter((m) => m.getType() === "ai").length;
  return last?.tool_calls?.length && modelSteps < maxSteps ? "tools" : "check";
}

export function compileAgentGraph(deps: AgentGraphDeps, checkpointer: BaseCheckpointSaver) {
  return buildAgentGraph(deps).compile({ checkpointer });
}

export type AgentGraph = ReturnType<typeof compileAgentGraph>;

type Node = (s: AgentStateValue, c?: LangGraphRunnableConfig) => Promise<AgentStateUpdate>;

function timed(name: string, node: Node): Node {
  return async (state, config) => {
    const started = performance.now();
    try {
      return await node(state, config);
    } finally {
      turnOf(config).trace.nodes.push({ node: name, ms: Math.round((performance.now() - started) * 100) / 100 });
    }
  };
}
