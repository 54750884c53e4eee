import { describe, expect, it } from "vitest";
import { maskDeep, maskPii } from "./mask.ts";

describe("maskPii", () => {
  it.each([
    ["jane.doe@example.com", "j***@example.com"],
    ["contact: Jane.Doe+tag@mail.example.co.uk.", "contact: J***@mail.example.co.uk."],
  ])("masks the e-mail in %j", (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it.each([
    ["+16505551234", "***234"],
    ["16505551234", "***234"], // a bare wa_id
    ["+1 650 555 1234", "***234"],
    ["+1-650-555-1234", "***234"],
    ["650-555-1234", "***234"],
    ["650.555.1234", "***234"],
    ["(650) 555-1234", "***234"],
    ["+1 (650) 555-1234", "***234"],
    ["+44 20 7946 0958", "***958"],
    ["5551234", "***234"], // 7 digits is the shortest phone
  ])("masks the phone number %j", (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it("masks phone numbers inside text and JSON", () => {
    expect(maskPii("message from +16505551234 to 16505550000")).toBe("message from ***234 to ***000");
    expect(maskPii('{"wa_id":"16505551234","from":"16505551234"}')).toBe('{"wa_id":"***234","from":"***234"}');
    expect(maskPii("wa_id=16505551234, next")).toBe("wa_id=***234, next");
  });

  it("masks BSUIDs, keeping the country code and a short tail", () => {
    expect(maskPii("US.13491208655302741918")).toBe("US.***918");
    expect(maskPii("user US.13491208655302741918 wrote")).toBe("user US.***918 wrote");
    expect(maskPii('{"user_id":"BR.a1B2c3D4e5F6"}')).toBe('{"user_id":"BR.***5F6"}');
  });

  it("leaves no raw digits of the masked value behind", () => {
    const out = maskPii("call +1 (650) 555-1234 or mail jane.doe@example.com, user US.13491208655302741918");
    for (const raw of ["650", "555-1234", "5551234", "jane.doe", "13491208655302741918"]) expect(out).not.toContain(raw);
  });

  it.each([
    "order 123456", // < 7 digits: order ids, counts
    "order #12345 total 99.95",
    "2026-11-27T17:29:18.108Z",
    "at 2026-11-27T17:29:18.108Z the job ran",
    "2026-11-27",
    "2026-11-27 17:29:18.108+00",
    "550e8400-e29b-41d4-a716-446655440000",
    "12345678-1234-1234-1234-123456789012",
    "/admin/conversations/12/messages",
    "GET /admin/conversations/12/messages?limit=50 200",
    "listening on 127.0.0.1:3000",
    "client 192.168.100.200",
    "took 1234567ms",
    "version 1.2.3",
    "sha abcdef1234567890",
    "The quick brown fox, e.g. a U.S. fox.",
    "Error: boom\n    at run (file:///work/main/lib/x.ts:12:34)",
    "",
  ])("keeps %j intact", (text) => {
    expect(maskPii(text)).toBe(text);
  });

  it("masks a phone next to a timestamp without touching the timestamp", () => {
    expect(maskPii("2026-11-27T17:29:18.108Z from +16505551234")).toBe("2026-11-27T17:29:18.108Z from ***234");
    expect(maskPii("2026-11-27 17:29:18 from 16505551234")).toBe("2026-11-27 17:29:18 from ***234");
  });

  it("is idempotent", () => {
    const once = maskPii("+16505551234 jane@example.com US.13491208655302741918");
    expect(maskPii(once)).toBe(once);
  });
});

describe("maskDeep", () => {
  it("masks every string in nested objects and arrays", () => {
    const input = {
      from: "16505551234",
      count: 3,
      ok: true,
      none: null,
      nested: { contact: { email: "jane@example.com", ids: ["US.13491208655302741918", "order 42"] } },
      list: [{ phone: "+1 650 555 1234" }, 7, "plain"],
    };
    expect(maskDeep(input)).toEqual({
      from: "***234",
      count: 3,
      ok: true,
      none: null,
      nested: { contact: { email: "j***@example.com", ids: ["US.***918", "order 42"] } },
      list: [{ phone: "***234" }, 7, "plain"],
    });
  });

  it("does not mutate the input", () => {
    const input = { a: { phone: "16505551234", list: ["jane@example.com"] } };
    const snapshot = structuredClone(input);
    const out = maskDeep(input) as typeof input;
    expect(input).toEqual(snapshot);
    expect(out).not.toBe(input);
    expect(out.a).not.toBe(input.a);
    expect(out.a.list).not.toBe(input.a.list);
  });

  it("turns an Error into a masked plain object and leaves the Error unchanged", () => {
    const err = new TypeError("no customer +16505551234");
    const originalStack = err.stack;
    const out = maskDeep({ err }) as { err: { type: string; message: string; stack?: string } };
    expect(out.err.type).toBe("TypeError");
    expect(out.err.message).toBe("no customer ***234");
    expect(out.err.stack).toContain("***234");
    expect(out.err.stack).not.toContain("16505551234");
    expect(err.message).toBe("no customer +16505551234");
    expect(err.stack).toBe(originalStack);
  });

  it("returns primitives unchanged (other than strings)", () => {
    expect(maskDeep(42)).toBe(42);
    expect(maskDeep(null)).toBeNull();
    expect(maskDeep(undefined)).toBeUndefined();
    expect(maskDeep(false)).toBe(false);
    expect(maskDeep("16505551234")).toBe("***234");
  });

  it("stops descending past its depth limit instead of recursing forever", () => {
    type Node = { phone: string; next?: Node };
    const deep: Node = { phone: "16505551234" };
    let cur = deep;
    for (let i = 0; i < 20; i++) {
      cur.next = { phone: "16505551234" };
      cur = cur.next;
    }
    const out = maskDeep(deep) as Node;
    expect(out.phone).toBe("***234");
    expect(out.next?.next?.phone).toBe("***234");
  });
});
