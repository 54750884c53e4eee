/**
 * Detects a document's type from its content. The filename's extension only breaks ties (Markdown vs plain text),
 * because uploads are routinely misnamed: a PDF saved as ".txt", a CSV exported as ".xls".
 */
import { SOURCE_TYPES, type SourceType } from "../types.ts";
import { decodeText } from "./decode-text.ts";
import { findFaqArray } from "./faq-fields.ts";
import { sniffFaqCsv } from "./parse-faq.ts";

/** The types an upload may have, for the 415 response ("supported: pdf, markdown, …"). */
export const SUPPORTED_TYPES: readonly SourceType[] = SOURCE_TYPES;

/** Magic numbers of formats we do not read (images, archives and Office files, executables). */
const BINARY_MAGIC: readonly number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x50, 0x4b, 0x03, 0x04], // ZIP, and so DOCX/XLSX/ODT
  [0xd0, 0xcf, 0x11, 0xe0], // OLE2: legacy .doc/.xls
  [0x1f, 0x8b], // gzip
  [0x52, 0x49, 0x46, 0x46], // RIFF: WebP, WAV, AVI
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
  [0x52, 0x61, 0x72, 0x21], // RAR
];

/** Returns the document's type, or undefined when it is binary or not a format we ingest. */
export function detectType(bytes: Uint8Array, filename?: string): SourceType | undefined {
  // The spec lets junk precede the header, and readers accept it within the first 1 KB.
  if (latin1(bytes.subarray(0, 1024)).includes("%PDF-")) return "pdf";
  if (BINARY_MAGIC.some((magic) => magic.every((b, i) => bytes[i] === b))) return undefined;
  const text = decodeText(bytes);
  if (text === undefined || text.includes("\u0000") || !text.trim()) return undefined;
  const ext = /\.([a-z0-9]+)$/i.exec(filename ?? "")?.[1]?.toLowerCase();
  const head = text.trimStart();
  if ((head.startsWith("[") || head.startsWith("{")) && findFaqArray(tryJson(text)) !== undefined) return "faq_json";
  if (sniffFaqCsv(text) !== undefined) return "faq_csv";
  if (isHtml(head)) return "html";
  const score = markdownScore(text);
  if (ext === "md" || ext === "markdown" || ext === "mdx") return "markdown";
  if (ext === "txt" || ext === "text") return score >= 6 ? "markdown" : "text";
  return score >= 3 ? "markdown" : "text";
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const HTML_TAG = /<\/?(?:p|div|span|a|h[1-6]|ul|ol|li|table|tr|td|th|br|body|head|section|article|img|strong|em)\b[^>]*>/gi;

/** A document declaring itself HTML, or one that starts with a tag and is mostly markup. */
function isHtml(head: string): boolean {
  if (/^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(head)) return true;
  if (!head.startsWith("<")) return false;
  const sample = head.slice(0, 20_000);
  const tags = sample.match(HTML_TAG) ?? [];
  return tags.length >= 3 && tags.join("").length >= sample.length * 0.1;
}

/**
 * How Markdown-like the text is. Headings, links, fences and tables are strong signals; bullet lists alone are weak,
 * because plain-text notes use "- " too.
 */
function markdownScore(text: string): number {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return (
    3 * count(/^#{1,6}[ \t]+\S/gm) +
    2 * count(/\[[^\]\n]+\]\([^)\s]+\)/g) +
    3 * count(/^```/gm) +
    count(/^\|.*\|[ \t]*$/gm) +
    count(/\*\*[^*\n]+\*\*/g) +
    2 * count(/^[^\n]+\n(?:=+|-+)[ \t]*$/gm) +
    0.5 * count(/^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S/gm)
  );
}
