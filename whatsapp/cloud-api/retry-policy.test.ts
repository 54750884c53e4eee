import { describe, expect, it } from "vitest";
import type { GraphError } from "./client.ts";
import { classifySendError, isRetryable } from "./retry-policy.ts";

const meta = (code: number, httpStatus = 400): GraphError => ({ httpStatus, code, title: `(#${code})` });
const noJitter = () => 0;
const maxJitter = () => 0.999_999;

describe("classifySendError", () => {
  it.each([130429, 131056, 131057, 1, 2, 131000, 131016, 133004, 4, 80007, 613, 131049])("retries %i", (code) => {
    expect(classifySendError(meta(code)).action).toBe("retry");
    expect(isRetryable(meta(code))).toBe(true);
  });

  it.each([
    100, 131026, 131051, 131052, 131053, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132999, 131050, 130403, 131008, 131009,
    131031, 131042,
  ])("never retries %i (permanent)", (code) => {
    expect(classifySendError(meta(code))).toEqual({ action: "fail", reason: "permanent" });
    expect(isRetryable(meta(code))).toBe(false);
  });

  it.each([131047, 470])("reports %i as a closed customer-service window", (code) => {
    expect(classifySendError(meta(code))).toEqual({ action: "window_closed" });
  });

  it.each([190, 0])("pauses the number on %i", (code) => {
    expect(classifySendError(meta(code, 401))).toEqual({ action: "pause_number", reason: expect.stringContaining(`(${code})`) });
  });

  it.each([131048, 368])("pauses bulk sends on %i", (code) => {
    expect(classifySendError(meta(code))).toEqual({ action: "pause_bulk", reason: expect.stringContaining(`(${code})`) });
  });

  it("fails unknown codes for good, whatever the HTTP status", () => {
    expect(classifySendError(meta(999_999))).toEqual({ action: "fail", reason: "permanent" });
    expect(classifySendError(meta(999_999, 503))).toEqual({ action: "fail", reason: "permanent" });
  });

  it.each<[string, GraphError]>([
    ["a network error", { httpStatus: null, code: null, network: true, title: "network error" }],
    ["a 500 without a code", { httpStatus: 500, code: null, title: "HTTP 500" }],
    ["a 503 without a code", { httpStatus: 503, code: null, title: "HTTP 503" }],
    ["a 429 without a code", { httpStatus: 429, code: null, title: "HTTP 429" }],
  ])("retries %s", (_name, error) => {
    expect(classifySendError(error).action).toBe("retry");
  });

  it.each<[string, GraphError]>([
    ["an unexpected 2xx body", { httpStatus: 200, code: null, title: "unexpected" }],
    ["a 404 HTML page", { httpStatus: 404, code: null, title: "HTTP 404" }],
  ])("fails %s for good", (_name, error) => {
    expect(classifySendError(error)).toEqual({ action: "fail", reason: "permanent" });
  });
});

describe("retry delays", () => {
  const delays = (error: GraphError, random: () => number, attempts = 6) => {
    const action = classifySendError(error, random);
    if (action.action !== "retry") throw new Error(`expected retry, got ${action.action}`);
    return Array.from({ length: attempts }, (_, i) => action.delayMs(i + 1));
  };

  it("waits 4^X seconds for 131056, X from 0, never sooner, with at most 20 % jitter", () => {
    expect(delays(meta(131056), noJitter)).toEqual([1_000, 4_000, 16_000, 64_000, 256_000, 1_024_000]);
    const jittered = delays(meta(131056), maxJitter);
    expect(jittered[0]).toBeGreaterThanOrEqual(1_000);
    expect(jittered[0]).toBeLessThan(1_200);
    expect(jittered[2]).toBeLessThan(16_000 * 1.2);
  });

  it("caps the 131056 wait at an hour", () => {
    expect(delays(meta(131056), noJitter, 10).at(-1)).toBe(3_600_000);
  });

  it("doubles transient retries from 2 s up to 5 minutes", () => {
    expect(delays(meta(131000, 500), noJitter, 10)).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
    expect(delays({ httpStatus: null, code: null, network: true, title: "x" }, noJitter, 2)).toEqual([2_000, 4_000]);
  });

  it("waits at least a minute for maintenance mode (131057) and app rate limits (4, 80007, 613)", () => {
    for (const code of [131057, 4, 80007, 613]) expect(delays(meta(code), noJitter, 1)[0]).toBe(60_000);
  });

  it("waits at least 24 hours after 131049", () => {
    for (const d of [...delays(meta(131049), noJitter, 3), ...delays(meta(131049), maxJitter, 3)]) {
      expect(d).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(d).toBeLessThan(25 * 3_600_000);
    }
  });

  it("spreads retries apart with jitter", () => {
    const action = classifySendError(meta(130429));
    if (action.action !== "retry") throw new Error("expected retry");
    const samples = new Set(Array.from({ length: 20 }, () => action.delayMs(3)));
    expect(samples.size).toBeGreaterThan(1);
    for (const d of samples) expect(d).toBeGreaterThanOrEqual(4_000);
  });
});
