/**
 * A tenant's ERP integration, as stored in `order_integrations` and edited with `PUT /admin/integrations`:
 * `{adapter: "demo"}` (our own tables) or `{adapter: "http", baseUrl, headers, capabilities}` where each capability
 * is an endpoint (method, path template, query, headers, JSON body template, timeout) plus a response mapping.
 * Secrets are never stored: a header takes `{env: "ERP_TOKEN", prefix: "Bearer "}` and the value is read from the
 * process environment at call time. Templates may only use the variables their capability provides.
 */
import { z } from "zod";
import { CAPABILITIES, type Capability, CustomerSchema, OrderSchema, OrderSummarySchema, ShipmentSchema } from "../ports.ts";
import { checkMapping, type Mapping, MappingSchema, PathSchema } from "./response-mapping.ts";

const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]{0,99}$/, "an env var name is upper-case letters, digits and _");
const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "a header name is letters, digits and -");
/** Header and parameter names whose value is a credential: these must come from the environment. */
const SECRET_NAME = /authorization|cookie|token|secret|password|passwd|api[-_]?key|apikey|signature|session|credential/i;

const HeaderValueSchema = z.union([z.string().max(1000), z.strictObject({ env: EnvName, prefix: z.string().max(50).optional() })]);
export type HeaderValue = z.infer<typeof HeaderValueSchema>;
const HeadersSchema = z.record(HeaderName, HeaderValueSchema).refine((h) => Object.keys(h).length <= 30, "at most 30 headers");

export const EndpointSchema = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  /** Appended to baseUrl; `{orderId}`-style variables are URL-encoded. */
  path: z.string().min(1).max(1000).regex(/^\//, "path starts with /"),
  query: z.record(z.string().regex(/^[\w.-]{1,100}$/), z.string().max(500)).optional(),
  headers: HeadersSchema.optional(),
  /** JSON body; a string that is exactly "{var}" becomes the variable's value (object, list), others are interpolated. */
  body: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  notFoundStatus: z.array(z.number().int().min(400).max(499)).max(10).default([404]),
  notAllowedStatus: z.array(z.number().int().min(400).max(499)).max(10).default([409, 422]),
  /** Where the answer's object (or list) is; "" for the whole body. */
  root: PathSchema.default(""),
  /** Field mapping onto our type. Writes may omit it: the order is then read again with getOrder. */
  response: MappingSchema.optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

const CapabilitiesSchema = z.strictObject(
  Object.fromEntries(CAPABILITIES.map((c) => [c, EndpointSchema.optional()])) as Record<Capability, z.ZodOptional<typeof EndpointSchema>>,
);

export const HttpIntegrationSchema = z.strictObject({
  adapter: z.literal("http"),
  baseUrl: z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL" }).max(500),
  headers: HeadersSchema.optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  capabilities: CapabilitiesSchema,
});
export type HttpIntegration = z.infer<typeof HttpIntegrationSchema>;

export const IntegrationConfigSchema = z
  .discriminatedUnion("adapter", [z.strictObject({ adapter: z.literal("demo") }), HttpIntegrationSchema])
  .superRefine((config, ctx) => {
    if (config.adapter !== "http") return;
    for (const problem of checkHttpIntegration(config)) ctx.addIssue({ code: "custom", message: problem });
  });
export type IntegrationConfig = z.infer<typeof IntegrationConfigSchema>;

/** The template variables each capability provides. */
export const TEMPLATE_VARS: Record<Capability, readonly string[]> = {
  getCustomer: ["customerId"],
  findCustomersByPhone: ["phone"],
  listOrders: ["customerId", "limit"],
  getOrder: ["orderId"],
  cancelOrder: ["orderId", "reason", "idempotencyKey"],
  updateShippingAddress: ["orderId", "address", "line1", "line2", "city", "state", "postalCode", "country", "idempotencyKey"],
  requestReturn: ["orderId", "itemIds", "reason", "idempotencyKey"],
  trackShipment: ["trackingId"],
};

/** Each capability's result type: what its response mapping must produce. */
export const RESULT_SCHEMAS: Record<Capability, { schema: z.ZodType; list: boolean }> = {
  getCustomer: { schema: CustomerSchema, list: false },
  findCustomersByPhone: { schema: CustomerSchema, list: true },
  listOrders: { schema: OrderSummarySchema, list: true },
  getOrder: { schema: OrderSchema, list: false },
  cancelOrder: { schema: OrderSchema, list: false },
  updateShippingAddress: { schema: OrderSchema, list: false },
  requestReturn: { schema: OrderSchema, list: false },
  trackShipment: { schema: ShipmentSchema, list: false },
};

const PLACEHOLDER = /\{(\w+)\}/g;

function checkHttpIntegration(config: HttpIntegration): string[] {
  const problems: string[] = [];
  const url = new URL(config.baseUrl);
  if (url.username || url.password) problems.push("baseUrl: credentials in the URL are not allowed; use a header with {env}");
  for (const [k] of url.searchParams)
    if (SECRET_NAME.test(k)) problems.push(`baseUrl: query parameter ${k} looks like a secret; use a header with {env}`);
  problems.push(...checkHeaders(config.headers, "headers"));
  for (const cap of CAPABILITIES) {
    const ep = config.capabilities[cap];
    if (!ep) continue;
    const at = `capabilities.${cap}`;
    problems.push(...checkHeaders(ep.headers, `${at}.headers`));
    for (const [k, v] of Object.entries(ep.query ?? {})) {
      if (SECRET_NAME.test(k) && !/^\{\w+\}$/.test(v))
        problems.push(`${at}.query.${k}: looks like a secret; send it in a header with {env}`);
    }
    const vars = new Set(TEMPLATE_VARS[cap]);
    for (const [where, text] of templateStrings(ep)) {
      for (const m of text.matchAll(PLACEHOLDER)) {
        if (!vars.has(m[1] as string)) problems.push(`${at}.${where}: unknown variable {${m[1]}} (available: ${[...vars].join(", ")})`);
      }
    }
    if (ep.body && ep.method === "GET") problems.push(`${at}.body: a GET request has no body`);
    const target = RESULT_SCHEMAS[cap];
    if (!ep.response) {
      if (!["cancelOrder", "updateShippingAddress", "requestReturn"].includes(cap)) problems.push(`${at}.response: a mapping is required`);
      else if (!config.capabilities.getOrder) problems.push(`${at}.response: without a mapping the order is re-read, which needs getOrder`);
    } else {
      problems.push(...checkMapping(ep.response as Mapping, target.schema, `${at}.response`));
    }
  }
  return problems;
}

function checkHeaders(headers: Record<string, HeaderValue> | undefined, at: string): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === "string" && SECRET_NAME.test(name)) {
      problems.push(
        `${at}.${name}: secrets are never stored; reference an env var instead, e.g. {"env": "ERP_API_TOKEN", "prefix": "Bearer "}`,
      );
    }
  }
  return problems;
}

function* templateStrings(ep: Endpoint): Generator<[string, string]> {
  yield ["path", ep.path];
  for (const [k, v] of Object.entries(ep.query ?? {})) yield [`query.${k}`, v];
  for (const [k, v] of Object.entries(ep.headers ?? {})) if (typeof v === "string") yield [`headers.${k}`, v];
  const walk = function* (v: unknown, at: string): Generator<[string, string]> {
    if (typeof v === "string") yield [at, v];
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* walk(x, `${at}.${i}`);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) yield* walk(x, `${at}.${k}`);
  };
  if (ep.body) yield* walk(ep.body, "body");
}

/** Env var names a config references (shown by the admin API so a missing one is noticed before a call fails). */
export function referencedEnvVars(config: IntegrationConfig): string[] {
  if (config.adapter !== "http") return [];
  const names = new Set<string>();
  const add = (h?: Record<string, HeaderValue>) => {
    for (const v of Object.values(h ?? {})) if (typeof v === "object") names.add(v.env);
  };
  add(config.headers);
  for (const ep of Object.values(config.capabilities)) add(ep?.headers);
  return [...names].sort();
}
