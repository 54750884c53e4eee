import { describe, expect, it } from "vitest";
import { fakeErpIntegration } from "./erp-server.fake.ts";
import { IntegrationConfigSchema, referencedEnvVars } from "./integration-config.ts";

const valid = fakeErpIntegration("https://erp.example.com/v2");
const problems = (config: unknown) => {
  const r = IntegrationConfigSchema.safeParse(config);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
};
const withCap = (cap: string, patch: object) => ({
  ...valid,
  capabilities: { ...valid.capabilities, [cap]: { ...(valid.capabilities as Record<string, object>)[cap], ...patch } },
});

describe("integration config", () => {
  it("accepts the demo adapter and a complete http config, and lists the env vars it needs", () => {
    expect(problems({ adapter: "demo" })).toEqual([]);
    expect(problems(valid)).toEqual([]);
    const parsed = IntegrationConfigSchema.parse(valid);
    expect(referencedEnvVars(parsed)).toEqual(["FAKE_ERP_TOKEN"]);
  });

  it.each([
    ["an unknown adapter", { adapter: "sap" }, /adapter/],
    [
      "an unknown capability",
      { ...valid, capabilities: { ...valid.capabilities, deleteEverything: valid.capabilities.getOrder } },
      /deleteEverything/,
    ],
    ["an unknown top-level key", { ...valid, password: "x" }, /password/],
    ["a non-http baseUrl", { ...valid, baseUrl: "file:///etc/passwd" }, /http/],
    ["credentials in the baseUrl", { ...valid, baseUrl: "https://user:pw@erp.example.com" }, /credentials/],
    ["an inline Authorization header", { ...valid, headers: { Authorization: "Bearer abc" } }, /secrets are never stored/],
    ["an inline X-Api-Key on a capability", withCap("getOrder", { headers: { "X-Api-Key": "abc" } }), /secrets are never stored/],
    ["a secret in the query", withCap("getOrder", { query: { api_key: "abc" } }), /looks like a secret/],
    ["a bad env var name", { ...valid, headers: { authorization: { env: "erp token" } } }, /env var name/],
    ["an unknown template variable", withCap("getOrder", { path: "/orders/{orderNumber}" }), /unknown variable \{orderNumber\}/],
    ["a variable of another capability", withCap("getOrder", { path: "/orders/{customerId}" }), /unknown variable \{customerId\}/],
    ["a path without leading slash", withCap("getOrder", { path: "orders/{orderId}" }), /starts with/],
    ["a GET with a body", withCap("getOrder", { body: { a: 1 } }), /GET request has no body/],
    ["a timeout out of range", withCap("getOrder", { timeoutMs: 600_000 }), /timeoutMs/],
    [
      "a mapping to an unknown field",
      withCap("getOrder", { response: { ...valid.capabilities.getOrder?.response, colour: "c" } }),
      /unknown field/,
    ],
    ["a mapping missing a required field", withCap("getOrder", { response: { orderId: "id" } }), /required field is not mapped/],
    ["a read without a mapping", withCap("getOrder", { response: undefined }), /mapping is required/],
    ["an invalid mapping path", withCap("getOrder", { response: { ...valid.capabilities.getOrder?.response, orderId: "a..b" } }), /path/],
    [
      "two kinds in one field",
      withCap("getOrder", { response: { ...valid.capabilities.getOrder?.response, currency: { const: "EUR", count: true } } }),
      /only one of/,
    ],
    [
      "a nested mapping to an unknown field",
      withCap("trackShipment", { response: { trackingId: "n", status: "s", events: { path: "e", each: { when: "ts" } } } }),
      /events\.when/,
    ],
  ])("refuses %s", (_label, config, message) => {
    const found = problems(config);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toMatch(message);
  });
});
