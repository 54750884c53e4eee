import { describe, expect, it } from "vitest";
import { createOpenAIChat } from "./openai-chat.ts";

describe("createOpenAIChat", () => {
  it("applies the model, timeout, retries and an OpenAI-compatible base URL", () => {
    const chat = createOpenAIChat({
      apiKey: "sk-test-key",
      baseUrl: "http://127.0.0.1:9/v1",
      model: "m-1",
      timeoutMs: 1234,
      maxRetries: 3,
    });
    expect(chat.model).toBe("m-1");
    expect(chat.temperature).toBe(0);
    expect(chat.timeout).toBe(1234);
    expect((chat.caller as unknown as { maxRetries: number }).maxRetries).toBe(3);
    expect(chat.clientConfig.baseURL).toBe("http://127.0.0.1:9/v1");
  });

  it("uses OpenAI's own endpoint when no base URL is given", () => {
    const chat = createOpenAIChat({ apiKey: "sk-test-key", model: "m-1", timeoutMs: 1000, maxRetries: 0 });
    expect(chat.clientConfig.baseURL).toBeUndefined();
  });
});
