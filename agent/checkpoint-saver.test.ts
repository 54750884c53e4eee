import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { Annotation, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { openMemoryDatabase } from "../lib/testing/test-db.ts";
import { BatchedPostgresSaver } from "./checkpoint-saver.ts";

const State = Annotation.Root({ ...MessagesAnnotation.spec, turns: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });

function graphWith(saver: PostgresSaver) {
  return new StateGraph(State)
    .addNode("count", async () => ({ turns: 1 }))
    .addNode("answer", async (s: typeof State.State) => ({ messages: [new AIMessage(`answer ${s.turns}`)] }))
    .addEdge(START, "count")
    .addEdge("count", "answer")
    .compile({ checkpointer: saver });
}

async function runThread(saver: PostgresSaver, durability: "exit" | "sync") {
  const graph = graphWith(saver);
  const cfg = { configurable: { thread_id: "t1" }, durability };
  for (const text of ["hello", "where is my order?", "thanks"]) await graph.invoke({ messages: [new HumanMessage(text)] }, cfg);
  const history = [];
  for await (const s of graph.getStateHistory({ configurable: { thread_id: "t1" } })) history.push(s);
  return { state: await graph.getState({ configurable: { thread_id: "t1" } }), history };
}

describe("BatchedPostgresSaver", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openMemoryDatabase();
  });
  afterAll(() => db.close());

  it.each(["exit", "sync"] as const)("stores what the library's PostgresSaver stores (durability %s)", async (durability) => {
    const stock = new PostgresSaver(db.pool, undefined, { schema: `stock_${durability}` });
    const batched = new BatchedPostgresSaver(db.pool, `batched_${durability}`);
    await stock.setup();
    await batched.setup();
    const a = await runThread(stock, durability);
    const b = await runThread(batched, durability);

    expect(b.state.values.turns).toBe(3);
    expect(b.state.values.messages.map((m: { content: unknown }) => m.content)).toEqual(
      a.state.values.messages.map((m: { content: unknown }) => m.content),
    );
    expect(b.history.length).toBe(a.history.length);
    expect(b.history.map((s) => s.metadata?.step)).toEqual(a.history.map((s) => s.metadata?.step));
    const parents = (h: typeof b.history) => h.map((s) => (s.parentConfig ? "child" : "root"));
    expect(parents(b.history)).toEqual(parents(a.history));
    for (const table of ["checkpoints", "checkpoint_blobs"]) {
      const count = async (schema: string) =>
        (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".${table}`)).rows[0]?.n;
      expect(await count(`batched_${durability}`)).toBe(await count(`stock_${durability}`));
    }
  });
});
