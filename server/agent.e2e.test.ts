import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./agent-testing.ts";

// Offline provider, end to end: signed webhook → worker → agent → outbox → sandbox. A 300 ms burst window so that
// three messages posted back to back form one turn.
let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness({ burstWindowMs: 300 });
}, 60_000);
afterAll(async () => {
  await h.close();
});

const texts = async (to: string) => (await h.received(to)).map((m) => m.text ?? "");

describe("the agent, offline, through WhatsApp", () => {
  it("answers an FAQ question with its citation, in the customer's language", async () => {
    await h.say("34600000101", "How long does shipping take?");
    const [reply] = await texts("34600000101");
    expect(reply).toContain("2-4 business days");
    expect(reply).toContain("Source: Northwind Outfitters Help Center › Shipping");
    await h.say("34600000102", "¿Cuál es la política de devoluciones?");
    expect((await texts("34600000102"))[0]).toMatch(/30 días[\s\S]*Fuente: Centro de ayuda de Northwind Outfitters › Devoluciones/);
  });

  it("answers an order question from the demo ERP and serves the turn's trace", async () => {
    const conv = await h.say("15550100001", "Where is my order #D100002?");
    expect((await texts("15550100001")).at(-1)).toMatch(/Order #D100002: shipped/);
    const { turns } = await (await h.admin(`/admin/conversations/${conv}/turns`)).json();
    const turn = turns.at(-1);
    expect(turn).toMatchObject({ status: "replied", decision: "order_update", language: "en", model: { provider: "offline" } });
    expect(turn.trace.toolCalls.map((c: { name: string }) => c.name)).toContain("get_order_status");
    expect(turn.trace.nodes.map((n: { node: string }) => n.node)).toEqual(
      expect.arrayContaining(["guard", "retrieve", "respond", "tools", "check", "reply"]),
    );
  });

  it("escalates 'I want to talk to a person' in 10 languages, and then stays quiet while a human owns the conversation", async () => {
    const requests = [
      ["en", "I want to talk to a person"],
      ["es", "Quiero hablar con una persona"],
      ["pt", "Quero falar com uma pessoa"],
      ["fr", "Je veux parler à une personne"],
      ["de", "Ich möchte mit einem Menschen sprechen"],
      ["it", "Voglio parlare con una persona"],
      ["tr", "Bir insanla konuşmak istiyorum"],
      ["id", "Saya ingin bicara dengan orang"],
      ["hi", "मैं किसी इंसान से बात करना चाहता हूँ"],
      ["ar", "أريد التحدث مع شخص"],
      ["zh", "我想找人工客服"],
      ["ja", "人間と話したいです"],
    ];
    for (const [i, [lang, text]] of requests.entries()) {
      const from = `4960000${String(i).padStart(4, "0")}`;
      const conv = await h.say(from, text as string);
      const { rows } = await h.db.pool.query("SELECT reason, language, summary FROM handoffs WHERE conversation_id = $1", [conv]);
      expect(rows, text).toEqual([expect.objectContaining({ reason: "customer_request", language: lang })]);
      expect(await texts(from), text).toHaveLength(1);
    }
    await h.say("49600000000", "Hello? Is anyone there?");
    expect(await texts("49600000000")).toHaveLength(1);
  });

  it("answers a burst of three messages once", async () => {
    await h.say("34600000103", "Hi", "I have a question", "How much does shipping cost?");
    const replies = await texts("34600000103");
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("4.90 EUR");
  });

  it("does not hand off again after a human hands the conversation back", async () => {
    const conv = await h.say("34600000104", "I want to talk to a human");
    expect(await texts("34600000104")).toHaveLength(1);
    // What resolving the handoff does (handoff/handoff-actions.ts): the bot owns it again, with a fresh context.
    await h.db.pool
      .query("UPDATE handoffs SET status = 'resolved', resolved_at = now() WHERE conversation_id = $1", [conv])
      .catch(() => undefined);
    await h.db.pool.query("UPDATE conversations SET owner = 'bot', bot_context_since = now() WHERE id = $1", [conv]);
    await h.say("34600000104", "Which payment methods do you accept?");
    const replies = await texts("34600000104");
    expect(replies).toHaveLength(2);
    expect(replies[1]).toContain("PayPal");
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM handoffs WHERE conversation_id = $1", [conv]);
    expect(rows[0].n).toBe(1);
  });

  it("refuses a general-purpose request politely and says how to reach a person", async () => {
    await h.say("34600000105", "Write me a poem about the sea");
    expect((await texts("34600000105"))[0]).toMatch(/only help with questions about Northwind Outfitters[\s\S]*talk to a person/);
  });
});
