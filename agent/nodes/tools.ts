/**
 * tools: runs the tool calls of the last model message with the tools bound to this conversation, and answers each
 * with a ToolMessage. A tool that reports the order system `unavailable` sends the turn to a person; other failures
 * go back to the model, which tells the customer.
 */
import { type AIMessage, ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { turnOf } from "../turn-context.ts";

export async function toolsNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
  const turn = turnOf(config);
  const last = state.steps.at(-1) as AIMessage | undefined;
  const results: ToolMessage[] = [];
  let unavailable = false;
  for (const call of last?.tool_calls ?? []) {
    const started = performance.now();
    const tool = turn.tools.find((t) => t.name === call.name);
    let content: string;
    if (!tool) {
      content = JSON.stringify({ ok: false, error: "unknown_tool", message: `There is no tool named ${call.name}.` });
    } else {
      try {
        const out: unknown = await tool.invoke(call.args);
        content = typeof out === "string" ? out : JSON.stringify(out);
      } catch (err) {
        content = JSON.stringify({ ok: false, error: "invalid_arguments", message: (err as Error).message.slice(0, 500) });
      }
    }
    if (isUnavailable(content)) unavailable = true;
    turn.trace.toolCalls.push({
      name: call.name,
      args: call.args,
      result: content.slice(0, 2000),
      ms: Math.round(performance.now() - started),
    });
    results.push(new ToolMessage({ tool_call_id: call.id ?? call.name, name: call.name, content }));
  }
  return {
    steps: [...state.steps, ...results],
    ...(unavailable
      ? { escalation: { reason: "tool_unavailable" as const, priority: "normal" as const, why: "the order system did not answer" } }
      : {}),
  };
}

function isUnavailable(content: string): boolean {
  try {
    const parsed = JSON.parse(content) as { ok?: boolean; error?: string };
    return parsed.ok === false && parsed.error === "unavailable";
  } catch {
    return false;
  }
}
