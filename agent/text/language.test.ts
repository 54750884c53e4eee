import { describe, expect, it } from "vitest";
import { detectLanguage } from "./language.ts";

describe("detectLanguage", () => {
  it.each([
    ["¿Eres un humano?", "es"],
    ["eres un bot", "es"],
    ["Olá, bom dia", "pt"],
    ["Où est ma commande ?", "fr"],
    ["Voglio parlare con una persona", "it"],
    ["مرحبا", "ar"],
  ])("%s → %s", (text, lang) => {
    expect(detectLanguage(text, "en")).toBe(lang);
  });

  it("keeps the conversation's language for text that says nothing", () => {
    expect(detectLanguage("👍 123", "de")).toBe("de");
  });
});
