/**
 * FAQ files (CSV with a header row, or JSON records) → one `faq` block per question/answer pair. Rows missing either
 * side are skipped and counted, so the uploader can be told how many were dropped.
 */
import { parse } from "csv-parse/sync";
import type { Block } from "../types.ts";
import { type FaqFields, findFaqArray, findFaqFields } from "./faq-fields.ts";

const DELIMITERS = [",", ";", "\t", "|"] as const;

export type FaqParse = { blocks: Block[]; skipped: number };
type CsvHeader = { delimiter: string; fields: FaqFields };

/** Finds the delimiter whose header row has question and answer columns; undefined if the text is not an FAQ CSV. */
export function sniffFaqCsv(text: string): CsvHeader | undefined {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n"));
  for (const delimiter of DELIMITERS) {
    if (!firstLine.includes(delimiter)) continue;
    const header = parseCsv(firstLine, delimiter)[0];
    const fields = header && findFaqFields(header.map((h) => h.trim()));
    if (fields) return { delimiter, fields };
  }
  return undefined;
}

function parseCsv(text: string, delimiter: string): string[][] {
  try {
    // relax options: hand-made spreadsheets have stray quotes and ragged rows; a bad row should not sink the file.
    return parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch {
    return [];
  }
}

/** Parses an FAQ CSV; returns undefined when the header has no question/answer columns. */
export function parseFaqCsv(text: string): FaqParse | undefined {
  const header = sniffFaqCsv(text);
  if (!header) return undefined;
  const [names, ...rows] = parseCsv(text, header.delimiter);
  if (!names) return undefined;
  const trimmed = names.map((n) => n.trim());
  const records = rows.map((row) => Object.fromEntries(trimmed.map((name, i) => [name, row[i] ?? ""])));
  return toBlocks(records, header.fields);
}

/** Parses FAQ JSON (array of records, or an object wrapping one); undefined when it is not one. */
export function parseFaqJson(text: string): FaqParse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const records = findFaqArray(value);
  if (!records) return undefined;
  const fields = findFaqFields([...new Set(records.flatMap((r) => Object.keys(r)))]);
  return fields ? toBlocks(records, fields) : undefined;
}

function toBlocks(records: Record<string, unknown>[], fields: FaqFields): FaqParse {
  const blocks: Block[] = [];
  let skipped = 0;
  for (const record of records) {
    const question = asText(record[fields.question]);
    const answer = asText(record[fields.answer]);
    if (!question || !answer) {
      skipped++;
      continue;
    }
    const category = fields.category ? asText(record[fields.category]) : "";
    blocks.push({
      kind: "faq",
      text: `Q: ${question}\nA: ${answer}`,
      question,
      answer,
      page: null,
      // "Billing > Refunds" in a category cell becomes a two-level path.
      sectionPath: category ? category.split(/\s*>\s*/).filter(Boolean) : [],
    });
  }
  return { blocks, skipped };
}

function asText(value: unknown): string {
  if (typeof value === "string") return value.replace(/\r\n?/g, "\n").trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}
