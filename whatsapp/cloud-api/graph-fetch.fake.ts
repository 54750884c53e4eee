/** A recording `fetch` for Graph client tests: every request is captured with its JSON body parsed. */
import { vi } from "vitest";

export type RecordedRequest = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** Returns a fake fetch answering with `respond(url)` and the list of requests it received. */
export function recordingFetch(respond: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: RecordedRequest[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const url = String(input);
    calls.push({
      url,
      method: init?.method ?? "GET",
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    return respond(url, init);
  });
  return { fetch, calls };
}
