/**
 * The parsing entry point: bytes (+ optional filename or declared type) → a ParsedDocument or a typed failure.
 * It never throws: every upload gets an answer the uploader can act on.
 */
import type { Block, ParsedDocument, ParseFailure, SourceType } from "../types.ts";
import { decodeText, normalizeText } from "./decode-text.ts";
import { detectType, SUPPORTED_TYPES } from "./detect-type.ts";
import { parseFaqCsv, parseFaqJson } from "./parse-faq.ts";
import { parseHtml } from "./parse-html.ts";
import { parseMarkdown } from "./parse-markdown.ts";
import { parsePdf } from "./parse-pdf.ts";
import { parseText } from "./parse-text.ts";

/**
 * A ParseResult that also says how many FAQ rows were dropped for lacking a question or an answer (0 otherwise).
 * Assignable to ParseResult.
 */
export type DocumentParseResult = { ok: true; doc: ParsedDocument; skippedRows: number } | ParseFailure;

export type ParseOptions = { filename?: string | undefined; type?: SourceType | undefined };

const EMPTY: ParseFailure = { ok: false, code: "empty", message: "This document contains no readable text." };

/** Parses a document. `opts.type` skips detection (trusted callers only); otherwise the content decides. */
export async function parseDocument(bytes: Uint8Array, opts: ParseOptions = {}): Promise<DocumentParseResult> {
  try {
    const type = opts.type ?? detectType(bytes, opts.filename);
    if (type === undefined) {
      const supported = SUPPORTED_TYPES.join(", ");
      return { ok: false, code: "unsupported_type", message: `This file type is not supported. Supported: ${supported}.` };
    }
    if (type === "pdf") {
      const result = await parsePdf(bytes);
      return result.ok ? withContent(result.doc, 0) : result;
    }
    const raw = decodeText(bytes);
    if (raw === undefined) {
      return { ok: false, code: "corrupt_file", message: "This file is not valid UTF-8 text. Save it as UTF-8 and re-upload." };
    }
    return parseTextual(type, normalizeText(raw));
  } catch (err) {
    // Parsers are defensive, but a library edge case must not take the upload down with a 500.
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, code: "corrupt_file", message: `This file could not be parsed (${detail}).` };
  }
}

function parseTextual(type: Exclude<SourceType, "pdf">, text: string): DocumentParseResult {
  switch (type) {
    case "markdown": {
      const blocks = parseMarkdown(text);
      return withContent({ type, pages: 1, blocks, title: firstHeading(blocks) }, 0);
    }
    case "html": {
      const { blocks, title } = parseHtml(text);
      return withContent({ type, pages: 1, blocks, title: title ?? firstHeading(blocks) }, 0);
    }
    case "text":
      return withContent({ type, pages: 1, blocks: parseText(text) }, 0);
    case "faq_csv":
    case "faq_json": {
      const faq = type === "faq_csv" ? parseFaqCsv(text) : parseFaqJson(text);
      if (!faq) {
        const message = `This file is not a valid FAQ ${type === "faq_csv" ? "CSV" : "JSON"}: it needs question and answer columns.`;
        return { ok: false, code: "corrupt_file", message };
      }
      return withContent({ type, pages: 1, blocks: faq.blocks }, faq.skipped);
    }
  }
}

/** A document with no block carrying text besides headings is `empty`, never an empty index entry. */
function withContent(doc: ParsedDocument, skippedRows: number): DocumentParseResult {
  return doc.blocks.some((b) => b.kind !== "heading" && b.text.trim()) ? { ok: true, doc, skippedRows } : EMPTY;
}

function firstHeading(blocks: Block[]): string | undefined {
  return blocks.find((b) => b.kind === "heading")?.text;
}
