/** Test kit for campaigns: customers with zones, attributes and consent; templates; campaigns through the API. */

import { createCampaignRunner } from "../campaigns/campaign-runner.ts";
import { recordConsent } from "../compliance/consent-store.ts";
import { createLogger } from "../lib/logger.ts";
import type { TestHarness } from "./testing.ts";

export type Consent = "in" | "out" | "in_then_out" | "none";

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** A customer of the default tenant with no conversation yet; `batch` is an attribute the test's segment selects. */
export async function addCustomer(
  h: TestHarness,
  c: { waId: string; batch: string; consent?: Consent; timeZone?: string; attributes?: Record<string, unknown>; name?: string },
): Promise<string> {
  const { rows } = await h.db.pool.query<{ id: string }>(
    "INSERT INTO customers (tenant_id, wa_id, name, time_zone, attributes) VALUES ('default', $1, $2, $3, $4) RETURNING id::text",
    [c.waId, c.name ?? null, c.timeZone ?? null, JSON.stringify({ batch: c.batch, ...c.attributes })],
  );
  const id = rows[0]?.id as string;
  const consent = c.consent ?? "in";
  if (consent !== "none")
    await recordConsent(h.db.pool, "default", id, { action: "opt_in", source: "test", textShown: "Offers from Demo" });
  if (consent === "out" || consent === "in_then_out") {
    if (consent === "out") await h.db.pool.query("DELETE FROM consents WHERE customer_id = $1", [id]);
    await recordConsent(h.db.pool, "default", id, { action: "opt_out", source: "test" });
  }
  return id;
}

/** `promo` (marketing, one text parameter) and `notice` (utility, none), both approved, plus `draft` (pending). */
export async function addTemplates(h: TestHarness): Promise<void> {
  const templates = [
    { name: "promo", language: "es", category: "marketing", body: "Hola {{1}}, -20% hoy", parameters: [{ type: "text" }] },
    { name: "notice", language: "es", category: "utility", body: "Aviso de servicio", parameters: [] },
    { name: "draft", language: "es", category: "marketing", status: "pending", body: "Borrador", parameters: [] },
  ];
  for (const t of templates) {
    const res = await h.admin("/admin/templates", json(t));
    if (res.status !== 201) throw new Error(`template ${t.name}: ${res.status}`);
  }
}

/** POST /admin/campaigns for the customers of one batch; returns the response. */
export function postCampaign(h: TestHarness, batch: string, over: Record<string, unknown> = {}) {
  return h.admin(
    "/admin/campaigns",
    json({
      name: `campaign ${batch}`,
      template: { name: "promo", language: "es" },
      parameters: [{ attribute: "first_name", fallback: "cliente" }],
      segment: { filter: { attributes: { batch } } },
      // The tests' clocks run in 2025; a start in the past is due at once.
      schedule: { at: "2025-01-01T00:00:00Z" },
      ...over,
    }),
  );
}

/** A runner on the harness's outbox with its own clock. */
export function testRunner(h: TestHarness, clock: () => Date, pageSize = 2) {
  return createCampaignRunner({ queue: h.queue, logger: createLogger("silent"), now: clock, pageSize });
}

/** What the sandbox received for a phone number. */
export async function sandboxTo(h: TestHarness, waId: string): Promise<{ type: string; text: string | null }[]> {
  return (await (await h.admin(`/sandbox/messages?to=${waId}`)).json()).messages;
}

/** Waits until sends, their status webhooks and the worker are done. */
export async function settle(h: TestHarness): Promise<void> {
  await h.sender.idle();
  await h.sandbox?.settled();
  await h.worker.idle();
  await h.sender.idle();
  await h.sandbox?.settled();
  await h.worker.idle();
}
