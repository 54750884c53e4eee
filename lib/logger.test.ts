import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

const PHONE = "16505551234";
const E164 = "+16505551234";
const BSUID = "US.13491208655302741918";
const EMAIL = "jane.doe@example.com";
const RAW_VALUES = [PHONE, BSUID, "13491208655302741918", EMAIL, "jane.doe"];

function capture(level = "trace") {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (s: string) => void lines.push(s) });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}

function expectNoRawPii(line: string) {
  for (const raw of RAW_VALUES) expect(line).not.toContain(raw);
}

describe("createLogger", () => {
  it("writes one JSON line per call with a string level label, ISO time and the service name", () => {
    const { logger, lines, records } = capture();
    logger.info("hello");
    logger.warn({ n: 1 }, "careful");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.endsWith("\n")).toBe(true);
    const [info, warn] = records();
    expect(info?.level).toBe("info");
    expect(warn?.level).toBe("warn");
    expect(typeof info?.level).toBe("string");
    expect(info?.msg).toBe("hello");
    expect(info?.service).toBe("switchboard");
    expect(String(info?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(warn?.n).toBe(1);
  });

  it("respects the level", () => {
    const { logger, lines, records } = capture("warn");
    logger.info("dropped");
    logger.debug("dropped");
    logger.error("kept");
    expect(lines).toHaveLength(1);
    expect(records()[0]?.level).toBe("error");
  });

  it("writes nothing at level silent", () => {
    const { logger, lines } = capture("silent");
    logger.fatal("nothing");
    expect(lines).toEqual([]);
  });

  it("masks phones, BSUIDs and e-mails in nested fields and in the message", () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        customer: { waId: PHONE, e164: E164, bsuid: BSUID, contact: { email: EMAIL } },
        recipients: [PHONE, { id: BSUID }],
        orderId: "123456",
      },
      `message from ${E164} (${BSUID}) <${EMAIL}>`,
    );
    expect(lines).toHaveLength(1);
    expectNoRawPii(lines[0] ?? "");
    const rec = records()[0] as {
      customer: { waId: string; e164: string; bsuid: string; contact: { email: string } };
      recipients: [string, { id: string }];
      orderId: string;
      msg: string;
    };
    expect(rec.customer).toEqual({ waId: "***234", e164: "***234", bsuid: "US.***918", contact: { email: "j***@example.com" } });
    expect(rec.recipients).toEqual(["***234", { id: "US.***918" }]);
    expect(rec.orderId).toBe("123456");
    expect(rec.msg).toBe("message from ***234 (US.***918) <j***@example.com>");
  });

  it("masks printf-style arguments, strings and objects alike", () => {
    const { logger, lines, records } = capture();
    logger.info("from %s payload %j", PHONE, { email: EMAIL, bsuid: BSUID });
    expectNoRawPii(lines[0] ?? "");
    expect(records()[0]?.msg).toBe('from ***234 payload {"email":"j***@example.com","bsuid":"US.***918"}');
  });

  it("masks errors logged as `{ err }`, with or without a message, keeping the error type", () => {
    const { logger, lines, records } = capture();
    logger.error({ err: new TypeError(`no customer ${E164}`) }, "lookup failed");
    logger.error({ err: new Error(`mail to ${EMAIL} bounced`) });
    for (const l of lines) expectNoRawPii(l);
    const [withMsg, withoutMsg] = records() as { err: { type: string; message: string; stack: string }; msg: string }[];
    expect(withMsg?.msg).toBe("lookup failed");
    expect(withMsg?.err.type).toBe("TypeError");
    expect(withMsg?.err.message).toBe("no customer ***234");
    expect(withMsg?.err.stack).toContain("no customer ***234");
    expect(withoutMsg?.msg).toBe("mail to j***@example.com bounced");
    expect(withoutMsg?.err.type).toBe("Error");
  });

  it("masks an Error passed as the first argument", () => {
    const { logger, lines, records } = capture();
    logger.warn(new Error(`user ${BSUID} not found`));
    logger.warn(new Error(`user ${BSUID} gone`), "with message %s", PHONE);
    for (const l of lines) expectNoRawPii(l);
    const [a, b] = records() as { err: { message: string }; msg: string }[];
    expect(a?.msg).toBe("user US.***918 not found");
    expect(a?.err.message).toBe("user US.***918 not found");
    expect(b?.msg).toBe("with message ***234");
    expect(b?.err.message).toBe("user US.***918 gone");
  });

  it("masks child logger bindings, including grandchildren", () => {
    const { logger, lines, records } = capture();
    const child = logger.child({ customer: PHONE });
    child.info("one");
    child.child({ email: EMAIL }).info("two");
    for (const l of lines) expectNoRawPii(l);
    const [one, two] = records();
    expect(one?.customer).toBe("***234");
    expect(two?.customer).toBe("***234");
    expect(two?.email).toBe("j***@example.com");
  });

  it("redacts authorization headers and cookies wherever a headers object is logged", () => {
    const { logger, lines, records } = capture();
    logger.info({ headers: { authorization: "Bearer top-secret-admin-token", cookie: "sid=abc123", accept: "*/*" } }, "a");
    logger.info({ req: { method: "GET", headers: { authorization: "Bearer top-secret-admin-token", cookie: "sid=abc123" } } }, "b");
    logger.info({ headers: { Authorization: "Bearer top-secret-admin-token" } }, "c");
    logger.info({ authorization: "Bearer top-secret-admin-token" }, "d");
    for (const l of lines) {
      expect(l).not.toContain("top-secret-admin-token");
      expect(l).not.toContain("sid=abc123");
    }
    const [a, b, c, d] = records() as Record<string, unknown>[];
    expect(a?.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]", accept: "*/*" });
    expect(b?.req).toEqual({ method: "GET", headers: { authorization: "[redacted]", cookie: "[redacted]" } });
    expect(c?.headers).toEqual({ Authorization: "[redacted]" });
    expect(d?.authorization).toBe("[redacted]");
  });

  it("redacts secrets by key at the top level and one level down", () => {
    const { logger, lines, records } = capture();
    logger.info({ token: "tok-value-1", config: { accessToken: "tok-value-2", appSecret: "tok-value-3", password: "tok-value-4" } });
    expect(lines[0]).not.toMatch(/tok-value/);
    const rec = records()[0] as { token: string; config: Record<string, string> };
    expect(rec.token).toBe("[redacted]");
    expect(rec.config).toEqual({ accessToken: "[redacted]", appSecret: "[redacted]", password: "[redacted]" });
  });

  it("does not mutate the objects it logs", () => {
    const { logger } = capture();
    const obj = { headers: { authorization: "Bearer x" }, customer: { waId: PHONE } };
    const err = new Error(`no ${PHONE}`);
    logger.info({ ...obj, err }, "msg");
    expect(obj).toEqual({ headers: { authorization: "Bearer x" }, customer: { waId: PHONE } });
    expect(err.message).toBe(`no ${PHONE}`);
  });
});
