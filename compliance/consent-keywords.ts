/**
 * Opt-out and opt-in keywords. "STOP" is a BSP convention rather than a Meta rule, but WhatsApp's Business Policy
 * requires honouring any opt-out request, so we recognise the usual words in the languages our customers write in.
 * Only a message that is essentially just the keyword counts: "stop sending me the wrong size" is a complaint,
 * not an opt-out.
 */

export type ConsentKeyword = { action: "opt_out" | "opt_in"; language: string };

const OPT_OUT: Record<string, string[]> = {
  en: ["stop", "unsubscribe", "stop all", "opt out", "optout", "cancel subscription", "stop promotions"],
  es: ["baja", "darme de baja", "parar", "cancelar suscripción", "cancelar suscripcion", "no más mensajes", "no mas mensajes"],
  pt: ["parar", "sair", "descadastrar", "cancelar inscrição", "cancelar inscricao", "pare"],
  fr: ["arrêt", "arret", "stop", "désabonner", "desabonner", "se désabonner", "désinscrire", "desinscrire"],
  de: ["stopp", "abmelden", "abbestellen", "austragen"],
  it: ["basta", "annulla iscrizione", "disiscrivimi", "cancellami", "stop"],
  ar: ["إيقاف", "ايقاف", "توقف", "إلغاء الاشتراك", "الغاء الاشتراك"],
  id: ["berhenti", "stop", "berhenti langganan", "batal langganan"],
  hi: ["बंद करें", "बंद", "रोकें", "अनसब्सक्राइब", "सदस्यता रद्द करें"],
  tr: ["dur", "durdur", "abonelikten çık", "abonelikten cik"],
  zh: ["退订", "取消订阅", "停止", "退訂", "取消訂閱"],
};

const OPT_IN: Record<string, string[]> = {
  en: ["start", "subscribe", "unstop", "resume"],
  es: ["alta", "darme de alta", "suscribir", "reanudar"],
  pt: ["voltar", "inscrever", "retomar"],
  fr: ["commencer", "abonner", "reprendre"],
  de: ["anmelden", "fortsetzen"],
  it: ["iscrivimi", "riprendi"],
  ar: ["اشتراك", "ابدأ"],
  id: ["mulai", "langganan"],
  hi: ["शुरू करें", "शुरू"],
  tr: ["başla", "basla", "abone ol"],
  zh: ["订阅", "開始", "开始"],
};

function buildIndex(table: Record<string, string[]>, action: ConsentKeyword["action"]): Map<string, ConsentKeyword> {
  const index = new Map<string, ConsentKeyword>();
  for (const [language, words] of Object.entries(table)) {
    for (const w of words) if (!index.has(normalize(w))) index.set(normalize(w), { action, language });
  }
  return index;
}

/** Lower-cases, trims, strips punctuation, emoji and repeated spaces. */
export function normalize(text: string): string {
  return text
    .normalize("NFC")
    .toLocaleLowerCase()
    .replace(/[\p{P}\p{S}\p{Emoji_Presentation}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const INDEX = new Map([...buildIndex(OPT_IN, "opt_in"), ...buildIndex(OPT_OUT, "opt_out")]);

/** The consent action a message asks for, or null. Works for text and for quick-reply button titles/payloads. */
export function detectConsentKeyword(text: string | null | undefined): ConsentKeyword | null {
  if (!text || text.length > 60) return null;
  return INDEX.get(normalize(text)) ?? null;
}

const CONFIRMATIONS: Record<string, { opt_out: string; opt_in: string }> = {
  en: {
    opt_out: "You're unsubscribed from promotional messages. Reply START to subscribe again. You can still write to us any time.",
    opt_in: "You're subscribed to our updates again. Reply STOP to unsubscribe.",
  },
  es: {
    opt_out: "Has dejado de recibir mensajes promocionales. Responde ALTA para volver a suscribirte. Puedes escribirnos cuando quieras.",
    opt_in: "Vuelves a estar suscrito a nuestras novedades. Responde BAJA para darte de baja.",
  },
  pt: {
    opt_out: "Você não receberá mais mensagens promocionais. Responda VOLTAR para se inscrever novamente. Pode nos escrever quando quiser.",
    opt_in: "Você voltou a receber nossas novidades. Responda PARAR para cancelar.",
  },
  fr: {
    opt_out: "Vous ne recevrez plus de messages promotionnels. Répondez COMMENCER pour vous réabonner. Vous pouvez toujours nous écrire.",
    opt_in: "Vous êtes de nouveau abonné(e) à nos actualités. Répondez STOP pour vous désabonner.",
  },
  de: {
    opt_out:
      "Sie erhalten keine Werbenachrichten mehr. Antworten Sie ANMELDEN, um sie wieder zu erhalten. Sie können uns jederzeit schreiben.",
    opt_in: "Sie erhalten unsere Neuigkeiten wieder. Antworten Sie STOPP zum Abmelden.",
  },
  it: {
    opt_out: "Non riceverai più messaggi promozionali. Rispondi ISCRIVIMI per iscriverti di nuovo. Puoi sempre scriverci.",
    opt_in: "Sei di nuovo iscritto ai nostri aggiornamenti. Rispondi STOP per annullare.",
  },
  ar: {
    opt_out: 'تم إلغاء اشتراكك في الرسائل الترويجية. أرسل "اشتراك" للاشتراك مجددًا. يمكنك مراسلتنا في أي وقت.',
    opt_in: 'تم تفعيل اشتراكك مجددًا. أرسل "إيقاف" لإلغاء الاشتراك.',
  },
  id: {
    opt_out:
      "Anda tidak akan menerima pesan promosi lagi. Balas MULAI untuk berlangganan kembali. Anda tetap bisa menghubungi kami kapan saja.",
    opt_in: "Anda kembali berlangganan info dari kami. Balas BERHENTI untuk berhenti.",
  },
  hi: {
    opt_out: "आपको अब प्रचार संदेश नहीं भेजे जाएंगे। दोबारा सदस्यता के लिए 'शुरू' लिखें। आप कभी भी हमें लिख सकते हैं।",
    opt_in: "आपकी सदस्यता फिर से शुरू हो गई है। बंद करने के लिए 'बंद करें' लिखें।",
  },
  tr: {
    opt_out: "Artık tanıtım mesajları almayacaksınız. Yeniden abone olmak için BAŞLA yazın. Bize her zaman yazabilirsiniz.",
    opt_in: "Yeniden abone oldunuz. Abonelikten çıkmak için DUR yazın.",
  },
  zh: { opt_out: "您已退订推广消息。回复“订阅”可重新订阅。您仍可随时联系我们。", opt_in: "您已重新订阅我们的消息。回复“退订”即可取消。" },
};

/** The short confirmation sent after a keyword, in the customer's language (English when we have none). */
export function consentConfirmation(action: ConsentKeyword["action"], language: string): string {
  return (CONFIRMATIONS[language] ?? CONFIRMATIONS.en)?.[action] as string;
}
