/**
 * GET /metrics after real traffic: a conversation through the signed webhook, the worker, the agent graph (a scripted
 * chat model that calls a tool and reports token usage) and the outbox; webhook duplicates and refusals; and the
 * queue gauges read at scrape time.
 */
import { AIMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatAgentModel } from "../agent/model/chat-model.ts";
import { ScriptedChatModel, toolCall } from "../agent/model/scripted-chat-model.fake.ts";
import { createHandoff } from "../handoff/handoff-store.ts";
import { SAMPLE_SUMMARY } from "../handoff/testing.ts";
import { queueText } from "../outbox/queue-message.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";
import { type AgentHarness, startAgentHarness } from "./agent-testing.ts";
import { startHarness, type TestHarness, textMessageBody } from "./testing.ts";

/** The value of one series in Prometheus text, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(h: TestHarness): Promise<string> {
  const res = await h.admin("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

describe("/metrics after a conversation with the agent", () => {
  let h: AgentHarness;
  beforeAll(async () => {
    const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, total_tokens: input + output });
    const chat = new ScriptedChatModel([
      new AIMessage({ ...toolCall("no_such_tool", {}), usage_metadata: usage(100, 10) }),
      new AIMessage({ content: "Standard delivery takes 2-4 business days.", usage_metadata: usage(120, 30) }),
    ]);
    h = await startAgentHarness({
      burstWindowMs: 0,
      seedDemoKnowledge: false,
      model: createChatAgentModel(chat, { provider: "scripted", model: "test-model", structuredSummary: false }),
    });
    await h.say("34600000777", "How long does delivery take?");
  });
  afterAll(async () => h?.close());

  it("counts the turn's model calls, tokens and tool calls", async () => {
    const text = await scrape(h);
    // Two respond steps: the tool call, then the answer.
    expect(sample(text, 'switchboard_model_latency_seconds_count{provider="scripted",model="test-model"}')).toBe(2);
    expect(sample(text, 'switchboard_model_tokens_total{provider="scripted",model="test-model",kind="input"}')).toBe(220);
    expect(sample(text, 'switchboard_model_tokens_total{provider="scripted",model="test-model",kind="output"}')).toBe(40);
    expect(sample(text, 'switchboard_tool_latency_seconds_count{tool="no_such_tool",result="unknown_tool"}')).toBe(1);
    expect(text).toMatch(/switchboard_agent_turns_total\{status="(replied|escalated)",decision="[a-z_]+"\} 1/);
    // The customer's message came in through the signed webhook; the reply went out through the sandbox.
    expect(sample(text, 'switchboard_webhook_events_total{outcome="received"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'switchboard_send_results_total{result="accepted",code="none"}')).toBeGreaterThanOrEqual(1);
  });

  it("counts duplicate and refused webhook deliveries", async () => {
    const body = textMessageBody({ text: "twice", from: "34600000778", wamid: "wamid.metrics-dup" });
    expect((await h.postWebhook(body)).status).toBe(200);
    expect((await h.postWebhook(body)).status).toBe(200);
    expect((await h.postWebhook(body, { signature: null })).status).toBe(401);
    expect((await h.postWebhook(body, { signature: "sha256=00" })).status).toBe(401);
    expect((await h.postWebhook("{not json")).status).toBe(400);
    const text = await scrape(h);
    expect(sample(text, 'switchboard_webhook_events_total{outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'switchboard_webhook_rejected_total{reason="signature"}')).toBe(2);
    expect(sample(text, 'switchboard_webhook_rejected_total{reason="malformed"}')).toBe(1);
  });

  it("stays behind the admin token", async () => {
    expect((await h.app.request("/metrics")).status).toBe(401);
    expect((await h.app.request("/metrics", { headers: { authorization: "Bearer not-the-token" } })).status).toBe(401);
  });
});

describe("/metrics queue gauges", () => {
  let h: TestHarness;
  beforeAll(async () => {
    // Nothing started: what arrives stays queued.
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it("reads the depth and oldest age of the inbound, outbox and handoff queues at scrape time", async () => {
    let text = await scrape(h);
    for (const q of ["inbound", "outbox", "handoffs"]) {
      expect(sample(text, `switchboard_queue_depth{queue="${q}"}`)).toBe(0);
      // An empty queue has no oldest row.
      expect(sample(text, `switchboard_queue_oldest_age_seconds{queue="${q}"}`)).toBeUndefined();
    }

    expect((await h.postWebhook(textMessageBody({ text: "hi", from: "34600000779" }))).status).toBe(200);
    expect((await h.postWebhook(textMessageBody({ text: "again", from: "34600000780" }))).status).toBe(200);
    h.worker.start();
    await h.worker.idle();
    await h.worker.stop();
    expect((await h.postWebhook(textMessageBody({ text: "later", from: "34600000779" }))).status).toBe(200);
    const { rows } = await h.db.pool.query(
      "SELECT c.id::text FROM conversations c JOIN customers cu ON cu.id = c.customer_id ORDER BY c.id",
    );
    const [first, second] = rows.map((r) => r.id as string);
    const queued = await queueText(h.queue, {
      tenantId: DEFAULT_TENANT_ID,
      conversationId: first as string,
      idempotencyKey: "metrics-gauge",
      source: "test",
      text: "queued, never sent",
    });
    expect(queued.ok).toBe(true);
    for (const conversationId of [first, second] as string[]) {
      await createHandoff(h.db.pool, {
        tenantId: DEFAULT_TENANT_ID,
        conversationId,
        reason: "customer_request",
        priority: "normal",
        language: "es",
        summary: SAMPLE_SUMMARY,
      });
    }

    text = await scrape(h);
    expect(sample(text, 'switchboard_queue_depth{queue="inbound"}')).toBe(1);
    expect(sample(text, 'switchboard_queue_depth{queue="outbox"}')).toBe(1);
    expect(sample(text, 'switchboard_queue_depth{queue="handoffs"}')).toBe(2);
    for (const q of ["inbound", "outbox", "handoffs"]) {
      expect(sample(text, `switchboard_queue_oldest_age_seconds{queue="${q}"}`)).toBeGreaterThanOrEqual(0);
    }
  });
});
