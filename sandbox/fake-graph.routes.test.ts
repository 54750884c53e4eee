import { describe, expect, it } from "vitest";
import type { StatusEvent } from "../whatsapp/events.ts";
import { listSandboxMessages } from "./sandbox-store.ts";
import { createSandboxKit, KIT, MESSAGES_PATH, type SandboxKit, textSend, useSandboxKit, verifyDelivery } from "./sandbox-testing.ts";

type SendResponse = {
  messaging_product: string;
  contacts: { input: string; wa_id?: string; user_id?: string }[];
  messages: { id: string }[];
};
type ErrorResponse = {
  error: { message: string; type: string; code: number; error_data?: { messaging_product: string; details: string }; fbtrace_id: string };
};

const ctx = useSandboxKit();

const statusesOf = (k: SandboxKit) =>
  k.deliveries.flatMap((d) => verifyDelivery(d).normalized.events.map((e) => e.event)).filter((e): e is StatusEvent => e.kind === "status");

describe("POST /{version}/{phone-number-id}/messages", () => {
  it("accepts a text message with Meta's response shape and records it", async () => {
    const res = await ctx.kit.graph(MESSAGES_PATH, textSend("+16505551234", "Hello there"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as SendResponse;
    expect(body.messaging_product).toBe("whatsapp");
    expect(body.contacts).toEqual([{ input: "+16505551234", wa_id: "16505551234" }]);
    expect(body.messages[0]?.id).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/);
    const listed = await listSandboxMessages(ctx.db.pool, { recipient: "16505551234", limit: 10 });
    expect(listed.ok && listed.messages.map((m) => [m.wamid, m.type, m.phoneNumberId])).toEqual([
      [body.messages[0]?.id, "text", KIT.phoneNumberId],
    ]);
  });

  it("answers a BSUID recipient with user_id and gives template sends a message_status", async () => {
    const template = {
      name: "order_update",
      language: { code: "en_US" },
      components: [{ type: "body", parameters: [{ type: "text", text: "42" }] }],
    };
    const res = await ctx.kit.graph(MESSAGES_PATH, {
      messaging_product: "whatsapp",
      recipient: "US.1349120865",
      type: "template",
      template,
    });
    const body = (await res.json()) as SendResponse & { messages: { message_status?: string }[] };
    expect(body.contacts).toEqual([{ input: "US.1349120865", user_id: "US.1349120865" }]);
    expect(body.messages[0]?.message_status).toBe("accepted");
  });

  it("rejects a missing or wrong token with Meta's OAuth error", async () => {
    for (const authorization of ["", "Bearer wrong-token"]) {
      const res = await ctx.kit.app.request(MESSAGES_PATH, {
        method: "POST",
        body: JSON.stringify(textSend("16505551234", "x")),
        headers: { authorization },
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as ErrorResponse;
      expect(body.error).toMatchObject({ type: "OAuthException", code: 190 });
      expect(body.error.fbtrace_id).toEqual(expect.any(String));
    }
  });

  it.each([
    ["no messaging_product", { to: "16505551234", type: "text", text: { body: "hi" } }],
    ["a wrong messaging_product", textSend("16505551234", "hi", { messaging_product: "sms" })],
    ["no recipient", { messaging_product: "whatsapp", type: "text", text: { body: "hi" } }],
    ["a malformed recipient", textSend("12ab", "hi")],
    ["text over 4096 characters", textSend("16505551234", "x".repeat(4097))],
    ["an unknown type", { messaging_product: "whatsapp", to: "16505551234", type: "hologram", hologram: {} }],
    [
      "four reply buttons",
      {
        messaging_product: "whatsapp",
        to: "16505551234",
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Pick" },
          action: { buttons: [1, 2, 3, 4].map((i) => ({ type: "reply", reply: { id: `b${i}`, title: `B${i}` } })) },
        },
      },
    ],
  ])("answers 400 (#100) for %s and records nothing", async (_, payload) => {
    const res = await ctx.kit.graph(MESSAGES_PATH, payload);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorResponse;
    expect(body.error).toMatchObject({
      message: "(#100) Invalid parameter",
      type: "OAuthException",
      code: 100,
      error_data: { messaging_product: "whatsapp" },
    });
    expect(body.error.error_data?.details.length).toBeGreaterThan(0);
    const { rows } = await ctx.db.pool.query("SELECT 1 FROM sandbox_messages");
    expect(rows).toHaveLength(0);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await ctx.kit.app.request(MESSAGES_PATH, {
      method: "POST",
      body: "{nope",
      headers: { authorization: `Bearer ${KIT.sandboxToken}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorResponse).error.code).toBe(100);
  });

  it("answers {success:true} to mark-as-read, with or without the typing indicator, and sends no status", async () => {
    for (const extra of [{}, { typing_indicator: { type: "text" } }]) {
      const res = await ctx.kit.graph(MESSAGES_PATH, { messaging_product: "whatsapp", status: "read", message_id: "wamid.ABC", ...extra });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ success: true });
    }
    const bad = await ctx.kit.graph(MESSAGES_PATH, { messaging_product: "whatsapp", status: "read" });
    expect(bad.status).toBe(400);
    await ctx.kit.sandbox.settled();
    expect(ctx.kit.deliveries).toHaveLength(0);
  });
});

describe("status webhooks", () => {
  it("reports sent, delivered and read in order, signed and Meta-shaped", async () => {
    const res = await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "Your order shipped"));
    const wamid = ((await res.json()) as SendResponse).messages[0]?.id;
    await ctx.kit.sandbox.settled();
    expect(ctx.kit.deliveries.map((d) => verifyDelivery(d).signed)).toEqual([true, true, true]);
    const statuses = statusesOf(ctx.kit);
    expect(statuses.map((s) => [s.wamid, s.status, s.phoneNumberId, s.recipient.waId])).toEqual([
      [wamid, "sent", KIT.phoneNumberId, "16505551234"],
      [wamid, "delivered", KIT.phoneNumberId, "16505551234"],
      [wamid, "read", KIT.phoneNumberId, "16505551234"],
    ]);
    const raw = (statusesOf(ctx.kit)[0] as StatusEvent).raw;
    expect(raw?.timestamp).toMatch(/^\d{10}$/);
    expect(raw?.pricing).toMatchObject({ pricing_model: "PMP", category: "service" });
  });

  it("can leave out read receipts", async () => {
    ctx.kit.close();
    ctx.kit = createSandboxKit(ctx.db, { statusDelaysMs: { sent: 0, delivered: 0, read: null } });
    await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "hi"));
    await ctx.kit.sandbox.settled();
    expect(statusesOf(ctx.kit).map((s) => s.status)).toEqual(["sent", "delivered"]);
  });

  it("sends nothing after close(), and a failing webhook never throws", async () => {
    ctx.kit.close();
    ctx.kit = createSandboxKit(ctx.db, { statusDelaysMs: { sent: 60_000, delivered: 60_000, read: 60_000 } });
    await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "hi"));
    ctx.kit.close();
    await ctx.kit.sandbox.settled();
    expect(ctx.kit.deliveries).toHaveLength(0);

    const failing = createSandboxKit(ctx.db);
    failing.webhookStatus.value = "throw";
    await failing.graph(MESSAGES_PATH, textSend("16505551234", "hi"));
    await failing.sandbox.settled();
    expect(failing.deliveries).toHaveLength(3);
    failing.close();
  });
});

describe("failure injection", () => {
  it("fails one send with 131056, then accepts the next", async () => {
    ctx.kit.sandbox.failures.push({ code: 131056 });
    const first = await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "one"));
    expect(first.status).toBe(400);
    const body = (await first.json()) as ErrorResponse;
    expect(body.error).toMatchObject({ code: 131056, type: "OAuthException", error_data: { messaging_product: "whatsapp" } });
    expect(body.error.message).toMatch(/^\(#131056\) /);
    const second = await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "two"));
    expect(second.status).toBe(200);
    const { rows } = await ctx.db.pool.query<{ body: { text: { body: string } } }>("SELECT body FROM sandbox_messages");
    expect(rows.map((r) => r.body.text.body)).toEqual(["two"]);
  });

  it("only fails sends to the given recipient, with the given HTTP status", async () => {
    ctx.kit.sandbox.failures.push({ code: 130429, to: "+34600000001", httpStatus: 429, times: 2 });
    expect((await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "a"))).status).toBe(200);
    expect((await ctx.kit.graph(MESSAGES_PATH, textSend("34600000001", "b"))).status).toBe(429);
    expect((await ctx.kit.graph(MESSAGES_PATH, textSend("34600000001", "c"))).status).toBe(429);
    expect((await ctx.kit.graph(MESSAGES_PATH, textSend("34600000001", "d"))).status).toBe(200);
  });

  it("accepts the send and reports 131047 as a signed failed status", async () => {
    ctx.kit.sandbox.failures.push({ code: 131047, async: true });
    const res = await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "late reply"));
    expect(res.status).toBe(200);
    const wamid = ((await res.json()) as SendResponse).messages[0]?.id;
    await ctx.kit.sandbox.settled();
    expect(ctx.kit.deliveries).toHaveLength(1);
    const { signed, normalized } = verifyDelivery(ctx.kit.deliveries[0] as SandboxKit["deliveries"][number]);
    expect(signed).toBe(true);
    expect(normalized.shape).toBe("ok");
    expect(normalized.problems).toEqual([]);
    expect(normalized.events).toHaveLength(1);
    const event = normalized.events[0]?.event as StatusEvent;
    expect(event).toMatchObject({
      kind: "status",
      wamid,
      status: "failed",
      phoneNumberId: KIT.phoneNumberId,
      recipient: { waId: "16505551234" },
    });
    expect(event.errors).toEqual([expect.objectContaining({ code: 131047, title: "Re-engagement message", href: expect.any(String) })]);
  });
});

describe("media", () => {
  it("answers media metadata and serves the bytes behind the token", async () => {
    const meta = await ctx.kit.graph("/sandbox/graph/v23.0/1234567890?phone_number_id=106540352242922");
    expect(meta.status).toBe(200);
    const info = (await meta.json()) as {
      messaging_product: string;
      url: string;
      mime_type: string;
      sha256: string;
      file_size: string;
      id: string;
    };
    expect(info).toMatchObject({ messaging_product: "whatsapp", mime_type: "image/png", id: "1234567890" });
    const url = new URL(info.url);
    expect(url.pathname).toBe("/sandbox/graph/media-download");
    const file = await ctx.kit.graph(url.pathname + url.search);
    expect(file.status).toBe(200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.byteLength).toBe(Number(info.file_size));
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(info.sha256);
    expect((await ctx.kit.app.request(url.pathname + url.search)).status).toBe(401);
    expect((await ctx.kit.graph(url.pathname + url.search.replace(/hash=\w+/, "hash=0"))).status).toBe(404);
  });

  it("answers Meta's 'does not exist' error for ids starting with missing", async () => {
    const res = await ctx.kit.graph("/sandbox/graph/v23.0/missing-1");
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorResponse).error).toMatchObject({ code: 100, type: "GraphMethodException" });
  });
});
