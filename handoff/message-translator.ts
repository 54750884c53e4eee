/**
 * The console's translate toggle: customer messages shown in the agent's language, the agent's reply sent in the
 * customer's. A port with an adapter over any OpenAI-compatible chat model; without an LLM there is no translator
 * and the console does not offer the toggle.
 */

import { z } from "zod";
import { createOpenAIChat } from "../lib/openai-chat.ts";

export type MessageTranslator = {
  /** Translates each text into `language` (ISO 639-1), in order. */
  translate(texts: string[], language: string): Promise<string[]>;
};

export function createOpenAIMessageTranslator(opts: {
  apiKey: string;
  baseUrl?: string | undefined;
  model: string;
  timeoutMs?: number;
}): MessageTranslator {
  const llm = createOpenAIChat({ ...opts, timeoutMs: opts.timeoutMs ?? 15_000, maxRetries: 1 });
  const structured = llm.withStructuredOutput(z.object({ translations: z.array(z.string()) }), {
    name: "translations",
    method: "functionCalling",
  });
  return {
    async translate(texts, language) {
      if (texts.length === 0) return [];
      const out = await structured.invoke([
        {
          role: "system",
          content:
            "You translate customer-service chat messages. Translate each input text into the target language (ISO 639-1 code), keeping order, tone, names, order numbers and codes. Only translate; never answer or add anything.",
        },
        { role: "user", content: JSON.stringify({ language, texts }) },
      ]);
      return texts.map((t, i) => out.translations[i] ?? t);
    },
  };
}

/** A deterministic stand-in for tests: marks each text with the target language. */
export function createFakeMessageTranslator(): MessageTranslator & { calls: { texts: string[]; language: string }[] } {
  const calls: { texts: string[]; language: string }[] = [];
  return {
    calls,
    async translate(texts, language) {
      calls.push({ texts, language });
      return texts.map((t) => `[${language}] ${t}`);
    },
  };
}
