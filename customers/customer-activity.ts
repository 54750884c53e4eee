/**
 * Keeps the customer record current off the webhook's path: after each agent turn (the turn's language, the ERP
 * link, the automatic tags), after handoff changes and CSAT answers (tags, from the handoff event bus), and for a
 * whole tenant when its tagging settings change. Background refreshes run one at a time and coalesce per
 * conversation; `idle()` waits for them (tests, shutdown).
 */
import type pg from "pg";
import type { HandoffEvents } from "../handoff/handoff-events.ts";
import type { Logger } from "../lib/logger.ts";
import type { OrderSystem } from "../tools/orders/ports.ts";
import { customerOfConversation, recomputeTenantTags, refreshAutoTags } from "./auto-tags.ts";
import { backfillCustomers } from "./customer-backfill.ts";
import { type ErpLookup, linkErpCustomer } from "./erp-link.ts";

export type CustomerActivityDeps = {
  pool: pg.Pool;
  logger: Logger;
  /** The tenant's order system (demo or HTTP ERP): customers are linked when it finds exactly one by phone. */
  erp?: Pick<OrderSystem, "findCustomersByPhone"> | undefined;
  events?: HandoffEvents | undefined;
};

export type CustomerActivity = {
  /** Called by the agent once a turn is recorded: stores its language, links the ERP customer, refreshes tags. */
  afterTurn(turn: { tenantId: string; conversationId: string; language: string | null }): Promise<void>;
  /** Queues a tag refresh for a conversation's customer. */
  schedule(tenantId: string, conversationId: string): void;
  /** Queues a recompute of every customer of a tenant (after its tagging settings changed). */
  scheduleTenant(tenantId: string): void;
  /** Subscribes to handoff events and backfills profiles written before the customer record existed. */
  start(): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
};

/** How long a failed or ambiguous ERP lookup is not retried for the same customer. */
const ERP_RETRY_MS = 6 * 60 * 60 * 1000;

export function createCustomerActivity(deps: CustomerActivityDeps): CustomerActivity {
  const { pool, logger } = deps;
  const pending = new Map<string, { kind: "conversation" | "tenant"; tenantId: string; conversationId?: string }>();
  const erpTried = new Map<string, number>();
  let running: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let backfill: Promise<void> | undefined;
  let stopped = false;

  async function drain(): Promise<void> {
    for (const [key, job] of pending) {
      if (stopped) return;
      pending.delete(key);
      try {
        if (job.kind === "tenant") {
          const n = await recomputeTenantTags(pool, job.tenantId, { isStopped: () => stopped });
          logger.info({ tenantId: job.tenantId, customers: n }, "automatic tags recomputed");
        } else {
          const customerId = await customerOfConversation(pool, job.tenantId, job.conversationId as string);
          if (customerId) await refreshAutoTags(pool, job.tenantId, customerId);
        }
      } catch (err) {
        logger.warn({ err, tenantId: job.tenantId }, "customer tag refresh failed");
      }
    }
  }

  function kick(): void {
    if (running || stopped) return;
    running = (async () => {
      while (pending.size > 0 && !stopped) await drain();
    })().finally(() => {
      running = undefined;
    });
  }

  const erp: ErpLookup | undefined = deps.erp
    ? {
        findCustomersByPhone: (tenantId, phone) => (deps.erp as NonNullable<typeof deps.erp>).findCustomersByPhone(tenantId, phone),
        shouldTry(customerId) {
          const at = erpTried.get(customerId);
          return at === undefined || Date.now() - at > ERP_RETRY_MS;
        },
        tried(customerId) {
          if (erpTried.size > 50_000) erpTried.clear();
          erpTried.set(customerId, Date.now());
        },
      }
    : undefined;

  function schedule(tenantId: string, conversationId: string): void {
    if (stopped) return;
    // A pending recompute of the whole tenant covers this customer too.
    if (!pending.has(`t:${tenantId}`)) pending.set(`c:${conversationId}`, { kind: "conversation", tenantId, conversationId });
    kick();
  }

  return {
    async afterTurn(turn) {
      const customerId = await customerOfConversation(pool, turn.tenantId, turn.conversationId);
      if (!customerId) return;
      if (turn.language && /^[a-z]{2,3}$/.test(turn.language)) {
        await pool.query("UPDATE customers SET language = $2, updated_at = now() WHERE id = $1 AND language IS DISTINCT FROM $2", [
          customerId,
          turn.language,
        ]);
      }
      if (erp) {
        const linked = await linkErpCustomer(pool, erp, turn.tenantId, customerId);
        if (linked.outcome === "unavailable") logger.debug({ customerId }, "ERP customer lookup unavailable");
      }
      await refreshAutoTags(pool, turn.tenantId, customerId);
    },
    schedule,
    scheduleTenant(tenantId) {
      if (stopped) return;
      pending.set(`t:${tenantId}`, { kind: "tenant", tenantId });
      kick();
    },
    start() {
      unsubscribe = deps.events?.subscribe((event) => {
        // Handoffs opened or resolved (escalated, anger) and inbound messages on human-owned conversations, among
        // them CSAT answers, change what the rules see.
        if (event.type === "handoff.created" || event.type === "handoff.resolved") schedule(event.tenantId, event.conversationId);
        else if (event.type === "message" && event.direction === "inbound") schedule(event.tenantId, event.conversationId);
      });
      backfill = backfillCustomers(pool)
        .then((n) => {
          if (n > 0) logger.info({ customers: n }, "customer profiles backfilled");
        })
        .catch((err: unknown) => logger.warn({ err }, "customer profile backfill failed"));
      // Backfills leave tags to the rules: a customer's tags are recomputed with their next turn or handoff.
    },
    async idle() {
      await backfill;
      while (running) await running;
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      await backfill;
      await running;
    },
  };
}
