import { describe, expect, it } from "vitest";
import { createFailureInjector } from "./failure-injector.ts";

describe("createFailureInjector", () => {
  it("fails `times` matching sends, first queued first, then nothing", () => {
    const failures = createFailureInjector();
    failures.push({ code: 131056, times: 2 });
    failures.push({ code: 130429 });
    expect([1, 2, 3, 4].map(() => failures.take("16505551234")?.code)).toEqual([131056, 131056, 130429, undefined]);
  });

  it("matches `to` with or without a leading +, and leaves other recipients alone", () => {
    const failures = createFailureInjector();
    failures.push({ code: 131026, to: "+34600000001", async: true });
    expect(failures.take("16505551234")).toBeUndefined();
    expect(failures.take("34600000001")).toMatchObject({ code: 131026, async: true, to: "34600000001", remaining: 0 });
    expect(failures.list()).toEqual([]);
  });

  it("takes Meta's HTTP status for the code unless one is given", () => {
    const failures = createFailureInjector();
    expect(failures.push({ code: 190 }).httpStatus).toBe(401);
    expect(failures.push({ code: 131000 }).httpStatus).toBe(500);
    expect(failures.push({ code: 424242 }).httpStatus).toBe(400);
    expect(failures.push({ code: 131056, httpStatus: 429 }).httpStatus).toBe(429);
    expect(failures.clear()).toBe(4);
    expect(failures.take("16505551234")).toBeUndefined();
  });

  it("refuses an invalid spec", () => {
    const failures = createFailureInjector();
    expect(() => failures.push({ code: -1 })).toThrow();
    expect(() => failures.push({ code: 100, times: 0 })).toThrow();
    expect(failures.list()).toEqual([]);
  });
});
