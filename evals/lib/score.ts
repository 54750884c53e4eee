/**
 * Scores a promptfoo run: a case passes when every one of its k runs passed (pass^k, as τ-bench reports it);
 * per suite and per provider, plus the failing cases with promptfoo's reason.
 */
import type { AssembledCase } from "./assemble.ts";

/** The fields of promptfoo's `results.results[i]` that the score reads. */
export type EvalResult = {
  success: boolean;
  testIdx: number;
  testCase?: { description?: string };
  error?: string | null;
  failureReason?: unknown;
  gradingResult?: { reason?: string } | null;
  provider?: { id?: string; label?: string };
};

export type CaseScore = { suite: string; description: string; provider: string; runs: number; passes: number; reason: string | null };

export type Score = { cases: CaseScore[]; passed: number; failed: number };

export function scoreResults(results: EvalResult[], tests: AssembledCase[], repeat: number): Score {
  const byCase = new Map<string, CaseScore>();
  // With --repeat, promptfoo numbers every run as its own test: the description identifies the case.
  const byDescription = new Map(tests.map((t) => [t.description, t]));
  for (const r of results) {
    const test = byDescription.get(r.testCase?.description ?? "") ?? tests[r.testIdx];
    if (!test) continue;
    const provider = r.provider?.label ?? r.provider?.id ?? "agent";
    const key = `${provider}\u0000${test.description}`;
    let c = byCase.get(key);
    if (!c) {
      c = { suite: test.metadata.suite, description: test.description, provider, runs: 0, passes: 0, reason: null };
      byCase.set(key, c);
    }
    c.runs += 1;
    if (r.success) c.passes += 1;
    else c.reason ??= r.error ?? r.gradingResult?.reason ?? String(r.failureReason ?? "failed");
  }
  const cases = [...byCase.values()];
  const passed = cases.filter((c) => c.passes === c.runs && c.runs === repeat).length;
  return { cases, passed, failed: cases.length - passed };
}

export function printReport(score: Score, info: { repeat: number; seconds: number; models: string[]; out: string; skipped: number }): void {
  const ok = (c: CaseScore) => c.passes === c.runs && c.runs === info.repeat;
  console.log("");
  const failing = score.cases.filter((c) => !ok(c));
  if (failing.length > 0) {
    console.log("failing cases:");
    for (const c of failing) console.log(`  ✗ [${c.provider}] ${c.description} (${c.passes}/${c.runs}): ${(c.reason ?? "").slice(0, 300)}`);
    console.log("");
  }
  const providers = [...new Set(score.cases.map((c) => c.provider))];
  for (const provider of providers) {
    const mine = score.cases.filter((c) => c.provider === provider);
    console.log(`${provider} (model ${info.models[providers.indexOf(provider)] ?? "?"}), k = ${info.repeat}:`);
    const suites = [...new Set(mine.map((c) => c.suite))];
    for (const suite of suites) {
      const s = mine.filter((c) => c.suite === suite);
      const runs = s.reduce((n, c) => n + c.runs, 0);
      const passes = s.reduce((n, c) => n + c.passes, 0);
      console.log(
        `  ${suite.padEnd(12)} ${String(s.filter(ok).length).padStart(3)}/${String(s.length).padEnd(3)} cases  pass^${info.repeat} ${ratio(s.filter(ok).length, s.length)}  runs passed ${ratio(passes, runs)}`,
      );
    }
    console.log(
      `  ${"all".padEnd(12)} ${String(mine.filter(ok).length).padStart(3)}/${String(mine.length).padEnd(3)} cases  pass^${info.repeat} ${ratio(mine.filter(ok).length, mine.length)}`,
    );
  }
  console.log(
    `results: ${info.out}/results.json, ${info.out}/report.html (${info.seconds.toFixed(1)} s${info.skipped ? `, ${info.skipped} skipped` : ""})`,
  );
  console.log(`evals: ${score.passed} passed, ${score.failed} failed`);
}

function ratio(a: number, b: number): string {
  return b === 0 ? "–" : (a / b).toFixed(3);
}
