import { describe, expect, it } from "vitest";
import { isGreetingOnly } from "./triggers.ts";

describe("isGreetingOnly", () => {
  it.each(["Olá, bom dia", "hi there!", "Hola, buenas tardes 👋", "bom dia", "Bonjour, merci", "你好"])("%s is a greeting", (t) => {
    expect(isGreetingOnly(t)).toBe(true);
  });

  it.each(["hello, where is my order", "hi, I want to return my lamp", "thanks, bye now", "hi hi hi hi hi", ""])(
    "%s is not only a greeting",
    (t) => {
      expect(isGreetingOnly(t)).toBe(false);
    },
  );
});
