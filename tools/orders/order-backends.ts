/**
 * The `OrderSystem` and `ShipmentTracker` the tools use: for each call, the adapter the tenant's integration names
 * (demo tables or its ERP over HTTP), with one shared set of resilience policies. Configs are cached briefly so a
 * change made through another process is picked up within `cacheMs`; `invalidate` drops a tenant's entry at once.
 */
import type pg from "pg";
import type { Logger } from "../../lib/logger.ts";
import type { Resilience } from "../resilience.ts";
import { createDemoOrderSystem } from "./demo/demo-order-system.ts";
import { createHttpOrderSystem } from "./http/http-order-system.ts";
import { readIntegration } from "./integration-store.ts";
import { type OrderSystem, type ShipmentTracker, unavailable } from "./ports.ts";

type Adapter = OrderSystem & ShipmentTracker;

export type OrderBackends = { orders: OrderSystem; shipments: ShipmentTracker; invalidate(tenantId: string): void };

export function createOrderBackends(deps: {
  pool: pg.Pool;
  resilience: Resilience;
  secretEnv: Record<string, string | undefined>;
  fetch?: typeof fetch;
  logger?: Logger;
  cacheMs?: number;
}): OrderBackends {
  const demo = createDemoOrderSystem({ pool: deps.pool, resilience: deps.resilience });
  const cache = new Map<string, { adapter: Adapter; loadedAt: number }>();
  const cacheMs = deps.cacheMs ?? 30_000;

  async function adapterFor(tenantId: string): Promise<Adapter | undefined> {
    const hit = cache.get(tenantId);
    if (hit && Date.now() - hit.loadedAt < cacheMs) return hit.adapter;
    try {
      const { config } = await readIntegration(deps.pool, tenantId);
      const adapter =
        config.adapter === "http"
          ? createHttpOrderSystem({
              config,
              resilience: deps.resilience,
              secretEnv: deps.secretEnv,
              ...(deps.fetch ? { fetch: deps.fetch } : {}),
            })
          : demo;
      cache.set(tenantId, { adapter, loadedAt: Date.now() });
      return adapter;
    } catch (err) {
      deps.logger?.error({ err, tenantId }, "cannot load the tenant's ERP integration");
      return undefined;
    }
  }

  // Every port method takes the tenant first: dispatch on it.
  const route = <K extends keyof Adapter>(name: K) =>
    (async (tenantId: string, ...rest: unknown[]) => {
      const adapter = await adapterFor(tenantId);
      if (!adapter) return unavailable("the ERP integration could not be loaded");
      return (adapter[name] as (...a: unknown[]) => Promise<unknown>)(tenantId, ...rest);
    }) as Adapter[K];

  return {
    orders: {
      getCustomer: route("getCustomer"),
      findCustomersByPhone: route("findCustomersByPhone"),
      listOrders: route("listOrders"),
      getOrder: route("getOrder"),
      cancelOrder: route("cancelOrder"),
      updateShippingAddress: route("updateShippingAddress"),
      requestReturn: route("requestReturn"),
    },
    shipments: { trackShipment: route("trackShipment") },
    invalidate(tenantId) {
      cache.delete(tenantId);
      deps.resilience.resetTenant(tenantId);
    },
  };
}
