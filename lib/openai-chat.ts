/**
 * The one place a ChatOpenAI client is configured: OpenAI or any compatible server (OPENAI_BASE_URL), temperature 0,
 * an explicit timeout and retry count. The agent's model, the query translator and the console's translator use it.
 */
import { ChatOpenAI } from "@langchain/openai";

export type OpenAIChatOptions = {
  apiKey: string;
  /** An OpenAI-compatible server's base URL (…/v1); unset = api.openai.com. */
  baseUrl?: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
};

export function createOpenAIChat(opts: OpenAIChatOptions): ChatOpenAI {
  return new ChatOpenAI({
    apiKey: opts.apiKey,
    model: opts.model,
    temperature: 0,
    timeout: opts.timeoutMs,
    maxRetries: opts.maxRetries,
    ...(opts.baseUrl ? { configuration: { baseURL: opts.baseUrl } } : {}),
  });
}
