/** A `QueryTranslator` over any OpenAI-compatible chat model (structured output via function calling). */
import { z } from "zod";
import { createOpenAIChat } from "../../lib/openai-chat.ts";
import type { QueryTranslator } from "./cross-language.ts";

export function createOpenAITranslator(opts: {
  apiKey: string;
  baseUrl?: string | undefined;
  model: string;
  timeoutMs?: number;
}): QueryTranslator {
  const llm = createOpenAIChat({ ...opts, timeoutMs: opts.timeoutMs ?? 10_000, maxRetries: 1 });
  const schema = z.object({ translations: z.array(z.object({ language: z.string(), text: z.string() })) });
  const structured = llm.withStructuredOutput(schema, { name: "translations", method: "functionCalling" });
  return {
    async translate(query, languages) {
      const out = await structured.invoke([
        {
          role: "system",
          content:
            "Translate the customer's search query into each requested language (ISO 639-1 codes). Keep product names, model numbers and codes unchanged. Only translate; never answer.",
        },
        { role: "user", content: JSON.stringify({ query, languages }) },
      ]);
      return languages.map((l) => out.translations.find((t) => t.language === l)?.text ?? query);
    },
  };
}
