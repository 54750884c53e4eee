/**
 * The promptfoo provider: runs one eval case through the same agent graph the server runs, in-process, and returns
 * the case report as JSON (the reply plus tools called, passages retrieved, escalation and summary, language,
 * messages queued). The model under test comes from the provider's `config.model` (or EVAL_MODEL): `offline`
 * (default, the CI gate) or `openai` (OPENAI_API_KEY, OPENAI_BASE_URL, LLM_MODEL). Each model gets its own world.
 */
import type { AgentModel } from "../agent/model/model-port.ts";
import { createOfflineAgentModel } from "../agent/model/offline-model.ts";
import { createOpenAIAgentModel } from "../agent/model/openai-model.ts";
import { type EvalWorld, startEvalWorld } from "./lib/eval-world.ts";
import { runCase } from "./lib/run-case.ts";

type ProviderConfig = { model?: string; llmModel?: string; baseUrl?: string };
type ProviderOptions = { id?: string; label?: string; config?: ProviderConfig };
type CallContext = { vars?: Record<string, unknown> };
type ProviderResponse = { output?: string; error?: string; metadata?: Record<string, unknown> };

const worlds = new Map<string, Promise<EvalWorld>>();

/** The model under test for a provider config; throws with the variable to set when `openai` lacks a key. */
export function createModelUnderTest(config: ProviderConfig = {}, env: NodeJS.ProcessEnv = process.env): AgentModel {
  const kind = config.model ?? env.EVAL_MODEL ?? "offline";
  if (kind === "offline") return createOfflineAgentModel();
  if (kind === "openai") {
    const apiKey = env.OPENAI_API_KEY;
    if (!apiKey) throw new Error("model openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)");
    return createOpenAIAgentModel({
      apiKey,
      baseUrl: config.baseUrl ?? env.OPENAI_BASE_URL,
      model: config.llmModel ?? env.LLM_MODEL ?? "gpt-4o-mini",
    });
  }
  throw new Error(`unknown model "${kind}": use offline or openai`);
}

export default class SwitchboardAgentProvider {
  private readonly providerId: string;
  private readonly config: ProviderConfig;

  constructor(options: ProviderOptions = {}) {
    this.config = options.config ?? {};
    this.providerId = options.id ?? `switchboard-agent:${this.config.model ?? process.env.EVAL_MODEL ?? "offline"}`;
  }

  id(): string {
    return this.providerId;
  }

  async callApi(_prompt: string, context?: CallContext): Promise<ProviderResponse> {
    const key = JSON.stringify(this.config);
    let world = worlds.get(key);
    if (!world) {
      world = startEvalWorld(createModelUnderTest(this.config));
      worlds.set(key, world);
    }
    try {
      const report = await runCase(await world, context?.vars ?? {});
      return { output: JSON.stringify(report) };
    } catch (err) {
      return { error: `eval case failed to run: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
