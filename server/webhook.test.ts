import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addPhoneNumber } from "../tenants/tenant-store.ts";
import { escapeNonAscii, signBody } from "../whatsapp/signature.ts";
import { startHarness, statusBody, TEST_SECRETS, type TestHarness, textMessageBody } from "./testing.ts";

const FIXTURES = join(import.meta.dirname, "../../shared/fixtures/whatsapp");
const hasFixtures = existsSync(FIXTURES);

let h: TestHarness;
beforeAll(async () => {
  h = await startHarness();
  await addPhoneNumber(h.db.pool, "default", "123456123"); // the number in text_bsuid_username.json
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.db.pool.query(
    "TRUNCATE webhook_deliveries, webhook_events, message_statuses, messages, conversations, customers, conversation_leases CASCADE",
  );
});

const count = async (table: string, where = "true") =>
  Number((await h.db.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);

describe("GET /webhooks/whatsapp (verification)", () => {
  const verify = (q: string) => h.app.request(`/webhooks/whatsapp?${q}`);

  it("echoes the bare challenge as text/plain for the right token", async () => {
    const res = await verify(`hub.mode=subscribe&hub.verify_token=${TEST_SECRETS.verifyToken}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("1158201444");
  });

  it.each([
    ["wrong token", "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"],
    ["wrong mode", `hub.mode=unsubscribe&hub.verify_token=${TEST_SECRETS.verifyToken}&hub.challenge=1`],
    ["no challenge", `hub.mode=subscribe&hub.verify_token=${TEST_SECRETS.verifyToken}`],
    ["nothing", ""],
  ])("answers 403 for %s", async (_l, q) => {
    expect((await verify(q)).status).toBe(403);
  });
});

describe("POST /webhooks/whatsapp", () => {
  describe.runIf(hasFixtures)("Meta's example payloads", () => {
    const files = hasFixtures ? readdirSync(FIXTURES).filter((f) => f.endsWith(".json")) : [];
    for (const file of files) {
      it(`stores ${file} as the right type and records it`, async () => {
        const raw = readFileSync(join(FIXTURES, file), "utf8");
        const body = JSON.parse(raw);
        const res = await h.postWebhook(raw);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ received: 1, duplicates: 0 });
        await h.worker.start();
        await h.worker.idle();
        const value = body.entry[0].changes[0].value;
        const { rows } = await h.db.pool.query("SELECT kind, state, payload FROM webhook_events");
        expect(rows).toHaveLength(1);
        if (value.messages) {
          expect(rows[0]).toMatchObject({ kind: "message", state: "done", payload: { type: value.messages[0].type } });
          const msgs = await h.db.pool.query("SELECT type, wa_message_id, direction FROM messages");
          expect(msgs.rows).toEqual([{ type: value.messages[0].type, wa_message_id: value.messages[0].id, direction: "inbound" }]);
        } else {
          expect(rows[0]).toMatchObject({ kind: "status", state: "done", payload: { status: value.statuses[0].status } });
          expect(await count("message_statuses")).toBe(1);
        }
      });
    }
  });

  it("answers 401 and stores nothing for a wrong or missing signature", async () => {
    const body = textMessageBody({ text: "hi" });
    expect((await h.postWebhook(body, { signature: signBody("{}", TEST_SECRETS.appSecret) })).status).toBe(401);
    expect((await h.postWebhook(body, { signature: signBody(JSON.stringify(body), "another-secret") })).status).toBe(401);
    expect((await h.postWebhook(body, { signature: null })).status).toBe(401);
    expect((await h.postWebhook(body, { signature: "garbage" })).status).toBe(401);
    expect(await count("webhook_deliveries")).toBe(0);
    expect(await count("webhook_events")).toBe(0);
  });

  it("verifies the raw bytes of a body with non-ASCII text, '/' and '@' exactly as sent", async () => {
    // Meta-style escaping of '/' and '@' that JSON.stringify would not reproduce.
    const raw = JSON.stringify(textMessageBody({ text: "Größe? 👟 café https://shop.example/x mail me at a@b.co" }))
      .replace(/\//g, "\\/")
      .replace(/@/g, "\\u0040");
    const res = await h.postWebhook(raw);
    expect(res.status).toBe(200);
    const { rows } = await h.db.pool.query("SELECT payload->>'text' AS text FROM webhook_events");
    expect(rows[0].text).toBe("Größe? 👟 café https://shop.example/x mail me at a@b.co");
  });

  it("accepts a signature over the \\u-escaped body Meta may compute", async () => {
    const raw = JSON.stringify(textMessageBody({ text: "ação 🙂" }));
    const res = await h.postWebhook(raw, { signature: signBody(escapeNonAscii(raw), TEST_SECRETS.appSecret) });
    expect(res.status).toBe(200);
  });

  it("stores a message whose text holds a NUL character (jsonb refuses \\u0000) without failing", async () => {
    const res = await h.postWebhook(textMessageBody({ text: "before\u0000after" }));
    expect(res.status).toBe(200);
    const { rows } = await h.db.pool.query("SELECT payload->>'text' AS text FROM webhook_events");
    expect(rows[0].text).toBe("before\uFFFDafter");
  });

  it("answers 413 above 3 MB without storing", async () => {
    const big = JSON.stringify(textMessageBody({ text: "x".repeat(3 * 1024 * 1024) }));
    const res = await h.postWebhook(big);
    expect(res.status).toBe(413);
    expect(await count("webhook_deliveries")).toBe(0);
  });

  it("accepts a body just under 3 MB", async () => {
    const body = JSON.stringify(textMessageBody({ text: "y".repeat(3 * 1024 * 1024 - 2000) }));
    const res = await h.postWebhook(body);
    expect(await res.text()).toBe('{"received":1,"duplicates":0}');
  });

  it("answers 400 for a signed body that is not JSON", async () => {
    const res = await h.postWebhook("this is not json");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "bad_request" } });
    expect(await count("webhook_deliveries")).toBe(0);
  });

  it("stores a signed JSON body of an unexpected shape raw, flagged, and answers 200", async () => {
    const res = await h.postWebhook({ object: "page", entry: [{ id: "1", messaging: [] }] });
    expect(res.status).toBe(200);
    const { rows } = await h.db.pool.query("SELECT outcome, problems, body FROM webhook_deliveries");
    expect(rows).toEqual([
      {
        outcome: "unexpected_shape",
        problems: [expect.stringMatching(/envelope/)],
        body: '{"object":"page","entry":[{"id":"1","messaging":[]}]}',
      },
    ]);
    expect(await count("webhook_events")).toBe(0);
  });

  it("stores a message once when Meta delivers it twice, and processes it once", async () => {
    const body = textMessageBody({ text: "twice", wamid: "wamid.dup.1" });
    expect(await (await h.postWebhook(body)).json()).toEqual({ received: 1, duplicates: 0 });
    expect(await (await h.postWebhook(body)).json()).toEqual({ received: 0, duplicates: 1 });
    h.worker.start();
    await h.worker.idle();
    expect(await count("webhook_events")).toBe(1);
    expect(await count("webhook_deliveries")).toBe(2);
    expect(await count("messages")).toBe(1);
  });

  it("stores only the new events of a batch that mixes new and seen ones", async () => {
    const one = textMessageBody({ text: "a", wamid: "wamid.mix.1" }) as { entry: { changes: { value: { messages: unknown[] } }[] }[] };
    await h.postWebhook(one);
    const batch = structuredClone(one);
    const first = batch.entry[0]?.changes[0]?.value.messages[0] as Record<string, unknown>;
    batch.entry[0]?.changes[0]?.value.messages.push({ ...first, id: "wamid.mix.2" }, { ...first, id: "wamid.mix.3" });
    const res = await h.postWebhook(batch);
    expect(await res.json()).toEqual({ received: 2, duplicates: 1 });
    expect(await count("webhook_events")).toBe(3);
  });

  it("keeps events for a number no tenant owns, marked unroutable, and still answers 200", async () => {
    const res = await h.postWebhook(textMessageBody({ text: "lost?", phoneNumberId: "999999" }));
    expect(res.status).toBe(200);
    const { rows } = await h.db.pool.query("SELECT state, tenant_id FROM webhook_events");
    expect(rows).toEqual([{ state: "unroutable", tenant_id: null }]);
    h.worker.start();
    await h.worker.idle();
    expect(await count("messages")).toBe(0);
  });

  it("applies statuses monotonically whatever order they arrive in", async () => {
    const wamid = "wamid.out.1";
    const { rows: conv } = await h.db.pool.query(
      `WITH c AS (INSERT INTO customers (tenant_id, wa_id) VALUES ('default', '16505551234') RETURNING id)
       INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT 'default', id, $1 FROM c RETURNING id`,
      [TEST_SECRETS.phoneNumberId],
    );
    await h.db.pool.query(
      "INSERT INTO messages (tenant_id, conversation_id, direction, wa_message_id, type, payload, status, sent_at) VALUES ('default', $1, 'outbound', $2, 'text', '{}', 'queued', now())",
      [conv[0].id, wamid],
    );
    h.worker.start();
    for (const [status, ts] of [
      ["read", 30],
      ["sent", 10],
      ["delivered", 20],
    ] as const) {
      expect((await h.postWebhook(statusBody({ wamid, status, timestamp: 1_700_000_000 + ts }))).status).toBe(200);
      await h.worker.idle();
    }
    const { rows } = await h.db.pool.query("SELECT status FROM messages WHERE wa_message_id = $1", [wamid]);
    expect(rows[0].status).toBe("read");
    expect(await count("message_statuses")).toBe(3);
    await h.postWebhook(statusBody({ wamid, status: "read", timestamp: 1_700_000_040 }));
    expect(await count("message_statuses")).toBe(3);
  });

  it("keeps a status that arrives before its message is known", async () => {
    h.worker.start();
    await h.postWebhook(statusBody({ wamid: "wamid.not-yet", status: "delivered", timestamp: 1_700_000_000 }));
    await h.worker.idle();
    const { rows } = await h.db.pool.query("SELECT wa_message_id, status FROM message_statuses");
    expect(rows).toEqual([{ wa_message_id: "wamid.not-yet", status: "delivered" }]);
  });

  it("answers 503 when the database is unreachable, so Meta retries", async () => {
    const broken = await startHarness();
    await broken.db.close();
    const res = await broken.postWebhook(textMessageBody({ text: "db down" }));
    expect(res.status).toBe(503);
    expect((await broken.app.request("/readyz")).status).toBe(503);
    await broken.stop();
  });
});
