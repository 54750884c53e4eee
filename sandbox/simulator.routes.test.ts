import { describe, expect, it } from "vitest";
import { MESSAGES_PATH, type SandboxKit, textSend, useSandboxKit, verifyDelivery } from "./sandbox-testing.ts";
import type { TimelineItem } from "./simulator.routes.ts";

type Timeline = { customer: string; typing: boolean; timeline: TimelineItem[] };

const ctx = useSandboxKit();

/** Loads the page and returns the session cookie it sets, as a browser would send it back. */
async function openPage(): Promise<{ html: string; cookie: string; res: Response }> {
  const res = await ctx.kit.app.request("/simulator");
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { html: await res.text(), cookie: setCookie.split(";")[0] ?? "", res };
}

const sendAs = (cookie: string | undefined, body: unknown) =>
  ctx.kit.app.request("/simulator/api/send", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
  });

describe("GET /simulator", () => {
  it("renders the chat with its labelled controls, the sandbox note and a locked-down policy", async () => {
    const { html, res } = await openPage();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<label for="customer">Customer</label>');
    expect(html).toMatch(/<label for="text"[^>]*>\s*Message\s*<\/label>/);
    expect(html).toContain('<label for="custom-number">');
    expect(html).toContain("Ana García (34600000001)");
    expect(html).toContain("This is a local sandbox; nothing is sent to WhatsApp.");
    expect(html).toContain('data-base="/simulator"');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("default-src 'none'");
  });

  it("sets an HttpOnly, SameSite=Strict session cookie scoped to the simulator", async () => {
    const { res } = await openPage();
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^sb_simulator=/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/simulator");
  });
});

describe("simulator API", () => {
  it("rejects requests without the session cookie, or with a wrong one", async () => {
    for (const cookie of [undefined, "sb_simulator=guess"]) {
      const list = await ctx.kit.app.request("/simulator/api/messages?to=34600000001", { headers: cookie ? { cookie } : {} });
      expect(list.status).toBe(401);
      expect((await sendAs(cookie, { from: "34600000001", text: "hi" })).status).toBe(401);
    }
    expect(ctx.kit.deliveries).toHaveLength(0);
  });

  it("sends as the customer and shows both sides of the conversation with statuses", async () => {
    const { cookie } = await openPage();
    const sent = await sendAs(cookie, { from: "34600000001", name: "Ana García", text: "Hola" });
    expect(sent.status).toBe(202);
    const { wamid } = (await sent.json()) as { wamid: string };
    const inbound = verifyDelivery(ctx.kit.deliveries[0] as SandboxKit["deliveries"][number]);
    expect(inbound.signed).toBe(true);

    await ctx.kit.graph(MESSAGES_PATH, {
      messaging_product: "whatsapp",
      status: "read",
      message_id: wamid,
      typing_indicator: { type: "text" },
    });
    let view = (await (await ctx.kit.app.request("/simulator/api/messages?to=34600000001", { headers: { cookie } })).json()) as Timeline;
    expect(view.typing).toBe(true);
    expect(view.timeline).toEqual([expect.objectContaining({ direction: "inbound", id: wamid, text: "Hola", read: true })]);

    const buttons = {
      type: "button",
      body: { text: "¿Te ayudó?" },
      action: { buttons: [{ type: "reply", reply: { id: "si", title: "Sí" } }] },
    };
    await ctx.kit.graph(MESSAGES_PATH, {
      messaging_product: "whatsapp",
      to: "34600000001",
      type: "interactive",
      interactive: buttons,
      context: { message_id: wamid },
    });
    await ctx.kit.graph(MESSAGES_PATH, textSend("16505551234", "someone else"));
    await ctx.kit.sandbox.settled();
    view = (await (await ctx.kit.app.request("/simulator/api/messages?to=%2B34600000001", { headers: { cookie } })).json()) as Timeline;
    expect(view.typing).toBe(false);
    expect(view.timeline.map((m) => [m.direction, m.text])).toEqual([
      ["inbound", "Hola"],
      ["outbound", "¿Te ayudó?"],
    ]);
    expect(view.timeline[1]).toMatchObject({ status: "read", contextId: wamid, interactive: buttons });
  });

  it("sends a button tap with its context, and validates input", async () => {
    const { cookie } = await openPage();
    const tap = await sendAs(cookie, {
      from: "34600000001",
      name: "Ana",
      reply: { type: "button_reply", id: "si", title: "Sí" },
      context: { id: "wamid.X" },
    });
    expect(tap.status).toBe(202);
    const event = verifyDelivery(ctx.kit.deliveries[0] as SandboxKit["deliveries"][number]).normalized.events[0]?.event;
    expect(event).toMatchObject({ kind: "message", type: "interactive", text: "Sí", contextWamid: "wamid.X" });
    expect((await sendAs(cookie, { from: "34600000001" })).status).toBe(400);
    expect((await ctx.kit.app.request("/simulator/api/messages?to=abc", { headers: { cookie } })).status).toBe(400);
  });
});
