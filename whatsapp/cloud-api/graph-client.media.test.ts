import { describe, expect, it } from "vitest";
import { createGraphClient } from "./graph-client.ts";
import { recordingFetch } from "./graph-fetch.fake.ts";

const TOKEN = "EAAG-secret-token-123";
const BASE = "https://graph.example.test";
const PHONE = "106540352242922";
const CDN = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133";

function setup(respond: (url: string) => Response | Promise<Response>, maxDownloadBytes?: number) {
  const { fetch, calls } = recordingFetch(respond);
  const client = createGraphClient({
    baseUrl: BASE,
    version: "v23.0",
    accessToken: TOKEN,
    fetch,
    ...(maxDownloadBytes ? { maxDownloadBytes } : {}),
  });
  return { client, calls };
}

describe("graph client: markRead", () => {
  it("marks a message read and shows the typing indicator", async () => {
    const { client, calls } = setup(() => Response.json({ success: true }));
    expect(await client.markRead(PHONE, "wamid.IN", { typing: true })).toEqual({ ok: true });
    expect(calls).toEqual([
      {
        url: `${BASE}/v23.0/${PHONE}/messages`,
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: { messaging_product: "whatsapp", status: "read", message_id: "wamid.IN", typing_indicator: { type: "text" } },
      },
    ]);
  });

  it("sends no typing indicator unless asked", async () => {
    const { client, calls } = setup(() => Response.json({ success: true }));
    await client.markRead(PHONE, "wamid.IN");
    expect(calls[0]?.body).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.IN" });
  });

  it("reports a response without success: true", async () => {
    const { client } = setup(() => Response.json({ success: false }));
    expect(await client.markRead(PHONE, "wamid.IN")).toMatchObject({ ok: false, error: { httpStatus: 200, code: null } });
  });
});

describe("graph client: getMedia", () => {
  it("GETs the media id with the ownership check and parses a string file_size", async () => {
    const { client, calls } = setup(() =>
      Response.json({
        messaging_product: "whatsapp",
        url: CDN,
        mime_type: "image/jpeg",
        sha256: "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=",
        file_size: "303833",
        id: "1003383421387256",
      }),
    );
    expect(await client.getMedia("1003383421387256", PHONE)).toEqual({
      ok: true,
      media: { url: CDN, mimeType: "image/jpeg", sha256: "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=", fileSize: 303833 },
    });
    expect(calls).toEqual([
      {
        url: `${BASE}/v23.0/1003383421387256?phone_number_id=${PHONE}`,
        method: "GET",
        headers: { Authorization: `Bearer ${TOKEN}` },
        body: undefined,
      },
    ]);
  });

  it("accepts a numeric file_size and no phone number", async () => {
    const { client, calls } = setup(() => Response.json({ url: CDN, mime_type: "application/pdf", sha256: "abc", file_size: 12, id: "9" }));
    expect(await client.getMedia("9")).toMatchObject({ ok: true, media: { fileSize: 12 } });
    expect(calls[0]?.url).toBe(`${BASE}/v23.0/9`);
  });

  it("returns Meta's error for an unknown media id", async () => {
    const { client } = setup(() => Response.json({ error: { message: "Invalid parameter", code: 100 } }, { status: 400 }));
    expect(await client.getMedia("nope")).toEqual({ ok: false, error: { httpStatus: 400, code: 100, title: "Invalid parameter" } });
  });
});

describe("graph client: downloadMedia", () => {
  it("downloads with the bearer token and returns bytes and content type", async () => {
    const { client, calls } = setup(() => new Response(new Uint8Array([1, 2, 3]), { headers: { "content-type": "image/jpeg" } }));
    const out = await client.downloadMedia(CDN);
    expect(out).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 3]), mimeType: "image/jpeg" });
    expect(calls[0]).toMatchObject({ url: CDN, method: "GET", headers: { Authorization: `Bearer ${TOKEN}` } });
  });

  it("refuses a body over the cap, declared or streamed", async () => {
    const declared = setup(() => new Response("x".repeat(20), { headers: { "content-length": "20" } }), 10);
    expect(await declared.client.downloadMedia(CDN)).toMatchObject({
      ok: false,
      error: { code: null, title: expect.stringMatching(/cap/) },
    });
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(6));
      },
    });
    const streamed = setup(() => new Response(stream), 10);
    expect(await streamed.client.downloadMedia(CDN)).toMatchObject({ ok: false, error: { title: expect.stringMatching(/cap/) } });
  });

  it("does not send the token to a plain-http URL on another host", async () => {
    const { client, calls } = setup(() => new Response("x"));
    expect(await client.downloadMedia("http://evil.example/m")).toMatchObject({ ok: false, error: { code: null } });
    expect(calls).toHaveLength(0);
  });

  it("allows the sandbox's own origin over http", async () => {
    const { fetch } = recordingFetch(() => new Response("x"));
    const client = createGraphClient({ baseUrl: "http://127.0.0.1:3000/sandbox", version: "v23.0", accessToken: TOKEN, fetch });
    expect(await client.downloadMedia("http://127.0.0.1:3000/sandbox/media/1")).toMatchObject({ ok: true });
  });

  it("returns a 404 from the CDN as an error", async () => {
    const { client } = setup(() => new Response("Not Found", { status: 404 }));
    expect(await client.downloadMedia(CDN)).toMatchObject({ ok: false, error: { httpStatus: 404, code: null } });
  });
});
