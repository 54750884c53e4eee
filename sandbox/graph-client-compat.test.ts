/** The real Graph client (whatsapp/cloud-api/graph-client.ts) against the fake API, the way the app wires it. */
import { beforeEach, describe, expect, it } from "vitest";
import type { WhatsAppClient } from "../whatsapp/cloud-api/client.ts";
import { createGraphClient } from "../whatsapp/cloud-api/graph-client.ts";
import type { StatusEvent } from "../whatsapp/events.ts";
import { KIT, type SandboxKit, useSandboxKit, verifyDelivery } from "./sandbox-testing.ts";

let client: WhatsAppClient;

const clientFor = (k: SandboxKit, accessToken: string) =>
  createGraphClient({
    baseUrl: "http://sandbox.local/sandbox/graph",
    version: "v23.0",
    accessToken,
    fetch: (input, init) => Promise.resolve(k.app.fetch(new Request(input, init))),
  });

const ctx = useSandboxKit();
beforeEach(() => {
  client = clientFor(ctx.kit, KIT.sandboxToken);
});

describe("the Graph client against the sandbox", () => {
  it("sends, and the wamid it gets back is the one the statuses report", async () => {
    const sent = await client.send(
      KIT.phoneNumberId,
      { waId: "16505551234" },
      { type: "text", text: { body: "Hi!" } },
      { contextWamid: "wamid.in" },
    );
    expect(sent.ok).toBe(true);
    await ctx.kit.sandbox.settled();
    const statuses = ctx.kit.deliveries.map((d) => verifyDelivery(d).normalized.events[0]?.event as StatusEvent);
    expect(statuses.map((s) => [s.wamid, s.status])).toEqual(
      ["sent", "delivered", "read"].map((status) => [sent.ok ? sent.wamid : "", status]),
    );
    const { rows } = await ctx.db.pool.query<{ body: { context?: { message_id: string } } }>("SELECT body FROM sandbox_messages");
    expect(rows[0]?.body.context).toEqual({ message_id: "wamid.in" });
  });

  it("sends to a BSUID and marks messages read", async () => {
    const sent = await client.send(KIT.phoneNumberId, { userId: "US.13491208655302741918" }, { type: "text", text: { body: "Hi" } });
    expect(sent.ok).toBe(true);
    expect(await client.markRead(KIT.phoneNumberId, "wamid.in", { typing: true })).toEqual({ ok: true });
  });

  it("sees injected errors with their code, status and details", async () => {
    ctx.kit.sandbox.failures.push({ code: 131056 });
    const failed = await client.send(KIT.phoneNumberId, { waId: "16505551234" }, { type: "text", text: { body: "Hi" } });
    expect(failed).toMatchObject({
      ok: false,
      error: { httpStatus: 400, code: 131056, details: expect.stringContaining("Too many messages") },
    });
    const badToken = await clientFor(ctx.kit, "not-the-sandbox-token").send(
      KIT.phoneNumberId,
      { waId: "16505551234" },
      { type: "text", text: { body: "x" } },
    );
    expect(badToken).toMatchObject({ ok: false, error: { httpStatus: 401, code: 190 } });
  });

  it("downloads media through getMedia and downloadMedia", async () => {
    const info = await client.getMedia("778899", KIT.phoneNumberId);
    if (!info.ok) throw new Error(info.error.title);
    expect(info.media.mimeType).toBe("image/png");
    const file = await client.downloadMedia(info.media.url);
    if (!file.ok) throw new Error(file.error.title);
    expect(file.bytes.byteLength).toBe(info.media.fileSize);
    expect(file.mimeType).toBe("image/png");
    const missing = await client.getMedia("missing-1");
    expect(missing).toMatchObject({ ok: false, error: { httpStatus: 400, code: 100 } });
  });
});
