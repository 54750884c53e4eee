import { describe, expect, it } from "vitest";
import { detectType, SUPPORTED_TYPES } from "./detect-type.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("detectType", () => {
  it.each([
    ["%PDF-1.7\n1 0 obj\n", "pdf"],
    ['[{"question":"Do you ship?","answer":"Yes."}]', "faq_json"],
    ['{"faqs":[{"Pregunta":"¿Envían?","Respuesta":"Sí."}]}', "faq_json"],
    ["Question,Answer\nDo you ship?,Yes\n", "faq_csv"],
    ["pregunta;respuesta;categoría\n¿Envían?;Sí;Envíos\n", "faq_csv"],
    ["q\ta\nHours?\t9-5\n", "faq_csv"],
    ["<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"],
    ["<div><h2>Returns</h2><p>30 days.</p><p>Keep the receipt.</p></div>", "html"],
    ["# Returns\n\nSee [the policy](https://example.com).\n", "markdown"],
    ["Opening hours are 9 to 5.\n\nWe close on Sundays.\n", "text"],
  ])("detects %j as %s from content alone", (content, type) => {
    expect(detectType(utf8(content))).toBe(type);
  });

  it("trusts content over a misleading extension", () => {
    expect(detectType(utf8("%PDF-1.4\n"), "notes.txt")).toBe("pdf");
    expect(detectType(utf8("Question,Answer\nA?,B\n"), "faq.txt")).toBe("faq_csv");
    expect(detectType(utf8("<html><body><p>x</p></body></html>"), "page.md")).toBe("html");
  });

  it("uses the extension only to break a Markdown/plain-text tie", () => {
    const ambiguous = utf8("Shipping\n\n- EU: 3 days\n- US: 7 days\n");
    expect(detectType(ambiguous, "shipping.md")).toBe("markdown");
    expect(detectType(ambiguous, "shipping.txt")).toBe("text");
  });

  it("accepts a UTF-8 BOM and BOM-marked UTF-16", () => {
    expect(detectType(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("# Title\n\n[x](y)")]))).toBe("markdown");
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from("Question,Answer\nA?,B\n", "utf16le")]);
    expect(detectType(utf16)).toBe("faq_csv");
  });

  it.each([
    ["PNG", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
    ["DOCX (zip)", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])],
    ["NUL bytes", utf8("abc\u0000def")],
    ["invalid UTF-8", new Uint8Array([0x48, 0x69, 0xc3, 0x28, 0xff])],
    ["empty", new Uint8Array()],
  ])("returns undefined for %s", (_, bytes) => {
    expect(detectType(bytes, "file.txt")).toBeUndefined();
  });

  it("lists every supported type for the 415 message", () => {
    expect([...SUPPORTED_TYPES].sort()).toEqual(["faq_csv", "faq_json", "html", "markdown", "pdf", "text"]);
  });
});
