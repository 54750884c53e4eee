/**
 * Splits a long agent answer into WhatsApp text messages. Meta caps a text body at 4096 characters
 * (../shared/docs/whatsapp-platform.md §4); we count UTF-16 code units, as `TextMessageSchema` does, which is never
 * fewer than the characters a user sees. Cuts fall on the most natural boundary that still lets the rest fit:
 * a blank line, then a line break, then a sentence end, then a space, then a grapheme boundary (never inside a
 * surrogate pair or an emoji sequence).
 */

export type SplitOptions = { maxChars?: number; maxParts?: number };

/** Appended to the last part when the text does not fit in `maxParts` messages. */
export const TRUNCATION_MARK = "…";

type Boundary = { pattern: RegExp; includeMatch: boolean };

// Ordered from most to least natural. `includeMatch`: the matched text stays at the end of the earlier part.
const BOUNDARIES: Boundary[] = [
  { pattern: /\r?\n[ \t]*\r?\n/g, includeMatch: false },
  { pattern: /\r?\n/g, includeMatch: false },
  // Latin sentence ends need following whitespace ("3.5" is no sentence end); CJK full stops need none.
  { pattern: /[.!?…]+["'”’»)\]]*(?=\s)|[。！？]+[」』”’）]*/g, includeMatch: true },
  { pattern: /\s/g, includeMatch: false },
];

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Returns at most `maxParts` trimmed, non-empty parts of at most `maxChars` code units each. Text that cannot fit
 * is cut: the last part ends with "…" (the cut prefers a space in its second half). Empty input gives `[]`.
 */
export function splitForWhatsApp(text: string, { maxChars = 4096, maxParts = 3 }: SplitOptions = {}): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError("maxChars must be an integer >= 2");
  if (!Number.isInteger(maxParts) || maxParts < 1) throw new RangeError("maxParts must be an integer >= 1");
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (rest.length <= maxChars) {
      parts.push(rest);
      break;
    }
    if (parts.length === maxParts - 1) {
      parts.push(truncate(rest, maxChars));
      break;
    }
    const budgetAfter = (maxParts - parts.length - 1) * maxChars;
    const cut = findCut(rest, maxChars, budgetAfter);
    const head = rest.slice(0, cut).trim();
    if (head) parts.push(head);
    rest = rest.slice(cut).trim();
  }
  return parts;
}

/**
 * Where to end the next part. If everything can still fit, take the most natural boundary whose remainder fits in
 * the parts left; if the text will be truncated anyway, take the most natural boundary that fills at least half.
 */
function findCut(text: string, maxChars: number, budgetAfter: number): number {
  const canFit = text.length - maxChars <= budgetAfter;
  for (const boundary of BOUNDARIES) {
    const at = lastBoundary(text, maxChars, boundary);
    if (at <= 0) continue;
    if (canFit ? text.length - at <= budgetAfter : at >= maxChars / 2) return at;
  }
  return graphemeCut(text, maxChars);
}

/** The end of the earlier part at the last boundary of this kind, with that part no longer than `maxChars`. */
function lastBoundary(text: string, maxChars: number, { pattern, includeMatch }: Boundary): number {
  const window = text.slice(0, maxChars + 2);
  let best = -1;
  for (const m of window.matchAll(pattern)) {
    const end = includeMatch ? m.index + m[0].length : m.index;
    if (end <= maxChars) best = end;
  }
  return best;
}

/** The last grapheme boundary at or before `maxChars` (callers only cut text longer than `maxChars`). */
function graphemeCut(text: string, maxChars: number): number {
  let cut = 0;
  for (const { index } of graphemes.segment(text.slice(0, maxChars + 64))) {
    if (index > maxChars) break;
    cut = index;
  }
  if (cut > 0) return cut;
  // A single grapheme longer than a whole part (absurd, but possible): still never split a surrogate pair.
  return isHighSurrogate(text.charCodeAt(maxChars - 1)) ? maxChars - 1 : maxChars;
}

function truncate(text: string, maxChars: number): string {
  const room = maxChars - TRUNCATION_MARK.length;
  const space = lastBoundary(text, room, BOUNDARIES[3] as Boundary);
  const cut = space >= room / 2 ? space : graphemeCut(text, room);
  return text.slice(0, cut).trimEnd() + TRUNCATION_MARK;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
