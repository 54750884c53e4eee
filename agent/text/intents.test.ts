import { describe, expect, it } from "vitest";
import { classifyIntent, detectVerification } from "./intents.ts";

describe("detectVerification", () => {
  it("reads an order number with an e-mail or a named postal code", () => {
    expect(detectVerification("My order #D100003, e-mail fatima@example.com")).toEqual({
      orderId: "#D100003",
      email: "fatima@example.com",
    });
    expect(detectVerification("Pedido #D100003, código postal: 28013")).toEqual({ orderId: "#D100003", postalCode: "28013" });
    expect(detectVerification("order #D100003 zip 4050-123")).toEqual({ orderId: "#D100003", postalCode: "4050-123" });
  });

  it("needs both the order number and a detail, and never takes a bare number for a postal code", () => {
    expect(detectVerification("my e-mail is fatima@example.com")).toBeNull();
    expect(detectVerification("order #D100003 please")).toBeNull();
    expect(detectVerification("order #D100003, call me on 15550100003")).toBeNull();
  });
});

describe("classifyIntent", () => {
  const cases: [string, string][] = [
    // orders
    ["Where is my order #D100123?", "orders"],
    ["¿Dónde está mi pedido?", "orders"],
    ["Onde está minha encomenda?", "orders"],
    ["Où est ma commande ?", "orders"],
    ["Wo ist meine Bestellung?", "orders"],
    ["Dov'è il mio ordine?", "orders"],
    ["I want to cancel order #D100200", "orders"],
    // returns
    ["I want to return the shoes", "returns"],
    ["Quiero una devolución", "returns"],
    ["Quero um reembolso", "returns"],
    ["Je voudrais un remboursement", "returns"],
    ["Ich möchte eine Rückgabe", "returns"],
    ["Vorrei un rimborso", "returns"],
    ["The mug arrived broken, I want a refund", "returns"],
    // complaints
    ["I want to file a complaint", "complaint"],
    ["Quiero poner una queja", "complaint"],
    ["Estou muito insatisfeita", "complaint"],
    ["Je suis très déçu", "complaint"],
    ["Ich bin enttäuscht", "complaint"],
    ["Sono molto deluso", "complaint"],
    ["THIS IS A SCAM, WORST SHOP EVER!!!", "complaint"],
    ["My order #D100123 arrived damaged", "complaint"],
    // purchase (high intent)
    ["How much is the blue jacket?", "purchase"],
    ["Is the M size in stock?", "purchase"],
    ["¿Cuánto cuesta la chaqueta?", "purchase"],
    ["Quanto custa o frete?", "purchase"],
    ["Quel est le prix ?", "purchase"],
    ["Was kostet das?", "purchase"],
    ["Quanto costa la borsa?", "purchase"],
    ["Bu ceket ne kadar?", "purchase"],
    ["Berapa harga tas ini?", "purchase"],
    ["Is dit op voorraad?", "purchase"],
    ["Сколько стоит куртка?", "purchase"],
    ["这个多少钱", "purchase"],
    ["このバッグはいくらですか", "purchase"],
    // product questions
    ["What material is the jacket made of?", "product_question"],
    ["¿Qué tallas tienen?", "product_question"],
    ["Qual é a garantia?", "product_question"],
    ["Quelle taille choisir ?", "product_question"],
    ["Ist das kompatibel mit iPhone?", "product_question"],
    ["Che colori avete?", "product_question"],
    // human, small talk, other
    ["I want to talk to a person", "human_request"],
    ["Quiero hablar con una persona", "human_request"],
    ["Hola, buenas tardes", "small_talk"],
    ["Thanks!", "small_talk"],
    ["Are you a bot?", "small_talk"],
    ["My cat is called Tom", "other"],
    ["", "other"],
  ];
  it.each(cases)("%s → %s", (text, intent) => {
    expect(classifyIntent(text)).toBe(intent);
  });
});
