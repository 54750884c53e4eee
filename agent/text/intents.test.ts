import { describe, expect, it } from "vitest";
import { detectVerification } from "./intents.ts";

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
