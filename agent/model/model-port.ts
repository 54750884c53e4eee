/**
 * The model port: one `respond` call per step of the respond ⇄ tools loop. Two providers implement it: a LangChain
 * chat model (`openai`: ChatOpenAI against any OpenAI-compatible server; tests pass a scripted fake) and `offline`
 * (deterministic, no network). A provider returns the model's message (text or tool calls) and what it cost.
 */
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { HandoffSummary } from "../../handoff/handoff-store.ts";
import type { TenantProfile } from "../profile.ts";
import type { Outcome, Passage } from "../state.ts";

export type RespondInput = {
  system: string;
  history: BaseMessage[];
  /** The customer's message(s) of this turn, masked. */
  turnText: string;
  /** Tool calls and results so far in this turn. */
  steps: BaseMessage[];
  passages: Passage[];
  tools: StructuredToolInterface[];
  language: string;
  profile: TenantProfile;
};

export type Usage = { inputTokens: number; outputTokens: number };

export type RespondOutput = {
  message: AIMessage;
  usage?: Usage | undefined;
  /** Set by providers that know (offline): whether the text is grounded, and what kind of reply it is. */
  grounded?: boolean | undefined;
  outcome?: Outcome | undefined;
};

export type AgentModel = {
  readonly provider: string;
  readonly model: string;
  respond(input: RespondInput): Promise<RespondOutput>;
  /** A structured hand-off summary from the conversation; absent → the extractive summary is used. */
  summarize?(input: { system: string; history: BaseMessage[]; turnText: string }): Promise<HandoffSummary>;
  /** USD for this usage, when the model's price is known. */
  estimateCostUsd?(usage: Usage): number | null;
};
