/**
 * Splits one over-long text into windows of at most `budget` tokens, at the gentlest boundary available: lines, then
 * sentences, then words, then characters. Intl.Segmenter knows sentence and word boundaries for scripts without
 * spaces (Chinese, Japanese, Thai) and with their own full stops (。, ।, ؟).
 */
import { countTokens } from "./count-tokens.ts";

const sentences = new Intl.Segmenter(undefined, { granularity: "sentence" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

type Unit = { text: string; tokens: number };

/** Windows of at most `budget` tokens; each after the first repeats up to `overlap` tokens from the end of the previous. */
export function splitText(text: string, budget: number, overlap: number): string[] {
  const units = toUnits(text, budget);
  const windows: string[] = [];
  let start = 0;
  while (start < units.length) {
    let end = start;
    let sum = 0;
    while (end < units.length && (end === start || sum + units[end]!.tokens <= budget)) sum += units[end++]!.tokens;
    // Unit counts are estimates (tokens can merge across a boundary): confirm, and give back units until it fits.
    while (end - start > 1 && countTokens(join(units, start, end)) > budget) end--;
    windows.push(join(units, start, end));
    if (end >= units.length) break;
    start = overlapStart(units, start, end, overlap, budget);
  }
  return windows.filter(Boolean);
}

/** Where the next window starts: far enough back to repeat ≤ `overlap` tokens, but always moving forward. */
function overlapStart(units: Unit[], start: number, end: number, overlap: number, budget: number): number {
  let next = end;
  let sum = 0;
  while (next - 1 > start && sum + units[next - 1]!.tokens <= overlap && sum + units[next - 1]!.tokens + units[end]!.tokens <= budget) {
    sum += units[--next]!.tokens;
  }
  return next;
}

function join(units: Unit[], start: number, end: number): string {
  return units
    .slice(start, end)
    .map((u) => u.text)
    .join("")
    .trim();
}

function toUnits(text: string, budget: number): Unit[] {
  const out: Unit[] = [];
  const lines = text.split(/(?<=\n)/);
  for (const line of lines) {
    const tokens = countTokens(line);
    if (tokens <= budget) out.push({ text: line, tokens });
    else for (const s of sentences.segment(line)) pushFitting(out, s.segment, budget);
  }
  return out;
}

function pushFitting(out: Unit[], text: string, budget: number): void {
  const tokens = countTokens(text);
  if (tokens <= budget) {
    out.push({ text, tokens });
    return;
  }
  // A sentence longer than a whole chunk: fall back to words, and to characters for a single giant "word".
  const pieces = [...words.segment(text)].map((w) => w.segment);
  const granular = pieces.length > 1 ? pieces : [...graphemes.segment(text)].map((g) => g.segment);
  if (granular.length <= 1) {
    out.push({ text, tokens });
    return;
  }
  for (const piece of granular) pushFitting(out, piece, budget);
}
