import { describe, expect, it } from "vitest";
import { createSandboxState } from "./sandbox-state.ts";

const message = (wamid: string, from = "34600000001") => ({
  wamid,
  from,
  name: "Ana",
  type: "text" as const,
  text: wamid,
  contextWamid: null,
  createdAt: new Date().toISOString(),
});

describe("createSandboxState", () => {
  it("marks a message and the customer's earlier ones read, not later ones or other customers'", () => {
    const state = createSandboxState();
    state.recordCustomerMessage(message("a"));
    state.recordCustomerMessage(message("b", "+34600000001"));
    state.recordCustomerMessage(message("c"));
    state.recordCustomerMessage(message("x", "16505551234"));
    expect(state.markRead("b", false)).toBe(true);
    expect(state.customerMessages("34600000001").map((m) => [m.wamid, m.read])).toEqual([
      ["a", true],
      ["b", true],
      ["c", false],
    ]);
    expect(state.customerMessages("16505551234")[0]?.read).toBe(false);
    expect(state.markRead("unknown", false)).toBe(false);
  });

  it("shows typing for 25 seconds at most, or until the business answers", () => {
    let now = 0;
    const state = createSandboxState(() => now);
    state.recordCustomerMessage(message("a"));
    state.markRead("a", true);
    expect(state.isTyping("+34600000001")).toBe(true);
    now = 25_001;
    expect(state.isTyping("34600000001")).toBe(false);
    state.markRead("a", true);
    state.stopTyping("34600000001");
    expect(state.isTyping("34600000001")).toBe(false);
  });

  it("keeps the latest status per message and bounds what it remembers", () => {
    const state = createSandboxState();
    state.recordStatus("w1", { status: "sent", errorCode: null });
    state.recordStatus("w1", { status: "failed", errorCode: 131047 });
    expect(state.statusOf("w1")).toEqual({ status: "failed", errorCode: 131047 });
    for (let i = 0; i < 10_050; i++) state.recordStatus(`s${i}`, { status: "sent", errorCode: null });
    expect(state.statusOf("w1")).toBeNull();
    expect(state.statusOf("s10049")).not.toBeNull();
    for (let i = 0; i < 250; i++) state.recordCustomerMessage(message(`m${i}`));
    expect(state.customerMessages("34600000001")).toHaveLength(200);
    expect(state.markRead("m0", false)).toBe(false);
  });
});
