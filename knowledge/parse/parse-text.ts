/** Plain text → paragraphs split on blank lines; a short heading-like line opens a section. */
import type { Block } from "../types.ts";
import { SectionPath, squeeze } from "./section-path.ts";

const BULLET = /^\s*(?:[-*•·‣▪–]|\d{1,3}[.)])\s+/;
/** "1.", "2.3", "2.3.1" section numbers, whose depth gives the heading level. */
const NUMBERED_HEADING = /^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S/;
/** Sentence or clause ends in Latin, CJK, Arabic and Devanagari punctuation. */
const SENTENCE_END = /[.,;!?。．，；！？،؛؟।]$/u;

/** Parses plain text into blocks. */
export function parseText(text: string): Block[] {
  const blocks: Block[] = [];
  const path = new SectionPath();
  for (const raw of text.split(/\n[ \t]*\n+/)) {
    const para = squeeze(raw);
    if (!para) continue;
    const lines = para.split("\n");
    const heading = lines.length === 1 ? headingLevel(para) : undefined;
    if (heading !== undefined) {
      path.enter(heading, para);
      blocks.push({ kind: "heading", text: para, level: heading, page: null, sectionPath: path.current() });
    } else if (lines.length > 1 && lines.every((l) => BULLET.test(l))) {
      for (const item of lines) blocks.push({ kind: "list_item", text: item, page: null, sectionPath: path.current() });
    } else {
      blocks.push({ kind: "paragraph", text: lines.join(" "), page: null, sectionPath: path.current() });
    }
  }
  // A text made only of heading-like lines (a one-line note, a list of labels) is body text, not an empty document.
  if (blocks.every((b) => b.kind === "heading")) {
    return blocks.map((b) => ({ kind: "paragraph", text: b.text, page: null, sectionPath: [] }));
  }
  return blocks;
}

/**
 * Heading level of a stand-alone line, or undefined for body text. A heading is short, does not end like a sentence,
 * and is numbered ("2.1 Power supply"), all capitals ("WARRANTY"), or a short capitalised label ending in a colon.
 */
export function headingLevel(line: string): number | undefined {
  if (line.length > 80 || SENTENCE_END.test(line) || (BULLET.test(line) && !NUMBERED_HEADING.test(line))) return undefined;
  const numbered = NUMBERED_HEADING.exec(line);
  if (numbered?.[1]) return numbered[1].split(".").length;
  // All capitals: every letter is an upper-case one. Scripts without case (Chinese, Arabic, Devanagari) never
  // qualify, so a short Chinese sentence holding "USB" stays body text.
  const letters = line.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 4 && /^\p{Lu}+$/u.test(letters)) return 1;
  // Markdown-ish "Title:" lines are common in pasted policies.
  if (/^[\p{Lu}][^:]{2,60}:$/u.test(line)) return 2;
  return undefined;
}
