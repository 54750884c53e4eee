import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, addTemplates, postCampaign, sandboxTo, settle, testRunner } from "./campaign-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
let now = new Date("2025-06-02T12:00:00Z"); // 14:00 in Madrid, 08:00 in New York, 21:00 in Tokyo
const clock = () => now;

beforeAll(async () => {
  h = await startHarness();
  // The harness's own campaign loop stays off: these tests drive runners on an injected clock.
  h.worker.start();
  h.sender.start();
  await addTemplates(h);
});
afterAll(async () => {
  await h.close();
});

const results = async (id: string) => (await (await h.admin(`/admin/campaigns/${id}`)).json()).results;
const outboxRows = async (campaignId: string) =>
  (await h.db.pool.query("SELECT count(*)::int AS n FROM messages WHERE source = $1", [`campaign:${campaignId}`])).rows[0].n;

describe("campaign sending", () => {
  it("messages only opted-in customers; the others are skipped, counted by reason and never messaged", async () => {
    const zone = "Europe/Madrid";
    await addCustomer(h, { waId: "34600000101", batch: "gate", timeZone: zone, attributes: { first_name: "Ana" } });
    await addCustomer(h, { waId: "34600000102", batch: "gate", timeZone: zone, consent: "none" });
    await addCustomer(h, { waId: "34600000103", batch: "gate", timeZone: zone, consent: "in_then_out" });
    await addCustomer(h, { waId: "34600000104", batch: "gate", timeZone: zone, consent: "out" });
    await addCustomer(h, { waId: "34600000105", batch: "gate", timeZone: zone });
    // A utility template is gated the same way: the platform requires opt-in for any business-initiated template.
    const created = await postCampaign(h, "gate", { template: { name: "notice", language: "es" }, parameters: [] });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    await testRunner(h, clock).runCampaigns();
    await settle(h);

    expect((await sandboxTo(h, "34600000101")).map((m) => m.type)).toEqual(["template"]);
    expect(await sandboxTo(h, "34600000105")).toHaveLength(1);
    for (const never of ["34600000102", "34600000103", "34600000104"]) expect(await sandboxTo(h, never)).toEqual([]);
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN customers c ON c.id = v.customer_id
       WHERE c.wa_id IN ('34600000102', '34600000103', '34600000104')`,
    );
    expect(rows[0].n).toBe(0);
    expect(await results(id)).toMatchObject({ targeted: 5, queued: 2, skipped: { total: 3, byReason: { no_opt_in: 1, opted_out: 2 } } });
    expect((await (await h.admin(`/admin/campaigns/${id}`)).json()).status).toBe("done");
  });

  it("creates a conversation on the business number for a customer who never wrote, and fills parameters with fallbacks", async () => {
    const id0 = await addCustomer(h, { waId: "34600000201", batch: "conv", timeZone: "UTC" });
    await addCustomer(h, { waId: "34600000202", batch: "conv", timeZone: "UTC", attributes: { first_name: "Bea" } });
    const { id } = await (await postCampaign(h, "conv")).json();
    await testRunner(h, clock).runCampaigns();
    await settle(h);
    const { rows } = await h.db.pool.query("SELECT phone_number_id FROM conversations WHERE customer_id = $1", [id0]);
    expect(rows).toEqual([{ phone_number_id: "106540352242922" }]);
    const bodies = await h.db.pool.query(
      `SELECT body -> 'template' -> 'components' -> 0 -> 'parameters' -> 0 ->> 'text' AS p FROM messages WHERE source = $1 ORDER BY id`,
      [`campaign:${id}`],
    );
    expect(bodies.rows.map((r) => r.p)).toEqual(["cliente", "Bea"]);
  });

  it("skips a customer whose parameter is missing and has no fallback", async () => {
    await addCustomer(h, { waId: "34600000301", batch: "param", timeZone: "UTC" });
    const { id } = await (await postCampaign(h, "param", { parameters: [{ attribute: "first_name" }] })).json();
    await testRunner(h, clock).runCampaigns();
    expect(await results(id)).toMatchObject({ targeted: 1, queued: 0, skipped: { byReason: { missing_parameter: 1 } } });
    expect(await sandboxTo(h, "34600000301")).toEqual([]);
  });

  it("defers customers outside their allowed hours and sends to each when their hours open", async () => {
    await addCustomer(h, { waId: "34600000401", batch: "tz", timeZone: "Europe/Madrid" });
    await addCustomer(h, { waId: "12125550402", batch: "tz", timeZone: "America/New_York" });
    await addCustomer(h, { waId: "81300000403", batch: "tz", timeZone: "Asia/Tokyo" });
    await addCustomer(h, { waId: "34600000404", batch: "tz", timeZone: "Not/AZone" }); // falls back to the tenant's UTC
    const { id } = await (await postCampaign(h, "tz")).json();
    const runner = testRunner(h, clock);
    await runner.runCampaigns();
    expect(await results(id)).toMatchObject({ targeted: 4, queued: 2, deferred: 2 });
    expect(await sandboxTo(h, "12125550402")).toEqual([]);

    now = new Date("2025-06-02T12:59:00Z"); // still 08:59 in New York
    await runner.runCampaigns();
    expect(await results(id)).toMatchObject({ queued: 2, deferred: 2 });
    now = new Date("2025-06-02T13:00:00Z");
    await runner.runCampaigns();
    await settle(h);
    expect(await sandboxTo(h, "12125550402")).toHaveLength(1);
    expect(await sandboxTo(h, "81300000403")).toEqual([]);
    now = new Date("2025-06-03T00:00:00Z"); // 09:00 in Tokyo
    await runner.runCampaigns();
    await settle(h);
    expect(await sandboxTo(h, "81300000403")).toHaveLength(1);
    expect(await results(id)).toMatchObject({ queued: 4, deferred: 0, pending: 0 });
    expect((await (await h.admin(`/admin/campaigns/${id}`)).json()).status).toBe("done");
    now = new Date("2025-06-02T12:00:00Z");
  });

  it("uses the campaign's own hours over the tenant's", async () => {
    await addCustomer(h, { waId: "34600000501", batch: "own", timeZone: "UTC" });
    const { id } = await (
      await postCampaign(h, "own", { schedule: { at: "2025-01-01T00:00:00Z", quietHours: { start: "18:00", end: "21:00" } } })
    ).json();
    await testRunner(h, clock).runCampaigns();
    expect(await results(id)).toMatchObject({ queued: 0, deferred: 1 });
  });

  it("sends once per customer when runners race and after a crash between queueing and recording", async () => {
    for (let i = 0; i < 5; i++) await addCustomer(h, { waId: `3460000060${i}`, batch: "race", timeZone: "UTC" });
    const { id } = await (await postCampaign(h, "race")).json();
    await Promise.all([testRunner(h, clock).runCampaigns(), testRunner(h, clock).runCampaigns(), testRunner(h, clock).runCampaigns()]);
    expect(await outboxRows(id)).toBe(5);
    // A process that died after queueing but before recording: recipients back to pending, its lease expired.
    await h.db.pool.query("UPDATE campaign_recipients SET state = 'pending', message_id = NULL WHERE campaign_id = $1", [id]);
    await h.db.pool.query(
      "UPDATE campaigns SET status = 'sending', locked_by = 'dead', locked_until = now() - interval '1 minute' WHERE id = $1",
      [id],
    );
    await testRunner(h, clock).runCampaigns();
    await testRunner(h, clock).runCampaigns();
    await settle(h);
    expect(await outboxRows(id)).toBe(5);
    for (let i = 0; i < 5; i++) expect(await sandboxTo(h, `3460000060${i}`)).toHaveLength(1);
    expect(await results(id)).toMatchObject({ targeted: 5, queued: 5 });
  });

  it("waits for a future start, and a cancelled campaign sends nothing", async () => {
    await addCustomer(h, { waId: "34600000701", batch: "later", timeZone: "UTC" });
    const { id } = await (await postCampaign(h, "later", { schedule: { at: "2025-06-02T15:00:00Z" } })).json();
    const runner = testRunner(h, clock);
    expect(await runner.runCampaigns()).toBe(0);
    expect((await h.admin(`/admin/campaigns/${id}/cancel`, { method: "POST" })).status).toBe(200);
    now = new Date("2025-06-02T16:00:00Z");
    expect(await runner.runCampaigns()).toBe(0);
    expect(await sandboxTo(h, "34600000701")).toEqual([]);
    expect((await h.admin(`/admin/campaigns/${id}/cancel`, { method: "POST" })).status).toBe(409);
    now = new Date("2025-06-02T12:00:00Z");
  });

  it("stops as failed when its template is no longer approved", async () => {
    await addCustomer(h, { waId: "34600000801", batch: "paused", timeZone: "UTC" });
    const { id } = await (await postCampaign(h, "paused", { template: { name: "notice", language: "es" }, parameters: [] })).json();
    await h.db.pool.query("UPDATE templates SET status = 'paused' WHERE name = 'notice'");
    await testRunner(h, clock).runCampaigns();
    const campaign = await (await h.admin(`/admin/campaigns/${id}`)).json();
    expect(campaign).toMatchObject({ status: "failed", failure: expect.stringMatching(/paused/), results: { queued: 0, pending: 1 } });
    await h.db.pool.query("UPDATE templates SET status = 'approved' WHERE name = 'notice'");
  });
});
