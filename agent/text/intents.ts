/**
 * Order intents from patterns, for the offline provider: an order number (#D100123), and whether the customer asks
 * where an order is, wants to cancel it, return it, or see their orders. Words in en, es, pt, fr, de, it, tr, id, hi,
 * ar, zh, ja, ru and nl.
 */
import { COMPLAINT, DEFECT, PRODUCT, PURCHASE } from "./intent-phrases.ts";
import { compilePhrases, findPhrase } from "./match.ts";
import { angerScore, findHumanRequest, isBotQuestion, isGreetingOnly, STRONG_ANGER_SCORE } from "./triggers.ts";

export type OrderIntent = { kind: "track" | "cancel" | "return" | "status" | "list"; orderId: string | null };

const ORDER_ID = /#\s?([A-Za-z]{0,3}\d{3,12})\b|\b([A-Za-z]{1,2}\d{5,12})\b/;

const ORDER_WORDS = compilePhrases([
  "orders?",
  "purchases?",
  "package",
  "parcel",
  "delivery",
  "shipment",
  "tracking",
  "pedidos?",
  "compras?",
  "paquete",
  "envio",
  "encomendas?",
  "entrega",
  "rastreio",
  "commandes?",
  "colis",
  "livraison",
  "bestellung(en)?",
  "paket",
  "lieferung",
  "sendung",
  "ordin[ei]",
  "pacco",
  "consegna",
  "spedizione",
  "siparis\\w*",
  "kargo\\w*",
  "pesanan",
  "paket saya",
  "ऑर्डर",
  "पार्सल",
  "طلب",
  "طلبي",
  "شحن",
  "订单",
  "包裹",
  "快递",
  "注文",
  "荷物",
  "заказ\\w*",
  "посылк\\w*",
  "bestelling",
]);
const CANCEL = compilePhrases([
  "cancel\\w*",
  "cancelar",
  "annuler",
  "stornieren",
  "storniere",
  "annullare",
  "iptal",
  "batal\\w*",
  "रद्द",
  "إلغاء",
  "الغاء",
  "取消",
  "キャンセル",
  "отмен\\w*",
  "annuleren",
]);
const RETURN = compilePhrases([
  "return\\w*",
  "refund\\w*",
  "devolver",
  "devolucion",
  "devolucao",
  "reembolso",
  "retour\\w*",
  "rembourse\\w*",
  "ruckgabe",
  "zuruckgeben",
  "zurucksenden",
  "rucksendung",
  "reso",
  "restituire",
  "rimborso",
  "iade",
  "retur",
  "kembalikan",
  "pengembalian",
  "वापस",
  "रिफंड",
  "إرجاع",
  "ارجاع",
  "استرجاع",
  "退货",
  "退款",
  "返品",
  "返金",
  "возврат\\w*",
  "вернуть",
  "terugsturen",
]);
const WHERE = compilePhrases([
  "where",
  "when",
  "track\\w*",
  "arrive\\w*",
  "status",
  "donde",
  "cuando",
  "llega\\w*",
  "estado",
  "onde",
  "quando",
  "chega\\w*",
  "ou est",
  "quand",
  "suivi",
  "statut",
  "wo ist",
  "wann",
  "kommt",
  "dove",
  "arriva\\w*",
  "stato",
  "nerede",
  "ne zaman",
  "durum\\w*",
  "di mana",
  "dimana",
  "kapan",
  "sampai",
  "कहाँ",
  "कहां",
  "कब",
  "أين",
  "متى",
  "哪",
  "什么时候",
  "どこ",
  "いつ",
  "где",
  "когда",
  "waar",
  "wanneer",
]);
const MY_ORDERS = compilePhrases([
  "my orders",
  "mis pedidos",
  "meus pedidos",
  "mes commandes",
  "meine bestellungen",
  "i miei ordini",
  "siparislerim",
  "pesanan saya",
  "我的订单",
  "私の注文",
  "мои заказы",
]);

/** The order intent of a message, or null when it is not about orders. */
export function detectOrderIntent(text: string): OrderIntent | null {
  const m = ORDER_ID.exec(text);
  const orderId = m ? `#${(m[1] ?? m[2] ?? "").toUpperCase()}` : null;
  const aboutOrders = orderId !== null || findPhrase(ORDER_WORDS, text) !== null;
  if (findPhrase(CANCEL, text) && aboutOrders) return { kind: "cancel", orderId };
  if (findPhrase(RETURN, text) && orderId) return { kind: "return", orderId };
  if (!aboutOrders) return null;
  if (findPhrase(MY_ORDERS, text) && !orderId) return { kind: "list", orderId };
  if (findPhrase(WHERE, text)) return { kind: "track", orderId };
  return { kind: orderId ? "status" : "list", orderId };
}

/** What a customer's message is about, for reports and automatic tags; 'purchase' is price, stock or checkout. */
export const CUSTOMER_INTENTS = [
  "orders",
  "returns",
  "product_question",
  "complaint",
  "purchase",
  "human_request",
  "small_talk",
  "other",
] as const;
export type CustomerIntent = (typeof CUSTOMER_INTENTS)[number];

/**
 * Classifies a message deterministically (no model: the same text always gets the same intent, in every language
 * the phrase lists cover). The first match wins, from the most to the least actionable: a request for a person, a
 * complaint (explicit, or strong anger), a return or refund, a defect report, an order with a number or a
 * tracking/cancel question, a buying question, any other order question, a product question, a greeting or thanks.
 */
export function classifyIntent(text: string): CustomerIntent {
  if (!text.trim()) return "other";
  if (findHumanRequest(text)) return "human_request";
  if (findPhrase(COMPLAINT, text) || angerScore(text) >= STRONG_ANGER_SCORE) return "complaint";
  const order = detectOrderIntent(text);
  if (order?.kind === "return" || findPhrase(RETURN, text)) return "returns";
  if (findPhrase(DEFECT, text)) return "complaint";
  if (order && (order.orderId || order.kind === "track" || order.kind === "cancel")) return "orders";
  if (findPhrase(PURCHASE, text)) return "purchase";
  if (order) return "orders";
  if (findPhrase(PRODUCT, text)) return "product_question";
  if (isGreetingOnly(text) || isBotQuestion(text)) return "small_talk";
  return "other";
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
// A postal code only where the message names it, so an order or phone number is never taken for one.
const POSTAL_CODE =
  /(?:postal code|post ?code|zip(?: code)?|c[oó]digo postal|cep|code postal|plz|postleitzahl|cap|kode pos|posta kodu)\s*[:#]?\s*([A-Z0-9][A-Z0-9 -]{1,9}[A-Z0-9])/iu;

export type Verification = { orderId: string; email?: string; postalCode?: string };

/** An order number with the e-mail address or postal code used on it: the details `verify_identity` checks. */
export function detectVerification(text: string): Verification | null {
  const orderId = detectOrderIntent(text)?.orderId;
  if (!orderId) return null;
  const email = EMAIL.exec(text)?.[0];
  if (email) return { orderId, email };
  const postalCode = POSTAL_CODE.exec(text)?.[1]?.trim();
  return postalCode ? { orderId, postalCode } : null;
}
