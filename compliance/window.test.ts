import { describe, expect, it } from "vitest";
import { WINDOW_MS, windowState } from "./window.ts";

const inbound = new Date("2026-11-01T10:00:00Z");

describe("windowState", () => {
  it("is open until exactly 24 hours after the last inbound message", () => {
    expect(windowState(inbound, null, new Date(inbound.getTime() + WINDOW_MS - 1)).open).toBe(true);
    expect(windowState(inbound, null, new Date(inbound.getTime() + WINDOW_MS)).open).toBe(false);
    expect(windowState(inbound, null, new Date(inbound.getTime() + WINDOW_MS + 1000)).open).toBe(false);
    expect(windowState(inbound, null, inbound).expiresAt?.toISOString()).toBe("2026-11-02T10:00:00.000Z");
  });

  it("is closed for a customer who never wrote", () => {
    expect(windowState(null, null, inbound)).toEqual({ open: false, expiresAt: null });
  });

  it("stays closed after Meta said 131047, until the customer writes again", () => {
    const closedAt = new Date(inbound.getTime() + 3600_000);
    expect(windowState(inbound, closedAt, new Date(inbound.getTime() + 7200_000)).open).toBe(false);
    const laterInbound = new Date(closedAt.getTime() + 60_000);
    expect(windowState(laterInbound, closedAt, new Date(laterInbound.getTime() + 1000)).open).toBe(true);
  });
});
