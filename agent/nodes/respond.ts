/**
 * respond: one model step with the order tools bound: either tool calls (→ tools) or the reply text (→ check). A
 * model error or timeout goes to a person rather than leaving the customer without an answer.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentModel } from "../model/model-port.ts";
import { buildSystemPrompt } from "../prompt.ts";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { turnOf } from "../turn-context.ts";

export function createRespondNode(model: AgentModel, timeoutMs: number) {
  return async function respondNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const turn = turnOf(config);
    const started = performance.now();
    const t = turn.trace.model;
    try {
      const out = await withTimeout(
        model.respond({
          system: buildSystemPrompt(turn.profile, state.language, state.passages),
          history: state.history,
          turnText: state.turnText,
          steps: state.steps,
          passages: state.passages,
          tools: turn.tools,
          language: state.language,
          profile: turn.profile,
        }),
        timeoutMs,
      );
      t.calls += 1;
      if (out.usage) {
        t.inputTokens += out.usage.inputTokens;
        t.outputTokens += out.usage.outputTokens;
        const cost = model.estimateCostUsd?.(out.usage) ?? null;
        if (cost !== null) t.costUsd = (t.costUsd ?? 0) + cost;
      }
      return {
        steps: [...state.steps, out.message],
        ...(out.grounded !== undefined ? { grounded: out.grounded } : {}),
        ...(out.outcome ? { outcome: out.outcome } : {}),
      };
    } catch (err) {
      turn.trace.flags.push(`model_error: ${(err as Error).name}: ${(err as Error).message}`.slice(0, 300));
      return {
        escalation: {
          reason: "model_error",
          priority: "normal",
          why: (err as Error).name === "TimeoutError" ? "model timeout" : "model error",
        },
      };
    } finally {
      t.ms += Math.round(performance.now() - started);
    }
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`model did not answer within ${ms} ms`);
      e.name = "TimeoutError";
      reject(e);
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
