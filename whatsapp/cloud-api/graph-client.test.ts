import { describe, expect, it, vi } from "vitest";
import { createGraphClient, type GraphClientOptions } from "./graph-client.ts";
import { recordingFetch } from "./graph-fetch.fake.ts";
import type { OutgoingMessage } from "./messages.ts";

const TOKEN = "EAAG-secret-token-123";
const BASE = "https://graph.example.test";
const PHONE = "106540352242922";
const MESSAGES_URL = `${BASE}/v23.0/${PHONE}/messages`;
const WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA";

function setup(
  respond: (url: string) => Response | Promise<Response> = () => Response.json({ messages: [{ id: WAMID }] }),
  extra: Partial<GraphClientOptions> = {},
) {
  const { fetch, calls } = recordingFetch(respond);
  const client = createGraphClient({ baseUrl: `${BASE}/`, version: "v23.0", accessToken: TOKEN, fetch, ...extra });
  return { client, calls, fetch };
}

const to = { waId: "16505551234" };
const envelope = { messaging_product: "whatsapp", recipient_type: "individual", to: "+16505551234" };

describe("graph client: send", () => {
  it("posts a text reply with context to the messages endpoint with the bearer token", async () => {
    const { client, calls } = setup();
    const out = await client.send(PHONE, to, { type: "text", text: { body: "Hello", preview_url: false } }, { contextWamid: "wamid.IN" });
    expect(out).toEqual({ ok: true, wamid: WAMID });
    expect(calls).toEqual([
      {
        url: MESSAGES_URL,
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: { ...envelope, type: "text", text: { body: "Hello", preview_url: false }, context: { message_id: "wamid.IN" } },
      },
    ]);
  });

  const bodies: [string, OutgoingMessage][] = [
    ["image by link", { type: "image", image: { link: "https://cdn.example.test/a.jpg", caption: "A" } }],
    ["image by id", { type: "image", image: { id: "1003383421387256" } }],
    ["document", { type: "document", document: { id: "622684793477189", filename: "receipt.pdf", caption: "Your receipt" } }],
    [
      "template with components",
      {
        type: "template",
        template: {
          name: "order_update",
          language: { code: "en_US" },
          components: [
            { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example.test/h.png" } }] },
            {
              type: "body",
              parameters: [
                { type: "text", text: "Sheena" },
                { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
                { type: "date_time", date_time: { fallback_value: "February 25, 1977" } },
              ],
            },
            { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "STOP" }] },
          ],
        },
      },
    ],
    [
      "reply buttons",
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Track your order?" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "yes", title: "Yes" } },
              { type: "reply", reply: { id: "no", title: "No" } },
            ],
          },
        },
      },
    ],
    [
      "list",
      {
        type: "interactive",
        interactive: {
          type: "list",
          header: { type: "text", text: "Stores" },
          body: { text: "Pick a store" },
          footer: { text: "Open 9-18" },
          action: {
            button: "Choose",
            sections: [{ title: "Lisbon", rows: [{ id: "lx1", title: "Baixa", description: "Rua Augusta 1" }] }],
          },
        },
      },
    ],
    ["location", { type: "location", location: { latitude: 38.71, longitude: -9.14, name: "Shop", address: "Rua Augusta 1" } }],
    ["reaction", { type: "reaction", reaction: { message_id: "wamid.IN", emoji: "👍" } }],
  ];

  it.each(bodies)("sends %s with Meta's body shape", async (_name, message) => {
    const { client, calls } = setup();
    expect(await client.send(PHONE, to, message)).toEqual({ ok: true, wamid: WAMID });
    expect(calls[0]?.url).toBe(MESSAGES_URL);
    expect(calls[0]?.body).toEqual({ ...envelope, ...message });
  });

  it("sends to a BSUID in `recipient` when there is no wa_id", async () => {
    const { client, calls } = setup();
    await client.send(PHONE, { userId: "US.13491208655302741918" }, { type: "text", text: { body: "Hi" } });
    expect(calls[0]?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      recipient: "US.13491208655302741918",
      type: "text",
      text: { body: "Hi" },
    });
  });

  it.each<[string, OutgoingMessage, RegExp]>([
    ["4097-char text", { type: "text", text: { body: "x".repeat(4097) } }, /^invalid message: text\.body: /],
    [
      "4 reply buttons",
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: { buttons: [1, 2, 3, 4].map((i) => ({ type: "reply" as const, reply: { id: `b${i}`, title: `B${i}` } })) },
        },
      },
      /^invalid message: interactive\.action\.buttons: /,
    ],
    [
      "21-char button title",
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: { buttons: [{ type: "reply", reply: { id: "a", title: "t".repeat(21) } }] },
        },
      },
      /^invalid message: interactive\.action\.buttons\.0\.reply\.title: /,
    ],
    [
      "11 list rows",
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: "Pick" },
          action: {
            button: "Choose",
            sections: [
              { title: "A", rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: `A${i}` })) },
              { title: "B", rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: `B${i}` })) },
            ],
          },
        },
      },
      /^invalid message: interactive\.action\.sections: at most 10 rows/,
    ],
  ])("refuses %s without calling Meta (code 100)", async (_name, message, title) => {
    const { client, fetch } = setup();
    const out = await client.send(PHONE, to, message);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ httpStatus: null, code: 100 });
    expect(out.error.title).toMatch(title);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("refuses a recipient with neither wa_id nor BSUID without calling Meta", async () => {
    const { client, fetch } = setup();
    const out = await client.send(PHONE, {}, { type: "text", text: { body: "Hi" } });
    expect(out).toMatchObject({ ok: false, error: { code: 100, httpStatus: null } });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("graph client: errors", () => {
  const text: OutgoingMessage = { type: "text", text: { body: "Hi" } };

  it("parses Meta's error envelope (131056 pair rate limit)", async () => {
    const { client } = setup(() =>
      Response.json(
        {
          error: {
            message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
            type: "OAuthException",
            code: 131056,
            error_data: {
              messaging_product: "whatsapp",
              details: "Too many messages sent from the sender phone number to the same recipient",
            },
            fbtrace_id: "Az8or2yhqkZfEZ-_4Qn_Bam",
          },
        },
        { status: 400 },
      ),
    );
    expect(await client.send(PHONE, to, text)).toEqual({
      ok: false,
      error: {
        httpStatus: 400,
        code: 131056,
        title: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        details: "Too many messages sent from the sender phone number to the same recipient",
      },
    });
  });

  it("maps a 500 HTML page to code null with the HTTP status", async () => {
    const { client } = setup(
      () => new Response("<html><body>Internal Server Error</body></html>", { status: 500, headers: { "content-type": "text/html" } }),
    );
    const out = await client.send(PHONE, to, text);
    expect(out).toMatchObject({ ok: false, error: { httpStatus: 500, code: null } });
  });

  it("returns a network error instead of throwing", async () => {
    const { client } = setup(() => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:443") });
    });
    const out = await client.send(PHONE, to, text);
    expect(out).toEqual({
      ok: false,
      error: { httpStatus: null, code: null, network: true, title: "network error: fetch failed: connect ECONNREFUSED 127.0.0.1:443" },
    });
  });

  it("times out with AbortSignal.timeout and reports it as a network error", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const client = createGraphClient({ baseUrl: BASE, version: "v23.0", accessToken: TOKEN, fetch, timeoutMs: 20 });
    const out = await client.send(PHONE, to, text);
    expect(out).toEqual({ ok: false, error: { httpStatus: null, code: null, network: true, title: "request timed out after 20 ms" } });
  });

  it("treats a 2xx without messages[0].id as an unexpected response", async () => {
    const { client } = setup(() => Response.json({ messaging_product: "whatsapp" }));
    expect(await client.send(PHONE, to, text)).toMatchObject({ ok: false, error: { httpStatus: 200, code: null } });
  });

  it("never echoes the access token in an error", async () => {
    const { client } = setup(() => Response.json({ error: { message: `Malformed access token ${TOKEN}`, code: 190 } }, { status: 401 }));
    const out = await client.send(PHONE, to, text);
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(out).toMatchObject({ ok: false, error: { code: 190, title: "Malformed access token [redacted]" } });
  });
});
