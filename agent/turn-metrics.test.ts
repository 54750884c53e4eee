import { describe, expect, it } from "vitest";
import { createMetrics } from "../lib/metrics.ts";
import { createTurnTrace } from "./turn-context.ts";
import { observeTurn, toolResult } from "./turn-metrics.ts";

describe("toolResult", () => {
  it("labels a tool result ok or by its error code, even when the stored result was cut short", () => {
    expect(toolResult(JSON.stringify({ ok: true, order: { id: "#D1" } }))).toBe("ok");
    expect(toolResult('{"ok":false,"error":"unavailable","message":"down"}')).toBe("unavailable");
    expect(toolResult('{"ok": false, "error": "not_found", "message": "no such ord')).toBe("not_found");
    expect(toolResult('{"ok":false,"error":"Has Spaces And CAPS"}')).toBe("error");
    expect(toolResult("plain text from a tool")).toBe("ok");
  });
});

describe("observeTurn", () => {
  it("observes each respond step as one model call, the tokens and every tool call", async () => {
    const metrics = createMetrics();
    const trace = createTurnTrace("openai", "gpt-4o-mini");
    trace.nodes = [
      { node: "guard", ms: 1 },
      { node: "respond", ms: 800 },
      { node: "tools", ms: 120 },
      { node: "respond", ms: 1200 },
    ];
    trace.model = { ...trace.model, calls: 2, inputTokens: 900, outputTokens: 60 };
    trace.toolCalls = [{ name: "get_order_status", args: {}, result: '{"ok":false,"error":"unavailable"}', ms: 118 }];
    observeTurn(metrics, {
      tenantId: "t",
      conversationId: "1",
      messageIds: ["1"],
      status: "escalated",
      decision: "escalation",
      reason: null,
      language: "en",
      intent: null,
      durationMs: 2100,
      reply: null,
      trace,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchboard_model_latency_seconds_count{provider="openai",model="gpt-4o-mini"} 2');
    expect(text).toContain('switchboard_model_latency_seconds_sum{provider="openai",model="gpt-4o-mini"} 2');
    expect(text).toContain('switchboard_model_tokens_total{provider="openai",model="gpt-4o-mini",kind="input"} 900');
    expect(text).toContain('switchboard_tool_latency_seconds_count{tool="get_order_status",result="unavailable"} 1');
    expect(text).toContain('switchboard_agent_turns_total{status="escalated",decision="escalation"} 1');
  });

  it("leaves the queue gauges empty when their read fails, rather than showing stale numbers", async () => {
    let fail = false;
    const metrics = createMetrics({
      readQueues: async () => {
        if (fail) throw new Error("database down");
        return {
          inbound: { depth: 3, oldestAgeSeconds: 12 },
          outbox: { depth: 0, oldestAgeSeconds: null },
          handoffs: { depth: 1, oldestAgeSeconds: 60 },
        };
      },
    });
    expect(await metrics.registry.metrics()).toContain('switchboard_queue_depth{queue="inbound"} 3');
    fail = true;
    expect(await metrics.registry.metrics()).not.toContain("switchboard_queue_depth{");
  });
});
