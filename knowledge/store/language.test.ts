import { describe, expect, it } from "vitest";
import { hasNgramScript, resolveTextSearchConfig, TEXT_SEARCH_CONFIGS, toNgramText } from "./language.ts";

describe("resolveTextSearchConfig", () => {
  it("maps language codes, regional variants and config names to Postgres configurations", () => {
    expect(resolveTextSearchConfig("en")).toBe("english");
    expect(resolveTextSearchConfig("es")).toBe("spanish");
    expect(resolveTextSearchConfig("pt-BR")).toBe("portuguese");
    expect(resolveTextSearchConfig("en_US")).toBe("english");
    expect(resolveTextSearchConfig(" DE ")).toBe("german");
    expect(resolveTextSearchConfig("ar")).toBe("arabic");
    expect(resolveTextSearchConfig("hi")).toBe("hindi");
    expect(resolveTextSearchConfig("id")).toBe("indonesian");
    expect(resolveTextSearchConfig("spanish")).toBe("spanish");
  });

  it("falls back to 'simple' for unknown, missing or unstemmed languages", () => {
    for (const lang of [undefined, null, "", "zh", "ja", "ko", "th", "vi", "et", "xx", "english; DROP TABLE x"]) {
      expect(resolveTextSearchConfig(lang)).toBe("simple");
    }
    expect(TEXT_SEARCH_CONFIGS).toContain("simple");
    expect(TEXT_SEARCH_CONFIGS).not.toContain("estonian");
  });
});

describe("toNgramText", () => {
  it("emits character unigrams and bigrams for Han, Kana, Thai and Hangul runs", () => {
    expect(toNgramText("退货政策")).toBe("退 退货 货 货政 政 政策 策");
    expect(toNgramText("iPhone 退款!")).toBe("退 退款 款");
    expect(toNgramText("カタカナ")).toBe("カ カタ タ タカ カ カナ ナ");
    expect(toNgramText("ｶﾀ")).toBe("カ カタ タ");
    expect(toNgramText("한국어")).toBe("한 한국 국 국어 어");
    expect(toNgramText("สวัสดี").split(" ").length).toBeGreaterThan(1);
  });

  it("returns '' for text without such scripts, and hasNgramScript agrees", () => {
    expect(toNgramText("Refund policy, مرحبا, नमस्ते")).toBe("");
    expect(hasNgramScript("Refund policy")).toBe(false);
    expect(hasNgramScript("退款 policy")).toBe(true);
  });
});
