import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from "../chunk/chunk-document.ts";
import { parseDocument } from "./parse-document.ts";

const ROOT = join(import.meta.dirname, "../../../shared/benchmarks/product-manual-pdfs");
const TEXT_LAYER = join(ROOT, "text_layer");
const SCANNED = join(ROOT, "scanned_no_text");

/** Whitespace-free lower case, so line wrapping and bullets in the PDF do not matter. */
const norm = (s: string) => s.toLowerCase().replace(/[\s•]+/g, "");

describe.runIf(existsSync(join(TEXT_LAYER, "ESP32-POE-user-manual.pdf")))("real Olimex manuals", () => {
  it("parses ESP32-POE to 25 pages with numbered sections, and finds the FAQ answers on their pages", async () => {
    const bytes = await readFile(join(TEXT_LAYER, "ESP32-POE-user-manual.pdf"));
    const result = await parseDocument(new Uint8Array(bytes), { filename: "manual.pdf" });
    if (!result.ok) throw new Error(result.message);
    expect(result.doc.pages).toBe(25);
    const orderCodes = result.doc.blocks.find((b) => b.text.includes("industrial grade -40+85C board with external antenna"));
    expect(orderCodes?.sectionPath.at(-1)).toMatch(/^1\.[67]\. Order codes/);
    const chunks = chunkDocument(result.doc, DEFAULT_CHUNK_OPTIONS);
    const faq: { page: number; answer: string }[] = JSON.parse(
      await readFile(join(TEXT_LAYER, "ESP32-POE-user-manual.faq_qa.json"), "utf8"),
    );
    // An answer counts as found when one chunk on its page holds its opening (the first 120 characters).
    const hits = faq.filter((f) => chunks.some((c) => c.page === f.page && norm(c.text).includes(norm(f.answer).slice(0, 120))));
    console.info(`ESP32-POE FAQ page hit rate: ${hits.length}/${faq.length}`);
    expect(hits.length).toBeGreaterThanOrEqual(11);
    expect(chunks.every((c) => c.tokens <= DEFAULT_CHUNK_OPTIONS.maxTokens)).toBe(true);
    // The input buffer is still usable: unpdf only ever saw a copy.
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it("parses AgonLight2 to 40 pages", async () => {
    const result = await parseDocument(await readFile(join(TEXT_LAYER, "AgonLight2-user-manual.pdf")));
    expect(result.ok && result.doc.pages).toBe(40);
  });
});

describe.runIf(existsSync(SCANNED))("scanned PDFs", () => {
  it.each(["linn.pdf", "skew.pdf", "c02-22.pdf"])("rejects %s as scanned_pdf", async (name) => {
    const result = await parseDocument(await readFile(join(SCANNED, name)));
    expect(result).toMatchObject({ ok: false, code: "scanned_pdf" });
  });
});

/** A one-page PDF whose /Encrypt dictionary carries random /O and /U hashes: no empty user password can open it. */
function encryptedPdf(): Uint8Array {
  const hex = (n: number) => Array.from({ length: n }, (_, i) => ((i * 37 + 11) % 256).toString(16).padStart(2, "0")).join("");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -44 >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16)}> <${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

describe("broken PDFs", () => {
  it("reports a password-protected PDF as encrypted_pdf", async () => {
    expect(await parseDocument(encryptedPdf())).toMatchObject({
      ok: false,
      code: "encrypted_pdf",
      message: expect.stringMatching(/password/),
    });
  });

  it("reports random bytes behind a %PDF header as corrupt_file", async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
    expect(await parseDocument(bytes)).toMatchObject({ ok: false, code: "corrupt_file" });
  });

  it.runIf(existsSync(join(TEXT_LAYER, "ESP32-POE-user-manual.pdf")))("reports a truncated PDF as corrupt_file", async () => {
    const bytes = await readFile(join(TEXT_LAYER, "ESP32-POE-user-manual.pdf"));
    expect(await parseDocument(new Uint8Array(bytes.subarray(0, 100_000)))).toMatchObject({ ok: false, code: "corrupt_file" });
  });
});
