import { tool } from "@langchain/core/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEMO_PROFILE } from "../profile.ts";
import type { Passage } from "../state.ts";
import type { RespondInput } from "./model-port.ts";
import { createOfflineAgentModel } from "./offline-model.ts";

const orderTool = tool(async () => "{}", { name: "get_order_status", description: "order", schema: z.object({ order_id: z.string() }) });
const shipping: Passage = {
  n: 1,
  chunkId: "1",
  title: "Store Policies",
  section: "Shipping",
  page: null,
  text: "Q: How long does standard delivery take?\n\nA: Standard delivery takes 2-4 business days.",
  score: 1,
  similarity: 0.47,
};

function input(turnText: string, passages: Passage[]): RespondInput {
  return { system: "", history: [], turnText, steps: [], passages, tools: [orderTool], language: "en", profile: DEMO_PROFILE };
}

describe("offline model", () => {
  const model = createOfflineAgentModel();

  it("answers a general delivery question from a matching passage instead of listing the customer's orders", async () => {
    const out = await model.respond(input("How long does standard delivery take?", [shipping]));
    expect(out.message.tool_calls ?? []).toEqual([]);
    expect(out.message.content).toContain("2-4 business days");
    expect(out.outcome).toBe("answer");
  });

  it("still lists the orders when no passage answers, and still looks up a named order or 'where is my order'", async () => {
    const weak = { ...shipping, similarity: 0.1 };
    expect((await model.respond(input("I have a question about my delivery", [weak]))).message.tool_calls?.[0]?.name).toBe(
      "list_my_orders",
    );
    expect((await model.respond(input("Where is my order?", [shipping]))).message.tool_calls?.[0]?.name).toBe("list_my_orders");
    expect((await model.respond(input("Delivery of order #D100002?", [shipping]))).message.tool_calls?.[0]?.name).toBe("get_order_status");
  });
});
