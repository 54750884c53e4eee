/**
 * The chat-model provider: any LangChain chat model with tool calling (ChatOpenAI in production, a scripted fake in
 * tests). History is trimmed to a token budget (o200k counts, newest first, starting on a customer message), usage
 * comes from the model's `usage_metadata`, and hand-off summaries use structured output via function calling.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { type HandoffSummary, HandoffSummarySchema } from "../../handoff/handoff-store.ts";
import { countTokens } from "../../knowledge/chunk/count-tokens.ts";
import type { AgentModel, Usage } from "./model-port.ts";

export type Pricing = { inputPerMillion: number; outputPerMillion: number };

export type ChatAgentModelOptions = {
  provider: string;
  model: string;
  /** Tokens of earlier conversation sent with each call; default 3,000. */
  historyTokenBudget?: number;
  pricing?: Pricing | null;
  /** Ask the model for the hand-off summary (structured output); default true. */
  structuredSummary?: boolean;
};

export function createChatAgentModel(chat: BaseChatModel, opts: ChatAgentModelOptions): AgentModel {
  const budget = opts.historyTokenBudget ?? 3000;
  const model: AgentModel = {
    provider: opts.provider,
    model: opts.model,
    async respond(input) {
      const runnable = input.tools.length > 0 && chat.bindTools ? chat.bindTools(input.tools) : chat;
      const messages = [
        new SystemMessage(input.system),
        ...trimHistory(input.history, budget),
        new HumanMessage(input.turnText),
        ...input.steps,
      ];
      const message = (await runnable.invoke(messages)) as AIMessage;
      const u = message.usage_metadata;
      return { message, usage: u ? { inputTokens: u.input_tokens, outputTokens: u.output_tokens } : undefined };
    },
    estimateCostUsd: (usage: Usage) =>
      opts.pricing ? (usage.inputTokens * opts.pricing.inputPerMillion + usage.outputTokens * opts.pricing.outputPerMillion) / 1e6 : null,
  };
  if (opts.structuredSummary !== false) {
    model.summarize = async (input): Promise<HandoffSummary> => {
      const structured = chat.withStructuredOutput(HandoffSummarySchema, { method: "functionCalling", name: "handoff_summary" });
      return structured.invoke([
        new SystemMessage(
          `${input.system}\n\nA person from the team takes over now. Summarise the conversation for them: what the customer wants, facts gathered (order numbers, products), what you already tried, the customer's sentiment and a suggested next step.`,
        ),
        ...trimHistory(input.history, budget),
        new HumanMessage(input.turnText),
      ]);
    };
  }
  return model;
}

/**
 * Token counts by message text. History messages come back from the checkpoint as new objects every turn, so a
 * cache keyed by object never hits; keyed by text, each message is counted once per process (while it stays among
 * the most recent TOKEN_CACHE_SIZE texts).
 */
const TOKEN_CACHE_SIZE = 5_000;
const tokenCache = new Map<string, number>();
function tokensOf(m: BaseMessage): number {
  const text = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
  let n = tokenCache.get(text);
  if (n === undefined) {
    n = countTokens(text) + 4;
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.delete(tokenCache.keys().next().value as string);
    tokenCache.set(text, n);
  }
  return n;
}

/** The newest messages that fit in `budget` tokens, starting on a customer message. */
export function trimHistory(history: BaseMessage[], budget: number): BaseMessage[] {
  let used = 0;
  let start = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i] as BaseMessage;
    used += tokensOf(m);
    if (used > budget) break;
    start = i;
  }
  while (start < history.length && history[start]?.getType() !== "human") start += 1;
  return history.slice(start);
}
