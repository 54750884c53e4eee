/**
 * GET /admin/reports/summary(.csv) against the hand-made history of reports/testing.ts (Europe/Madrid, 10-12 January
 * 2024). Every expected number is a literal worked out by hand from that story; the comment beside it says how.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_TIME_ZONE, seedReportHistory } from "../reports/testing.ts";
import { createTenant, DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
const RANGE = `from=2024-01-10&to=2024-01-12&tz=${encodeURIComponent(REPORT_TIME_ZONE)}`;

beforeAll(async () => {
  h = await startHarness();
  await seedReportHistory(h.db.pool, DEFAULT_TENANT_ID);
  // Another tenant with the same story on the same days: none of it may leak into the default tenant's report.
  await createTenant(h.db.pool, "other", "Other tenant");
  await seedReportHistory(h.db.pool, "other");
  await seedReportHistory(h.db.pool, "other", [
    { name: "X", messages: [{ key: "x1", at: "d11 12:00:00", dir: "in", text: "Only the other tenant asks this" }] },
  ]);
});
afterAll(async () => h?.close());

const summary = async (query: string, headers: Record<string, string> = {}) => {
  const res = await h.admin(`/admin/reports/summary?${query}`, { headers });
  expect(res.status).toBe(200);
  return res.json();
};

describe("GET /admin/reports/summary", () => {
  it("counts the seeded history by hand, per Madrid day", async () => {
    const s = await summary(RANGE);
    expect(s).toMatchObject({ tenantId: DEFAULT_TENANT_ID, from: "2024-01-10", to: "2024-01-12", timeZone: "Europe/Madrid" });
    expect(s.days.map((d: { date: string }) => d.date)).toEqual(["2024-01-10", "2024-01-11", "2024-01-12"]);
    const [d10, d11, d12] = s.days;

    // 10th: C1 (m1-m4) and C6's reply m23 at 00:00:10. Inbound m1, m3; outbound m2, m4, m23.
    expect(d10.conversations).toBe(2);
    expect(d10.messages).toEqual({ inbound: 2, outbound: 3 });
    // Only C1 wrote; no handoff created on the 10th (C6's was created on the 9th).
    expect(d10.containment).toEqual({ activeConversations: 1, botResolved: 1, rate: 1 });
    expect(d10.handoffs).toMatchObject({ count: 0, conversations: 0, rate: 0 });
    // Runs: m1→m2 30 s, m3→m4 10 s (C6's run started on the 9th). p50 of [10, 30] = 20; p90 = 10 + 0.9·20 = 28.
    expect(d10.firstResponse).toEqual({
      bot: { count: 2, p50Seconds: 20, p90Seconds: 28 },
      human: { count: 0, p50Seconds: null, p90Seconds: null },
      unanswered: 0,
    });
    // C6's handoff: created 23:55 on the 9th, resolved 00:25 on the 10th = 1800 s.
    expect(d10.humanResolution).toEqual({ count: 1, p50Seconds: 1800, p90Seconds: 1800 });
    expect(d10.csat).toEqual({ requested: 0, answered: 0, responseRate: null, average: null });

    // 11th: C2 (m5-m10: in m5, m7, m10; out m6, m8, m9) and C3 (m11-m14: 2 in, 2 out).
    expect(d11.conversations).toBe(2);
    expect(d11.messages).toEqual({ inbound: 5, outbound: 5 });
    // Both wrote and both got a handoff that day (H1 no_grounded_answer, H3 anger).
    expect(d11.containment).toEqual({ activeConversations: 2, botResolved: 0, rate: 0 });
    expect(d11.handoffs).toEqual({
      count: 2,
      conversations: 2,
      rate: 1,
      byReason: { customer_request: 0, no_grounded_answer: 1, tool_unavailable: 0, sensitive_topic: 0, anger: 1, model_error: 0, other: 0 },
    });
    // Bot: m5→m6 20 s, m11→m12 60 s, m13→m14 40 s: p50 40, p90 = 40 + 0.8·20 = 56. Human: m7→m8 1200 s.
    // m10 (the CSAT answer) was never replied to: the CSAT question m9 is not a reply. 1 unanswered.
    expect(d11.firstResponse).toEqual({
      bot: { count: 3, p50Seconds: 40, p90Seconds: 56 },
      human: { count: 1, p50Seconds: 1200, p90Seconds: 1200 },
      unanswered: 1,
    });
    // H1: 00:30:20 → 01:30:20 = 3600 s; CSAT asked and answered with 4.
    expect(d11.humanResolution).toEqual({ count: 1, p50Seconds: 3600, p90Seconds: 3600 });
    expect(d11.csat).toEqual({ requested: 1, answered: 1, responseRate: 1, average: 4 });

    // 12th: C4 (in m15, m17; out m16, m18, m19), C5 (m20 in, m21 out), C7 (m24 in, m25 out; m26 is on the 13th).
    expect(d12.conversations).toBe(3);
    expect(d12.messages).toEqual({ inbound: 4, outbound: 5 });
    // C4, C5, C7 wrote; only C4 was handed off: 2/3 contained.
    expect(d12.containment).toEqual({ activeConversations: 3, botResolved: 2, rate: 0.6667 });
    expect(d12.handoffs).toMatchObject({ count: 1, conversations: 1, rate: 0.3333, byReason: { customer_request: 1 } });
    // Bot: m15→m16 5 s, m20→m21 10 s, m24→m26 900 s (m25 failed, m26 came on the 13th): p50 10, p90 = 10 + 0.8·890 = 722.
    // Human: m17→m18 300 s (m18 after the bot had answered m15 is not a first response to m15).
    expect(d12.firstResponse).toEqual({
      bot: { count: 3, p50Seconds: 10, p90Seconds: 722 },
      human: { count: 1, p50Seconds: 300, p90Seconds: 300 },
      unanswered: 0,
    });
    // H2: 08:00:05 → 08:30:05 = 1800 s; CSAT asked, not answered.
    expect(d12.humanResolution).toEqual({ count: 1, p50Seconds: 1800, p90Seconds: 1800 });
    expect(d12.csat).toEqual({ requested: 1, answered: 0, responseRate: 0, average: null });
  });

  it("totals the range as one period, not as a sum of days", async () => {
    const { totals } = await summary(RANGE);
    // C1-C7 all have a message in the range (C6 via m23).
    expect(totals.conversations).toBe(7);
    // 2 + 5 + 4 inbound; 3 + 5 + 5 outbound.
    expect(totals.messages).toEqual({ inbound: 11, outbound: 13 });
    // Active: C1, C2, C3, C4, C5, C7; handed off in the range: C2, C3, C4.
    expect(totals.containment).toEqual({ activeConversations: 6, botResolved: 3, rate: 0.5 });
    expect(totals.handoffs).toMatchObject({
      count: 3,
      conversations: 3,
      rate: 0.5,
      byReason: { no_grounded_answer: 1, anger: 1, customer_request: 1, other: 0 },
    });
    // Bot [5, 10, 10, 20, 30, 40, 60, 900]: p50 = 20 + 0.5·10 = 25; p90 at rank 6.3 = 60 + 0.3·840 = 312.
    // Human [300, 1200]: p50 750, p90 = 300 + 0.9·900 = 1110.
    expect(totals.firstResponse).toEqual({
      bot: { count: 8, p50Seconds: 25, p90Seconds: 312 },
      human: { count: 2, p50Seconds: 750, p90Seconds: 1110 },
      unanswered: 1,
    });
    // [1800, 1800, 3600]: p50 1800; p90 at rank 1.8 = 1800 + 0.8·1800 = 3240.
    expect(totals.humanResolution).toEqual({ count: 3, p50Seconds: 1800, p90Seconds: 3240 });
    expect(totals.csat).toEqual({ requested: 2, answered: 1, responseRate: 0.5, average: 4 });
  });

  it("lists top intents and top unanswered questions", async () => {
    const s = await summary(RANGE);
    // Non-stale turns in range: orders (C1, C5), payment (C3 twice; the stale one is left out), shipping, complaint,
    // opening_hours (C7; C6's turn was on the 9th); C1's small talk has no intent.
    expect(s.topIntents).toEqual([
      { intent: "orders", count: 2 },
      { intent: "payment", count: 2 },
      { intent: "complaint", count: 1 },
      { intent: "opening_hours", count: 1 },
      { intent: "shipping", count: 1 },
    ]);
    // no_answer turns: m11 and m13 normalize to one question; m5; m20 has no text (erased customer).
    expect(s.topUnanswered).toEqual([
      { question: "can i pay with paypal", example: "can i pay with  paypal??", count: 2, lastSeenAt: "2024-01-11T09:02:39.000Z" },
      {
        question: "do you ship to the canary islands",
        example: "Do you ship to the Canary Islands?",
        count: 1,
        lastSeenAt: "2024-01-10T23:30:19.000Z",
      },
    ]);
    const short = await summary(`${RANGE}&limit=1`);
    expect(short.topIntents).toHaveLength(1);
    expect(short.topUnanswered).toHaveLength(1);
  });

  it("cuts days at UTC midnight when no time zone is given", async () => {
    const s = await summary("from=2024-01-10&to=2024-01-10");
    expect(s.timeZone).toBe("UTC");
    // In UTC the 10th also holds C2's start (m5 23:30Z, m6, m7 23:40Z) and loses C6's reply m23 (23:00:10Z on the 9th).
    expect(s.days[0].conversations).toBe(2);
    expect(s.days[0].messages).toEqual({ inbound: 4, outbound: 3 });
  });

  it("follows the zone's daylight saving change: 31 March 2024 is 23 hours long in Madrid", async () => {
    await createTenant(h.db.pool, "dst", "DST tenant");
    await seedReportHistory(h.db.pool, "dst", [{ name: "D", messages: [{ key: "dst1", at: "d10 12:00:00", dir: "in", text: "x" }] }]);
    const { rows } = await h.db.pool.query("SELECT conversation_id FROM messages WHERE tenant_id = 'dst'");
    const conversationId = rows[0].conversation_id;
    // 00:30+01:00 and 23:30+02:00 are both on the 31st; 00:30+02:00 on 1 April is 22:30Z on the 31st.
    for (const at of ["2024-03-30T23:30:00Z", "2024-03-31T21:30:00Z", "2024-03-31T22:30:00Z"]) {
      await h.db.pool.query(
        "INSERT INTO messages (tenant_id, conversation_id, direction, type, payload, sent_at) VALUES ('dst', $1, 'inbound', 'text', '{}', $2)",
        [conversationId, at],
      );
    }
    const s = await summary("from=2024-03-31&to=2024-04-01&tz=Europe/Madrid", { "x-tenant-id": "dst" });
    expect(s.days.map((d: { messages: { inbound: number } }) => d.messages.inbound)).toEqual([2, 1]);
  });

  it("answers an empty range with zero days of activity", async () => {
    const s = await summary("from=2023-06-01&to=2023-06-02");
    expect(s.days).toHaveLength(2);
    expect(s.totals).toMatchObject({
      conversations: 0,
      messages: { inbound: 0, outbound: 0 },
      containment: { activeConversations: 0, botResolved: 0, rate: null },
      firstResponse: { bot: { count: 0, p50Seconds: null } },
    });
    expect(s.topIntents).toEqual([]);
    expect(s.topUnanswered).toEqual([]);
  });

  it("keeps tenants apart", async () => {
    const other = await summary(RANGE, { "x-tenant-id": "other" });
    // The same story plus one conversation on the 11th.
    expect(other.tenantId).toBe("other");
    expect(other.totals.conversations).toBe(8);
    const mine = await summary(RANGE);
    expect(mine.totals.conversations).toBe(7);
    expect(JSON.stringify(mine)).not.toContain("Only the other tenant");
    const empty = await summary(RANGE, { "x-tenant-id": "nobody" });
    expect(empty.totals.conversations).toBe(0);
  });

  it("refuses bad input with 400 and no token with 401", async () => {
    const bad = [
      "from=2024-01-10",
      "from=2024-1-10&to=2024-01-12",
      "from=2024-02-30&to=2024-03-01",
      "from=yesterday&to=today",
      "from=2024-01-12&to=2024-01-10",
      "from=2023-01-01&to=2024-01-02",
      "from=2024-01-10&to=2024-01-12&tz=Mars/Olympus",
      "from=2024-01-10&to=2024-01-12&tz=Europe/Madrid;DROP",
      `from=2024-01-10&to=2024-01-12&tz=${"A".repeat(65)}`,
      "from=2024-01-10&to=2024-01-12&limit=0",
      "from=2024-01-10&to=2024-01-12&limit=abc",
    ];
    for (const q of bad) {
      const res = await h.admin(`/admin/reports/summary?${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    // 366 days is the longest range allowed.
    expect((await h.admin("/admin/reports/summary?from=2023-01-01&to=2024-01-01")).status).toBe(200);
    expect((await h.app.request(`/admin/reports/summary?${RANGE}`)).status).toBe(401);
    expect((await h.app.request(`/admin/reports/summary?${RANGE}`, { headers: { authorization: "Bearer wrong-token-123" } })).status).toBe(
      401,
    );
    expect((await h.admin(`/admin/reports/summary?${RANGE}`, { headers: { "x-tenant-id": "bad tenant!" } })).status).toBe(400);
  });
});

describe("GET /admin/reports/summary.csv", () => {
  it("exports one row per day with the same figures", async () => {
    const res = await h.admin(`/admin/reports/summary.csv?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="switchboard-days-2024-01-10-2024-01-12.csv"');
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    const header = (lines[0] as string).split(",");
    const row = (i: number) => Object.fromEntries((lines[i] as string).split(",").map((v, j) => [header[j], v]));
    expect(row(1)).toMatchObject({ date: "2024-01-10", conversations: "2", inbound_messages: "2", first_response_bot_p90_s: "28" });
    expect(row(2)).toMatchObject({ date: "2024-01-11", handoffs_anger: "1", csat_average: "4", first_response_human_p50_s: "1200" });
    expect(row(3)).toMatchObject({ date: "2024-01-12", containment_rate: "0.6667", csat_average: "", csat_response_rate: "0" });
  });

  it("exports the top lists as their own sections", async () => {
    const unanswered = await (await h.admin(`/admin/reports/summary.csv?${RANGE}&section=unanswered`)).text();
    expect(unanswered).toBe(
      "question,example,count,last_seen_at\r\n" +
        "can i pay with paypal,can i pay with  paypal??,2,2024-01-11T09:02:39.000Z\r\n" +
        "do you ship to the canary islands,Do you ship to the Canary Islands?,1,2024-01-10T23:30:19.000Z\r\n",
    );
    const intents = await (await h.admin(`/admin/reports/summary.csv?${RANGE}&section=intents&limit=2`)).text();
    expect(intents).toBe("intent,count\r\norders,2\r\npayment,2\r\n");
    expect((await h.admin(`/admin/reports/summary.csv?${RANGE}&section=everything`)).status).toBe(400);
    expect((await h.admin("/admin/reports/summary.csv?from=2024-01-12&to=2024-01-10")).status).toBe(400);
    expect((await h.app.request(`/admin/reports/summary.csv?${RANGE}`)).status).toBe(401);
  });
});
