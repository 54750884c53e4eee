/**
 * `npm run bench:agent` (issue 6). In one run:
 * 1. Turn overhead: 1,000 turns through the compiled graph (PostgresSaver checkpoints, real hybrid retrieval over the
 *    demo help center, trace) with a zero-latency scripted model, so everything but model time is measured. Baseline:
 *    the same retrieval and model call without the graph or checkpoints. The turns are spread over 50 conversations
 *    (20 turns each, a realistic WhatsApp conversation); on PostgreSQL, 1,000 more turns in ONE conversation show
 *    whether a turn gets slower as the conversation's history grows.
 * 2. Offline end to end: signed webhook → worker → agent (offline provider, burst window 0) → outbox → sandbox reply,
 *    on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/switchboard_test) and on the embedded
 *    database. Baseline: the same path with a handler that echoes a fixed reply without the agent.
 * Targets: overhead p50 ≤ 15 ms and p99 ≤ 50 ms; offline end to end p50 ≤ 150 ms. Reports, never fails.
 */
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { createAgent } from "../agent/agent.ts";
import { seedDemoKnowledgeIfEmpty } from "../agent/demo-knowledge.ts";
import { invokeTurn } from "../agent/invoke-turn.ts";
import { createChatAgentModel } from "../agent/model/chat-model.ts";
import { ScriptedChatModel } from "../agent/model/scripted-chat-model.fake.ts";
import { DEMO_PROFILE } from "../agent/profile.ts";
import type { ConversationHandler } from "../conversations/inbound-processor.ts";
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { createIngestor } from "../knowledge/ingest/ingestor.ts";
import { searchKnowledge } from "../knowledge/store/hybrid-search.ts";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { openMemoryDatabase, openServerTestDatabase } from "../lib/testing/test-db.ts";
import { queueText } from "../outbox/queue-message.ts";
import { startHarness, textMessageBody } from "../server/testing.ts";
import { ms, percentile, printTable, writeResults } from "./lib-report.ts";

const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/switchboard_test";
const TURNS = Number(process.env.BENCH_TURNS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const silent = createLogger("silent");
const QUESTIONS = [
  "How long does shipping take?",
  "What is your return policy?",
  "Which payment methods do you accept?",
  "How do the sizes fit?",
];

type Row = [string, number, number, string, number, number, string];
const rows: Row[] = [];
const stats = (xs: number[]) => ({ p50: ms(percentile(xs, 50)), p99: ms(percentile(xs, 99)) });

async function openPg(): Promise<Database | undefined> {
  const prior = process.env.DATABASE_URL;
  process.env.DATABASE_URL = PG_URL;
  try {
    return await openServerTestDatabase(10);
  } catch (err) {
    console.log(`PostgreSQL at ${PG_URL} unavailable (${(err as Error).message}); skipping its rows`);
    return undefined;
  } finally {
    if (prior === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = prior;
  }
}

async function benchOverhead(db: Database, label: string, longConversation: boolean) {
  const services = await startHarness({ db, agent: { burstWindowMs: 0 } });
  const embedder = createOfflineEmbedder();
  await seedDemoKnowledgeIfEmpty(db.pool, "default");
  await createIngestor({ pool: db.pool, embedder, logger: silent }).drain();
  const chat = new ScriptedChatModel([() => new AIMessage("Standard delivery takes 2-4 business days [1].")], { repeatLast: true });
  const model = createChatAgentModel(chat, { provider: "scripted", model: "zero-latency", structuredSummary: false });
  const search = (q: { tenantId: string; query: string; k: number }) => searchKnowledge(db.pool, embedder, q);
  const agent = await createAgent({ pool: db.pool, logger: silent, model, search, queue: services.queue, burstWindowMs: 0 });
  const turn = (conversation: string, text: string) =>
    invokeTurn(agent.graph, {
      tenantId: "default",
      conversationId: conversation,
      threadId: `bench-${label}-${conversation}`,
      text,
      profile: DEMO_PROFILE,
      provider: model,
    });
  const graphTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < TURNS + 20; i++) {
    const text = QUESTIONS[i % QUESTIONS.length] as string;
    chat.calls.length = 0; // the fake records every call; keeping 2,000 prompts only feeds the garbage collector
    let t = performance.now();
    await turn(String(i % 50), text);
    if (i >= 20) graphTimes.push(performance.now() - t);
    t = performance.now();
    const hits = await search({ tenantId: "default", query: text, k: 4 });
    await chat.invoke([new SystemMessage(hits.map((h) => h.text).join("\n")), new HumanMessage(text)]);
    if (i >= 20) baseTimes.push(performance.now() - t);
  }
  const g = stats(graphTimes);
  const b = stats(baseTimes);
  rows.push([
    `turn overhead (${label})`,
    g.p50,
    g.p99,
    g.p50 <= 15 && g.p99 <= 50 ? "met" : "missed",
    b.p50,
    b.p99,
    "retrieval + model, no graph",
  ]);
  let long: Record<string, { p50: number; p99: number }> | undefined;
  if (longConversation) {
    const times: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      chat.calls.length = 0;
      const t = performance.now();
      await turn("long", QUESTIONS[i % QUESTIONS.length] as string);
      times.push(performance.now() - t);
    }
    const l = stats(times);
    long = { graph: l, first100: stats(times.slice(0, 100)), last100: stats(times.slice(-100)) };
    rows.push([
      `  … one conversation of ${TURNS} turns`,
      l.p50,
      l.p99,
      l.p50 <= 15 && l.p99 <= 50 ? "met" : "missed",
      b.p50,
      b.p99,
      "as above",
    ]);
    console.log(
      `one ${TURNS}-turn conversation (${label}): p50 of the first 100 turns ${long.first100?.p50} ms, of the last 100 ${long.last100?.p50} ms`,
    );
  }
  await agent.stop();
  await services.close();
  return { graph: g, baseline: b, ...(long ? { longConversation: long } : {}) };
}

async function benchEndToEnd(open: () => Promise<Database | undefined>, echo: boolean) {
  const db = await open();
  if (!db) return undefined;
  let queue: Parameters<typeof queueText>[0] | undefined;
  const echoHandler: ConversationHandler = {
    handleInbound: async (m) => {
      if (queue)
        await queueText(queue, {
          tenantId: m.tenantId,
          conversationId: m.conversationId,
          idempotencyKey: `echo:${m.messageId}`,
          source: "bench",
          text: "ok",
        });
    },
  };
  const h = await startHarness({ db, ...(echo ? { handler: echoHandler } : { agent: { burstWindowMs: 0 } }) });
  queue = h.queue;
  h.start();
  await h.ingestor.drain();
  const times: number[] = [];
  for (let i = 0; i < MESSAGES + 10; i++) {
    const from = `3470${String(i).padStart(7, "0")}`;
    const t = performance.now();
    const res = await h.postWebhook(textMessageBody({ text: QUESTIONS[i % QUESTIONS.length] as string, from }));
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    for (;;) {
      const { rows: r } = await h.db.pool.query("SELECT 1 FROM sandbox_messages WHERE recipient = $1 LIMIT 1", [from]);
      if (r.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (i >= 10) times.push(performance.now() - t);
  }
  await h.close();
  return stats(times);
}

async function main() {
  console.log(`bench:agent — ${TURNS} graph turns, ${MESSAGES} end-to-end messages per database\n`);
  const results: Record<string, unknown> = {};
  const pg = await openPg();
  if (pg) results.overheadPostgres = await benchOverhead(pg, "PostgreSQL", true);
  results.overheadEmbedded = await benchOverhead(await openMemoryDatabase(), "embedded", false);
  for (const [label, open] of [
    ["PostgreSQL", openPg],
    ["embedded", () => openMemoryDatabase()],
  ] as const) {
    const agent = await benchEndToEnd(open, false);
    const echo = await benchEndToEnd(open, true);
    if (!agent || !echo) continue;
    results[`e2e ${label}`] = { agent, echo };
    rows.push([
      `offline e2e webhook→sandbox (${label})`,
      agent.p50,
      agent.p99,
      agent.p50 <= 150 ? "met" : "missed",
      echo.p50,
      echo.p99,
      "echo handler, no agent",
    ]);
  }
  console.log("");
  printTable(["measure (ms)", "p50", "p99", "target", "baseline p50", "baseline p99", "baseline"], rows);
  console.log("\nTargets: overhead p50 ≤ 15 ms, p99 ≤ 50 ms; offline end to end p50 ≤ 150 ms.");
  console.log(`results: ${await writeResults("agent", results)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(0);
  },
);
