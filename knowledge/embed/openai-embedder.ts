/**
 * The `Embedder` adapter for OpenAI and OpenAI-compatible servers (vLLM, Ollama, LiteLLM, Azure-style gateways),
 * through LangChain's `OpenAIEmbeddings`.
 */
import { OpenAIEmbeddings } from "@langchain/openai";
import { AppError } from "../../lib/errors.ts";
import type { Embedder } from "../types.ts";

export type OpenAIEmbedderOptions = {
  apiKey: string;
  /** An OpenAI-compatible base URL ending in `/v1`; the OpenAI API when omitted. */
  baseUrl?: string | undefined;
  model?: string;
  dimensions?: number;
  /** Texts per HTTP request. */
  batchSize?: number;
  timeoutMs?: number;
  /** Retries after the first attempt, with backoff, on network errors, 429 and 5xx. */
  maxRetries?: number;
};

/** Creates an embedder that calls `POST {baseUrl}/embeddings`, batching texts and checking every vector's size. */
export function createOpenAIEmbedder({
  apiKey,
  baseUrl,
  model = "text-embedding-3-small",
  dimensions = 1536,
  batchSize = 64,
  timeoutMs = 30_000,
  maxRetries = 2,
}: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAIEmbeddings({
    apiKey,
    model,
    dimensions,
    batchSize,
    timeout: timeoutMs,
    maxRetries,
    // The SDK asks for base64 by default and decodes whatever comes back; servers that ignore the field and send
    // float arrays then yield garbage vectors (../shared/docs/library-notes.md §3). Floats are always understood.
    encodingFormat: "float",
    // Newlines carry structure (lists, FAQ answers) and current models handle them.
    stripNewLines: false,
    ...(baseUrl ? { configuration: { baseURL: baseUrl } } : {}),
  });
  return {
    model,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      let vectors: number[][];
      try {
        vectors = await client.embedDocuments(texts);
      } catch (err) {
        throw new AppError("unavailable", `embedding ${texts.length} texts with ${model} failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      // A wrong size here would otherwise surface later as a confusing pgvector error, or silently as bad search.
      if (vectors.length !== texts.length || vectors.some((v) => v?.length !== dimensions)) {
        throw new AppError(
          "internal",
          `${model} returned ${vectors.length} vectors of ${vectors[0]?.length ?? 0} dimensions for ${texts.length} texts; ` +
            `expected ${dimensions} dimensions each (does the server support the 'dimensions' parameter?)`,
        );
      }
      return vectors;
    },
  };
}
