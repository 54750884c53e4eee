/**
 * The `openai` provider: ChatOpenAI against OpenAI or any compatible server (vLLM, Ollama, LiteLLM, Azure…) with
 * a timeout and retries, behind the chat-model provider. Prices (USD per million tokens, list prices) give the
 * per-turn cost estimate; an unknown model records tokens without a cost.
 */
import { createOpenAIChat } from "../../lib/openai-chat.ts";
import { createChatAgentModel, type Pricing } from "./chat-model.ts";
import type { AgentModel } from "./model-port.ts";

const PRICES: Record<string, Pricing> = {
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
};

export type OpenAIModelOptions = {
  apiKey: string;
  baseUrl?: string | undefined;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  historyTokenBudget?: number;
};

export function createOpenAIAgentModel(opts: OpenAIModelOptions): AgentModel {
  const chat = createOpenAIChat({ ...opts, timeoutMs: opts.timeoutMs ?? 20_000, maxRetries: opts.maxRetries ?? 2 });
  return createChatAgentModel(chat, {
    provider: "openai",
    model: opts.model,
    pricing: PRICES[opts.model] ?? null,
    ...(opts.historyTokenBudget ? { historyTokenBudget: opts.historyTokenBudget } : {}),
  });
}
