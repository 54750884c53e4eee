import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MessageEvent, StatusEvent, StorableEvent } from "./events.ts";
import { normalizeWebhook } from "./normalize.ts";

const FIXTURES = join(import.meta.dirname, "../../shared/fixtures/whatsapp");
const hasFixtures = existsSync(FIXTURES);
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

/** Expected normalized type and text for every real Meta payload we keep. */
const EXPECTED: Record<string, { kind: string; type?: string; text?: string | null; status?: string }> = {
  "text.json": { kind: "message", type: "text", text: "Does it come in another color?" },
  "text_bsuid_username.json": { kind: "message", type: "text", text: "this is a text message" },
  "image.json": { kind: "message", type: "image", text: "Taj Mahal" },
  "document.json": { kind: "message", type: "document", text: "my receipt" },
  "location.json": { kind: "message", type: "location", text: null },
  "contacts.json": { kind: "message", type: "contacts", text: null },
  "interactive_button_reply.json": { kind: "message", type: "interactive", text: "Cancel" },
  "reaction.json": { kind: "message", type: "reaction", text: null },
  "unsupported.json": { kind: "message", type: "unsupported", text: null },
  "status_sent.json": { kind: "status", status: "sent" },
  "status_failed.json": { kind: "status", status: "failed" },
};

describe.runIf(hasFixtures)("normalizeWebhook on Meta's example payloads", () => {
  const files = hasFixtures ? readdirSync(FIXTURES).filter((f) => f.endsWith(".json")) : [];

  it("has an expectation for every fixture file", () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of Object.keys(EXPECTED)) {
    it(`normalizes ${file}`, () => {
      const result = normalizeWebhook(fixture(file));
      const want = EXPECTED[file];
      expect(result.shape).toBe("ok");
      expect(result.problems).toEqual([]);
      expect(result.events).toHaveLength(1);
      const ev = result.events[0]?.event;
      expect(ev?.kind).toBe(want?.kind);
      if (ev?.kind === "message") {
        expect(ev.type).toBe(want?.type);
        expect(ev.text).toBe(want?.text);
        expect(ev.known).toBe(true);
      }
      if (ev?.kind === "status") expect(ev.status).toBe(want?.status);
    });
  }

  it("keys BSUID users on the BSUID and keeps the username and parent id", () => {
    const [stored] = normalizeWebhook(fixture("text_bsuid_username.json")).events;
    const ev = stored?.event as MessageEvent;
    expect(ev.from).toEqual({
      waId: "16315551181",
      userId: "US.13491208655302741918",
      parentUserId: "US.11815799212886844830",
      username: "@testusername",
      name: "test user name",
    });
    expect(stored?.conversationKey).toBe("123456123:US.13491208655302741918");
    expect(stored?.dedupKey).toBe("m:ABGGFlA5Fpa");
  });

  it("keeps the reply context and the failed status errors", () => {
    const reply = normalizeWebhook(fixture("interactive_button_reply.json")).events[0]?.event as MessageEvent;
    expect(reply.contextWamid).toBe("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA");
    const failed = normalizeWebhook(fixture("status_failed.json")).events[0]?.event as StatusEvent;
    expect(failed.errors).toEqual([expect.objectContaining({ code: 131049 })]);
    expect(normalizeWebhook(fixture("status_failed.json")).events[0]?.dedupKey).toMatch(/^s:wamid\..+:failed$/);
  });
});

const envelope = (value: object, field = "messages") => ({
  object: "whatsapp_business_account",
  entry: [{ id: "1", changes: [{ field, value }] }],
});
const meta = { messaging_product: "whatsapp", metadata: { phone_number_id: "555", display_phone_number: "1555" } };

describe("normalizeWebhook on shapes Meta documents but does not exemplify", () => {
  it("loops over every entry, change, message and status of a batch", () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({
      from: `1555000${i % 3}`,
      id: `m${i}`,
      timestamp: "1700000000",
      type: "text",
      text: { body: `hi ${i}` },
    }));
    const statuses = Array.from({ length: 20 }, (_, i) => ({
      id: `o${i}`,
      status: "delivered",
      timestamp: "1700000001",
      recipient_id: "15550001",
    }));
    const body = {
      object: "whatsapp_business_account",
      entry: [
        { id: "1", changes: [{ field: "messages", value: { ...meta, messages } }] },
        {
          id: "2",
          changes: [
            { field: "messages", value: { ...meta, statuses } },
            { field: "messages", value: { ...meta, errors: [{ code: 130429, title: "Rate limit hit" }] } },
          ],
        },
      ],
    };
    const result = normalizeWebhook(body);
    expect(result.problems).toEqual([]);
    expect(result.events.filter((e) => e.event.kind === "message")).toHaveLength(30);
    expect(result.events.filter((e) => e.event.kind === "status")).toHaveLength(20);
    expect(result.events.filter((e) => e.event.kind === "error")).toHaveLength(1);
    expect(new Set(result.events.map((e) => e.dedupKey)).size).toBe(51);
  });

  it("keeps an unknown message type with its raw JSON", () => {
    const raw = { from: "15550001", id: "x1", timestamp: "1700000000", type: "hologram", hologram: { depth: 3 } };
    const ev = normalizeWebhook(envelope({ ...meta, messages: [raw] })).events[0]?.event as MessageEvent;
    expect(ev).toMatchObject({ type: "hologram", known: false, text: null, raw });
  });

  it("parses every other documented type: audio, video, sticker, button, list reply, order, system, removed reaction", () => {
    const base = { from: "15550001", timestamp: "1700000000" };
    const messages = [
      { ...base, id: "a", type: "audio", audio: { id: "m1", mime_type: "audio/ogg; codecs=opus", voice: true } },
      { ...base, id: "v", type: "video", video: { id: "m2", caption: "unboxing" } },
      { ...base, id: "s", type: "sticker", sticker: { id: "m3", animated: false } },
      { ...base, id: "b", type: "button", button: { payload: "STOP", text: "Stop promotions" } },
      {
        ...base,
        id: "l",
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: "r1", title: "Track order", description: "x" } },
      },
      {
        ...base,
        id: "o",
        type: "order",
        order: { catalog_id: "c", text: "please", product_items: [{ product_retailer_id: "p", quantity: 1 }] },
      },
      { ...base, id: "y", type: "system", system: { body: "User A changed from 1 to 2", wa_id: "15550002", type: "user_changed_number" } },
      { ...base, id: "r", type: "reaction", reaction: { message_id: "wamid.x" } },
    ];
    const events = normalizeWebhook(envelope({ ...meta, messages })).events.map((e) => e.event as MessageEvent);
    expect(events.map((e) => [e.type, e.text, e.known])).toEqual([
      ["audio", null, true],
      ["video", "unboxing", true],
      ["sticker", null, true],
      ["button", "Stop promotions", true],
      ["interactive", "Track order", true],
      ["order", "please", true],
      ["system", "User A changed from 1 to 2", true],
      ["reaction", null, true],
    ]);
  });

  it("accepts a username-only user (no phone number)", () => {
    const value = {
      ...meta,
      contacts: [{ profile: { name: "N", username: "@nophone" }, user_id: "BR.99887766" }],
      messages: [{ from_user_id: "BR.99887766", id: "u1", timestamp: "1700000000", type: "text", text: { body: "oi" } }],
    };
    const [stored] = normalizeWebhook(envelope(value)).events;
    expect((stored as StorableEvent).event).toMatchObject({ kind: "message" });
    expect(((stored as StorableEvent).event as MessageEvent).from).toEqual({ userId: "BR.99887766", username: "@nophone", name: "N" });
    expect(stored?.conversationKey).toBe("555:BR.99887766");
  });

  it("stores the good items of a batch and reports the bad ones", () => {
    const value = {
      ...meta,
      messages: [
        { from: "15550001", id: "ok", timestamp: "1700000000", type: "text", text: { body: "fine" } },
        { from: "15550001", timestamp: "1700000000", type: "text", text: { body: "no id" } },
        { id: "anon", timestamp: "1700000000", type: "text", text: { body: "no sender" } },
      ],
      statuses: [{ id: "s1", status: "read" }],
    };
    const result = normalizeWebhook(envelope(value));
    expect(result.shape).toBe("ok");
    expect(result.events).toHaveLength(1);
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/messages\[1\].*id/);
  });

  it("keeps a known type whose content is malformed, marked as not understood", () => {
    const ev = normalizeWebhook(
      envelope({ ...meta, messages: [{ from: "1", id: "t", timestamp: "1700000000", type: "text", text: { bodyy: "x" } }] }),
    ).events[0]?.event as MessageEvent;
    expect(ev).toMatchObject({ type: "text", known: false, text: null });
  });

  it("records other webhook fields as change events", () => {
    const value = {
      ...meta,
      contacts: [{ wa_id: "15550001" }],
      user_preferences: [{ wa_id: "15550001", category: "marketing_messages", value: "stop" }],
    };
    const [stored] = normalizeWebhook(envelope(value, "user_preferences")).events;
    expect(stored?.event).toMatchObject({ kind: "change", field: "user_preferences", user: { waId: "15550001" } });
    expect(stored?.conversationKey).toBe("555:15550001");
  });

  it.each([
    ["not an object", "hello"],
    ["wrong object", { object: "page", entry: [] }],
    ["no entries", { object: "whatsapp_business_account", entry: [] }],
    ["entry without changes", { object: "whatsapp_business_account", entry: [{ id: "1" }] }],
    ["null", null],
  ])("flags an unexpected envelope: %s", (_label, body) => {
    const result = normalizeWebhook(body);
    expect(result.shape).toBe("unexpected");
    expect(result.events).toEqual([]);
    expect(result.problems[0]).toMatch(/^envelope:/);
  });
});
