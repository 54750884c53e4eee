import { describe, expect, it } from "vitest";
import type { MessageEvent } from "../whatsapp/events.ts";
import type { MessageView } from "./message-view.ts";
import { KIT, MESSAGES_PATH, type SandboxKit, textSend, useSandboxKit, verifyDelivery } from "./sandbox-testing.ts";

type Listed = { messages: MessageView[] };
type BadRequest = { error: { code: string; details: { path: string; message: string }[] } };

const ctx = useSandboxKit({ statusDelaysMs: { sent: 0, delivered: 0, read: null } });

const post = (path: string, body: unknown) =>
  ctx.kit.admin(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

async function sendWamid(payload: Record<string, unknown>): Promise<string> {
  const res = await ctx.kit.graph(MESSAGES_PATH, payload);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: { id: string }[] }).messages[0]?.id as string;
}

describe("GET /sandbox/messages", () => {
  it("lists what the business sent to one recipient, oldest first, with text, template and interactive", async () => {
    const interactive = {
      type: "button",
      body: { text: "Did that help?" },
      action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }] },
    };
    const template = { name: "order_update", language: { code: "en_US" } };
    const a = await sendWamid(textSend("16505551234", "Hello"));
    await sendWamid(textSend("34600000001", "Hola"));
    const b = await sendWamid({ messaging_product: "whatsapp", to: "16505551234", type: "interactive", interactive });
    const c = await sendWamid({ messaging_product: "whatsapp", to: "+16505551234", type: "template", template });
    const d = await sendWamid({ messaging_product: "whatsapp", to: "16505551234", type: "image", image: { id: "9", caption: "Receipt" } });
    await ctx.kit.sandbox.settled();

    const res = await ctx.kit.admin("/sandbox/messages?to=16505551234");
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as Listed;
    expect(messages.map((m) => [m.id, m.to, m.type, m.text])).toEqual([
      [a, "16505551234", "text", "Hello"],
      [b, "16505551234", "interactive", "Did that help?"],
      [c, "16505551234", "template", null],
      [d, "16505551234", "image", "Receipt"],
    ]);
    expect(messages[1]?.interactive).toEqual(interactive);
    expect(messages[2]?.template).toEqual(template);
    expect(messages[0]).toMatchObject({ template: null, interactive: null, status: "delivered", createdAt: expect.stringMatching(/Z$/) });

    const page = (await (await ctx.kit.admin(`/sandbox/messages?to=16505551234&after=${encodeURIComponent(b)}&limit=1`)).json()) as Listed;
    expect(page.messages.map((m) => m.id)).toEqual([c]);
    const all = (await (await ctx.kit.admin("/sandbox/messages")).json()) as Listed;
    expect(all.messages).toHaveLength(5);
  });

  it.each(["to=abc", "to=12", "limit=0", "limit=201", "limit=x", "after=nope", "after=wamid.unknown"])(
    "answers 400 for %s",
    async (query) => {
      const res = await ctx.kit.admin(`/sandbox/messages?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as BadRequest).error.code).toBe("bad_request");
    },
  );

  it("requires the admin token on every admin route", async () => {
    for (const [method, path] of [
      ["GET", "/sandbox/messages"],
      ["POST", "/sandbox/inbound"],
      ["POST", "/sandbox/failures"],
      ["GET", "/sandbox/failures"],
      ["DELETE", "/sandbox/failures"],
    ] as const) {
      const res = await ctx.kit.app.request(path, { method, headers: { authorization: "Bearer nope" } });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("POST /sandbox/inbound", () => {
  const onlyMessage = (k: SandboxKit) => {
    expect(k.deliveries).toHaveLength(1);
    const { signed, normalized } = verifyDelivery(k.deliveries[0] as SandboxKit["deliveries"][number]);
    expect(signed).toBe(true);
    expect(normalized.shape).toBe("ok");
    expect(normalized.problems).toEqual([]);
    expect(normalized.events).toHaveLength(1);
    return normalized.events[0]?.event as MessageEvent;
  };

  it("delivers a signed text message that normalizes to exactly one message event", async () => {
    const res = await post("/sandbox/inbound", { from: "34600000001", name: "Ana García", text: "¿Dónde está mi pedido? 📦" });
    expect(res.status).toBe(202);
    const { wamid } = (await res.json()) as { wamid: string };
    expect(wamid).toMatch(/^wamid\./);
    const event = onlyMessage(ctx.kit);
    expect(event).toMatchObject({
      kind: "message",
      phoneNumberId: KIT.phoneNumberId,
      wamid,
      type: "text",
      known: true,
      from: { waId: "34600000001", name: "Ana García" },
      text: "¿Dónde está mi pedido? 📦",
      contextWamid: null,
    });
    expect(Math.abs(Date.parse(event.occurredAt) - Date.now())).toBeLessThan(5_000);
  });

  it("delivers a button tap as an interactive button_reply with the context id", async () => {
    const res = await post("/sandbox/inbound", {
      from: "16505551234",
      name: "Sheena",
      reply: { id: "yes", title: "Yes" },
      context: { id: "wamid.ctx" },
    });
    expect(res.status).toBe(202);
    const event = onlyMessage(ctx.kit);
    expect(event).toMatchObject({ type: "interactive", known: true, text: "Yes", contextWamid: "wamid.ctx" });
    expect(event.raw.interactive).toEqual({ type: "button_reply", button_reply: { id: "yes", title: "Yes" } });
  });

  it("delivers a list choice as list_reply, and a BSUID customer without a phone number", async () => {
    const reply = { type: "list_reply", id: "row-2", title: "Track order", description: "Where is it?" };
    await post("/sandbox/inbound", { from: "US.13491208655302741918", name: "Riley", reply });
    const event = onlyMessage(ctx.kit);
    expect(event.from).toEqual({ userId: "US.13491208655302741918", name: "Riley" });
    expect(event.raw.interactive).toEqual({
      type: "list_reply",
      list_reply: { id: "row-2", title: "Track order", description: "Where is it?" },
    });
  });

  it.each([
    ["missing text", { from: "34600000001", name: "Ana" }],
    ["text over 4096 characters", { from: "34600000001", name: "Ana", text: "x".repeat(5000) }],
    ["empty text", { from: "34600000001", text: "" }],
    ["a bad from", { from: "not-a-number", text: "hi" }],
    ["a too short number", { from: "1234", text: "hi" }],
    ["a name over 100 characters", { from: "34600000001", name: "n".repeat(101), text: "hi" }],
    ["both text and reply", { from: "34600000001", text: "hi", reply: { id: "a", title: "A" } }],
    ["an unknown field", { from: "34600000001", text: "hi", extra: 1 }],
    ["a body that is not JSON", "{"],
  ])("answers 400 for %s and delivers nothing", async (_, body) => {
    const res = await ctx.kit.admin("/sandbox/inbound", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as BadRequest).error.details.length).toBeGreaterThan(0);
    expect(ctx.kit.deliveries).toHaveLength(0);
  });

  it("answers with the webhook's status when the app rejects the delivery", async () => {
    ctx.kit.webhookStatus.value = 401;
    const rejected = await post("/sandbox/inbound", { from: "34600000001", text: "hi" });
    expect(rejected.status).toBe(401);
    expect(((await rejected.json()) as { error: { code: string } }).error.code).toBe("webhook_rejected");
    ctx.kit.webhookStatus.value = "throw";
    expect((await post("/sandbox/inbound", { from: "34600000001", text: "hi" })).status).toBe(502);
  });
});

describe("/sandbox/failures", () => {
  it("queues a failure (201), lists it, and clears the queue", async () => {
    const res = await post("/sandbox/failures", { code: 131026, async: true, to: "16505551234", times: 2 });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { failure: object }).failure).toMatchObject({ code: 131026, async: true, remaining: 2, httpStatus: 400 });
    expect(((await (await ctx.kit.admin("/sandbox/failures")).json()) as { failures: unknown[] }).failures).toHaveLength(1);
    const cleared = await ctx.kit.admin("/sandbox/failures", { method: "DELETE" });
    expect(await cleared.json()).toEqual({ cleared: 1 });
    expect((await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "fine"))).status).toBe(200);
  });

  it.each([{}, { code: "131056" }, { code: 131056, times: 0 }, { code: 131056, httpStatus: 200 }, { code: 1, bogus: true }])(
    "answers 400 for %j",
    async (body) => {
      expect((await post("/sandbox/failures", body)).status).toBe(400);
    },
  );
});
