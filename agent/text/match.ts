/** Phrase matching shared by the deterministic triggers: case- and accent-insensitive, word-bounded for spaced scripts. */

/** Lower case without combining accents, so "dónde" and "donde" match the same pattern. */
export function foldText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ı/g, "i").replace(/ß/g, "ss");
}

const SPACED = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\d\s'’.,!?-]+$/u;

/**
 * Compiles phrases (plain text or regex source) into one matcher. Phrases in spaced scripts must stand as whole
 * words; phrases in Chinese, Japanese, Thai, Arabic or Devanagari match as substrings (words are not space-delimited
 * or take attached prefixes there).
 */
export function compilePhrases(phrases: readonly string[]): RegExp {
  const parts = phrases.map((p) => {
    const folded = foldText(p);
    return SPACED.test(p.replace(/[()|?*+\\[\]]/g, "")) ? `(?<![\\p{L}\\p{N}])(?:${folded})(?![\\p{L}\\p{N}])` : `(?:${folded})`;
  });
  return new RegExp(parts.join("|"), "u");
}

/** The first phrase of `matcher` found in `text`, or null. */
export function findPhrase(matcher: RegExp, text: string): string | null {
  return matcher.exec(foldText(text))?.[0] ?? null;
}
