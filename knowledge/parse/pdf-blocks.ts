/**
 * PDF lines → blocks. PDFs carry no structure, so it is inferred: headings from font size, section numbering
 * ("1.6. Order codes") and capitals; paragraphs from vertical gaps; list items from bullets; tables from column gaps.
 */
import type { Block } from "../types.ts";
import { bodyFontSize, type PdfLine } from "./pdf-lines.ts";
import { SectionPath } from "./section-path.ts";

type Kind = "heading" | "table" | "list_item" | "paragraph" | "toc";
type Group = { kind: Kind; lines: PdfLine[]; level: number };

const NUMBERED = /^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\p{L}/u;
const BULLET = /^[•·▪‣◦●○■□➢►\-–—*]\s|^[•▪●■➢►]/u;
/** Table-of-contents entries: a title, dot leaders, a page number. */
const TOC_ENTRY = /(?:\.\s*){4,}\s*\d{1,4}$/;

/** Builds blocks for the whole document, so section paths carry across page breaks. */
export function buildPdfBlocks(pages: PdfLine[][]): Block[] {
  const body = bodyFontSize(pages.flat());
  const largeSizes = [
    ...new Set(
      pages
        .flat()
        .filter((l) => isLargeHeading(l, body))
        .map((l) => l.fontSize),
    ),
  ].sort((a, b) => b - a);
  const classify = (line: PdfLine): Omit<Group, "lines"> => {
    if (TOC_ENTRY.test(line.text)) return { kind: "toc", level: 0 };
    const numbered = NUMBERED.exec(line.text)?.[1];
    const depth = numbered ? numbered.split(".").length : undefined;
    if (isLargeHeading(line, body)) return { kind: "heading", level: depth ?? largeSizes.indexOf(line.fontSize) + 1 };
    if (line.cells.length >= 2) return { kind: "table", level: 0 };
    if (line.fontSize >= body * 0.95 && line.text.length <= 70 && !/[.,;:]$/.test(line.text)) {
      if (depth !== undefined && depth >= 2) return { kind: "heading", level: depth };
      if (isAllCapsTitle(line.text)) return { kind: "heading", level: largeSizes.length + 1 };
    }
    if (BULLET.test(line.text)) return { kind: "list_item", level: 0 };
    return { kind: "paragraph", level: 0 };
  };

  const blocks: Block[] = [];
  const path = new SectionPath();
  for (const lines of pages) {
    for (const group of groupLines(lines, classify)) {
      const text = joinGroup(group);
      if (!text) continue;
      const page = group.lines[0]!.page;
      if (group.kind === "heading") {
        path.enter(group.level, text);
        blocks.push({ kind: "heading", text, level: group.level, page, sectionPath: path.current() });
      } else {
        blocks.push({ kind: group.kind === "toc" ? "paragraph" : group.kind, text, page, sectionPath: path.current() });
      }
    }
  }
  return blocks;
}

function isLargeHeading(line: PdfLine, body: number): boolean {
  return line.fontSize >= body * 1.15 && line.text.length <= 120 && /\p{L}/u.test(line.text) && !TOC_ENTRY.test(line.text);
}

function isAllCapsTitle(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 5 && /\p{L}{4}/u.test(text) && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** Merges lines into groups: a wrapped paragraph, a heading over two lines, a list item with its continuation, a table. */
function groupLines(lines: PdfLine[], classify: (l: PdfLine) => Omit<Group, "lines">): Group[] {
  const groups: Group[] = [];
  let prev: PdfLine | undefined;
  for (const line of lines) {
    const { kind, level } = classify(line);
    const cur = groups[groups.length - 1];
    const gap = prev ? prev.y - line.y : Number.POSITIVE_INFINITY;
    // Line spacing is ~1.2–1.4× the font size; paragraph spacing is larger. A negative gap is a jump to a new column.
    // Table rows are padded by cell borders, so rows sit further apart than wrapped lines.
    const spacing = kind === "table" || cur?.kind === "table" ? 2.2 : 1.6;
    const near = gap > 0 && gap <= Math.max(line.fontSize, prev?.fontSize ?? 0) * spacing;
    const continues =
      cur !== undefined &&
      near &&
      ((kind === cur.kind && kind !== "list_item" && (kind !== "heading" || line.fontSize === prev?.fontSize)) ||
        (kind === "paragraph" && cur.kind === "list_item") ||
        (kind === "paragraph" && cur.kind === "table" && line.x > cur.lines[0]!.x + 5));
    if (continues) cur.lines.push(line);
    else groups.push({ kind, level, lines: [line] });
    prev = line;
  }
  return groups;
}

function joinGroup(group: Group): string {
  if (group.kind === "toc") return group.lines.map((l) => l.text.replace(/(?:\.\s*){4,}\s*(\d+)$/, " … $1")).join("\n");
  if (group.kind === "table") {
    // A one-cell line inside a table continues the last cell of the row above (a wrapped description).
    const rows: string[] = [];
    for (const l of group.lines) {
      if (l.cells.length === 1 && rows.length > 0) rows[rows.length - 1] = joinWrapped(rows[rows.length - 1]!, l.text);
      else rows.push(l.cells.join(" | "));
    }
    return rows.join("\n");
  }
  return group.lines.map((l) => l.text).reduce(joinWrapped);
}

/** Joins a wrapped line; a line ending in a hyphen before a lower-case word is re-joined without a space. */
function joinWrapped(a: string, b: string): string {
  return /-$/.test(a) && /^\p{Ll}/u.test(b) ? a + b : `${a} ${b}`;
}
