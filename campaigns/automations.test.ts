import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsent } from "../compliance/consent-store.ts";
import { upsertTemplate } from "../compliance/template-store.ts";
import { createAgent } from "../handoff/agent-store.ts";
import { resolveHandoff } from "../handoff/handoff-actions.ts";
import { createHandoffEvents } from "../handoff/handoff-events.ts";
import { createHandoff } from "../handoff/handoff-store.ts";
import { openHandoffTestDatabase, SAMPLE_SUMMARY, seedConversation, TEST_TENANT } from "../handoff/testing.ts";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { AutomationSettingsSchema, writeAutomationSettings } from "./automation-settings.ts";
import { runFollowUps } from "./follow-up.ts";
import { createPostResolutionPolicy } from "./post-resolution.ts";

let db: Database;
let pool: pg.Pool;
const logger = createLogger("silent");
const now = new Date("2025-06-02T12:00:00Z"); // 21:00 in Tokyo
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

beforeAll(async () => {
  db = await openHandoffTestDatabase();
  pool = db.pool;
  await upsertTemplate(pool, TEST_TENANT, {
    name: "checkin",
    language: "es",
    category: "utility",
    status: "approved",
    body: "¿Todo bien, {{1}}?",
    parameters: [{ type: "text" }],
  });
  await upsertTemplate(pool, TEST_TENANT, {
    name: "review_us",
    language: "es",
    category: "utility",
    status: "approved",
    body: "¿Nos dejas una reseña?",
    parameters: [],
  });
});
afterAll(async () => {
  await db.close();
});

const configure = async (value: object) => {
  const r = await writeAutomationSettings(pool, TEST_TENANT, AutomationSettingsSchema.parse(value));
  if (!r.ok) throw new Error(r.message);
};
const outbound = async (conversationId: string, source?: string) =>
  (
    await pool.query(
      "SELECT type, text, body FROM messages WHERE conversation_id = $1 AND direction = 'outbound' AND ($2::text IS NULL OR source = $2) ORDER BY id",
      [conversationId, source ?? null],
    )
  ).rows;

async function silentCustomer(o: { days: number; consent?: "in" | "out" | "none"; zone?: string; owner?: string }) {
  const c = await seedConversation(pool, { lastInboundAt: daysAgo(o.days), name: "Lucía" });
  await pool.query("UPDATE customers SET time_zone = $2 WHERE id = $1", [c.customerId, o.zone ?? "UTC"]);
  if (o.owner) await pool.query("UPDATE conversations SET owner = $2 WHERE id = $1", [c.conversationId, o.owner]);
  if (o.consent !== "none") await recordConsent(pool, TEST_TENANT, c.customerId, { action: "opt_in", source: "test" });
  if (o.consent === "out") await recordConsent(pool, TEST_TENANT, c.customerId, { action: "opt_out", source: "test" });
  return c;
}

describe("follow-up after N days of silence", () => {
  it("follows up opted-in customers once per silence period, in their hours, and not while turned off", async () => {
    const due = await silentCustomer({ days: 4 });
    const noOptIn = await silentCustomer({ days: 4, consent: "none" });
    const optedOut = await silentCustomer({ days: 4, consent: "out" });
    const tooSoon = await silentCustomer({ days: 1 });
    const tooOld = await silentCustomer({ days: 30 });
    const withHuman = await silentCustomer({ days: 4, owner: "human" });
    const tokyo = await silentCustomer({ days: 4, zone: "Asia/Tokyo" });
    expect(await runFollowUps({ queue: { pool }, logger }, now)).toEqual({ queued: 0, waiting: 0, skipped: 0 });

    const followUp = { enabled: true, afterDays: 3, template: { name: "checkin", language: "es" }, parameters: [{ field: "name" }] };
    await configure({ followUp });
    expect(await runFollowUps({ queue: { pool }, logger }, now)).toMatchObject({ queued: 1, waiting: 1 });
    expect(await runFollowUps({ queue: { pool }, logger }, now)).toMatchObject({ queued: 0, waiting: 1 });
    const sent = await outbound(due.conversationId, "automation:follow_up");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.template).toMatchObject({ name: "checkin", components: [{ parameters: [{ type: "text", text: "Lucía" }] }] });
    for (const c of [noOptIn, optedOut, tooSoon, tooOld, withHuman, tokyo]) expect(await outbound(c.conversationId)).toEqual([]);

    // 19:00 in Tokyo, 10:00 UTC; and a new message from the first customer started a new silence period.
    const later = new Date("2025-06-03T10:00:00Z");
    await pool.query("UPDATE conversations SET last_inbound_at = $2 WHERE id = $1", [
      due.conversationId,
      new Date(later.getTime() - 3.5 * 86_400_000),
    ]);
    expect(await runFollowUps({ queue: { pool }, logger }, later)).toMatchObject({ queued: 2, waiting: 0 });
    expect(await outbound(tokyo.conversationId, "automation:follow_up")).toHaveLength(1);
    expect(await outbound(due.conversationId, "automation:follow_up")).toHaveLength(2);

    await configure({ followUp: { ...followUp, enabled: false } });
    const another = await silentCustomer({ days: 4 });
    await runFollowUps({ queue: { pool }, logger }, now);
    expect(await outbound(another.conversationId)).toEqual([]);
  });

  it("refuses settings that cannot work", async () => {
    expect(AutomationSettingsSchema.safeParse({ followUp: { enabled: true } }).success).toBe(false);
    expect(AutomationSettingsSchema.safeParse({ timeZone: "Mars/Base" }).success).toBe(false);
    expect(AutomationSettingsSchema.safeParse({ postResolution: { kind: "review" } }).success).toBe(false);
    const parsed = AutomationSettingsSchema.parse({ followUp: { enabled: true, template: { name: "checkin", language: "es" } } });
    expect(await writeAutomationSettings(pool, TEST_TENANT, parsed)).toMatchObject({
      ok: false,
      message: /takes 1 parameters; 0 were given/,
    });
    expect(await writeAutomationSettings(pool, "nobody", AutomationSettingsSchema.parse({}))).toMatchObject({
      ok: false,
      code: "unknown_tenant",
    });
  });
});

describe("after a handoff is resolved", () => {
  const events = createHandoffEvents();
  const csat = { question: "¿Qué tal te atendimos?", buttonLabel: "Valorar" };

  async function resolved(agentAsks: boolean, lastInboundAt: Date | null = new Date()) {
    const { conversationId } = await seedConversation(pool, { lastInboundAt });
    const { agent } = await createAgent(pool, TEST_TENANT, {
      name: "Admin",
      role: "admin",
      skills: [],
      languages: [],
      maxConcurrent: 5,
      status: "away",
    });
    const h = await createHandoff(pool, {
      tenantId: TEST_TENANT,
      conversationId,
      reason: "customer_request",
      priority: "normal",
      language: "es",
      summary: SAMPLE_SUMMARY,
    });
    const deps = { pool, queue: { pool }, events, afterResolution: createPostResolutionPolicy({ queue: { pool } }) };
    const r = await resolveHandoff(deps, agent, h.handoffId, { returnToBot: true, csat: agentAsks ? csat : undefined });
    const { rows } = await pool.query("SELECT csat_requested_at FROM handoffs WHERE id = $1", [h.handoffId]);
    return { r, messages: await outbound(conversationId), csatRequested: rows[0].csat_requested_at !== null };
  }

  it("keeps today's behaviour by default: the CSAT list when the agent asks, nothing otherwise", async () => {
    await configure({});
    const asked = await resolved(true);
    expect(asked.r).toEqual({ ok: true, csatQueued: true });
    expect(asked.messages[0].body.interactive).toMatchObject({ type: "list", body: { text: csat.question } });
    expect((await resolved(false)).messages).toEqual([]);
  });

  it("asks nothing when turned off, even when the agent asks", async () => {
    await configure({ postResolution: { enabled: false } });
    const r = await resolved(true);
    expect(r).toMatchObject({ r: { ok: true, csatQueued: false }, messages: [], csatRequested: false });
  });

  it("asks on every resolution with the tenant's question when set to always", async () => {
    await configure({ postResolution: { ask: "always", csatQuestion: "Puntúanos del 1 al 5" } });
    const r = await resolved(false);
    expect(r.csatRequested).toBe(true);
    expect(r.messages[0].body.interactive.body.text).toBe("Puntúanos del 1 al 5");
  });

  it("asks for a review instead: the text inside the window, the template outside it", async () => {
    await configure({
      postResolution: {
        kind: "review",
        reviewText: "¿Nos dejas una reseña? https://example.com/r",
        reviewTemplate: { name: "review_us", language: "es" },
      },
    });
    const open = await resolved(true);
    expect(open).toMatchObject({ r: { csatQueued: true }, csatRequested: false });
    expect(open.messages.map((m: { text: string }) => m.text)).toEqual(["¿Nos dejas una reseña? https://example.com/r"]);
    const closed = await resolved(true, new Date(Date.now() - 2 * 86_400_000));
    expect(closed.messages.map((m: { type: string; body: { template?: { name: string } } }) => [m.type, m.body.template?.name])).toEqual([
      ["template", "review_us"],
    ]);
  });
});
