import { OpenAPIHono } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoffEvents } from "../handoff/handoff-events.ts";
import { createHandoff } from "../handoff/handoff-store.ts";
import { createFakeMessageTranslator } from "../handoff/message-translator.ts";
import { SAMPLE_SUMMARY } from "../handoff/testing.ts";
import { agentRoutes } from "./agent.routes.ts";
import type { AppEnv } from "./app-env.ts";
import { onError } from "./middleware.ts";
import { startHarness, type TestHarness, type TestResponse } from "./testing.ts";

let h: TestHarness;
const translator = createFakeMessageTranslator();
let translating: OpenAPIHono<AppEnv>;
beforeAll(async () => {
  h = await startHarness();
  h.start();
  // The same agent routes with a translator, as when an LLM is configured.
  translating = new OpenAPIHono<AppEnv>();
  translating.onError(onError);
  translating.route("/agent", agentRoutes({ pool: h.db.pool, queue: h.queue, events: handoffEvents, waitAlertSeconds: 300, translator }));
});
afterAll(() => h.close());

const JSON_HEADERS = { "content-type": "application/json" };
const req = (app: { request(path: string, init?: RequestInit): Response | Promise<Response> }, path: string, init?: RequestInit) =>
  Promise.resolve(app.request(path, init)) as Promise<TestResponse>;

async function setup() {
  const created = await h.admin("/admin/agents", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name: "Kim", languages: ["en"] }),
  });
  const { token } = await created.json();
  await h.admin("/sandbox/inbound", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ from: "34655555555", name: "Eva", text: "Mi pedido llegó roto" }),
  });
  await h.worker.idle();
  const { rows } = await h.db.pool.query(
    "SELECT c.id::text FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = '34655555555'",
  );
  const conversationId = rows[0].id as string;
  await createHandoff(h.db.pool, {
    tenantId: "default",
    conversationId,
    reason: "anger",
    priority: "normal",
    language: "es",
    summary: SAMPLE_SUMMARY,
  });
  return { auth: { authorization: `Bearer ${token}` }, conversationId };
}

describe("translate toggle", () => {
  it("offline (no LLM): not offered, and asking for it is a clear 400", async () => {
    const { auth, conversationId } = await setup();
    const view = await (await req(h.app, `/agent/conversations/${conversationId}`, { headers: auth })).json();
    expect(view.translation).toEqual({ available: false, agentLanguage: "en" });
    const asked = await req(h.app, `/agent/conversations/${conversationId}?translate=true`, { headers: auth });
    expect(asked.status).toBe(400);
    expect((await asked.json()).error.message).toMatch(/LLM/);
    const send = await req(h.app, `/agent/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { ...auth, ...JSON_HEADERS },
      body: JSON.stringify({ text: "Hello", translate: true }),
    });
    expect(send.status).toBe(400);
  });

  it("with an LLM: customer messages in the agent's language, the reply sent in the customer's and marked", async () => {
    const { auth, conversationId } = await setup();
    const view = await (await req(translating, `/agent/conversations/${conversationId}?translate=true`, { headers: auth })).json();
    expect(view.translation.available).toBe(true);
    expect(view.transcript[0]).toMatchObject({ by: "customer", text: "Mi pedido llegó roto", translation: "[en] Mi pedido llegó roto" });
    const send = await req(translating, `/agent/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { ...auth, ...JSON_HEADERS },
      body: JSON.stringify({ text: "Sorry, we will send a new one.", translate: true }),
    });
    expect(send.status).toBe(202);
    expect(translator.calls.at(-1)).toEqual({ texts: ["Sorry, we will send a new one."], language: "es" });
    const after = await (await req(translating, `/agent/conversations/${conversationId}`, { headers: auth })).json();
    expect(after.transcript.at(-1)).toMatchObject({ by: "human", text: "[es] Sorry, we will send a new one.", translated: true });
    expect(after.notes.at(-1).text).toContain("Kim wrote: Sorry, we will send a new one.");
  });
});
