/**
 * Token counting with o200k_base (the GPT-4o family's encoding), via js-tiktoken's pure-JS "lite" build: no WASM
 * memory to free. The encoder takes ~1.5 s to build, so it is built once, on first use rather than at import.
 */
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";

let encoder: Tiktoken | undefined;

/**
 * js-tiktoken's BPE is super-linear in the length of one pre-token, and text without spaces (Chinese, Japanese, long
 * URLs) is one pre-token: 1,000 kanji took ~2.8 s. Such runs are counted in slices of this many characters, which
 * can over-count by about one token per slice, never under-count in practice.
 */
const MAX_RUN = 48;
const LONG_RUN = new RegExp(`\\S{${MAX_RUN + 1},}`, "gu");
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Number of o200k_base tokens in `text` (long unspaced runs counted slice by slice, see MAX_RUN). */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  const enc = encoder;
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    total += enc.encode(text.slice(last, match.index)).length;
    let slice = "";
    for (const { segment } of graphemes.segment(match[0])) {
      slice += segment;
      if (slice.length >= MAX_RUN) {
        total += enc.encode(slice).length;
        slice = "";
      }
    }
    total += slice ? enc.encode(slice).length : 0;
    last = match.index + match[0].length;
  }
  return total + enc.encode(text.slice(last)).length;
}
