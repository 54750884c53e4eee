/**
 * A fake ERP for tests: a real HTTP server on 127.0.0.1 with its own JSON shapes (not ours, so the mapping is
 * exercised), plus switches to make it slow, fail, answer garbage or too much. `FAKE_ERP_INTEGRATION` is the
 * integration config that maps it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpIntegration } from "./integration-config.ts";

type ErpOrder = {
  id: string;
  state: string;
  customer: { id: string };
  lines: { sku: string; title: string; unit_price: number }[];
  ship_to: { street: string; city: string; zip: string; country_code: string };
  parcels: { number: string }[];
};

export type FakeErp = {
  url: string;
  /** Every request seen: method, path with query, headers, body. */
  requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  /** The next `times` requests answer `status` (default 503). */
  failNext(times: number, status?: number): void;
  /** Requests wait this long before answering (until reset). */
  setDelay(ms: number): void;
  /** "bad_json": not JSON; "bad_shape": JSON our mapping cannot use; "huge": a body over 2 MB. */
  setMode(mode: "normal" | "bad_json" | "bad_shape" | "huge"): void;
  orders: Map<string, ErpOrder>;
  close(): Promise<void>;
};

export async function startFakeErp(): Promise<FakeErp> {
  const orders = new Map<string, ErpOrder>([
    ["A-1", order("A-1", "open", "cust-1")],
    ["A-2", order("A-2", "fulfilled", "cust-1", ["TRK1"])],
    ["B-1", order("B-1", "open", "cust-2")],
  ]);
  const customers = [
    { id: "cust-1", full_name: "Ana García", contact: { email: "ana@example.com", mobile: "+34 600 000 001" }, zip: "28013" },
    { id: "cust-2", full_name: "Luis Pérez", contact: { email: "luis@example.com", mobile: "+34 600 000 002" }, zip: "08001" },
  ];
  let failures = 0;
  let failStatus = 503;
  let delay = 0;
  let mode: "normal" | "bad_json" | "bad_shape" | "huge" = "normal";
  const requests: FakeErp["requests"] = [];

  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    if (failures > 0) {
      failures--;
      return send(failStatus, { error: "boom" });
    }
    if (mode === "bad_json") return send(200, "<html>gateway error</html>");
    if (mode === "huge") return send(200, { data: "x".repeat(2_100_000) });
    const url = new URL(req.url ?? "/", "http://erp");
    const parts = url.pathname.split("/").filter(Boolean);
    if (mode === "bad_shape") return send(200, { data: { id: parts[2] ?? "x", state: "teleported" } });
    if (parts[0] === "api" && parts[1] === "orders" && parts[2] && req.method === "GET") {
      const o = orders.get(decodeURIComponent(parts[2]));
      return o ? send(200, { data: o }) : send(404, { error: "no such order" });
    }
    if (parts[0] === "api" && parts[1] === "orders" && parts[2] && parts[3] === "cancel" && req.method === "POST") {
      const o = orders.get(decodeURIComponent(parts[2]));
      if (!o) return send(404, {});
      if (o.state !== "open") return send(409, { error: "cannot cancel" });
      o.state = "void";
      return send(200, { data: o });
    }
    if (parts[0] === "api" && parts[1] === "customers" && parts[2] && parts[3] === "orders") {
      const list = [...orders.values()].filter((o) => o.customer.id === parts[2]);
      return send(200, {
        results: list.map((o) => ({ id: o.id, state: o.state, lines: o.lines, amount: o.lines.reduce((s, l) => s + l.unit_price, 0) })),
      });
    }
    if (parts[0] === "api" && parts[1] === "customers" && parts[2]) {
      const c = customers.find((x) => x.id === parts[2]);
      return c ? send(200, c) : send(404, {});
    }
    if (parts[0] === "api" && parts[1] === "customers") {
      const phone = (url.searchParams.get("phone") ?? "").replace(/\D/g, "");
      return send(200, { results: customers.filter((c) => c.contact.mobile.replace(/\D/g, "") === phone) });
    }
    if (parts[0] === "api" && parts[1] === "tracking" && parts[2] === "TRK1") {
      return send(200, {
        tracking: {
          number: "TRK1",
          carrier: "NordPost",
          phase: "in_transit",
          eta: "2026-12-01",
          scans: [{ ts: "2026-11-27T10:00:00Z", code: "in_transit", where: "Leipzig" }],
        },
      });
    }
    return send(404, {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    orders,
    failNext(times, status = 503) {
      failures = times;
      failStatus = status;
    },
    setDelay(ms) {
      delay = ms;
    },
    setMode(m) {
      mode = m;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function order(id: string, state: string, customerId: string, parcels: string[] = []): ErpOrder {
  return {
    id,
    state,
    customer: { id: customerId },
    lines: [{ sku: `${id}-SKU1`, title: "Trail T-Shirt", unit_price: 24.5 }],
    ship_to: { street: "1 Harbor Road", city: "Madrid", zip: "28013", country_code: "ES" },
    parcels: parcels.map((number) => ({ number })),
  };
}

const STATE_MAP = { open: "pending", picking: "processed", fulfilled: "shipped", received: "delivered", void: "cancelled" };
const ORDER_MAPPING = {
  orderId: "id",
  customerId: "customer.id",
  status: { path: "state", map: STATE_MAP },
  currency: { const: "EUR" },
  items: { path: "lines", each: { itemId: "sku", name: "title", price: "unit_price" } },
  shippingAddress: { path: "ship_to", fields: { line1: "street", city: "city", postalCode: "zip", country: "country_code" } },
  trackingIds: { path: "parcels", pluck: "number" },
};

/** The integration config that maps the fake ERP; `baseUrl` is the server's URL. */
export function fakeErpIntegration(baseUrl: string): HttpIntegration {
  return {
    adapter: "http",
    baseUrl,
    headers: { authorization: { env: "FAKE_ERP_TOKEN", prefix: "Bearer " } },
    capabilities: {
      getOrder: {
        method: "GET",
        path: "/api/orders/{orderId}",
        root: "data",
        response: ORDER_MAPPING,
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
      getCustomer: {
        method: "GET",
        path: "/api/customers/{customerId}",
        root: "",
        response: { customerId: "id", name: "full_name", email: "contact.email", phone: "contact.mobile", postalCode: "zip" },
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
      findCustomersByPhone: {
        method: "GET",
        path: "/api/customers",
        query: { phone: "{phone}" },
        root: "results",
        response: { customerId: "id", name: "full_name", email: "contact.email", phone: "contact.mobile", postalCode: "zip" },
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
      listOrders: {
        method: "GET",
        path: "/api/customers/{customerId}/orders",
        query: { limit: "{limit}" },
        root: "results",
        response: { orderId: "id", status: { path: "state", map: STATE_MAP }, total: "amount", itemCount: { path: "lines", count: true } },
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
      cancelOrder: {
        method: "POST",
        path: "/api/orders/{orderId}/cancel",
        body: { reason: "{reason}", requested_by: "whatsapp" },
        root: "data",
        response: ORDER_MAPPING,
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
      trackShipment: {
        method: "GET",
        path: "/api/tracking/{trackingId}",
        root: "tracking",
        response: {
          trackingId: "number",
          carrier: "carrier",
          status: "phase",
          estimatedDelivery: "eta",
          events: { path: "scans", each: { at: "ts", status: "code", location: "where" } },
        },
        notFoundStatus: [404],
        notAllowedStatus: [409, 422],
      },
    },
  };
}
