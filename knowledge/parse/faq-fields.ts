/**
 * Which column names / JSON keys mean "question", "answer" and "category" in an uploaded FAQ. Shared by detection
 * and parsing so a file detected as an FAQ is always parsed as one. Matching is case- and accent-insensitive.
 */

const QUESTION_NAMES = ["question", "questions", "q", "pregunta", "preguntas", "pergunta", "frage", "query", "title"];
const ANSWER_NAMES = ["answer", "answers", "a", "respuesta", "respuestas", "resposta", "antwort", "response", "reply"];
const CATEGORY_NAMES = ["category", "categoria", "section", "seccion", "topic", "tema", "group", "kategorie"];

/** Lower-cases and strips accents and surrounding punctuation: "Categoría " → "categoria". */
function normalizeName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

export type FaqFields = { question: string; answer: string; category: string | undefined };

/** Picks the question, answer and (optional) category names among `names`, or undefined if question or answer is missing. */
export function findFaqFields(names: readonly string[]): FaqFields | undefined {
  const pick = (wanted: readonly string[]) => {
    // Earlier entries in `wanted` win, so "question" beats "title" when both are present.
    for (const w of wanted) {
      const found = names.find((n) => normalizeName(n) === w);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const question = pick(QUESTION_NAMES);
  const answer = pick(ANSWER_NAMES);
  if (question === undefined || answer === undefined || question === answer) return undefined;
  return { question, answer, category: pick(CATEGORY_NAMES) };
}

/** The array of FAQ records in a parsed JSON value: a bare array, or the one array property of a wrapper object. */
export function findFaqArray(value: unknown): Record<string, unknown>[] | undefined {
  const candidates = Array.isArray(value)
    ? [value]
    : isRecord(value)
      ? Object.values(value).filter((v): v is unknown[] => Array.isArray(v))
      : [];
  for (const arr of candidates) {
    const records = arr.filter(isRecord);
    if (records.length === 0 || records.length < arr.length * 0.8) continue;
    // Keys are judged over all records: a record missing its answer is a row to skip, not proof of another format.
    if (findFaqFields([...new Set(records.flatMap((r) => Object.keys(r)))])) return records;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
