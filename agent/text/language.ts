/**
 * The customer's language, per turn (so a switch mid-conversation is followed). Scripts that identify a language
 * decide first (Arabic, Devanagari, kana, Hangul, Han, Cyrillic, Thai, Greek); Latin-script text of a sentence or
 * more goes to franc-min (trigram statistics, 82 languages); short Latin messages ("hola", "obrigado", "danke") are
 * matched against common words, else the conversation keeps its previous language.
 */
import { franc } from "franc-min";
import { foldText } from "./match.ts";

/** ISO 639-3 (franc) to the ISO 639-1 codes used everywhere else. */
const ISO3: Record<string, string> = {
  eng: "en",
  spa: "es",
  por: "pt",
  fra: "fr",
  deu: "de",
  ita: "it",
  tur: "tr",
  ind: "id",
  zlm: "id",
  hin: "hi",
  arb: "ar",
  cmn: "zh",
  jpn: "ja",
  rus: "ru",
  nld: "nl",
  pol: "pl",
  ukr: "uk",
  vie: "vi",
  tha: "th",
  kor: "ko",
  ell: "el",
};
const FRANC_ONLY = Object.keys(ISO3);

const SHORT_WORDS: [string, RegExp][] = [
  [
    "es",
    /\b(hola|gracias|escribeme|escribe|donde|quiero|necesito|ayuda|cuando|buenas|envio|devolucion|por favor|tengo|esta|hablar|cuanto|puedo|eres|usted|soy)\b/,
  ],
  ["pt", /\b(ola|oi|obrigad[oa]|onde|quero|preciso|ajuda|encomenda|meu|minha|voce|nao|bom dia|falar|uma|estou)\b/],
  ["fr", /\b(bonjour|bonsoir|salut|merci|commande|ou est|je veux|aide|quand|livraison|ma|mon|est-ce|oui)\b/],
  ["de", /\b(hallo|danke|bestellung|wo ist|ich|hilfe|wann|lieferung|meine|mein|bitte|guten)\b/],
  ["it", /\b(ciao|grazie|ordine|dove|voglio|aiuto|consegna|il mio|buongiorno|vorrei|parlare|sono|della|perche|spedizione)\b/],
  ["tr", /\b(merhaba|selam|tesekkur\w*|siparis\w*|nerede|istiyorum|yardim|kargo|ne zaman)\b/],
  ["id", /\b(halo|terima kasih|pesanan|dimana|di mana|saya|ingin|bantuan|kapan|pengiriman|tolong)\b/],
  ["nl", /\b(hallo|bedankt|bestelling|waar|ik wil|hulp|wanneer|levering|dank je)\b/],
  [
    "en",
    /\b(hi|hello|hey|thanks|thank you|order|where|want|help|when|delivery|my|please|return|cancel|yes|you|do|does|the|is|are|can|what|how|have|your|sell|buy|i)\b/,
  ],
];

/** Detects the language of `text`; `fallback` when the text says too little (emoji, numbers, "ok"). */
export function detectLanguage(text: string, fallback: string): string {
  const t = text.trim();
  if (/\p{Script=Arabic}/u.test(t)) return "ar";
  if (/\p{Script=Devanagari}/u.test(t)) return "hi";
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(t)) return "ja";
  if (/\p{Script=Hangul}/u.test(t)) return "ko";
  if (/\p{Script=Han}/u.test(t)) return "zh";
  if (/\p{Script=Thai}/u.test(t)) return "th";
  if (/\p{Script=Greek}/u.test(t)) return "el";
  if (/\p{Script=Cyrillic}/u.test(t)) return /[іїєґ]/iu.test(t) ? "uk" : "ru";
  // Inverted question and exclamation marks are written only in Spanish ("¿Eres un humano?").
  if (/[¿¡]/u.test(t)) return "es";
  const letters = t.replace(/[^\p{L}\s]/gu, "").trim();
  const folded = foldText(t);
  // Short messages: distinctive words beat trigram statistics (franc reads "Voglio parlare con una persona" as Spanish).
  if (letters.length < 60) {
    const scored = SHORT_WORDS.map(([lang, words]) => [lang, [...folded.matchAll(new RegExp(words.source, "g"))].length] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    if (scored[0] && scored[0][1] > (scored[1]?.[1] ?? 0)) return scored[0][0];
  }
  if (letters.length >= 12) {
    const code = ISO3[franc(letters, { only: FRANC_ONLY, minLength: 10 })];
    if (code) return code;
  }
  const first = SHORT_WORDS.find(([, words]) => words.test(folded));
  if (first) return first[0];
  return fallback;
}
