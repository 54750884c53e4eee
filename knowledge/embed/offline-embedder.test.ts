import { describe, expect, it } from "vitest";
import { createOfflineEmbedder, normalizeText, OFFLINE_EMBEDDER_MODEL } from "./offline-embedder.ts";

const embedder = createOfflineEmbedder();

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

function norm(v: number[]): number {
  return Math.sqrt(cosine(v, v));
}

describe("offline embedder", () => {
  it("names its model and dimensions, and returns one vector of that size per text", async () => {
    expect(embedder.model).toBe(OFFLINE_EMBEDDER_MODEL);
    expect(embedder.dimensions).toBe(1536);
    const out = await embedder.embed(["one", "two", "three"]);
    expect(out).toHaveLength(3);
    for (const v of out) expect(v).toHaveLength(1536);
    const small = await createOfflineEmbedder({ dimensions: 64 }).embed(["hello world"]);
    expect(small[0]).toHaveLength(64);
  });

  it("is deterministic across calls and instances", async () => {
    const [a] = await embedder.embed(["Where is my order #4411?"]);
    const [b] = await createOfflineEmbedder().embed(["Where is my order #4411?"]);
    expect(a).toEqual(b);
  });

  it("L2-normalizes, and gives a zero vector for text without features", async () => {
    const [v, empty] = await embedder.embed(["Shipping takes three to five business days", "  ?! "]);
    expect(norm(v ?? [])).toBeCloseTo(1, 10);
    expect(empty?.every((x) => x === 0)).toBe(true);
    expect(await embedder.embed([])).toEqual([]);
  });

  it("normalizes case, width and Latin accents but keeps marks that are vowels in other scripts", async () => {
    expect(normalizeText("Café ÉTÉ Ｆｕｌｌ")).toBe("cafe ete full");
    expect(normalizeText("हिन्दी")).toBe("हिन्दी");
    const [a, b] = await embedder.embed(["Devolución", "devolucion"]);
    expect(cosine(a ?? [], b ?? [])).toBeCloseTo(1, 10);
  });

  it("scores keyword overlap and paraphrases above unrelated text", async () => {
    const [query, related, paraphrase, unrelated] = await embedder.embed([
      "How can I get a refund for a damaged item?",
      "Refunds: damaged items can be returned within 30 days for a full refund.",
      "I want my money back, the item arrived damaged",
      "Our store opens at 9am from Monday to Friday.",
    ]);
    const toRelated = cosine(query ?? [], related ?? []);
    const toParaphrase = cosine(query ?? [], paraphrase ?? []);
    const toUnrelated = cosine(query ?? [], unrelated ?? []);
    expect(toRelated).toBeGreaterThan(toUnrelated + 0.1);
    expect(toParaphrase).toBeGreaterThan(toUnrelated + 0.1);
  });

  it("embeds Arabic, Hindi, Chinese, Japanese and Thai (no spaces) with self-similarity 1", async () => {
    const texts = [
      "سياسة الاسترجاع خلال ثلاثين يوما",
      "वापसी नीति तीस दिन",
      "退货政策三十天内可以退款",
      "返品は三十日以内です",
      "นโยบายการคืนสินค้าภายในสามสิบวัน",
    ];
    const vectors = await embedder.embed(texts);
    const again = await embedder.embed(texts);
    vectors.forEach((v, i) => {
      expect(norm(v)).toBeCloseTo(1, 10);
      expect(cosine(v, again[i] ?? [])).toBeCloseTo(1, 10);
    });
    const [zhQuery, zhDoc, zhOther] = await embedder.embed(["怎么退款", "退货政策三十天内可以退款", "我们的商店早上九点开门"]);
    expect(cosine(zhQuery ?? [], zhDoc ?? [])).toBeGreaterThan(cosine(zhQuery ?? [], zhOther ?? []));
  });

  it("rejects a nonsensical dimension", () => {
    expect(() => createOfflineEmbedder({ dimensions: 0 })).toThrow(/dimensions/);
  });
});
