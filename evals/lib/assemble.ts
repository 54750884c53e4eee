/**
 * Turns the suites' cases into promptfoo tests: each gets `metadata.suite` and a description prefixed with its
 * suite; `openai-only` cases are left out when only the offline model runs (listed with their note); `llm-rubric`
 * assertions are dropped when no grader model is configured, and otherwise grade the reply text.
 */

export type Assertion = { type: string; value?: unknown; transform?: string; [key: string]: unknown };

/** A case as written in suites/<name>.yaml. */
export type SuiteCase = {
  description: string;
  vars: Record<string, unknown>;
  assert?: Assertion[];
  metadata?: Record<string, unknown> & { openaiOnly?: string };
  [key: string]: unknown;
};

export type AssembledCase = SuiteCase & { metadata: Record<string, unknown> & { suite: string } };

export type Grader = { id: string; config: { apiBaseUrl?: string; apiKey?: string } };

/** The grader for model-graded assertions: EVAL_GRADER_MODEL (+ EVAL_GRADER_API_KEY, EVAL_GRADER_BASE_URL), or none. */
export function graderFromEnv(env: NodeJS.ProcessEnv): Grader | null {
  const model = env.EVAL_GRADER_MODEL;
  if (!model) return null;
  return {
    id: `openai:chat:${model}`,
    config: {
      ...(env.EVAL_GRADER_BASE_URL ? { apiBaseUrl: env.EVAL_GRADER_BASE_URL } : {}),
      ...(env.EVAL_GRADER_API_KEY ? { apiKey: env.EVAL_GRADER_API_KEY } : {}),
    },
  };
}

export function assembleTests(
  suites: Record<string, SuiteCase[]>,
  opts: { offlineOnly: boolean; grader: Grader | null },
): { tests: AssembledCase[]; skipped: { suite: string; description: string; note: string }[]; rubricsDropped: number } {
  const tests: AssembledCase[] = [];
  const skipped: { suite: string; description: string; note: string }[] = [];
  let rubricsDropped = 0;
  for (const [suite, cases] of Object.entries(suites)) {
    if (!Array.isArray(cases)) throw new Error(`suites/${suite}.yaml must be a list of cases`);
    for (const c of cases) {
      if (!c.description || !c.vars) throw new Error(`suites/${suite}.yaml: every case needs a description and vars`);
      const { openaiOnly, ...metadata } = c.metadata ?? {};
      if (openaiOnly && opts.offlineOnly) {
        skipped.push({ suite, description: c.description, note: openaiOnly });
        continue;
      }
      const assert = (c.assert ?? []).flatMap((a): Assertion[] => {
        if (a.type !== "llm-rubric") return [a];
        if (!opts.grader) {
          rubricsDropped += 1;
          return [];
        }
        return [{ transform: "output.reply", ...a }];
      });
      tests.push({ ...c, description: `${suite}: ${c.description}`, vars: encodeVars(c.vars), assert, metadata: { ...metadata, suite } });
    }
  }
  return { tests, skipped, rubricsDropped };
}

/** promptfoo runs a test once per element of an array var; lists (the turns) travel as JSON text instead. */
function encodeVars(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === "object" && v !== null ? JSON.stringify(v) : v]));
}
