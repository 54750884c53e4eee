/**
 * PDF text items → visual lines. A line keeps its font size and position (for heading and paragraph detection) and is
 * cut into cells at wide horizontal gaps, which is how tables such as the Olimex order-code lists show up.
 */
import type { StructuredTextItem } from "unpdf";

export type PdfLine = { text: string; cells: string[]; x: number; y: number; fontSize: number; page: number };

/** Groups one page's items into lines, in reading order. */
export function toLines(items: readonly StructuredTextItem[], page: number): PdfLine[] {
  const lines: PdfLine[] = [];
  let cur: { cells: string[]; x: number; y: number; fontSize: number; end: number } | undefined;
  const close = () => {
    const cells = cur?.cells.map((c) => c.replace(/\s+/g, " ").trim()).filter(Boolean) ?? [];
    if (cur && cells.length > 0) lines.push({ text: cells.join(" "), cells, x: cur.x, y: cur.y, fontSize: cur.fontSize, page });
    cur = undefined;
  };
  for (const item of items) {
    const size = Math.abs(item.fontSize) || 1;
    if (item.str) {
      if (cur && Math.abs(item.y - cur.y) > Math.max(size, cur.fontSize) * 0.5) close();
      if (!cur) cur = { cells: [""], x: item.x, y: item.y, fontSize: 0, end: item.x };
      // A gap wider than ~1.5 characters' height is a column boundary, not a word space.
      if (item.x - cur.end > size * 1.5 && cur.cells[cur.cells.length - 1]!.trim()) cur.cells.push("");
      cur.cells[cur.cells.length - 1] += item.str;
      // Space items can stretch across a tab stop, so only visible text moves the line's right edge.
      if (item.str.trim()) {
        cur.end = Math.max(cur.end, item.x + item.width);
        cur.fontSize = Math.max(cur.fontSize, Math.round(size * 2) / 2);
      }
    }
    if (item.hasEOL) close();
  }
  close();
  return lines;
}

/** The most common font size, weighted by characters: the body text size. */
export function bodyFontSize(lines: readonly PdfLine[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) weight.set(l.fontSize, (weight.get(l.fontSize) ?? 0) + l.text.length);
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weight) if (w > bestWeight) [best, bestWeight] = [size, w];
  return best || 10;
}

const PAGE_NUMBER = /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/|de)\s*\d{1,4})?$/i;

/**
 * Drops page numbers and running headers/footers: lines at the top or bottom of a page whose text (digits ignored)
 * repeats on many pages. They would otherwise glue "OLIMEX © 2025" into every chunk.
 */
export function dropPageFurniture(pages: PdfLine[][]): PdfLine[][] {
  const key = (l: PdfLine) => l.text.replace(/\d+/g, "#").toLowerCase();
  const edges = (lines: PdfLine[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const seen = new Map<string, number>();
  for (const lines of pages) for (const k of new Set(edges(lines).map(key))) seen.set(k, (seen.get(k) ?? 0) + 1);
  const minRepeats = Math.max(3, pages.length * 0.3);
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    return lines.filter((l) => !(edge.has(l) && (PAGE_NUMBER.test(l.text) || (seen.get(key(l)) ?? 0) >= minRepeats)));
  });
}
