import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, addTemplates, postCampaign, settle, testRunner } from "./campaign-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
const clock = () => new Date("2025-06-02T12:00:00Z");

beforeAll(async () => {
  h = await startHarness();
  h.worker.start();
  h.sender.start();
  await addTemplates(h);
});
afterAll(async () => {
  await h.close();
});

const inject = (body: object) =>
  h.admin("/sandbox/failures", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("campaign results", () => {
  it("counts targeted, skipped, sent, delivered, read, replied, failed by code and opted out after, from the sandbox's statuses", async () => {
    // Six customers in the segment, worked out by hand:
    //   ...01 read                       ...04 read, then replies "gracias"      → replied
    //   ...02 fails at once with 131026  ...05 read, then writes STOP            → replied, opted out after
    //   ...03 accepted, then a failed status webhook with 131049                 ...06 never opted in → skipped
    const ids = ["01", "02", "03", "04", "05", "06"].map((n) => `3461000000${n}`);
    for (const [i, waId] of ids.entries()) {
      await addCustomer(h, {
        waId,
        batch: "results",
        timeZone: "UTC",
        consent: i === 5 ? "none" : "in",
        attributes: { first_name: `C${i}` },
      });
    }
    expect((await inject({ code: 131026, to: ids[1] })).status).toBe(201);
    expect((await inject({ code: 131049, to: ids[2], async: true })).status).toBe(201);
    const { id } = await (await postCampaign(h, "results")).json();
    await testRunner(h, clock).runCampaigns();
    await settle(h);
    await h.customerSays(ids[3] as string, "gracias");
    await h.customerSays(ids[4] as string, "STOP");
    await settle(h);

    const res = await h.admin(`/admin/campaigns/${id}`);
    expect(res.status).toBe(200);
    const { results, status } = await res.json();
    expect(status).toBe("done");
    expect(results).toEqual({
      targeted: 6,
      pending: 0,
      deferred: 0,
      skipped: { total: 1, byReason: { no_opt_in: 1 } },
      queued: 5,
      sent: 3,
      delivered: 3,
      read: 3,
      replied: 2,
      failed: { total: 2, byCode: { "131026": 1, "131049": 1 } },
      optedOutAfter: 1,
    });
  });

  it("reports zeros for a campaign not started yet", async () => {
    await addCustomer(h, { waId: "34610000101", batch: "empty", timeZone: "UTC" });
    const { id } = await (await postCampaign(h, "empty", { schedule: { at: "2025-06-03T00:00:00Z" } })).json();
    await testRunner(h, clock).runCampaigns();
    const { results, status } = await (await h.admin(`/admin/campaigns/${id}`)).json();
    expect(status).toBe("scheduled");
    expect(results).toMatchObject({
      targeted: 0,
      queued: 0,
      sent: 0,
      skipped: { total: 0, byReason: {} },
      failed: { total: 0, byCode: {} },
    });
  });
});
