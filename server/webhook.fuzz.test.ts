import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../whatsapp/signature.ts";
import { startHarness, TEST_SECRETS, type TestHarness } from "./testing.ts";

let h: TestHarness;
beforeAll(async () => {
  h = await startHarness();
  h.worker.start();
});
afterAll(async () => {
  await h.close();
});

const deliveries = async () => Number((await h.db.pool.query("SELECT count(*) AS n FROM webhook_deliveries")).rows[0].n);

/** Webhook-like bodies: the real envelope with arbitrary (often wrong) values in every position. */
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const messageLike = fc.record(
  {
    from: fc.oneof(fc.string(), fc.stringMatching(/^\d{8,15}$/)),
    from_user_id: fc.oneof(fc.string(), fc.stringMatching(/^[A-Z]{2}\.\d{10,20}$/)),
    id: fc.oneof(fc.string(), anyValue),
    timestamp: fc.oneof(fc.stringMatching(/^\d{10}$/), anyValue),
    type: fc.oneof(
      fc.constantFrom("text", "image", "interactive", "reaction", "location", "order", "system", "button", "mystery"),
      fc.string(),
    ),
    text: fc.oneof(fc.record({ body: fc.string() }), anyValue),
    image: anyValue,
    interactive: anyValue,
    context: anyValue,
  },
  { requiredKeys: [] },
);
const statusLike = fc.record(
  {
    id: anyValue,
    status: fc.oneof(fc.constantFrom("sent", "delivered", "read", "failed", "played"), fc.string()),
    timestamp: anyValue,
    recipient_id: anyValue,
    errors: anyValue,
  },
  { requiredKeys: [] },
);
const webhookLike = fc.record({
  object: fc.oneof(fc.constant("whatsapp_business_account"), fc.string()),
  entry: fc.array(
    fc.record({
      id: fc.oneof(fc.string(), anyValue),
      changes: fc.array(
        fc.record({
          field: fc.oneof(fc.constant("messages"), fc.string()),
          value: fc.record(
            {
              metadata: fc.oneof(fc.record({ phone_number_id: fc.constantFrom(TEST_SECRETS.phoneNumberId, "42") }), anyValue),
              contacts: fc.oneof(
                fc.array(fc.record({ wa_id: anyValue, user_id: anyValue, profile: anyValue }, { requiredKeys: [] })),
                anyValue,
              ),
              messages: fc.oneof(fc.array(messageLike, { maxLength: 4 }), anyValue),
              statuses: fc.oneof(fc.array(statusLike, { maxLength: 3 }), anyValue),
              errors: fc.oneof(fc.array(anyValue, { maxLength: 2 }), anyValue),
            },
            { requiredKeys: [] },
          ),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
});

describe("webhook fuzzing", () => {
  it("never stores an unsigned or wrongly signed body, whatever it contains", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
        ),
        fc.option(fc.string()),
        async (body, sig) => {
          const before = await deliveries();
          const res = await h.postWebhook(body, { signature: sig === null ? null : `sha256=${sig}` });
          expect(res.status).toBe(401);
          expect(await deliveries()).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("answers every signed body with 200 (stored) or 400 (not JSON), never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          webhookLike.map((b) => JSON.stringify(b)),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
          fc.string({ unit: "binary" }),
        ),
        async (raw) => {
          const before = await deliveries();
          const res = await h.postWebhook(raw, { signature: signBody(raw, TEST_SECRETS.appSecret) });
          let isJson = true;
          try {
            JSON.parse(raw);
          } catch {
            isJson = false;
          }
          expect(res.status).toBe(isJson ? 200 : 400);
          expect(await deliveries()).toBe(before + (isJson ? 1 : 0));
        },
      ),
      { numRuns: 300 },
    );
    // The worker survives whatever was stored.
    await h.worker.idle(30_000);
    expect((await h.app.request("/healthz")).status).toBe(200);
  });
});
