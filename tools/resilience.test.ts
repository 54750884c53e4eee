import { afterEach, describe, expect, it, vi } from "vitest";
import { createResilience, PermanentCallError } from "./resilience.ts";

const fast = { backoff: { initialDelayMs: 1, maxDelayMs: 2 } };
const key = { tenantId: "t1", capability: "getOrder" };

function flaky(failures: number, error: () => Error = () => new Error("ERP answered HTTP 503")) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      calls++;
      if (calls <= failures) throw error();
      return "ok";
    },
  };
}

afterEach(() => vi.useRealTimers());

describe("resilience", () => {
  it("retries reads with backoff and returns the value", async () => {
    const r = createResilience(fast);
    const f = flaky(2);
    expect(await r.run(key, { write: false }, f.fn)).toBe("ok");
    expect(f.calls).toBe(3);
  });

  it("gives up on reads after the configured attempts with a typed unavailable", async () => {
    const r = createResilience({ ...fast, readAttempts: 2 });
    const f = flaky(5);
    expect(await r.run(key, { write: false }, f.fn)).toEqual({ ok: false, reason: "unavailable", detail: "ERP answered HTTP 503" });
    expect(f.calls).toBe(2);
  });

  it("never retries a write", async () => {
    const r = createResilience(fast);
    const f = flaky(1);
    expect(await r.run({ tenantId: "t1", capability: "cancelOrder" }, { write: true }, f.fn)).toMatchObject({ reason: "unavailable" });
    expect(f.calls).toBe(1);
  });

  it("does not retry permanent failures (malformed answers)", async () => {
    const r = createResilience(fast);
    const f = flaky(1, () => new PermanentCallError("not JSON"));
    expect(await r.run(key, { write: false }, f.fn)).toMatchObject({ reason: "unavailable", detail: "not JSON" });
    expect(f.calls).toBe(1);
  });

  it("times out a call that never answers, and aborts its signal", async () => {
    const r = createResilience({ ...fast, readAttempts: 1 });
    let signal: AbortSignal | undefined;
    const out = await r.run(key, { write: false, timeoutMs: 20 }, (s) => {
      signal = s;
      return new Promise<string>(() => undefined);
    });
    expect(out).toMatchObject({ ok: false, reason: "unavailable", detail: expect.stringMatching(/timed out after 20 ?ms/i) });
    expect(signal?.aborted).toBe(true);
  });

  it("opens the breaker per tenant and capability, fails fast while open, and closes after a successful trial", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const r = createResilience({ ...fast, readAttempts: 1, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 10_000 } });
    const f = flaky(3);
    for (let i = 0; i < 3; i++) await r.run(key, { write: false }, f.fn);
    expect(r.breakerState(key)).toBe("open");
    expect(await r.run(key, { write: false }, f.fn)).toMatchObject({
      reason: "unavailable",
      detail: expect.stringContaining("circuit open"),
    });
    expect(f.calls).toBe(3); // not called while open
    // Other tenants and other capabilities are unaffected.
    expect(await r.run({ tenantId: "t2", capability: "getOrder" }, { write: false }, async () => "t2")).toBe("t2");
    expect(await r.run({ tenantId: "t1", capability: "listOrders" }, { write: false }, async () => "list")).toBe("list");
    expect(r.breakerState({ tenantId: "t2", capability: "getOrder" })).toBe("closed");

    vi.setSystemTime(Date.now() + 10_001);
    expect(await r.run(key, { write: false }, f.fn)).toBe("ok");
    expect(r.breakerState(key)).toBe("closed");
  });

  it("a failed trial call opens the breaker again; resetTenant forgets it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const r = createResilience({ ...fast, readAttempts: 1, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 1_000 } });
    const f = flaky(10);
    await r.run(key, { write: false }, f.fn);
    await r.run(key, { write: false }, f.fn);
    vi.setSystemTime(Date.now() + 1_001);
    await r.run(key, { write: false }, f.fn);
    expect(r.breakerState(key)).toBe("open");
    expect(f.calls).toBe(3);
    r.resetTenant("t1");
    expect(r.breakerState(key)).toBe("closed");
  });
});
