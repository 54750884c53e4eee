import { describe, expect, it } from "vitest";
import type { Block } from "../types.ts";
import { parseDocument } from "./parse-document.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
async function blocksOf(content: string, filename?: string): Promise<Block[]> {
  const result = await parseDocument(utf8(content), { filename });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.doc.blocks;
}

describe("parseDocument: Markdown", () => {
  it("turns headings into section paths and keeps lists, tables and code", async () => {
    const md =
      "# Shipping\n\nWe ship **worldwide**.\n\n## Costs\n\n- EU: 5 €\n- US: 15 €\n\n| zone | days |\n|---|---|\n| EU | 3 |\n\n```\ncode here\n```\n\n# Returns\n\n30 days, see [policy](https://x.test/r).\n";
    const blocks = await blocksOf(md);
    expect(blocks.map((b) => b.kind)).toEqual([
      "heading",
      "paragraph",
      "heading",
      "list_item",
      "list_item",
      "table",
      "paragraph",
      "heading",
      "paragraph",
    ]);
    expect(blocks[1]).toMatchObject({ text: "We ship worldwide.", sectionPath: ["Shipping"] });
    expect(blocks[5]).toMatchObject({ text: "zone | days\nEU | 3", sectionPath: ["Shipping", "Costs"] });
    expect(blocks[8]).toMatchObject({ text: "30 days, see policy (https://x.test/r).", sectionPath: ["Returns"] });
  });
});

describe("parseDocument: HTML", () => {
  it("drops scripts, styles and nav, and nests sections by heading level", async () => {
    const html = `<!doctype html><html><head><title>Help</title><style>p{}</style></head><body>
      <nav><a href="/">Home</a></nav><script>alert(1)</script>
      <h1>Help</h1><p>Intro &amp; more.</p><h2>Returns</h2><ul><li>30 days</li><li>Receipt</li></ul>
      <table><tr><th>Zone</th><th>Days</th></tr><tr><td>EU</td><td>3</td></tr></table></body></html>`;
    const result = await parseDocument(utf8(html));
    if (!result.ok) throw new Error(result.message);
    expect(result.doc.title).toBe("Help");
    const texts = result.doc.blocks.map((b) => b.text).join("\n");
    expect(texts).not.toMatch(/alert|Home|p\{\}/);
    expect(result.doc.blocks.filter((b) => b.kind !== "heading")).toEqual([
      { kind: "paragraph", text: "Intro & more.", page: null, sectionPath: ["Help"] },
      { kind: "list_item", text: "- 30 days", page: null, sectionPath: ["Help", "Returns"] },
      { kind: "list_item", text: "- Receipt", page: null, sectionPath: ["Help", "Returns"] },
      { kind: "table", text: "Zone | Days\nEU | 3", page: null, sectionPath: ["Help", "Returns"] },
    ]);
  });
});

describe("parseDocument: plain text", () => {
  it("splits paragraphs on blank lines and opens sections at heading-like lines", async () => {
    const blocks = await blocksOf("WARRANTY\n\nTwo years on all boards.\nParts included.\n\n2.1 Exclusions\n\nWater damage.\n", "w.txt");
    expect(blocks.map((b) => [b.kind, b.text, b.sectionPath.join(" > ")])).toEqual([
      ["heading", "WARRANTY", "WARRANTY"],
      ["paragraph", "Two years on all boards. Parts included.", "WARRANTY"],
      ["heading", "2.1 Exclusions", "WARRANTY > 2.1 Exclusions"],
      ["paragraph", "Water damage.", "WARRANTY > 2.1 Exclusions"],
    ]);
  });

  it.each([
    ["Chinese with an acronym", "请使用USB线连接"],
    ["Arabic with an acronym", "يمكنك شحن الجهاز عبر USB"],
    ["Hindi with an acronym", "USB केबल से चार्ज करें"],
    ["a Chinese sentence", "退货需要在三十天内完成。"],
  ])("keeps a short line of %s as body text", async (_, line) => {
    expect(
      await blocksOf(
        `${line}
`,
        "note.txt",
      ),
    ).toEqual([{ kind: "paragraph", text: line, page: null, sectionPath: [] }]);
  });

  it("treats a text made only of heading-like lines as body text rather than an empty document", async () => {
    const blocks = await blocksOf("OPENING HOURS\n\nMON-FRI 9-17\n", "hours.txt");
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph"]);
  });
});

describe("parseDocument: FAQ", () => {
  it("makes one faq block per CSV row, skipping and counting incomplete rows", async () => {
    const csv =
      'Category,Question,Answer\nShipping,Do you ship to Spain?,"Yes, in 3 days."\nShipping,,No question\nBilling,Refunds?,\nBilling > Refunds,How long do refunds take?,5 days\n';
    const result = await parseDocument(utf8(csv));
    if (!result.ok) throw new Error(result.message);
    expect(result.skippedRows).toBe(2);
    expect(result.doc.blocks).toEqual([
      {
        kind: "faq",
        text: "Q: Do you ship to Spain?\nA: Yes, in 3 days.",
        question: "Do you ship to Spain?",
        answer: "Yes, in 3 days.",
        page: null,
        sectionPath: ["Shipping"],
      },
      {
        kind: "faq",
        text: "Q: How long do refunds take?\nA: 5 days",
        question: "How long do refunds take?",
        answer: "5 days",
        page: null,
        sectionPath: ["Billing", "Refunds"],
      },
    ]);
  });

  it("reads FAQ JSON with Spanish keys", async () => {
    const result = await parseDocument(
      utf8(JSON.stringify([{ pregunta: "¿Horario?", respuesta: "9 a 18 h" }, { pregunta: "¿Sin respuesta?" }])),
    );
    expect(result).toMatchObject({
      ok: true,
      skippedRows: 1,
      doc: { type: "faq_json", blocks: [{ kind: "faq", text: "Q: ¿Horario?\nA: 9 a 18 h" }] },
    });
  });
});

describe("parseDocument: failures", () => {
  it("reports empty documents and unsupported bytes without throwing", async () => {
    expect(await parseDocument(utf8("# Only a heading\n"), { filename: "x.md" })).toMatchObject({ ok: false, code: "empty" });
    expect(await parseDocument(utf8("Question,Answer\n,\n"))).toMatchObject({ ok: false, code: "empty" });
    const png = await parseDocument(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    expect(png).toMatchObject({ ok: false, code: "unsupported_type", message: expect.stringContaining("pdf, markdown") });
  });
});
