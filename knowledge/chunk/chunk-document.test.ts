import { describe, expect, it } from "vitest";
import { parseDocument } from "../parse/parse-document.ts";
import type { Block, ParsedDocument } from "../types.ts";
import { chunkDocument, countTokens, DEFAULT_CHUNK_OPTIONS } from "./chunk-document.ts";

const opts = { maxTokens: 60, overlapTokens: 10 };
const para = (text: string, sectionPath: string[], page: number | null = null): Block => ({ kind: "paragraph", text, page, sectionPath });
const doc = (blocks: Block[]): ParsedDocument => ({ type: "text", pages: 1, blocks });

async function parsed(content: string, filename?: string): Promise<ParsedDocument> {
  const result = await parseDocument(new TextEncoder().encode(content), { filename });
  if (!result.ok) throw new Error(result.message);
  return result.doc;
}

describe("chunkDocument", () => {
  it("never crosses a top-level section and prefixes the section path", () => {
    const chunks = chunkDocument(doc([para("Ships in 3 days.", ["Shipping"]), para("Refunds in 5 days.", ["Returns", "Refunds"])]), opts);
    expect(chunks.map((c) => [c.ord, c.section, c.text])).toEqual([
      [0, "Shipping", "Shipping\nShips in 3 days."],
      [1, "Returns > Refunds", "Returns > Refunds\nRefunds in 5 days."],
    ]);
    for (const c of chunks) expect(c.tokens).toBe(countTokens(c.text));
  });

  it("packs small sub-sections together under their common path", async () => {
    const chunks = chunkDocument(await parsed("# Help\n\nIntro.\n\n## A\n\nAlpha.\n\n## B\n\nBeta.\n"), opts);
    expect(chunks).toEqual([
      { ord: 0, kind: "text", text: "Help\nIntro.\nA\nAlpha.\nB\nBeta.", tokens: expect.any(Number), page: null, section: "Help" },
    ]);
  });

  it("makes exactly one chunk per FAQ row and never splits a long answer", async () => {
    const long = "Our warranty covers manufacturing defects for two years. ".repeat(40);
    const csv = `question,answer\nDo you ship?,Yes.\nWarranty?,"${long}"\nHours?,9-5\n`;
    const chunks = chunkDocument(await parsed(csv), opts);
    expect(chunks.map((c) => c.kind)).toEqual(["faq", "faq", "faq"]);
    expect(chunks[1]!.text).toBe(`Q: Warranty?\nA: ${long.trim()}`);
    expect(chunks[1]!.tokens).toBeGreaterThan(opts.maxTokens);
  });

  it("keeps a list together when it fits, moving it whole to the next chunk", () => {
    const items: Block[] = ["one", "two", "three"].map((t) => ({
      kind: "list_item",
      text: `- step ${t}`,
      page: null,
      sectionPath: ["Setup"],
    }));
    const filler = para("Word ".repeat(48).trim(), ["Setup"]);
    const chunks = chunkDocument(doc([filler, ...items]), opts);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]!.text).toBe("Setup\n- step one\n- step two\n- step three");
  });

  it("splits one over-long block at sentences, with overlap, within the token limit", () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} explains the setup.`);
    const chunks = chunkDocument(doc([para(sentences.join(" "), ["Guide"], 3)]), opts);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(opts.maxTokens);
      expect(c).toMatchObject({ page: 3, section: "Guide" });
      expect(c.text.startsWith("Guide\nSentence number")).toBe(true);
    }
    // Overlap: each piece after the first repeats the last sentence of the piece before it.
    const lastOf = (t: string) => t.split(/(?<=\.) /).at(-1)!;
    expect(chunks[1]!.text).toContain(lastOf(chunks[0]!.text));
  });

  it.each([
    ["CJK without spaces", "本製品は電源を入れる前にケーブルを接続してください。保証期間は二年間です。".repeat(30)],
    ["Arabic", "يرجى توصيل الكابل قبل تشغيل الجهاز. مدة الضمان سنتان من تاريخ الشراء. ".repeat(30)],
    ["Devanagari", "कृपया उपकरण चालू करने से पहले केबल जोड़ें। वारंटी दो साल की है। ".repeat(30)],
    ["CJK without any punctuation", "本製品は電源を入れる前にケーブルを接続してください".repeat(40)],
  ])("chunks %s within bounds and without losing text", (_, text) => {
    const chunks = chunkDocument(doc([para(text.trim(), [])]), { maxTokens: 80, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(80);
    expect(
      chunks
        .map((c) => c.text)
        .join("")
        .replace(/\s/g, ""),
    ).toBe(text.replace(/\s/g, ""));
    expect(chunks.every((c) => !c.text.includes("\uFFFD"))).toBe(true);
  });

  it("respects the default bounds on a long mixed Markdown document", async () => {
    const section = (n: number) => `# Part ${n}\n\n${"A paragraph with some words in it. ".repeat(25)}\n\n- item a\n- item b\n`;
    const chunks = chunkDocument(await parsed(Array.from({ length: 6 }, (_, i) => section(i)).join("\n")), DEFAULT_CHUNK_OPTIONS);
    expect(chunks.every((c) => c.tokens <= DEFAULT_CHUNK_OPTIONS.maxTokens && c.section?.startsWith("Part"))).toBe(true);
    expect(new Set(chunks.map((c) => c.section)).size).toBe(6);
  });
});
