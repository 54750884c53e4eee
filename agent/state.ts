/**
 * The graph's state. `history`, `language` and `ungroundedStreak` carry over between turns in the checkpoint (thread
 * = conversation); the rest describe the current turn and are reset by every invocation's input (`turnInput`).
 * `history` keeps the newest MAX_HISTORY_MESSAGES only: the whole list is serialized into every checkpoint and read
 * back every turn, so an unbounded history made each turn slower than the last.
 */

import type { BaseMessage } from "@langchain/core/messages";
import { Annotation, messagesStateReducer } from "@langchain/langgraph";
import type { HandoffPriority, HandoffReason } from "../handoff/handoff-store.ts";

/** A retrieved passage as the model and the trace see it; `n` is what a citation `[n]` points at. */
export type Passage = {
  n: number;
  chunkId: string;
  title: string;
  section: string | null;
  page: number | null;
  text: string;
  score: number;
  similarity: number | null;
};

export type Escalation = { reason: HandoffReason; priority: HandoffPriority; why: string };

/** What kind of reply the turn produced. */
export type Outcome = "answer" | "no_answer" | "refusal" | "small_talk" | "bot_disclosure" | "confirmation" | "order_update" | "escalation";

/** Where the guard sends the turn. */
export type GuardRoute = "confirm" | "retrieve" | "reply" | "escalate";

/**
 * Messages of earlier turns kept in the checkpoint: 50 exchanges. The model gets at most a 3,000-token tail of them
 * by default (model/chat-model.ts), which 100 messages of ~26 tokens already fill; only a long run of very short
 * messages loses context the model would otherwise have seen. The extractive hand-off summary reads these too.
 */
export const MAX_HISTORY_MESSAGES = 100;

/** `messagesStateReducer`, then the newest MAX_HISTORY_MESSAGES, starting on a customer message. */
export function boundedHistoryReducer(current: BaseMessage[], update: BaseMessage[]): BaseMessage[] {
  const merged = messagesStateReducer(current, update);
  if (merged.length <= MAX_HISTORY_MESSAGES) return merged;
  let start = merged.length - MAX_HISTORY_MESSAGES;
  while (start < merged.length && merged[start]?.getType() !== "human") start += 1;
  return merged.slice(start);
}

const replace = <T>(initial: () => T) => Annotation<T>({ reducer: (_old: T, next: T) => next, default: initial });

export const AgentState = Annotation.Root({
  history: Annotation<BaseMessage[]>({ reducer: boundedHistoryReducer, default: () => [] }),
  language: replace<string>(() => "en"),
  ungroundedStreak: replace<number>(() => 0),
  turnText: replace<string>(() => ""),
  route: replace<GuardRoute>(() => "retrieve"),
  passages: replace<Passage[]>(() => []),
  steps: replace<BaseMessage[]>(() => []),
  escalation: replace<Escalation | null>(() => null),
  outcome: replace<Outcome | null>(() => null),
  grounded: replace<boolean | null>(() => null),
  replyText: replace<string | null>(() => null),
  reason: replace<string | null>(() => null),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;

/** The input of one turn: the customer's (masked) text and every per-turn field reset. */
export function turnInput(turnText: string, extra: Partial<AgentStateUpdate> = {}): AgentStateUpdate {
  return {
    turnText,
    route: "retrieve",
    passages: [],
    steps: [],
    escalation: null,
    outcome: null,
    grounded: null,
    replyText: null,
    reason: null,
    ...extra,
  };
}
