/** PDF → blocks with unpdf (a serverless PDF.js build): page by page, never throwing on bad input. */
import { extractTextItems, getDocumentProxy } from "unpdf";
import type { ParsedDocument, ParseFailure } from "../types.ts";
import { buildPdfBlocks } from "./pdf-blocks.ts";
import { dropPageFurniture, toLines } from "./pdf-lines.ts";

/** Below this many non-space characters per page on average, the "text" is stray marks on a scanned image. */
const MIN_CHARS_PER_PAGE = 15;

const SCANNED: ParseFailure = {
  ok: false,
  code: "scanned_pdf",
  message: "This PDF has no text layer: it looks scanned and needs OCR before it can be used.",
};
const ENCRYPTED: ParseFailure = {
  ok: false,
  code: "encrypted_pdf",
  message: "This PDF is password-protected; upload an unprotected copy.",
};
const CORRUPT: ParseFailure = {
  ok: false,
  code: "corrupt_file",
  message: "This PDF could not be read: the file looks damaged or incomplete. Export or download it again and re-upload.",
};

/** Parses a PDF into blocks with page numbers, or a typed failure (scanned, encrypted, corrupt). */
export async function parsePdf(bytes: Uint8Array): Promise<{ ok: true; doc: ParsedDocument } | ParseFailure> {
  // unpdf transfers (detaches) the array it is given and rejects Node Buffers: hand it a private plain copy.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    pdf = await getDocumentProxy(copy, { verbosity: 0 });
    const { totalPages, items } = await extractTextItems(pdf);
    const chars = items.flat().reduce((n, item) => n + item.str.replace(/\s/g, "").length, 0);
    if (chars < MIN_CHARS_PER_PAGE * Math.max(1, totalPages)) return SCANNED;
    const pages = dropPageFurniture(items.map((pageItems, i) => toLines(pageItems, i + 1)));
    const blocks = buildPdfBlocks(pages);
    return { ok: true, doc: { type: "pdf", pages: totalPages, blocks, title: await readTitle(pdf) } };
  } catch (err) {
    // PDF.js errors are plain objects with a `name`, not always Error subclasses across its worker boundary.
    const name = typeof err === "object" && err !== null && "name" in err ? String(err.name) : "";
    return name === "PasswordException" ? ENCRYPTED : CORRUPT;
  } finally {
    await pdf?.destroy().catch(() => undefined);
  }
}

async function readTitle(pdf: NonNullable<Awaited<ReturnType<typeof getDocumentProxy>>>): Promise<string | undefined> {
  try {
    const { info } = await pdf.getMetadata();
    const title = typeof info === "object" && info !== null && "Title" in info ? info.Title : undefined;
    return typeof title === "string" && title.trim() ? title.trim() : undefined;
  } catch {
    return undefined;
  }
}
