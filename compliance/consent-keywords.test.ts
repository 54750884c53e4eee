import { describe, expect, it } from "vitest";
import { consentConfirmation, detectConsentKeyword } from "./consent-keywords.ts";

describe("detectConsentKeyword", () => {
  it.each([
    ["STOP", "en"],
    ["Unsubscribe", "en"],
    ["stop!", "en"],
    ["BAJA", "es"],
    ["Darme de baja", "es"],
    ["descadastrar", "pt"],
    ["désabonner", "fr"],
    ["ARRÊT", "fr"],
    ["Abmelden", "de"],
    ["STOPP", "de"],
    ["disiscrivimi", "it"],
    ["إلغاء الاشتراك", "ar"],
    ["berhenti", "id"],
    ["बंद करें", "hi"],
    ["abonelikten çık", "tr"],
    ["退订", "zh"],
    ["取消订阅", "zh"],
  ])("reads %s as an opt-out (%s)", (text, language) => {
    expect(detectConsentKeyword(text)).toEqual({ action: "opt_out", language });
  });

  it.each(["START", "alta", "commencer", "anmelden", "iscrivimi", "mulai", "订阅"])("reads %s as an opt-in", (text) => {
    expect(detectConsentKeyword(text)?.action).toBe("opt_in");
  });

  it.each(["stop sending me the wrong size", "Where is my order?", "I want to cancel my order", "", null, "stop ".repeat(20)])(
    "does not treat %j as a consent keyword",
    (text) => {
      expect(detectConsentKeyword(text)).toBeNull();
    },
  );

  it("confirms in the customer's language, falling back to English", () => {
    expect(consentConfirmation("opt_out", "es")).toMatch(/promocionales/);
    expect(consentConfirmation("opt_out", "zh")).toMatch(/退订/);
    expect(consentConfirmation("opt_in", "xx")).toMatch(/subscribed/);
  });
});
