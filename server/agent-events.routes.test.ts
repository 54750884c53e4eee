import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../conversations/inbound-processor.ts";
import { createHandoff, getConversationOwner } from "../handoff/handoff-store.ts";
import { SAMPLE_SUMMARY } from "../handoff/testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
const botCalls: InboundMessage[] = [];
beforeAll(async () => {
  h = await startHarness({ handler: { handleInbound: async (m) => void botCalls.push(m) } });
  h.start();
});
afterAll(() => h.close());

const JSON_HEADERS = { "content-type": "application/json" };
const customerSays = async (from: string, text: string) => (await h.customerSays(from, text, "Noa")).id;
async function agentToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  return (await h.admin("/admin/agents", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) })).json();
}

/** Reads server-sent events from a streaming response; `until` reads on until one matches. */
function sseReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = "";
  return {
    events,
    async until(match: (e: { event: string; data: unknown }) => boolean) {
      while (!events.some(match)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          events.push({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "message", data: data ? JSON.parse(data) : null });
          cut = buffer.indexOf("\n\n");
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

describe("live events (/agent/events)", () => {
  it("streams a new handoff and the customer's messages on a human-owned conversation, for the agent's tenant", async () => {
    const { token } = await agentToken({ name: "Ivo" });
    const conversationId = await customerSays("34677777777", "Necesito ayuda");
    const res = await h.app.request("/agent/events", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const stream = sseReader(res);
    await stream.until((e) => e.event === "ready"); // subscribed: nothing published from now on is missed
    await createHandoff(h.db.pool, {
      tenantId: "default",
      conversationId,
      reason: "customer_request",
      priority: "normal",
      language: "es",
      summary: SAMPLE_SUMMARY,
    });
    botCalls.length = 0;
    await customerSays("34677777777", "¿Alguien?");
    const events = await stream.until((e) => e.event === "message");
    await stream.close();
    expect(events.map((e) => e.event)).toEqual(["ready", "handoff.created", "message"]);
    expect(events[1]?.data).toMatchObject({ tenantId: "default", conversationId });
    expect(events[2]?.data).toMatchObject({ conversationId, direction: "inbound" });
    expect(botCalls).toHaveLength(0);
  });

  it("needs an agent", async () => {
    expect((await h.app.request("/agent/events")).status).toBe(401);
  });
});

describe("ownership rules in front of the bot", () => {
  it("a closed conversation reopens for the bot, with a fresh context, when the customer writes again", async () => {
    const admin = await agentToken({ name: "Boss", role: "admin" });
    const conversationId = await customerSays("34688888888", "Hola");
    const { handoffId } = await createHandoff(h.db.pool, {
      tenantId: "default",
      conversationId,
      reason: "other",
      priority: "low",
      language: null,
      summary: SAMPLE_SUMMARY,
    });
    // An admin may resolve a handoff nobody claimed.
    const resolved = await h.app.request(`/agent/handoffs/${handoffId}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, ...JSON_HEADERS },
      body: JSON.stringify({ returnToBot: false }),
    });
    expect(resolved.status).toBe(200);
    expect((await getConversationOwner(h.db.pool, conversationId)).owner).toBe("closed");
    botCalls.length = 0;
    await customerSays("34688888888", "Otra cosa");
    expect(botCalls).toHaveLength(1);
    const owner = await getConversationOwner(h.db.pool, conversationId);
    expect(owner.owner).toBe("bot");
    expect(owner.botContextSince).toBeInstanceOf(Date);
  });

  it("a CSAT-looking tap that answers no question is not stored and does not reach the bot", async () => {
    const conversationId = await customerSays("34699999999", "Hola");
    botCalls.length = 0;
    await h.postWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "1", phone_number_id: "106540352242922" },
                contacts: [{ profile: { name: "Noa" }, wa_id: "34699999999" }],
                messages: [
                  {
                    from: "34699999999",
                    id: "wamid.fake.csat",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: "interactive",
                    interactive: { type: "list_reply", list_reply: { id: "csat:1:5", title: "5" } },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    await h.worker.idle();
    expect(botCalls).toHaveLength(0);
    const { rows } = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM handoffs WHERE conversation_id = $1 AND csat_score IS NOT NULL",
      [conversationId],
    );
    expect(rows[0].n).toBe(0);
  });
});
