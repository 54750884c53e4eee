import { describe, expect, it } from "vitest";
import { escapeNonAscii, isValidSignature, signBody } from "./signature.ts";

const secret = "app-secret-for-tests";
const bytes = (s: string) => new TextEncoder().encode(s);

describe("isValidSignature", () => {
  it("accepts Meta's HMAC of the raw body", () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    expect(isValidSignature(bytes(body), signBody(body, secret), secret)).toBe(true);
  });

  it("accepts bodies with non-ASCII text, '/' and '@' signed over the raw bytes", () => {
    const body = '{"text":{"body":"J\'ai mangé des pâtes 🍝 https://x.y/z a@b.co \\/ \\u0040"}}';
    expect(isValidSignature(bytes(body), signBody(body, secret), secret)).toBe(true);
  });

  it("accepts a signature Meta computed over the \\u-escaped form of non-ASCII text", () => {
    const body = '{"text":{"body":"Größe 🍝"}}';
    expect(isValidSignature(bytes(body), signBody(escapeNonAscii(body), secret), secret)).toBe(true);
  });

  it("rejects a wrong, truncated, malformed or missing signature", () => {
    const body = '{"a":1}';
    const good = signBody(body, secret);
    expect(isValidSignature(bytes(body), signBody(body, "other-secret"), secret)).toBe(false);
    expect(isValidSignature(bytes(body), good.slice(0, -2), secret)).toBe(false);
    expect(isValidSignature(bytes(body), good.replace("sha256=", "sha1="), secret)).toBe(false);
    expect(isValidSignature(bytes(body), `sha256=${"z".repeat(64)}`, secret)).toBe(false);
    expect(isValidSignature(bytes(body), undefined, secret)).toBe(false);
    expect(isValidSignature(bytes(body), "", secret)).toBe(false);
  });

  it("rejects a body that was re-serialized (whitespace changed)", () => {
    const body = '{"a": 1}';
    expect(isValidSignature(bytes('{"a":1}'), signBody(body, secret), secret)).toBe(false);
  });

  it("accepts an upper-case hex digest", () => {
    const body = '{"a":1}';
    const sig = signBody(body, secret);
    expect(isValidSignature(bytes(body), `sha256=${sig.slice(7).toUpperCase()}`, secret)).toBe(true);
  });
});
