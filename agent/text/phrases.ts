/**
 * What the bot itself says (not facts from documents): hand-off notices, refusals, "I could not find that", order
 * summaries in the offline mode. One table per language; a language without a table falls back to English.
 * Placeholders are `{name}`.
 */

type Key =
  | "handoff"
  | "waitMinutes"
  | "waitUnknown"
  | "hours"
  | "refusal"
  | "noAnswer"
  | "botDisclosure"
  | "greeting"
  | "actionDone"
  | "actionCancelled"
  | "actionFailed"
  | "source"
  | "fromDocs"
  | "orderStatus"
  | "ordersList"
  | "noOrders"
  | "tracking"
  | "identityRequired"
  | "orderNotFound"
  | "askOrderNumber"
  | "proposalSent";

type Table = Record<Key, string>;

const en: Table = {
  handoff: "I'm passing your conversation to a person from our team; they will reply here.",
  waitMinutes: "Expected wait: about {minutes} min.",
  waitUnknown: "They will get back to you as soon as possible.",
  hours: "Our team is available {hours}.",
  refusal: "Sorry, I can only help with questions about {business}: {topics}. If you'd like to talk to a person, just say so.",
  noAnswer:
    "I couldn't find that in our information, and I'd rather not guess. Would you like me to connect you with a person from our team?",
  botDisclosure: "I'm {business}'s AI assistant. I can help with {topics}, and a person from our team can take over whenever you ask.",
  greeting: "Hi! I'm {business}'s AI assistant. How can I help you? I can help with {topics}.",
  actionDone: "Done: {summary}",
  actionCancelled: "OK, nothing was changed.",
  actionFailed: "I couldn't apply that change, so nothing was changed. {detail}",
  source: "Source",
  fromDocs: "From our help center:",
  orderStatus: "Order {order}: {status}.",
  ordersList: "Your recent orders:",
  noOrders: "I don't see any orders for this WhatsApp number.",
  tracking: "Shipment {tracking} ({carrier}): {status}.",
  identityRequired:
    "To look up your orders I need to verify you first: please send one of your order numbers and the e-mail address or postal code used on it.",
  orderNotFound: "I couldn't find that order for your number. Please check the order number in your confirmation e-mail.",
  askOrderNumber: "Which order is it? Please send the order number (for example #D100123).",
  proposalSent: "Please confirm with the buttons above.",
};

const TABLES: Record<string, Partial<Table>> = {
  en,
  es: {
    handoff: "Paso tu conversación a una persona de nuestro equipo; te responderá por aquí.",
    waitMinutes: "Espera estimada: unos {minutes} min.",
    waitUnknown: "Te responderán lo antes posible.",
    hours: "Nuestro equipo atiende {hours}.",
    refusal: "Lo siento, solo puedo ayudarte con temas de {business}: {topics}. Si quieres hablar con una persona, dímelo.",
    noAnswer: "No encontré eso en nuestra información y prefiero no adivinar. ¿Quieres que te pase con una persona de nuestro equipo?",
    botDisclosure:
      "Soy el asistente de IA de {business}. Puedo ayudarte con {topics}, y una persona de nuestro equipo puede atenderte cuando lo pidas.",
    greeting: "¡Hola! Soy el asistente de IA de {business}. ¿En qué te ayudo? Puedo ayudarte con {topics}.",
    actionDone: "Hecho: {summary}",
    actionCancelled: "De acuerdo, no se ha cambiado nada.",
    actionFailed: "No pude aplicar el cambio; no se ha modificado nada. {detail}",
    source: "Fuente",
    fromDocs: "Según nuestro centro de ayuda:",
    orderStatus: "Pedido {order}: {status}.",
    ordersList: "Tus pedidos recientes:",
    noOrders: "No veo pedidos para este número de WhatsApp.",
    tracking: "Envío {tracking} ({carrier}): {status}.",
    identityRequired:
      "Para consultar tus pedidos necesito verificarte: envíame uno de tus números de pedido y el e-mail o código postal que usaste.",
    orderNotFound: "No encontré ese pedido para tu número. Revisa el número en tu e-mail de confirmación.",
    askOrderNumber: "¿De qué pedido se trata? Envíame el número de pedido (por ejemplo #D100123).",
    proposalSent: "Confírmalo con los botones de arriba.",
  },
  pt: {
    handoff: "Estou passando sua conversa para uma pessoa da nossa equipe; ela vai responder aqui.",
    waitMinutes: "Espera estimada: cerca de {minutes} min.",
    waitUnknown: "Vão responder o mais rápido possível.",
    hours: "Nossa equipe atende {hours}.",
    refusal: "Desculpe, só posso ajudar com assuntos da {business}: {topics}. Se quiser falar com uma pessoa, é só dizer.",
    noAnswer: "Não encontrei isso nas nossas informações e prefiro não adivinhar. Quer que eu chame uma pessoa da nossa equipe?",
    botDisclosure:
      "Sou o assistente de IA da {business}. Posso ajudar com {topics}, e uma pessoa da equipe pode assumir quando você pedir.",
    greeting: "Olá! Sou o assistente de IA da {business}. Como posso ajudar? Posso ajudar com {topics}.",
    actionDone: "Feito: {summary}",
    actionCancelled: "Certo, nada foi alterado.",
    actionFailed: "Não consegui aplicar a alteração; nada foi mudado. {detail}",
    source: "Fonte",
    fromDocs: "Segundo a nossa central de ajuda:",
    orderStatus: "Pedido {order}: {status}.",
    ordersList: "Seus pedidos recentes:",
    noOrders: "Não encontrei pedidos para este número de WhatsApp.",
    identityRequired: "Para consultar seus pedidos preciso verificar você: envie um número de pedido e o e-mail ou CEP usado nele.",
    orderNotFound: "Não encontrei esse pedido para o seu número. Confira o número no e-mail de confirmação.",
    askOrderNumber: "Qual é o pedido? Envie o número do pedido (por exemplo #D100123).",
  },
  fr: {
    handoff: "Je transmets votre conversation à une personne de notre équipe ; elle vous répondra ici.",
    waitMinutes: "Attente estimée : environ {minutes} min.",
    waitUnknown: "Elle vous répondra dès que possible.",
    hours: "Notre équipe est disponible {hours}.",
    refusal: "Désolé, je ne peux vous aider que pour {business} : {topics}. Si vous voulez parler à une personne, dites-le-moi.",
    noAnswer:
      "Je n'ai pas trouvé cette information et je préfère ne pas deviner. Voulez-vous que je vous mette en relation avec une personne de notre équipe ?",
    botDisclosure:
      "Je suis l'assistant IA de {business}. Je peux vous aider pour {topics}, et une personne de l'équipe peut prendre le relais quand vous le souhaitez.",
    greeting: "Bonjour ! Je suis l'assistant IA de {business}. Comment puis-je vous aider ? Je peux vous aider pour {topics}.",
    actionDone: "C'est fait : {summary}",
    actionCancelled: "D'accord, rien n'a été modifié.",
    source: "Source",
    fromDocs: "D'après notre centre d'aide :",
    orderStatus: "Commande {order} : {status}.",
    ordersList: "Vos commandes récentes :",
    orderNotFound: "Je n'ai pas trouvé cette commande pour votre numéro. Vérifiez le numéro dans l'e-mail de confirmation.",
    askOrderNumber: "De quelle commande s'agit-il ? Envoyez-moi le numéro (par exemple #D100123).",
  },
  de: {
    handoff: "Ich übergebe Ihr Gespräch an eine Person aus unserem Team; sie antwortet Ihnen hier.",
    waitMinutes: "Voraussichtliche Wartezeit: etwa {minutes} Min.",
    waitUnknown: "Sie meldet sich so bald wie möglich.",
    hours: "Unser Team ist {hours} erreichbar.",
    refusal:
      "Entschuldigung, ich kann nur bei Fragen zu {business} helfen: {topics}. Wenn Sie mit einem Menschen sprechen möchten, sagen Sie es einfach.",
    noAnswer:
      "Dazu habe ich in unseren Informationen nichts gefunden, und ich möchte nicht raten. Soll ich Sie mit einer Person aus unserem Team verbinden?",
    botDisclosure:
      "Ich bin der KI-Assistent von {business}. Ich helfe bei {topics}, und eine Person aus dem Team kann jederzeit übernehmen.",
    greeting: "Hallo! Ich bin der KI-Assistent von {business}. Wie kann ich helfen? Ich helfe bei {topics}.",
    actionDone: "Erledigt: {summary}",
    actionCancelled: "In Ordnung, es wurde nichts geändert.",
    source: "Quelle",
    fromDocs: "Aus unserem Hilfe-Center:",
    orderStatus: "Bestellung {order}: {status}.",
    ordersList: "Ihre letzten Bestellungen:",
    askOrderNumber: "Um welche Bestellung geht es? Bitte senden Sie die Bestellnummer (z. B. #D100123).",
  },
  it: {
    handoff: "Passo la conversazione a una persona del nostro team; ti risponderà qui.",
    waitMinutes: "Attesa stimata: circa {minutes} min.",
    waitUnknown: "Ti risponderà il prima possibile.",
    hours: "Il nostro team è disponibile {hours}.",
    refusal: "Mi dispiace, posso aiutarti solo su {business}: {topics}. Se vuoi parlare con una persona, dimmelo.",
    noAnswer:
      "Non ho trovato questa informazione e preferisco non tirare a indovinare. Vuoi che ti metta in contatto con una persona del nostro team?",
    botDisclosure: "Sono l'assistente IA di {business}. Posso aiutarti con {topics}, e una persona del team può subentrare quando vuoi.",
    greeting: "Ciao! Sono l'assistente IA di {business}. Come posso aiutarti? Posso aiutarti con {topics}.",
    actionDone: "Fatto: {summary}",
    actionCancelled: "Va bene, non è stato cambiato nulla.",
    source: "Fonte",
    fromDocs: "Dal nostro centro assistenza:",
    orderStatus: "Ordine {order}: {status}.",
  },
  tr: {
    handoff: "Görüşmenizi ekibimizden bir kişiye aktarıyorum; size buradan yanıt verecek.",
    waitMinutes: "Tahmini bekleme: yaklaşık {minutes} dk.",
    waitUnknown: "En kısa sürede size dönecekler.",
    hours: "Ekibimiz {hours} hizmet veriyor.",
    refusal:
      "Üzgünüm, yalnızca {business} ile ilgili konularda yardımcı olabilirim: {topics}. Bir kişiyle konuşmak isterseniz söylemeniz yeterli.",
    noAnswer: "Bunu bilgilerimizde bulamadım ve tahmin yürütmek istemem. Sizi ekibimizden bir kişiye bağlamamı ister misiniz?",
    botDisclosure:
      "Ben {business} şirketinin yapay zekâ asistanıyım. {topics} konusunda yardımcı olabilirim; istediğiniz zaman ekibimizden biri devralabilir.",
    greeting: "Merhaba! Ben {business} şirketinin yapay zekâ asistanıyım. Size nasıl yardımcı olabilirim?",
    source: "Kaynak",
    orderStatus: "Sipariş {order}: {status}.",
  },
  id: {
    handoff: "Saya meneruskan percakapan Anda ke salah satu tim kami; mereka akan membalas di sini.",
    waitMinutes: "Perkiraan waktu tunggu: sekitar {minutes} menit.",
    waitUnknown: "Mereka akan segera membalas.",
    hours: "Tim kami tersedia {hours}.",
    refusal: "Maaf, saya hanya bisa membantu soal {business}: {topics}. Jika ingin bicara dengan orang, cukup bilang saja.",
    noAnswer: "Saya tidak menemukan informasi itu dan tidak ingin menebak. Mau saya hubungkan dengan tim kami?",
    botDisclosure: "Saya asisten AI {business}. Saya bisa membantu soal {topics}, dan tim kami bisa mengambil alih kapan saja.",
    greeting: "Halo! Saya asisten AI {business}. Ada yang bisa saya bantu?",
    source: "Sumber",
    orderStatus: "Pesanan {order}: {status}.",
  },
  hi: {
    handoff: "मैं आपकी बातचीत हमारी टीम के एक व्यक्ति को सौंप रहा हूँ; वे यहीं जवाब देंगे।",
    waitMinutes: "अनुमानित प्रतीक्षा: लगभग {minutes} मिनट।",
    waitUnknown: "वे जल्द से जल्द जवाब देंगे।",
    hours: "हमारी टीम {hours} उपलब्ध है।",
    refusal: "माफ़ कीजिए, मैं केवल {business} से जुड़े सवालों में मदद कर सकता हूँ: {topics}। किसी व्यक्ति से बात करनी हो तो बताइए।",
    noAnswer: "मुझे यह जानकारी नहीं मिली और मैं अनुमान नहीं लगाना चाहता। क्या मैं आपको हमारी टीम के किसी व्यक्ति से जोड़ दूँ?",
    botDisclosure: "मैं {business} का AI सहायक हूँ। मैं {topics} में मदद कर सकता हूँ, और आप कहें तो हमारी टीम का कोई व्यक्ति बात करेगा।",
    greeting: "नमस्ते! मैं {business} का AI सहायक हूँ। मैं आपकी क्या मदद करूँ?",
    source: "स्रोत",
    orderStatus: "ऑर्डर {order}: {status}।",
  },
  ar: {
    handoff: "سأحوّل محادثتك إلى أحد أفراد فريقنا، وسيرد عليك هنا.",
    waitMinutes: "الانتظار المتوقع: حوالي {minutes} دقيقة.",
    waitUnknown: "سيردون عليك في أقرب وقت ممكن.",
    hours: "فريقنا متاح {hours}.",
    refusal: "عذرًا، يمكنني المساعدة فقط في ما يخص {business}: {topics}. إذا أردت التحدث مع شخص، فقط أخبرني.",
    noAnswer: "لم أجد هذه المعلومة ولا أريد التخمين. هل تريد أن أوصلك بأحد أفراد فريقنا؟",
    botDisclosure: "أنا المساعد الذكي لـ {business}. يمكنني المساعدة في {topics}، ويمكن لأحد أفراد فريقنا التدخل متى طلبت.",
    greeting: "مرحبًا! أنا المساعد الذكي لـ {business}. كيف يمكنني مساعدتك؟",
    source: "المصدر",
    orderStatus: "الطلب {order}: {status}.",
  },
  zh: {
    handoff: "我正在把您的对话转给我们团队的工作人员，他们会在这里回复您。",
    waitMinutes: "预计等待：约 {minutes} 分钟。",
    waitUnknown: "他们会尽快回复您。",
    hours: "我们的团队服务时间：{hours}。",
    refusal: "抱歉，我只能回答与 {business} 相关的问题：{topics}。如需人工服务，请告诉我。",
    noAnswer: "我在我们的资料中没有找到相关信息，不想随意猜测。需要我为您转接人工客服吗？",
    botDisclosure: "我是 {business} 的 AI 助手。我可以帮您处理 {topics}，您随时可以要求转人工。",
    greeting: "您好！我是 {business} 的 AI 助手，有什么可以帮您？",
    source: "来源",
    orderStatus: "订单 {order}：{status}。",
  },
  ja: {
    handoff: "担当者におつなぎします。こちらで返信いたします。",
    waitMinutes: "待ち時間の目安：約{minutes}分。",
    waitUnknown: "できるだけ早くご連絡します。",
    hours: "対応時間：{hours}。",
    refusal: "申し訳ありませんが、{business}に関するご質問（{topics}）にのみお答えできます。担当者と話したい場合はお知らせください。",
    noAnswer: "その情報は見つかりませんでした。推測でお答えするのは控えます。担当者におつなぎしましょうか？",
    botDisclosure: "私は{business}のAIアシスタントです。{topics}についてお手伝いでき、ご希望があればいつでも担当者に代わります。",
    greeting: "こんにちは！{business}のAIアシスタントです。ご用件をお聞かせください。",
    source: "出典",
    orderStatus: "ご注文 {order}：{status}。",
  },
};

/** The phrase in `language` (English when missing), with `{placeholders}` filled. */
export function phrase(language: string, key: Key, vars: Record<string, string | number> = {}): string {
  const table = TABLES[language] ?? en;
  const template = table[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (vars[name] === undefined ? m : String(vars[name]))).trim();
}

/** Languages with their own table (the rest get English). */
export const PHRASE_LANGUAGES = Object.keys(TABLES);

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  es: "Spanish",
  pt: "Portuguese",
  fr: "French",
  de: "German",
  it: "Italian",
  tr: "Turkish",
  id: "Indonesian",
  hi: "Hindi",
  ar: "Arabic",
  zh: "Chinese",
  ja: "Japanese",
  ru: "Russian",
  nl: "Dutch",
  ko: "Korean",
  uk: "Ukrainian",
  pl: "Polish",
  vi: "Vietnamese",
  th: "Thai",
  el: "Greek",
};

/** "Spanish" for "es"; the code itself when unknown. */
export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}
