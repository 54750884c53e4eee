/**
 * Prometheus figures of an agent turn, read from its trace when the turn is recorded: one place sees every model
 * call (each `respond` node run is one call), every tool call with its latency and result, and the tokens used,
 * whatever the provider.
 */
import type { Metrics } from "../lib/metrics.ts";
import type { TurnRecord } from "./turn-store.ts";

/** Tool results are JSON whose `ok: false` carries a snake_case error code (truncated in the trace, hence no parse). */
const FAILED = /"ok"\s*:\s*false/;
const ERROR_CODE = /"error"\s*:\s*"([a-z][a-z0-9_]{0,39})"/;

/** Records one turn's model latency per call, tokens, tool latency per call and the turn itself. */
export function observeTurn(metrics: Metrics, turn: TurnRecord): void {
  const m = turn.trace.model;
  const model = { provider: m.provider, model: m.model };
  for (const node of turn.trace.nodes) if (node.node === "respond") metrics.modelLatency.observe(model, node.ms / 1000);
  if (m.inputTokens > 0) metrics.modelTokens.inc({ ...model, kind: "input" }, m.inputTokens);
  if (m.outputTokens > 0) metrics.modelTokens.inc({ ...model, kind: "output" }, m.outputTokens);
  for (const call of turn.trace.toolCalls)
    metrics.toolLatency.observe({ tool: call.name, result: toolResult(call.result) }, call.ms / 1000);
  metrics.agentTurns.inc({ status: turn.status, decision: turn.decision ?? "none" });
}

/** `ok`, or the tool's error code (`unavailable`, `not_found`…), or `error` when it names none. */
export function toolResult(content: string): string {
  if (!FAILED.test(content)) return "ok";
  return ERROR_CODE.exec(content)?.[1] ?? "error";
}
