/**
 * Test bed for the order tools: a migrated in-memory database with the default tenant, a small generated demo
 * store (fixed clock), the real backends and resilience (fast backoff), and conversations opened the way the
 * webhook opens them (so the 24-hour window is open and confirmation buttons can be queued).
 */
import { recordInbound } from "../../conversations/conversation-store.ts";
import type { Database } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { openMemoryDatabase } from "../../lib/testing/test-db.ts";
import { DEFAULT_TENANT_ID, ensureDefaultTenant } from "../../tenants/tenant-store.ts";
import { createResilience, type Resilience } from "../resilience.ts";
import { generateDemoStore } from "./demo/demo-seed.ts";
import { type DemoStoreData, seedDemoStoreIfEmpty } from "./demo/demo-store.ts";
import { createOrderBackends, type OrderBackends } from "./order-backends.ts";
import type { OrderContext, OrderDeps } from "./order-service.ts";

export const TEST_NOW = new Date("2026-11-27T12:00:00Z");
export const TEST_PHONE_NUMBER_ID = "106540352242922";

export type OrderTestbed = {
  db: Database;
  data: DemoStoreData;
  deps: OrderDeps;
  backends: OrderBackends;
  resilience: Resilience;
  /** Opens (or finds) the conversation of a WhatsApp user and returns its tool context. */
  contextFor(user: { phone?: string; bsuid?: string }): Promise<OrderContext>;
  close(): Promise<void>;
};

let seq = 0;

export async function openOrderTestbed(
  opts: { customers?: number; fetch?: typeof fetch; secretEnv?: Record<string, string>; db?: Database } = {},
): Promise<OrderTestbed> {
  const db = opts.db ?? (await openMemoryDatabase());
  await migrate(db.pool);
  await ensureDefaultTenant(db.pool, TEST_PHONE_NUMBER_ID);
  const data = generateDemoStore({ now: TEST_NOW, customers: opts.customers ?? 30 });
  await seedDemoStoreIfEmpty(db.pool, DEFAULT_TENANT_ID, () => data);
  const resilience = createResilience({ backoff: { initialDelayMs: 1, maxDelayMs: 5 } });
  const backends = createOrderBackends({
    pool: db.pool,
    resilience,
    secretEnv: opts.secretEnv ?? {},
    cacheMs: 0,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const deps: OrderDeps = { pool: db.pool, orders: backends.orders, shipments: backends.shipments, queue: { pool: db.pool } };
  return {
    db,
    data,
    deps,
    backends,
    resilience,
    async contextFor(user) {
      seq += 1;
      const recorded = await recordInbound(db.pool, DEFAULT_TENANT_ID, {
        kind: "message",
        phoneNumberId: TEST_PHONE_NUMBER_ID,
        wamid: `wamid.orders.${Date.now()}.${seq}`,
        occurredAt: new Date().toISOString(),
        type: "text",
        known: true,
        from: { ...(user.phone ? { waId: user.phone } : {}), ...(user.bsuid ? { userId: user.bsuid } : {}) },
        text: "hi",
        contextWamid: null,
        raw: {},
      });
      return {
        tenantId: DEFAULT_TENANT_ID,
        conversationId: recorded.conversationId,
        customer: { phone: user.phone ?? null, bsuid: user.bsuid ?? null },
      };
    },
    close: () => db.close(),
  };
}

/** The generated customer with this index (1-based) and their orders. */
export function demoCustomer(data: DemoStoreData, n: number) {
  const customer = data.customers[n - 1];
  if (!customer) throw new Error(`no demo customer ${n}`);
  return { customer, orders: data.orders.filter((o) => o.customer_id === customer.customer_id) };
}
