/**
 * Language helpers for full-text search: which Postgres text-search configuration stems a language, and how to make
 * text written without spaces (Chinese, Japanese, Thai, Korean) indexable by `to_tsvector('simple', …)`.
 */

/**
 * ISO 639-1 code → Postgres text-search configuration. Only configurations shipped with core Postgres 15 AND present
 * in PGlite (Postgres 18) are listed, so the same code works on both engines (checked with
 * `SELECT cfgname FROM pg_ts_config` on each; PGlite also has 'estonian', Postgres 15 does not).
 */
const TS_CONFIGS: Readonly<Record<string, string>> = {
  ar: "arabic",
  ca: "catalan",
  da: "danish",
  de: "german",
  el: "greek",
  en: "english",
  es: "spanish",
  eu: "basque",
  fi: "finnish",
  fr: "french",
  ga: "irish",
  hi: "hindi",
  hu: "hungarian",
  hy: "armenian",
  id: "indonesian",
  it: "italian",
  lt: "lithuanian",
  nb: "norwegian",
  ne: "nepali",
  nl: "dutch",
  nn: "norwegian",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  sr: "serbian",
  sv: "swedish",
  ta: "tamil",
  tr: "turkish",
  yi: "yiddish",
};

const CONFIG_NAMES = new Set(Object.values(TS_CONFIGS));

/** Every configuration `resolveTextSearchConfig` can return (the tests check each exists on both engines). */
export const TEXT_SEARCH_CONFIGS: readonly string[] = ["simple", ...[...CONFIG_NAMES].sort()];

/** The fallback configuration: lower-cases words without stemming or stop words, for any language. */
export const SIMPLE_TS_CONFIG = "simple";

/**
 * The text-search configuration for a language code ("es", "pt-BR", "en_US") or a configuration name ("spanish");
 * 'simple' when the language is unknown or Postgres has no stemmer for it (zh, ja, ko, th, vi, …).
 */
export function resolveTextSearchConfig(language: string | null | undefined): string {
  if (!language) return SIMPLE_TS_CONFIG;
  const lower = language.trim().toLowerCase();
  if (CONFIG_NAMES.has(lower)) return lower;
  const base = lower.split(/[-_]/)[0] ?? "";
  return TS_CONFIGS[base] ?? SIMPLE_TS_CONFIG;
}

// Scripts written without spaces between words (Hangul has spaces, but its words are long agglutinations, so
// bigrams match inflected forms far better than whole words).
const NGRAM_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}\u30fc]+/gu;
const NGRAM_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]/u;

/** True when the text contains Han, Kana, Thai or Hangul characters (the ones `toNgramText` indexes). */
export function hasNgramScript(text: string): boolean {
  return NGRAM_CHAR.test(text);
}

/**
 * The character unigrams and bigrams of every Han/Kana/Thai/Hangul run in `text`, space-separated, so that
 * `to_tsvector('simple', …)` indexes them as words. Other scripts are dropped (the `tsv` column covers them).
 * Returns "" when there is no such run.
 */
export function toNgramText(text: string): string {
  const grams: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(NGRAM_RUN)) {
    // Array.from splits by code point, so characters outside the BMP (rare Han) stay whole.
    const chars = Array.from(match[0]);
    for (let i = 0; i < chars.length; i++) {
      grams.push(chars[i] as string);
      if (i + 1 < chars.length) grams.push(`${chars[i]}${chars[i + 1]}`);
    }
  }
  return grams.join(" ");
}
