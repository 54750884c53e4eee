import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import { createOpenAIEmbedder } from "./openai-embedder.ts";

type EmbeddingRequest = { model: string; input: string[]; dimensions?: number; encoding_format?: string };

// A vector that depends on the text, with full-precision floats, so the test can tell vectors apart and in order.
function fakeVector(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => (text.length * 1000 + i) / 7 + 0.123456789);
}

let server: Server;
let baseUrl: string;
let requests: { body: EmbeddingRequest; auth: string | undefined }[] = [];
let mode: "ok" | "fail" | "short" = "ok";

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString("utf8");
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as EmbeddingRequest;
      requests.push({ body, auth: req.headers.authorization });
      if (req.url !== "/v1/embeddings" || mode === "fail") {
        res.writeHead(mode === "fail" ? 500 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "boom", type: "server_error" } }));
        return;
      }
      const dims = mode === "short" ? 3 : (body.dimensions ?? 8);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          model: body.model,
          data: body.input.map((t, index) => ({ object: "embedding", index, embedding: fakeVector(t, dims) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests = [];
  mode = "ok";
});

describe("OpenAI embedder", () => {
  it("batches texts, asks for floats and the configured dimensions, and returns the vectors intact and in order", async () => {
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test", baseUrl, model: "my-embedder", dimensions: 16, batchSize: 2 });
    expect(embedder.model).toBe("my-embedder");
    expect(embedder.dimensions).toBe(16);
    const texts = ["a", "bb", "ccc", "dddd", "line one\nline two"];
    const vectors = await embedder.embed(texts);

    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.body.input.length).sort()).toEqual([1, 2, 2]);
    expect(requests.flatMap((r) => r.body.input).sort()).toEqual([...texts].sort());
    for (const r of requests) {
      expect(r.body).toMatchObject({ model: "my-embedder", dimensions: 16, encoding_format: "float" });
      expect(r.auth).toBe("Bearer sk-test");
    }
    expect(vectors).toEqual(texts.map((t) => fakeVector(t, 16)));
  });

  it("makes no request for an empty list", async () => {
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test", baseUrl });
    expect(await embedder.embed([])).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it("defaults to text-embedding-3-small at 1536 dimensions", async () => {
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test", baseUrl });
    const [v] = await embedder.embed(["hello"]);
    expect(v).toHaveLength(1536);
    expect(requests[0]?.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 1536 });
  });

  it("reports a server failure as 'unavailable' after the configured retries", async () => {
    mode = "fail";
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test", baseUrl, maxRetries: 0 });
    const err = await embedder.embed(["hello"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("unavailable");
    expect(requests).toHaveLength(1);
  });

  it("rejects vectors of the wrong size instead of storing them", async () => {
    mode = "short";
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test", baseUrl, dimensions: 16 });
    await expect(embedder.embed(["hello"])).rejects.toThrow(/expected 16 dimensions/);
  });
});
