import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordConsent } from "../compliance/consent-store.ts";
import { upsertTemplate } from "../compliance/template-store.ts";
import { recordInbound } from "../conversations/conversation-store.ts";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { migrate } from "../lib/migrate.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { ensureDefaultTenant } from "../tenants/tenant-store.ts";
import type { GraphError, SendOutcome, WhatsAppClient } from "../whatsapp/cloud-api/client.ts";
import type { OutgoingMessage, Recipient } from "../whatsapp/cloud-api/messages.ts";
import { queueTemplate, queueText } from "./queue-message.ts";
import { createSender, type Sender } from "./sender.ts";

const PHONE = "555111";
const logger = createLogger("silent");
let db: Database;
let sender: Sender | undefined;

type Sent = { to: Recipient; message: OutgoingMessage; context?: string | undefined };
const sent: Sent[] = [];
let script: (GraphError | null)[] = [];
let wamidSeq = 0;
const client: WhatsAppClient = {
  async send(_pn, to, message, opts) {
    const error = script.shift();
    if (error) return { ok: false, error } satisfies SendOutcome;
    sent.push({ to, message, context: opts?.contextWamid });
    return { ok: true, wamid: `wamid.out.${++wamidSeq}` };
  },
  markRead: async () => ({ ok: true }),
  getMedia: async () => ({ ok: false, error: { httpStatus: 404, code: 100, title: "no" } }),
  downloadMedia: async () => ({ ok: false, error: { httpStatus: 404, code: 100, title: "no" } }),
};
const err = (code: number, title = `error ${code}`): GraphError => ({ httpStatus: 400, code, title });

beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool);
  await ensureDefaultTenant(db.pool, PHONE);
});
afterAll(async () => {
  await sender?.stop();
  await db.close();
});
beforeEach(async () => {
  await sender?.stop();
  sender = undefined;
  await db.pool.query("TRUNCATE messages, conversations, customers, consents, templates, message_statuses CASCADE");
  await db.pool.query("UPDATE phone_numbers SET paused_until = NULL, bulk_paused_until = NULL");
  sent.length = 0;
  script = [];
});

const deps = () => ({ pool: db.pool, onQueued: () => sender?.wake() });
const startSender = (opts: Partial<Parameters<typeof createSender>[0]> = {}) => {
  sender = createSender({ pool: db.pool, client, logger, idlePollMs: 20, ...opts });
  sender.start();
  return sender;
};

/** A conversation whose customer last wrote `agoMs` ago. */
async function conversation(agoMs = 60_000, waId = "34600000001") {
  const r = await recordInbound(db.pool, "default", {
    kind: "message",
    phoneNumberId: PHONE,
    wamid: `wamid.in.${waId}.${agoMs}.${Math.random()}`,
    occurredAt: new Date(Date.now() - agoMs).toISOString(),
    type: "text",
    known: true,
    from: { waId },
    text: "hi",
    contextWamid: null,
    raw: {},
  });
  return r;
}
const row = async (id: string) => (await db.pool.query("SELECT * FROM messages WHERE id = $1", [id])).rows[0];
const base = (conversationId: string, key = `k${Math.random()}`) => ({
  tenantId: "default",
  conversationId,
  idempotencyKey: key,
  source: "test",
});

describe("queueing", () => {
  it("queues a free-form reply inside the window and refuses it outside, naming usable templates", async () => {
    await upsertTemplate(db.pool, "default", {
      name: "order_update",
      language: "en",
      category: "utility",
      status: "approved",
      body: "Order {{1}}",
      parameters: [{ type: "text" }],
    });
    const open = await conversation(23.9 * 3600_000);
    expect(await queueText(deps(), { ...base(open.conversationId), text: "hello" })).toMatchObject({
      ok: true,
      messageIds: [expect.any(String)],
    });
    const closed = await conversation(24.1 * 3600_000, "34600000002");
    const refused = await queueText(deps(), { ...base(closed.conversationId), text: "hello" });
    expect(refused).toEqual({
      ok: false,
      code: "window_closed",
      templates: [{ name: "order_update", language: "en", category: "utility" }],
    });
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound'");
    expect(rows[0].n).toBe(1);
  });

  it("stores the same idempotency key once", async () => {
    const c = await conversation();
    const a = await queueText(deps(), { ...base(c.conversationId, "reply:wamid.1"), text: "once" });
    const b = await queueText(deps(), { ...base(c.conversationId, "reply:wamid.1"), text: "once" });
    expect(a).toMatchObject({ ok: true, duplicate: false });
    expect(b).toEqual({ ok: true, messageIds: a.ok ? a.messageIds : [], duplicate: true });
  });

  it("splits a long answer into at most three messages", async () => {
    const c = await conversation();
    const long = Array.from({ length: 3 }, (_, i) => `${"word ".repeat(700)}paragraph ${i}`).join("\n\n");
    const r = await queueText(deps(), { ...base(c.conversationId), text: long });
    expect(r.ok && r.messageIds.length).toBe(3);
  });

  it("validates templates: unknown, unapproved, wrong count, wrong type, newline", async () => {
    const c = await conversation(48 * 3600_000);
    await upsertTemplate(db.pool, "default", {
      name: "shipped",
      language: "en",
      category: "utility",
      status: "approved",
      body: "{{1}} {{2}}",
      parameters: [{ type: "text" }, { type: "currency" }],
    });
    await upsertTemplate(db.pool, "default", {
      name: "draft",
      language: "en",
      category: "utility",
      status: "pending",
      body: "x",
      parameters: [],
    });
    const t = (name: string, values: unknown[]) =>
      queueTemplate(deps(), { ...base(c.conversationId), name, language: "en", values: values as never });
    expect(await t("nope", [])).toMatchObject({ ok: false, code: "template_not_found" });
    expect(await t("draft", [])).toMatchObject({ ok: false, code: "template_not_approved" });
    expect(await t("shipped", ["A"])).toMatchObject({ ok: false, code: "template_invalid", details: expect.stringMatching(/takes 2/) });
    expect(await t("shipped", ["A", "B"])).toMatchObject({
      ok: false,
      code: "template_invalid",
      details: expect.stringMatching(/currency/),
    });
    expect(await t("shipped", ["A\nB", { currency: { fallback_value: "$1", code: "USD", amount_1000: 1000 } }])).toMatchObject({
      code: "template_invalid",
    });
    expect(await t("shipped", ["A", { currency: { fallback_value: "$1", code: "USD", amount_1000: 1000 } }])).toMatchObject({ ok: true });
  });

  it("sends marketing templates only to customers with an opt-in who have not opted out", async () => {
    const c = await conversation(48 * 3600_000);
    await upsertTemplate(db.pool, "default", {
      name: "promo",
      language: "en",
      category: "marketing",
      status: "approved",
      body: "Sale!",
      parameters: [],
    });
    await upsertTemplate(db.pool, "default", {
      name: "receipt",
      language: "en",
      category: "utility",
      status: "approved",
      body: "Paid",
      parameters: [],
    });
    const promo = () => queueTemplate(deps(), { ...base(c.conversationId), name: "promo", language: "en", values: [] });
    expect(await promo()).toEqual({ ok: false, code: "no_opt_in" });
    await recordConsent(db.pool, "default", c.customerId, {
      action: "opt_in",
      source: "checkout",
      textShown: "Get offers from Acme on WhatsApp",
    });
    expect(await promo()).toMatchObject({ ok: true });
    await recordConsent(db.pool, "default", c.customerId, { action: "opt_out", source: "keyword" });
    expect(await promo()).toEqual({ ok: false, code: "opted_out" });
    expect(await queueTemplate(deps(), { ...base(c.conversationId), name: "receipt", language: "en", values: [] })).toMatchObject({
      ok: true,
    });
  });
});

describe("sender", () => {
  it("sends queued messages and records the wamid, keeping a status that arrived first", async () => {
    const c = await conversation();
    const r = await queueText(deps(), { ...base(c.conversationId), text: "hello", contextWamid: "wamid.ctx" });
    await db.pool.query(
      "INSERT INTO message_statuses (tenant_id, wa_message_id, status, occurred_at) VALUES ('default', 'wamid.out.1', 'delivered', now())",
    );
    wamidSeq = 0;
    await startSender().idle();
    expect(sent).toEqual([{ to: { waId: "34600000001" }, message: { type: "text", text: { body: "hello" } }, context: "wamid.ctx" }]);
    const m = await row(r.ok ? (r.messageIds[0] as string) : "");
    expect(m).toMatchObject({ status: "delivered", wa_message_id: "wamid.out.1", attempts: 1 });
  });

  it("retries a pair-rate-limit error (131056) and sends once", async () => {
    const c = await conversation();
    script = [err(131056, "Pair rate limit hit")];
    const r = await queueText(deps(), { ...base(c.conversationId), text: "retry me" });
    const s = startSender();
    await new Promise((res) => setTimeout(res, 100));
    const first = await row(r.ok ? (r.messageIds[0] as string) : "");
    expect(first).toMatchObject({ status: "queued", attempts: 1, error_code: 131056 });
    await db.pool.query("UPDATE messages SET next_attempt_at = now() WHERE id = $1", [first.id]);
    s.wake();
    await s.idle();
    expect(sent).toHaveLength(1);
    expect(await row(first.id)).toMatchObject({ status: "accepted", attempts: 2 });
  });

  it.each([
    [100, "invalid parameter"],
    [131026, "undeliverable"],
    [132012, "parameter format"],
    [130403, "blocked"],
  ])("fails for good on %i and shows the error on the message", async (code, title) => {
    const c = await conversation();
    script = [err(code, title)];
    const r = await queueText(deps(), { ...base(c.conversationId), text: "x" });
    await startSender().idle();
    expect(await row(r.ok ? (r.messageIds[0] as string) : "")).toMatchObject({
      status: "failed",
      error_code: code,
      error_title: title,
      attempts: 1,
    });
    expect(sent).toHaveLength(0);
  });

  it("closes the window on 131047 so the next free-form reply is refused", async () => {
    const c = await conversation();
    script = [err(131047, "Re-engagement message")];
    await queueText(deps(), { ...base(c.conversationId), text: "late" });
    await startSender().idle();
    expect(await queueText(deps(), { ...base(c.conversationId), text: "again" })).toMatchObject({ ok: false, code: "window_closed" });
  });

  it("pauses the number on an expired token (190) and keeps the message queued", async () => {
    const c = await conversation();
    script = [err(190, "Access token has expired")];
    const lines: string[] = [];
    const alertLogger = createLogger("error", { write: (l: string) => void lines.push(l) });
    const r = await queueText(deps(), { ...base(c.conversationId), text: "x" });
    startSender({ logger: alertLogger });
    await new Promise((res) => setTimeout(res, 150));
    expect(await row(r.ok ? (r.messageIds[0] as string) : "")).toMatchObject({ status: "queued", attempts: 0 });
    const { rows } = await db.pool.query(
      "SELECT paused_until > now() AS paused, pause_reason FROM phone_numbers WHERE phone_number_id = $1",
      [PHONE],
    );
    expect(rows[0]).toMatchObject({ paused: true });
    expect(lines.join("")).toMatch(/ALERT: sending paused/);
  });

  it("refuses before any network call when the window closed between queueing and sending", async () => {
    const c = await conversation();
    const r = await queueText(deps(), { ...base(c.conversationId), text: "x" });
    await db.pool.query("UPDATE conversations SET last_inbound_at = now() - interval '25 hours'");
    await startSender().idle();
    expect(sent).toHaveLength(0);
    expect(await row(r.ok ? (r.messageIds[0] as string) : "")).toMatchObject({
      status: "failed",
      error_title: expect.stringMatching(/^window_closed/),
    });
  });

  it("sends again a message left in 'sending' by a crashed sender (the documented duplicate window)", async () => {
    const c = await conversation();
    const r = await queueText(deps(), { ...base(c.conversationId), text: "in flight" });
    const id = r.ok ? (r.messageIds[0] as string) : "";
    await db.pool.query(
      "UPDATE messages SET status = 'sending', sending_since = now() - interval '10 minutes', attempts = 1 WHERE id = $1",
      [id],
    );
    await startSender({ staleSendingMs: 60_000 }).idle();
    expect(sent).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "accepted", attempts: 2 });
  });

  it("paces one chatty customer without holding back the others", async () => {
    const chatty = await conversation(60_000, "34600000009");
    const other = await conversation(60_000, "34600000010");
    for (let i = 0; i < 5; i++) await queueText(deps(), { ...base(chatty.conversationId), text: `c${i}` });
    await queueText(deps(), { ...base(other.conversationId), text: "o0" });
    startSender({ pacing: { burst: 2, intervalMs: 60_000 } });
    await new Promise((res) => setTimeout(res, 300));
    const texts = sent.map((s) => (s.message as { text: { body: string } }).text.body);
    expect(texts.filter((t) => t.startsWith("c"))).toEqual(["c0", "c1"]);
    expect(texts).toContain("o0");
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS queued, count(*) FILTER (WHERE next_attempt_at > now() + interval '50 seconds')::int AS deferred FROM messages WHERE status = 'queued'",
    );
    // The chatty customer's next message waits for its token; the two after it wait behind it, in order.
    expect(rows[0]).toEqual({ queued: 3, deferred: 1 });
  });
});
