import { describe, expect, it } from "vitest";
import { RecipientPacer, SlidingWindowLimiter } from "./rate-limiter.ts";

describe("SlidingWindowLimiter", () => {
  it("never allows more than perSecond sends in any 1,025 ms window", () => {
    const limiter = new SlidingWindowLimiter(80);
    const sent: number[] = [];
    for (let t = 0; t < 5000; t += 1) {
      while (limiter.tryTake(t)) sent.push(t);
    }
    for (let i = 80; i < sent.length; i++) expect((sent[i] as number) - (sent[i - 80] as number)).toBeGreaterThanOrEqual(1025);
    expect(sent.length).toBeGreaterThanOrEqual(380);
    // Paced, not bursty: after the first instant, one send per 12.5 ms on average.
    expect(((sent[300] as number) - (sent[100] as number)) / 200).toBeGreaterThanOrEqual(12.5);
    expect(sent.filter((t) => t === 0)).toHaveLength(4);
  });

  it("says how long to wait and gives back a refunded take", () => {
    const limiter = new SlidingWindowLimiter(2); // one every 500 ms, 50 ms catch-up tolerance
    expect(limiter.tryTake(0)).toBe(true);
    expect(limiter.tryTake(10)).toBe(false);
    expect(limiter.waitMs(10)).toBe(440);
    expect(limiter.tryTake(450)).toBe(true);
    expect(limiter.waitMs(600)).toBe(425); // the window (1,025 ms with its guard band): two sends since t=0
    limiter.refund();
    expect(limiter.tryTake(600)).toBe(true);
  });
});

describe("RecipientPacer", () => {
  it("allows a burst, then one message per interval", () => {
    const pacer = new RecipientPacer({ burst: 3, intervalMs: 6000 });
    expect([pacer.tryTake("a", 0), pacer.tryTake("a", 0), pacer.tryTake("a", 0), pacer.tryTake("a", 0)]).toEqual([true, true, true, false]);
    expect(pacer.waitMs("a", 0)).toBe(6000);
    expect(pacer.tryTake("a", 5999)).toBe(false);
    expect(pacer.tryTake("a", 6000)).toBe(true);
  });

  it("paces each customer on their own", () => {
    const pacer = new RecipientPacer({ burst: 1, intervalMs: 6000 });
    expect(pacer.tryTake("a", 0)).toBe(true);
    expect(pacer.tryTake("b", 0)).toBe(true);
    expect(pacer.tryTake("a", 1)).toBe(false);
  });

  it("forgets customers whose bucket is full again", () => {
    const pacer = new RecipientPacer({ burst: 2, intervalMs: 1000 });
    pacer.tryTake("a", 0);
    pacer.prune(5000);
    expect(pacer.waitMs("a", 5000)).toBe(0);
  });
});
