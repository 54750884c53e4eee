import { AIMessage, HumanMessage, RemoveMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { boundedHistoryReducer, MAX_HISTORY_MESSAGES } from "./state.ts";

const exchange = (i: number) => [new HumanMessage({ content: `q${i}`, id: `h${i}` }), new AIMessage({ content: `a${i}`, id: `a${i}` })];

describe("boundedHistoryReducer", () => {
  it("keeps everything up to the bound", () => {
    const history = Array.from({ length: MAX_HISTORY_MESSAGES / 2 }, (_, i) => exchange(i)).flat();
    expect(boundedHistoryReducer([], history)).toHaveLength(MAX_HISTORY_MESSAGES);
  });

  it("drops the oldest messages beyond the bound and starts on a customer message", () => {
    const history = Array.from({ length: MAX_HISTORY_MESSAGES / 2 }, (_, i) => exchange(i)).flat();
    const next = boundedHistoryReducer(history, exchange(1000));
    expect(next).toHaveLength(MAX_HISTORY_MESSAGES);
    expect(next[0]?.id).toBe("h1");
    expect(next.at(-1)?.id).toBe("a1000");

    const odd = boundedHistoryReducer(next, [new AIMessage({ content: "extra", id: "x" })]);
    expect(odd[0]?.getType()).toBe("human");
    expect(odd[0]?.id).toBe("h2");
  });

  it("still removes messages by id (a stale reply)", () => {
    const history = [...exchange(1), ...exchange(2)];
    const next = boundedHistoryReducer(history, [new RemoveMessage({ id: "h2" }), new RemoveMessage({ id: "a2" })]);
    expect(next.map((m) => m.id)).toEqual(["h1", "a1"]);
  });
});
