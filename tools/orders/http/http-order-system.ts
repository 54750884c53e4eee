/**
 * The `http` adapter: `OrderSystem` and `ShipmentTracker` over a real ERP's HTTP API, described per tenant by an
 * `HttpIntegration` (endpoint templates + response mappings). Every call runs under the shared resilience policies
 * (timeout, retries for reads only, breaker per tenant and capability). Configured not-found statuses (404) give
 * `not_found`, not-allowed statuses (409, 422) on writes give `not_allowed`; 5xx, 408, 429 and network errors are
 * retried (reads); any other status, a non-JSON or oversized body, or an answer the mapping cannot turn into our
 * type is a permanent failure. All failures reach the tools as `unavailable`.
 */
import { PermanentCallError, type Resilience } from "../../resilience.ts";
import {
  type Capability,
  type Customer,
  normalizePhone,
  notAllowed,
  notFound,
  type Order,
  type OrderSummary,
  type OrderSystem,
  ok,
  type ReadResult,
  type Shipment,
  type ShipmentTracker,
  unavailable,
  WRITE_CAPABILITIES,
} from "../ports.ts";
import { type Endpoint, type HeaderValue, type HttpIntegration, RESULT_SCHEMAS } from "./integration-config.ts";
import { applyMapping, type Mapping, readPath } from "./response-mapping.ts";

export type HttpAdapterDeps = {
  config: HttpIntegration;
  resilience: Resilience;
  /** Where `{env: NAME}` header values are read; the composition root passes the process environment. */
  secretEnv: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Largest answer accepted; default 1 MB. */
  maxResponseBytes?: number;
};

type Vars = Record<string, unknown>;
type CallOutcome<T> = { kind: "ok"; value: T } | { kind: "not_found" } | { kind: "not_allowed"; status: number };

export function createHttpOrderSystem(deps: HttpAdapterDeps): OrderSystem & ShipmentTracker {
  const { config, resilience } = deps;
  const fetchImpl = deps.fetch ?? fetch;
  const maxBytes = deps.maxResponseBytes ?? 1_000_000;

  async function call<T>(tenantId: string, cap: Capability, vars: Vars): Promise<CallOutcome<T> | ReturnType<typeof unavailable>> {
    const ep = config.capabilities[cap];
    if (!ep) return unavailable(`${cap} is not configured in this tenant's ERP integration`);
    const write = WRITE_CAPABILITIES.has(cap);
    return resilience.run({ tenantId, capability: cap }, { write, timeoutMs: ep.timeoutMs ?? config.timeoutMs }, async (signal) => {
      const res = await fetchImpl(buildUrl(config.baseUrl, ep, vars), {
        method: ep.method,
        headers: buildHeaders(config, ep, deps.secretEnv, write ? String(vars.idempotencyKey) : undefined),
        ...(ep.body ? { body: JSON.stringify(fill(ep.body, vars)) } : {}),
        signal,
        redirect: "error",
      });
      if (ep.notFoundStatus.includes(res.status)) {
        await res.body?.cancel();
        return { kind: "not_found" } as const;
      }
      if (write && ep.notAllowedStatus.includes(res.status)) {
        await res.body?.cancel();
        return { kind: "not_allowed", status: res.status } as const;
      }
      if (!res.ok) {
        await res.body?.cancel();
        const msg = `ERP answered HTTP ${res.status} for ${cap}`;
        throw res.status >= 500 || res.status === 408 || res.status === 429 ? new Error(msg) : new PermanentCallError(msg);
      }
      if (!ep.response) return { kind: "ok", value: undefined as T } as const;
      const body = await readJson(res, maxBytes, cap);
      return { kind: "ok", value: mapResult(body, ep, cap) as T } as const;
    });
  }

  async function read<T>(tenantId: string, cap: Capability, vars: Vars): Promise<ReadResult<T>> {
    const r = await call<T>(tenantId, cap, vars);
    if ("ok" in r) return r;
    return r.kind === "ok" ? ok(r.value) : notFound;
  }

  async function write(tenantId: string, cap: Capability, orderId: string, vars: Vars) {
    const r = await call<Order | undefined>(tenantId, cap, { orderId, ...vars });
    if ("ok" in r) return r;
    if (r.kind === "not_found") return notFound;
    if (r.kind === "not_allowed") return notAllowed(null, `the ERP refused the change (HTTP ${r.status})`);
    if (r.value) return ok(r.value);
    return read<Order>(tenantId, "getOrder", { orderId });
  }

  return {
    getCustomer: (tenantId, customerId) => read<Customer>(tenantId, "getCustomer", { customerId }),
    findCustomersByPhone: async (tenantId, phone) => {
      const r = await read<Customer[]>(tenantId, "findCustomersByPhone", { phone });
      if (!r.ok) return r.reason === "not_found" ? ok([]) : r;
      // The ERP may search loosely; only an exact number counts as the same customer.
      return ok(r.value.filter((c) => c.phone && normalizePhone(c.phone) === normalizePhone(phone)));
    },
    listOrders: (tenantId, customerId, { limit }) => read<OrderSummary[]>(tenantId, "listOrders", { customerId, limit }),
    getOrder: (tenantId, orderId) => read<Order>(tenantId, "getOrder", { orderId }),
    cancelOrder: (tenantId, orderId, reason, { idempotencyKey }) => write(tenantId, "cancelOrder", orderId, { reason, idempotencyKey }),
    updateShippingAddress: (tenantId, orderId, address, { idempotencyKey }) =>
      write(tenantId, "updateShippingAddress", orderId, { ...address, address, idempotencyKey }),
    requestReturn: (tenantId, orderId, itemIds, reason, { idempotencyKey }) =>
      write(tenantId, "requestReturn", orderId, { itemIds, reason, idempotencyKey }),
    trackShipment: (tenantId, trackingId) => read<Shipment>(tenantId, "trackShipment", { trackingId }),
  };
}

function interpolate(template: string, vars: Vars, encode: (s: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? "" : encode(typeof v === "object" ? JSON.stringify(v) : String(v));
  });
}

function buildUrl(baseUrl: string, ep: Endpoint, vars: Vars): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + interpolate(ep.path, vars, encodeURIComponent));
  for (const [k, v] of Object.entries(ep.query ?? {}))
    url.searchParams.set(
      k,
      interpolate(v, vars, (s) => s),
    );
  return url.toString();
}

function buildHeaders(config: HttpIntegration, ep: Endpoint, env: Record<string, string | undefined>, idempotencyKey?: string): Headers {
  const headers = new Headers({ accept: "application/json" });
  if (ep.body) headers.set("content-type", "application/json");
  if (idempotencyKey) headers.set("idempotency-key", idempotencyKey);
  const resolve = (v: HeaderValue): string => {
    if (typeof v === "string") return v;
    const secret = env[v.env];
    if (!secret) throw new PermanentCallError(`environment variable ${v.env} (referenced by the ERP integration) is not set`);
    return (v.prefix ?? "") + secret;
  };
  for (const [k, v] of Object.entries({ ...config.headers, ...ep.headers })) headers.set(k, resolve(v));
  return headers;
}

function fill(template: unknown, vars: Vars): unknown {
  if (typeof template === "string") {
    const whole = /^\{(\w+)\}$/.exec(template);
    return whole ? (vars[whole[1] as string] ?? null) : interpolate(template, vars, (s) => s);
  }
  if (Array.isArray(template)) return template.map((x) => fill(x, vars));
  if (template && typeof template === "object") return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, vars)]));
  return template;
}

async function readJson(res: Response, maxBytes: number, cap: Capability): Promise<unknown> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new PermanentCallError(`ERP answer for ${cap} is larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new PermanentCallError(`ERP answer for ${cap} is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new PermanentCallError(`ERP answer for ${cap} is not JSON`);
  }
}

function mapResult(body: unknown, ep: Endpoint, cap: Capability): unknown {
  const { schema, list } = RESULT_SCHEMAS[cap];
  const root = readPath(body, ep.root);
  const mapping = ep.response as Mapping;
  if (list && !Array.isArray(root)) throw new PermanentCallError(`ERP answer for ${cap} has no list at "${ep.root}"`);
  const mapped = list ? (root as unknown[]).map((x) => applyMapping(x, mapping)) : applyMapping(root, mapping);
  const parsed = (list ? schema.array() : schema).safeParse(mapped);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PermanentCallError(`ERP answer for ${cap} does not fit the mapping: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}
