import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueTemplate, queueText } from "../outbox/queue-message.ts";
import { startHarness, type TestHarness, webhookEnvelope } from "./testing.ts";

let h: TestHarness;
beforeAll(async () => {
  h = await startHarness();
  h.start();
});
afterAll(async () => {
  await h.close();
});

/** Writes as a customer through the sandbox (a signed webhook through the real path) and waits for the worker. */
const customerSays = (from: string, text: string, name?: string) => h.customerSays(from, text, name);
const sandboxMessages = async (to: string) => (await (await h.admin(`/sandbox/messages?to=${to}`)).json()).messages;
const settle = async () => {
  await h.sender.idle();
  await h.sandbox?.settled();
  await h.worker.idle();
};

describe("sending through the sandbox", () => {
  it("delivers a reply through the outbox and records sent, delivered and read", async () => {
    const conv = await customerSays("34611111111", "Hola");
    const r = await queueText(h.queue, {
      tenantId: "default",
      conversationId: conv.id,
      idempotencyKey: "t1",
      source: "test",
      text: "¡Hola! ¿En qué te ayudo?",
    });
    expect(r.ok).toBe(true);
    await settle();
    const sent = await sandboxMessages("34611111111");
    expect(sent).toEqual([expect.objectContaining({ type: "text", text: "¡Hola! ¿En qué te ayudo?" })]);
    const { messages } = await (await h.admin(`/admin/conversations/${conv.id}/messages`)).json();
    expect(messages.map((m: { direction: string; status: string }) => [m.direction, m.status])).toEqual([
      ["inbound", "received"],
      ["outbound", "read"],
    ]);
    expect(messages[1].waMessageId).toBe(sent[0].id);
  });

  it("honours an opt-out keyword: confirms in the customer's language and refuses marketing afterwards", async () => {
    await h.admin("/admin/templates", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "promo_es",
        language: "es",
        category: "marketing",
        body: "Ofertas {{1}}",
        parameters: [{ type: "text" }],
      }),
    });
    const conv = await customerSays("34622222222", "Hola");
    const optIn = await h.admin(`/admin/customers/${conv.customer}/opt-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source: "checkout", textShown: "Quiero recibir ofertas de Tienda Demo por WhatsApp" }),
    });
    expect(optIn.status).toBe(201);
    const promo = (key: string) =>
      queueTemplate(h.queue, {
        tenantId: "default",
        conversationId: conv.id,
        idempotencyKey: key,
        source: "campaign",
        name: "promo_es",
        language: "es",
        values: ["-20%"],
      });
    expect(await promo("p1")).toMatchObject({ ok: true });

    await customerSays("34622222222", "BAJA");
    await settle();
    const texts = (await sandboxMessages("34622222222")).map((m: { text: string | null; type: string }) => m.text ?? m.type);
    expect(texts).toContain("template");
    expect(texts.some((t: string) => /mensajes promocionales/.test(t))).toBe(true);
    expect(await promo("p2")).toEqual({ ok: false, code: "opted_out" });
    const consents = await (await h.admin(`/admin/customers/${conv.customer}/consents`)).json();
    expect(consents.state).toBe("opted_out");

    await customerSays("34622222222", "ALTA");
    expect(await promo("p3")).toMatchObject({ ok: true });
  });

  it("shows a permanent Cloud API failure on the message with its code and title", async () => {
    const conv = await customerSays("34633333333", "hi");
    const inject = await h.admin("/sandbox/failures", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: 131026, to: "34633333333" }),
    });
    expect(inject.status).toBe(201);
    await queueText(h.queue, { tenantId: "default", conversationId: conv.id, idempotencyKey: "f1", source: "test", text: "will fail" });
    await settle();
    const { messages } = await (await h.admin(`/admin/conversations/${conv.id}/messages`)).json();
    expect(messages.at(-1)).toMatchObject({ direction: "outbound", status: "failed", error: { code: 131026, title: expect.any(String) } });
  });

  it("closes the window when Meta reports 131047 in a failed status, and refuses the next free-form reply", async () => {
    const conv = await customerSays("34644444444", "hi");
    await h.admin("/sandbox/failures", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: 131047, to: "34644444444", async: true }),
    });
    await queueText(h.queue, { tenantId: "default", conversationId: conv.id, idempotencyKey: "w1", source: "test", text: "late reply" });
    await settle();
    const r = await queueText(h.queue, {
      tenantId: "default",
      conversationId: conv.id,
      idempotencyKey: "w2",
      source: "test",
      text: "again",
    });
    expect(r).toMatchObject({ ok: false, code: "window_closed" });
  });

  it("downloads an inbound image and records its type, size and hash", async () => {
    const conv = await customerSays("34655555555", "photo coming");
    const body = webhookEnvelope({
      contacts: [{ profile: { name: "Lucía" }, wa_id: "34655555555" }],
      messages: [
        {
          from: "34655555555",
          id: "wamid.img.1",
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: "image",
          image: { id: "1003383421387256", mime_type: "image/png" },
        },
      ],
    });
    expect((await h.postWebhook(body)).status).toBe(200);
    await h.worker.idle();
    await h.media.runOnce();
    const { rows } = await h.db.pool.query(
      "SELECT status, mime_type, size_bytes > 0 AS has_size, length(sha256) AS hash_len FROM media_files",
    );
    expect(rows).toEqual([{ status: "stored", mime_type: "image/png", has_size: true, hash_len: 64 }]);
    expect(conv.id).toBeTruthy();
  });
});
