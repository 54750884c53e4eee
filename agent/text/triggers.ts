/**
 * Deterministic checks the guard runs before any model sees a message: an explicit request for a human (any turn,
 * never left to the model), strong anger, a question about whether this is a bot, a prompt-injection attempt, a
 * general-purpose request (essays, code, trivia, companionship: Meta's WhatsApp Business policy bans general-purpose
 * assistants), a bare greeting, and a typed yes/no. Phrase lists cover en, es, pt, fr, de, it, tr, id, hi, ar, zh, ja,
 * ru and nl.
 */
import { compilePhrases, findPhrase, foldText } from "./match.ts";

const HUMAN_REQUEST = compilePhrases([
  "(talk|speak|chat) (to|with) (a|an|some|your|the)? ?(person|human|agent|someone|somebody|representative|rep|operator|real person|manager|supervisor|staff)",
  "real (person|human)",
  "human (agent|being|please)",
  "(live|customer service|support) agent",
  "(transfer|connect) me",
  "hablar con (una persona|un humano|un agente|alguien|un asesor|un operador|una persona real)",
  "persona real",
  "(quiero|necesito) (un|una) (agente|asesor|persona)",
  "falar com (uma pessoa|um atendente|um humano|alguem|um agente)",
  "(quero|preciso de) (um )?atendente",
  "atendimento humano",
  "parler (a|avec) (une personne|un humain|un conseiller|quelqu'un|un agent|un operateur)",
  "(mit )?(einem|einer) (menschen|person|mitarbeiter|mitarbeiterin|berater) (sprechen|reden)",
  "(mit )?(einem|einer) (menschen|person|mitarbeiter)",
  "echten menschen",
  "parlare con (una persona|un operatore|un umano|qualcuno)",
  "(bir )?(insan|temsilci|yetkili|canli destek)(la|yla|ile)? (konusmak|gorusmek)",
  "musteri temsilcisi",
  "canli destek",
  "(bicara|berbicara|ngobrol) (dengan|sama) (orang|manusia|agen|cs|petugas|admin)",
  "इंसान से बात",
  "व्यक्ति से बात",
  "एजेंट से बात",
  "insaan se baat",
  "(التحدث|التكلم|اتكلم|أتحدث|اتحدث) (مع|إلى|الى) (شخص|موظف|إنسان|انسان|بشر|خدمة العملاء)",
  "موظف خدمة العملاء",
  "人工",
  "真人",
  "和人说话",
  "人間と話",
  "オペレーター",
  "担当者と話",
  "(поговорить|говорить|связаться) с (человеком|оператором|менеджером)",
  "живой человек",
  "met een (medewerker|mens|persoon) (spreken|praten)",
]);

const STRONG_ANGER = compilePhrases([
  "scam",
  "scammers",
  "worst",
  "disgusting",
  "furious",
  "useless",
  "pathetic",
  "unacceptable",
  "ridiculous",
  "thieves",
  "wtf",
  "fuck\\w*",
  "shit\\w*",
  "damn",
  "estafa",
  "estafadores",
  "ladrones",
  "pesimo",
  "una verguenza",
  "mierda",
  "harto",
  "pessimo",
  "absurdo",
  "palhacada",
  "ladroes",
  "porra",
  "arnaque",
  "inadmissible",
  "honteux",
  "merde",
  "voleurs",
  "frechheit",
  "unverschamt",
  "betrug",
  "scheiss\\w*",
  "vergogna",
  "schifo",
  "truffa",
  "cazzo",
  "rezalet",
  "berbat",
  "dolandirici",
  "penipu",
  "payah",
  "बकवास",
  "धोखा",
  "نصب",
  "احتيال",
  "垃圾",
  "骗子",
  "最悪",
  "詐欺",
  "ужасно",
  "обман",
  "oplichters",
]);

const BOT_QUESTION = compilePhrases([
  "are you (a |an )?(bot|robot|human|real|ai|machine|person|real person)",
  "(am i|i am) (talking|speaking|chatting) (to|with) (a |an )?(bot|robot|human|machine|person|ai)",
  "is this (a |an )?(bot|robot|ai|human)",
  "eres (un |una )?(bot|robot|humano|persona|real|ia|maquina)",
  "(voce|vc) e (um |uma )?(robo|bot|humano|pessoa|ia)",
  "(es-tu|etes-vous|tu es|vous etes) (un |une )?(robot|bot|humain|ia|personne)",
  "bist du (ein |eine )?(bot|roboter|mensch|ki)",
  "sind sie (ein |eine )?(bot|roboter|mensch|ki)",
  "sei (un |una )?(bot|robot|umano|persona|ia)",
  "(bot|robot) musun",
  "insan misin",
  "(apakah )?(kamu|anda) (bot|robot|manusia)",
  "क्या (आप|तुम) (बॉट|रोबोट|इंसान)",
  "هل (أنت|انت) (روبوت|بوت|إنسان|انسان)",
  "你是(机器人|真人|人吗|ai)",
  "(ボット|ロボット|人間|ai)ですか",
  "ты (бот|робот|человек)",
]);

const INJECTION = compilePhrases([
  "ignore (all |the |any |your )?(previous|prior|above|earlier|preceding) (instructions|rules|prompts?|messages)",
  "disregard (all |the |any |your )?(previous |prior |above )?(instructions|rules|prompt)",
  "forget (all |your )?(previous |prior )?(instructions|rules)",
  "(reveal|show|print|repeat) (me )?(your |the )?(system prompt|instructions|hidden prompt)",
  "system prompt",
  "you are now",
  "developer mode",
  "jailbreak",
  "new instructions",
  "pretend (to be|you are)",
  "ignora (las |todas las |tus )?(instrucciones|reglas)( anteriores)?",
  "olvida (las |tus )?instrucciones",
  "ignore as (instrucoes|regras)",
  "ignore(z)? (les|toutes les) (instructions|consignes)",
  "ignoriere (alle )?(vorherigen |bisherigen )?(anweisungen|regeln)",
  "ignora (le |tutte le )?(istruzioni|regole)",
  "talimatlari (yok say|unut)",
  "abaikan (semua )?(instruksi|perintah)",
  "忽略(之前|以上|所有)",
  "以前の指示を無視",
  "игнорируй (все )?(предыдущие )?инструкции",
]);

const GENERAL_PURPOSE = compilePhrases([
  "write (me )?(a|an|my|some) (essay|poem|story|song|code|program|script|cover letter|letter|novel|speech|article|haiku|limerick)",
  "(python|javascript|java|typescript|sql|c\\+\\+|rust|html|css) (code|script|function|program)",
  "(code|program|function|script) in (python|javascript|java|typescript|sql|c\\+\\+|rust)",
  "(what|which) is the capital of",
  "capital (city )?of (france|spain|germany|italy|japan|china|brazil|india|turkey)",
  "tell me a joke",
  "(solve|do) my (homework|math|assignment)",
  "(who|what) (won|is the president|is the prime minister)",
  "(be|become) my (girlfriend|boyfriend|friend|partner)",
  "i('m| am) (lonely|so lonely|bored)",
  "meaning of life",
  "recipe for",
  "(weather|forecast) (in|for|today|tomorrow)",
  "bitcoin|crypto(currency)? price",
  "escribe(me)? (un|una) (ensayo|poema|cuento|cancion|codigo|carta|programa)",
  "cuentame un chiste",
  "(cual|cual es) (es )?la capital de",
  "receta de",
  "escreva (um|uma) (redacao|poema|historia|codigo|carta)",
  "(me )?conta uma piada",
  "capital d(a|o|e) ",
  "ecri(s|vez)(-moi)? (un|une) (essai|poeme|histoire|code|lettre)",
  "raconte(-moi)? une blague",
  "schreib(e)? (mir )?(ein|einen|eine) (gedicht|aufsatz|geschichte|code|brief|programm)",
  "erzahl (mir )?einen witz",
  "hauptstadt von",
  "scrivi(mi)? (un|una) (saggio|poesia|storia|codice|lettera)",
  "raccontami una barzelletta",
  "bana (bir )?(siir|kompozisyon|hikaye|kod) yaz",
  "tuliskan (saya )?(puisi|esai|cerita|kode)",
  "写(一首|一篇|一段)(诗|文章|代码|故事)",
  "讲个笑话",
  "(詩|作文|コード)を書いて",
  "напиши (мне )?(стих|эссе|код|рассказ)",
  "schrijf (een )?(gedicht|essay|code|verhaal)",
]);

const GREETING =
  "(?:hi|hello|hey|hiya|good (morning|afternoon|evening)|hola|buenas( tardes| noches| dias)?|buenos dias|ola|oi|bom dia|boa (tarde|noite)|bonjour|bonsoir|salut|hallo|guten (tag|morgen|abend)|servus|moin|ciao|buongiorno|buonasera|merhaba|selam|halo|hai|selamat (pagi|siang|sore|malam)|namaste|नमस्ते|مرحبا|السلام عليكم|你好|您好|こんにちは|こんばんは|おはよう|привет|здравствуйте|hoi|goedemorgen|thanks|thank you|gracias|obrigad[oa]|merci|danke|grazie|tesekkurler|terima kasih|shukriya|धन्यवाद|شكرا|谢谢|ありがとう|спасибо|bedankt)(?: (?:there|team|everyone|all|todos|tudo bem|a todos))?";
const GREETING_SEP = "[\\s!.,?😊🙂👋]";
/** One to four greetings or thanks and nothing else ("Olá, bom dia!", "hi there, thanks"). */
const GREETING_ONLY = new RegExp(`^${GREETING}(?:${GREETING_SEP}+${GREETING}){0,3}${GREETING_SEP}*$`, "u");

const YES = new Set([
  "yes",
  "y",
  "yeah",
  "yep",
  "sure",
  "ok",
  "okay",
  "confirm",
  "yes please",
  "si",
  "sí",
  "claro",
  "sim",
  "oui",
  "ja",
  "evet",
  "ya",
  "iya",
  "haan",
  "हाँ",
  "हां",
  "نعم",
  "是",
  "是的",
  "好",
  "好的",
  "はい",
  "да",
  "confirmo",
  "confirmar",
]);
const NO = new Set([
  "no",
  "n",
  "nope",
  "nao",
  "não",
  "non",
  "nein",
  "hayir",
  "hayır",
  "tidak",
  "nggak",
  "nahi",
  "नहीं",
  "لا",
  "不",
  "不要",
  "いいえ",
  "нет",
  "nee",
  "no gracias",
  "no thanks",
]);

/** An explicit request to talk to a person, in any supported language. */
export function findHumanRequest(text: string): string | null {
  return findPhrase(HUMAN_REQUEST, text);
}

/** 0 (calm) and up: strong words and insults count 2, shouting (mostly capitals) and "!!!" count 1 each. */
export function angerScore(text: string): number {
  const folded = foldText(text);
  let score = 0;
  const global = new RegExp(STRONG_ANGER.source, "gu");
  score += 2 * Math.min(3, [...folded.matchAll(global)].length);
  const letters = text.replace(/[^\p{L}]/gu, "");
  const upper = text.replace(/[^\p{Lu}]/gu, "");
  if (letters.length >= 10 && upper.length / letters.length > 0.6) score += 1;
  if (/[!?]{3,}/.test(text)) score += 1;
  return score;
}

/** "Strong" anger: worth a person's attention rather than another bot answer. */
export const STRONG_ANGER_SCORE = 4;

export function isBotQuestion(text: string): boolean {
  return findPhrase(BOT_QUESTION, text) !== null;
}

export function findInjection(text: string): string | null {
  return findPhrase(INJECTION, text);
}

export function findGeneralPurposeRequest(text: string): string | null {
  return findPhrase(GENERAL_PURPOSE, text);
}

export function isGreetingOnly(text: string): boolean {
  return GREETING_ONLY.test(foldText(text).trim());
}

/** A typed yes or no (the whole message), for confirming a proposed order change. */
export function parseYesNo(text: string): "yes" | "no" | null {
  const t = foldText(text)
    .trim()
    .replace(/[\s!.,?¡¿👍]+$/u, "")
    .replace(/^[¡¿]/, "");
  if (YES.has(t) || YES.has(text.trim().toLowerCase())) return "yes";
  if (NO.has(t) || NO.has(text.trim().toLowerCase())) return "no";
  return null;
}

/** The first phrase of any of the tenant's sensitive topics found in the text, with the topic's name. */
export function findSensitiveTopic(
  text: string,
  topics: readonly { name: string; phrases: readonly string[] }[],
): { topic: string; phrase: string } | null {
  for (const t of topics) {
    const hit = findPhrase(compilePhrases(t.phrases), text);
    if (hit) return { topic: t.name, phrase: hit };
  }
  return null;
}
