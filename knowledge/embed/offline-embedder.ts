/**
 * A deterministic embedder that needs no network and no model download: it hashes lexical features (words, word
 * pairs, character n-grams) into a fixed-size vector (the "hashing trick"). It captures keyword and spelling overlap,
 * not meaning, so it is for development, tests and air-gapped installs; production uses a real model.
 */
import type { Embedder } from "../types.ts";

export type OfflineEmbedderOptions = { dimensions?: number };

/** Bump when features or weights change: vectors from different versions must not be compared. */
export const OFFLINE_EMBEDDER_MODEL = "offline-hash-v1";

// Relative weights per feature kind. Character n-grams are many per word, so they get less each; together they
// make "refunds"/"refund" or typos land near each other.
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const CHAR_GRAM_WEIGHT = 0.35;
const CJK_UNIGRAM_WEIGHT = 0.6;
const CJK_BIGRAM_WEIGHT = 1;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Scripts written without spaces: words cannot be found, so characters and character pairs stand in for them.
const NO_SPACE_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\u30fc]+/u;
// Combining accents on Latin letters only: in Devanagari, Thai or Arabic the marks are vowels and must stay.
const LATIN_ACCENT = /(\p{Script=Latin})[\u0300-\u036f]+/gu;

/** The offline embedder's vote in rank fusion, against the keyword leg's 1. */
export const OFFLINE_FUSION_WEIGHT = 0.2;

/** Creates the offline hashing embedder (default 1536 dimensions, matching the `vector(1536)` column). */
export function createOfflineEmbedder({ dimensions = 1536 }: OfflineEmbedderOptions = {}): Embedder {
  if (!Number.isInteger(dimensions) || dimensions < 2) throw new Error(`dimensions must be an integer >= 2, got ${dimensions}`);
  return {
    model: OFFLINE_EMBEDDER_MODEL,
    dimensions,
    // Hashed words and character n-grams: a coarser copy of the keyword leg's evidence. Measured with
    // `npm run bench:retrieval` (XQuAD): recall@5 rises as the weight falls from 1 to 0.2 in every language tried.
    fusionWeight: OFFLINE_FUSION_WEIGHT,
    embed: async (texts) => texts.map((text) => embedText(text, dimensions)),
  };
}

/** The vector for one text: hashed, sublinear-tf weighted features, L2-normalized (all zeros for featureless text). */
export function embedText(text: string, dimensions: number): number[] {
  const vec = new Float64Array(dimensions);
  for (const [feature, { count, weight }] of extractFeatures(text)) {
    const h = hashString(feature);
    // Signed hashing: colliding features cancel out on average instead of piling up in one bucket.
    const sign = h & 1 ? -1 : 1;
    const bucket = (h >>> 1) % dimensions;
    vec[bucket] = (vec[bucket] ?? 0) + sign * weight * (1 + Math.log(count));
  }
  let norm = 0;
  for (const v of vec) norm += v * v;
  norm = Math.sqrt(norm);
  return Array.from(vec, (v) => (norm > 0 ? v / norm : 0));
}

/** Lower-cases, applies NFKC (full-width → ASCII, ligatures) and strips accents from Latin letters. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().normalize("NFD").replace(LATIN_ACCENT, "$1").normalize("NFC");
}

type Feature = { count: number; weight: number };

function extractFeatures(text: string): Map<string, Feature> {
  const features = new Map<string, Feature>();
  const add = (key: string, weight: number) => {
    const f = features.get(key);
    if (f) f.count++;
    else features.set(key, { count: 1, weight });
  };
  let previous: string | null = null;
  for (const match of normalizeText(text).matchAll(WORD)) {
    for (const segment of splitSegments(match[0])) {
      if (segment.noSpace) {
        const chars = Array.from(segment.text);
        for (let i = 0; i < chars.length; i++) {
          add(`u:${chars[i]}`, CJK_UNIGRAM_WEIGHT);
          if (i + 1 < chars.length) add(`g:${chars[i]}${chars[i + 1]}`, CJK_BIGRAM_WEIGHT);
        }
        previous = null;
        continue;
      }
      const word = segment.text;
      add(`w:${word}`, WORD_WEIGHT);
      if (previous !== null) add(`b:${previous} ${word}`, BIGRAM_WEIGHT);
      previous = word;
      addCharGrams(`<${word}>`, add);
    }
  }
  return features;
}

/** Character 3- and 4-grams of a padded word, by code point (slicing UTF-16 directly when there are no surrogates). */
function addCharGrams(padded: string, add: (key: string, weight: number) => void): void {
  const units = /[\ud800-\udfff]/.test(padded) ? Array.from(padded) : null;
  const length = units ? units.length : padded.length;
  for (const n of [3, 4]) {
    for (let i = 0; i + n <= length; i++) {
      add(`c:${units ? units.slice(i, i + n).join("") : padded.slice(i, i + n)}`, CHAR_GRAM_WEIGHT);
    }
  }
}

/** Splits a word into runs of no-space scripts and everything else ("iphone手机" → "iphone", "手机"). */
function splitSegments(word: string): { text: string; noSpace: boolean }[] {
  const segments: { text: string; noSpace: boolean }[] = [];
  let rest = word;
  while (rest.length > 0) {
    const m = NO_SPACE_RUN.exec(rest);
    if (!m) {
      segments.push({ text: rest, noSpace: false });
      break;
    }
    if (m.index > 0) segments.push({ text: rest.slice(0, m.index), noSpace: false });
    segments.push({ text: m[0], noSpace: true });
    rest = rest.slice(m.index + m[0].length);
  }
  return segments;
}

/** FNV-1a over UTF-16 code units, then murmur3's finalizer so the low bits (bucket and sign) are well mixed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
