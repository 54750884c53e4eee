/**
 * Loads the retrieval benchmark sets from ../shared/benchmarks (read in place, never copied) into one shape: a
 * corpus of source documents and questions with their gold. A set whose folder is absent loads as `undefined`.
 * - xquad-r-multilingual: per language, every sentence of the stored articles is a document; gold = the sentence
 *   whose span holds the answer (matched by text, so a hit counts when its chunk contains the gold sentence).
 * - epqa-product-qa: every candidate snippet of the products asked about is a document tagged with its product
 *   (ASIN); gold = label-2 candidates; questions without one (not answerable from the page) are skipped.
 * - tau3-banking-knowledge: documents.jsonl is the corpus; the query is the task's scenario text (a user-simulator
 *   brief, not a customer question); gold = required_documents.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { SourceDoc } from "./lib-kb.ts";

export const BENCHMARKS_DIR = fileURLToPath(new URL("../../shared/benchmarks/", import.meta.url));
export const XQUAD_LANGUAGES = ["en", "es", "de", "ar", "hi", "tr", "vi", "zh"] as const;

/** Gold is a set of document keys, or texts that a relevant chunk must contain. */
export type Question = { text: string; goldKeys?: string[]; goldTexts?: string[]; tags?: string[] };
export type RetrievalSet = { name: string; language: string; docs: SourceDoc[]; questions: Question[]; note: string };

function folder(name: string): string | undefined {
  const dir = join(BENCHMARKS_DIR, name);
  return existsSync(dir) ? dir : undefined;
}

type XquadFile = {
  data: {
    title: string;
    paragraphs: {
      sentences: string[];
      sentence_breaks: [number, number][];
      qas: { question: string; answers: { answer_start: number }[] }[];
    }[];
  }[];
};

/** One language of XQuAD-R: the first `maxQuestions` questions (document order) against all its sentences. */
export async function loadXquad(language: string, maxQuestions: number): Promise<RetrievalSet | undefined> {
  const dir = folder("xquad-r-multilingual");
  if (!dir || !existsSync(join(dir, `${language}.json`))) return undefined;
  const file = JSON.parse(await readFile(join(dir, `${language}.json`), "utf8")) as XquadFile;
  const docs: SourceDoc[] = [];
  const questions: Question[] = [];
  file.data.forEach((article, a) => {
    article.paragraphs.forEach((p, pi) => {
      p.sentences.forEach((s, si) => {
        if (s.trim()) docs.push({ key: `${a}.${pi}.${si}`, title: `${article.title} ¶${pi + 1}.${si + 1}`, text: s.trim() });
      });
      for (const qa of p.qas) {
        const start = qa.answers[0]?.answer_start ?? -1;
        const i = p.sentence_breaks.findIndex(([from, to]) => start >= from && start < to);
        const gold = p.sentences[i]?.trim();
        if (gold && questions.length < maxQuestions) questions.push({ text: qa.question, goldTexts: [gold] });
      }
    });
  });
  return { name: `xquad-${language}`, language, docs, questions, note: `${questions.length} questions vs all ${docs.length} sentences` };
}

type EpqaRow = { qid: string; question: string; ASIN: string; candidate: string; source: string; title: string; label: string };

/** ePQA dev half: every candidate is a document tagged with its ASIN; `scoped` questions carry the ASIN as a tag filter. */
export async function loadEpqa(maxQuestions: number, scoped: boolean): Promise<RetrievalSet | undefined> {
  const dir = folder("epqa-product-qa");
  if (!dir) return undefined;
  const rows = parse(await readFile(join(dir, "dev_half.csv"), "utf8"), { columns: true, skip_empty_lines: true }) as EpqaRow[];
  const allDocs: SourceDoc[] = rows.map((r, i) => ({ key: `c${i}`, title: `${r.title} (${r.source})`, text: r.candidate, tags: [r.ASIN] }));
  const byQid = new Map<string, Question>();
  rows.forEach((r, i) => {
    let q = byQid.get(r.qid);
    if (!q) {
      q = { text: r.question, goldKeys: [], ...(scoped ? { tags: [r.ASIN] } : {}) };
      byQid.set(r.qid, q);
    }
    if (r.label === "2") q.goldKeys?.push(`c${i}`);
  });
  const answerable = [...byQid.values()].filter((q) => (q.goldKeys?.length ?? 0) > 0);
  const questions = answerable.slice(0, maxQuestions);
  // The corpus is the candidates of the products asked about, so BENCH_MAX_QUESTIONS also caps the catalogue.
  const asked = new Set(questions.flatMap((q) => q.goldKeys ?? []).map((k) => rows[Number(k.slice(1))]?.ASIN));
  const docs = allDocs.filter((d) => asked.has(d.tags?.[0]));
  const scope = scoped ? "search filtered to the product's tag (~10 candidates)" : "search over the whole catalogue";
  return {
    name: scoped ? "epqa (per product)" : "epqa (catalogue)",
    language: "en",
    docs,
    questions,
    note: `${questions.length} of ${answerable.length} answerable questions vs the ${docs.length} snippets of their ${asked.size} products; ${scope}`,
  };
}

type Tau3Task = { user_scenario: { instructions: string | Record<string, string> }; required_documents?: string[] };

/** τ³ banking_knowledge: all documents; each task's scenario brief is the query, its required documents the gold. */
export async function loadTau3(maxQuestions: number): Promise<RetrievalSet | undefined> {
  const dir = folder("tau3-banking-knowledge");
  if (!dir) return undefined;
  const lines = (await readFile(join(dir, "documents.jsonl"), "utf8")).split("\n").filter((l) => l.trim());
  const docs: SourceDoc[] = lines.map((l) => {
    const d = JSON.parse(l) as { id: string; title: string; content: string };
    return { key: d.id, title: d.title, text: `# ${d.title}\n\n${d.content}`, filename: `${d.id}.md` };
  });
  const tasks = JSON.parse(await readFile(join(dir, "tasks_dev.json"), "utf8")) as Tau3Task[];
  const questions: Question[] = tasks
    .filter((t) => (t.required_documents?.length ?? 0) > 0)
    .slice(0, maxQuestions)
    .map((t) => {
      const ins = t.user_scenario.instructions;
      return { text: typeof ins === "string" ? ins : Object.values(ins).join("\n"), goldKeys: t.required_documents ?? [] };
    });
  return { name: "tau3-banking", language: "en", docs, questions, note: `${questions.length} tasks vs ${docs.length} documents` };
}
