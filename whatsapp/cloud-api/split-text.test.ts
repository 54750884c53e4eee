import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitForWhatsApp, TRUNCATION_MARK } from "./split-text.ts";

const hasBrokenSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("splitForWhatsApp", () => {
  it("keeps a short answer as one trimmed message", () => {
    expect(splitForWhatsApp("  Your order ships tomorrow.\n")).toEqual(["Your order ships tomorrow."]);
  });

  it("returns nothing for empty or blank text", () => {
    expect(splitForWhatsApp("")).toEqual([]);
    expect(splitForWhatsApp(" \n\n\t ")).toEqual([]);
  });

  it("splits at paragraph boundaries first", () => {
    const a = "a".repeat(30);
    const b = "b ".repeat(15).trim();
    const c = "c.".repeat(10);
    expect(splitForWhatsApp(`${a}\n\n${b}\n\n${c}`, { maxChars: 40 })).toEqual([a, b, c]);
  });

  it("uses the latest paragraph break that fits, packing paragraphs together", () => {
    expect(splitForWhatsApp("one\n\ntwo\n\nthree", { maxChars: 10 })).toEqual(["one\n\ntwo", "three"]);
  });

  it("falls back to line breaks, then sentence ends, then spaces", () => {
    expect(splitForWhatsApp("first line here\nsecond line here", { maxChars: 20 })).toEqual(["first line here", "second line here"]);
    expect(splitForWhatsApp("It costs 3.50 today. Ships in a day.", { maxChars: 25 })).toEqual(["It costs 3.50 today.", "Ships in a day."]);
    expect(splitForWhatsApp("alpha beta gamma delta epsilon", { maxChars: 12 })).toEqual(["alpha beta", "gamma delta", "epsilon"]);
  });

  it("hard-cuts a word longer than a part", () => {
    expect(splitForWhatsApp("x".repeat(25), { maxChars: 10 })).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("prefers a less natural boundary when the natural one would not leave room for the rest", () => {
    // A paragraph break after "short" would leave 3 parts' worth of text for the 2 parts left.
    const text = `short\n\n${"word ".repeat(11).trim()}`;
    const parts = splitForWhatsApp(text, { maxChars: 25, maxParts: 3 });
    expect(parts.length).toBeLessThanOrEqual(3);
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });

  it("truncates the last part with an ellipsis when the text does not fit", () => {
    const parts = splitForWhatsApp("word ".repeat(100), { maxChars: 20, maxParts: 3 });
    expect(parts).toHaveLength(3);
    expect(parts[2]?.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(parts[2]).toBe("word word word word…");
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(20);
  });

  it("respects the default limits: 4096 characters, 3 parts", () => {
    const paragraph = `${"Lorem ipsum dolor sit amet. ".repeat(50).trim()}`;
    const parts = splitForWhatsApp(Array.from({ length: 12 }, () => paragraph).join("\n\n"));
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts[0]?.endsWith("amet.")).toBe(true);
  });

  it("never splits an emoji's surrogate pair or a ZWJ sequence", () => {
    const family = "👨‍👩‍👧‍👦";
    const text = "😀".repeat(15);
    const parts = splitForWhatsApp(text, { maxChars: 5 });
    expect(parts).toEqual(["😀😀", "😀😀", "😀😀…"]);
    for (const p of splitForWhatsApp(`ab${family}${family}`, { maxChars: 15 })) expect(hasBrokenSurrogate(p)).toBe(false);
    expect(splitForWhatsApp(`a${family}b`, { maxChars: 11 })).toEqual(["a", family, "b"]);
  });

  it("splits CJK text without spaces at full stops, else at character boundaries", () => {
    const sentence = "我们明天发货。";
    expect(splitForWhatsApp(sentence.repeat(6), { maxChars: 20 })).toEqual([sentence.repeat(2), sentence.repeat(2), sentence.repeat(2)]);
    const noPunctuation = "汉".repeat(50);
    expect(splitForWhatsApp(noPunctuation, { maxChars: 20 })).toEqual(["汉".repeat(20), "汉".repeat(20), "汉".repeat(10)]);
  });

  it("rejects nonsensical limits", () => {
    expect(() => splitForWhatsApp("x", { maxChars: 1 })).toThrow(RangeError);
    expect(() => splitForWhatsApp("x", { maxParts: 0 })).toThrow(RangeError);
  });

  it("always returns at most maxParts non-empty parts within maxChars, without broken surrogates", () => {
    const alphabet = fc.constantFrom("a", "b", " ", "\n", "\n\n", ".", "。", "😀", "👍🏽", "汉", "é", "!");
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 300 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (chars, maxChars, maxParts) => {
          const parts = splitForWhatsApp(chars.join(""), { maxChars, maxParts });
          expect(parts.length).toBeLessThanOrEqual(maxParts);
          for (const p of parts) {
            expect(p.length).toBeGreaterThan(0);
            expect(p.length).toBeLessThanOrEqual(maxChars);
            expect(p).toBe(p.trim());
            expect(hasBrokenSurrogate(p)).toBe(false);
          }
        },
      ),
    );
  });

  it("loses no text when it fits", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("ab", " ", "\n", "😀", "汉", "."), { maxLength: 60 }), (chars) => {
        const text = chars.join("");
        const parts = splitForWhatsApp(text, { maxChars: 20, maxParts: 100 });
        expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
      }),
    );
  });
});
