/**
 * `npm run eval [-- --suite <name>] [--repeat k] [--model offline|openai] [--config <file>]`: installs the evals'
 * own dependencies when missing, assembles the promptfoo config (promptfooconfig.yaml + the cases of
 * suites/*.yaml), runs promptfoo fully offline, and prints per-suite scores, pass^k (the share of cases that pass
 * all k runs, as τ-bench reports it) and a last line `evals: N passed, N failed`. Exits 1 when any case fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type AssembledCase, assembleTests, graderFromEnv, type SuiteCase } from "./lib/assemble.ts";
import { type EvalResult, printReport, scoreResults } from "./lib/score.ts";

const EVALS = import.meta.dirname;
const OUT = join(EVALS, "out");

const { values } = parseArgs({
  options: {
    suite: { type: "string", multiple: true },
    repeat: { type: "string" },
    model: { type: "string" },
    config: { type: "string" },
    concurrency: { type: "string", default: "4" },
  },
  allowPositionals: false,
});

type Yaml = { load(text: string): unknown; dump(value: unknown, opts?: { lineWidth?: number; noRefs?: boolean }): string };

async function main(): Promise<number> {
  ensureInstalled();
  const yaml = (await import(pathToFileURL(join(EVALS, "node_modules", "js-yaml", "dist", "js-yaml.mjs")).href)) as Yaml;
  const repeat = Number(values.repeat ?? process.env.EVAL_REPEAT ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat must be a positive integer");

  const baseFile = values.config ? join(process.cwd(), values.config) : join(EVALS, "promptfooconfig.yaml");
  const base = yaml.load(await readFile(baseFile, "utf8")) as Record<string, unknown> & { providers: Record<string, unknown>[] };
  const providers = base.providers.map((p) => ({ ...p, id: absolutize(String(p.id)) }));
  const model = values.model ?? process.env.EVAL_MODEL;
  if (model && providers.length === 1)
    (providers[0] as { config?: Record<string, unknown> }).config = { ...providersConfig(providers[0]), model };
  const models = providers.map((p) => String(providersConfig(p).model ?? "offline"));

  const suiteFiles = (await readdir(join(EVALS, "suites"))).filter((f) => f.endsWith(".yaml")).sort();
  const available = suiteFiles.map((f) => f.replace(/\.yaml$/, ""));
  const wanted = (values.suite ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  for (const s of wanted) if (!available.includes(s)) throw new Error(`unknown suite "${s}"; suites: ${available.join(", ")}`);
  const suites: Record<string, SuiteCase[]> = {};
  for (const name of wanted.length > 0 ? wanted : available) {
    suites[name] = yaml.load(await readFile(join(EVALS, "suites", `${name}.yaml`), "utf8")) as SuiteCase[];
  }

  const grader = graderFromEnv(process.env);
  const { tests, skipped, rubricsDropped } = assembleTests(suites, { offlineOnly: models.every((m) => m === "offline"), grader });
  for (const s of skipped) console.log(`skipped (openai-only, offline model): ${s.suite}: ${s.description} (${s.note})`);
  if (rubricsDropped > 0) {
    console.log(
      `note: ${rubricsDropped} llm-rubric assertion(s) skipped: no grader configured (set EVAL_GRADER_MODEL, EVAL_GRADER_API_KEY and optionally EVAL_GRADER_BASE_URL)`,
    );
  }

  await mkdir(OUT, { recursive: true });
  const config = {
    ...base,
    providers,
    tests,
    ...(grader ? { defaultTest: withGrader(base.defaultTest, grader) } : {}),
  };
  const configFile = join(OUT, "promptfooconfig.yaml");
  await writeFile(configFile, yaml.dump(config, { lineWidth: 160, noRefs: true }));

  const started = Date.now();
  const jsonFile = join(OUT, "results.json");
  const run = spawnSync(
    join(EVALS, "node_modules", ".bin", "promptfoo"),
    [
      "eval",
      "-c",
      configFile,
      "--no-cache",
      "--no-progress-bar",
      "--no-table",
      "-j",
      String(values.concurrency),
      "--repeat",
      String(repeat),
      "-o",
      jsonFile,
      "-o",
      join(OUT, "report.html"),
    ],
    { cwd: EVALS, stdio: "inherit", env: offlineEnv() },
  );
  if (run.error) throw run.error;
  if (!existsSync(jsonFile)) {
    console.error(`promptfoo exited ${run.status} without results`);
    return 1;
  }
  const results = JSON.parse(await readFile(jsonFile, "utf8")) as { results: { results: EvalResult[] } };
  const score = scoreResults(results.results.results, tests as AssembledCase[], repeat);
  printReport(score, { repeat, seconds: (Date.now() - started) / 1000, models, out: OUT, skipped: skipped.length });
  return score.failed > 0 || score.passed === 0 ? 1 : 0;
}

function providersConfig(p: Record<string, unknown> | undefined): Record<string, unknown> {
  return (p?.config as Record<string, unknown> | undefined) ?? {};
}

/** promptfoo resolves file:// against the config's folder; the assembled config lives in out/. */
function absolutize(id: string): string {
  return id.startsWith("file://") && !id.startsWith("file:///") ? `file://${join(EVALS, id.slice("file://".length))}` : id;
}

function withGrader(defaultTest: unknown, grader: NonNullable<ReturnType<typeof graderFromEnv>>) {
  const d = (defaultTest ?? {}) as { options?: Record<string, unknown> };
  return { ...d, options: { ...d.options, provider: grader } };
}

/** No telemetry, update checks, sharing or runtime notices; promptfoo's own state stays in out/. */
function offlineEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_DISABLE_SHARING: "1",
    PROMPTFOO_DISABLE_RUNTIME_WARNINGS: "1",
    PROMPTFOO_CONFIG_DIR: join(OUT, ".promptfoo"),
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
  };
}

/** promptfoo lives in evals/node_modules (its own package, slim install: see ../../shared/docs/library-notes.md §4). */
function ensureInstalled(): void {
  if (existsSync(join(EVALS, "node_modules", ".bin", "promptfoo"))) return;
  console.log("installing the evals' dependencies (promptfoo 0.121.20, slim) into evals/node_modules…");
  const cmd = existsSync(join(EVALS, "package-lock.json")) ? "ci" : "install";
  const r = spawnSync("npm", ["--prefix", EVALS, cmd, "--omit=optional", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm ${cmd} in evals/ failed (${r.status})`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
