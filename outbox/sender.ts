/**
 * The sender drains the outbox: picks the oldest queued message of each conversation, applies the per-number
 * throughput limit and the per-customer pacing, claims the rows atomically (so two senders never send the same
 * row), calls the Cloud API and records the outcome. What to do with an error is decided from Meta's code
 * (`classifySendError`): retry with backoff, fail for good, close the window, or pause the number.
 */
import type pg from "pg";
import { closeWindow, windowState } from "../compliance/window.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "../lib/metrics.ts";
import type { GraphError, WhatsAppClient } from "../whatsapp/cloud-api/client.ts";
import { classifySendError } from "../whatsapp/cloud-api/retry-policy.ts";
import {
  type Candidate,
  claimForSending,
  findCandidates,
  markAccepted,
  markFailed,
  type NumberState,
  pauseNumber,
  readNumberStates,
  requeue,
  requeueStale,
} from "./outbox-store.ts";
import { DEFAULT_PACING, type PacingPolicy, RecipientPacer, SendGate, SlidingWindowLimiter } from "./rate-limiter.ts";

export type SenderOptions = {
  pool: pg.Pool;
  client: WhatsAppClient;
  logger: Logger;
  metrics?: Metrics | undefined;
  pacing?: PacingPolicy;
  maxAttempts?: number;
  maxInFlight?: number;
  idlePollMs?: number;
  /** A row still `sending` after this long belongs to a dead process and is queued again. */
  staleSendingMs?: number;
  /** How long a 190/0 (token) error pauses a number before trying again. */
  pauseMs?: number;
};

export type Sender = { start(): void; stop(): Promise<void>; wake(): void; idle(timeoutMs?: number): Promise<void> };

/** Creates the sender; `start()` begins draining. */
export function createSender(opts: SenderOptions): Sender {
  const { pool, client, logger, metrics } = opts;
  const maxAttempts = opts.maxAttempts ?? 10;
  const maxInFlight = opts.maxInFlight ?? 64;
  const idlePollMs = opts.idlePollMs ?? 250;
  const pauseMs = opts.pauseMs ?? 5 * 60_000;
  const pacer = new RecipientPacer(opts.pacing ?? DEFAULT_PACING);
  const gates = new Map<string, SendGate>();
  const inFlight = new Set<Promise<void>>();
  let numbers = new Map<string, NumberState>();
  // Heads of the queue, fetched at most every second and consumed over many ticks: re-running the DISTINCT ON
  // query every 12.5 ms (80/s) would cost more than the sends. Stale entries are harmless: claims are atomic.
  let cache: Candidate[] = [];
  let cacheAt = 0;
  let numbersAt = 0;
  let staleCheckedAt = 0;
  let running = false;
  let ticking = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  function schedule(ms: number) {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  }

  function gateFor(phoneNumberId: string): SendGate {
    const mps = numbers.get(phoneNumberId)?.throughputMps ?? 80;
    let g = gates.get(phoneNumberId);
    if (!g || g.limiter.perSecond !== mps) {
      g = new SendGate(new SlidingWindowLimiter(mps));
      gates.set(phoneNumberId, g);
    }
    return g;
  }

  async function tick(): Promise<void> {
    if (!running) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    let nextMs = idlePollMs;
    try {
      const now = Date.now();
      if (now - numbersAt > 1000) {
        numbers = await readNumberStates(pool);
        numbersAt = now;
      }
      if (now - staleCheckedAt > 10_000) {
        staleCheckedAt = now;
        const n = await requeueStale(pool, opts.staleSendingMs ?? 120_000);
        if (n > 0) logger.warn({ requeued: n }, "requeued messages left in 'sending' by a stopped sender (may be sent twice)");
        pacer.prune(now);
      }
      const room = maxInFlight - inFlight.size;
      if (room <= 0) return;
      if (cache.length === 0 || now - cacheAt > 1000) {
        cache = await findCandidates(pool, 500);
        cacheAt = now;
      }
      const candidates = cache;
      const chosen: Candidate[] = [];
      const deferred: { id: string; ms: number }[] = [];
      const windowClosed: Candidate[] = [];
      const perNumber = new Map<string, number>();
      const blocked = new Set<string>();
      for (const c of candidates) {
        if (chosen.length >= room) break;
        if (blocked.has(c.phoneNumberId)) continue;
        const state = numbers.get(c.phoneNumberId);
        const pausedFor = untilMs(state?.pausedUntil, now);
        const bulkFor = c.category === "marketing" ? untilMs(state?.bulkPausedUntil, now) : 0;
        if (pausedFor > 0 || bulkFor > 0) {
          deferred.push({ id: c.id, ms: Math.max(pausedFor, bulkFor) });
          continue;
        }
        if (c.body.type !== "template" && !windowState(c.lastInboundAt, c.windowClosedAt, new Date(now)).open) {
          windowClosed.push(c);
          continue;
        }
        // Claim only about a quarter second of sends ahead of the number's gate.
        const gate = gateFor(c.phoneNumberId);
        const ahead = gate.backlog + (perNumber.get(c.phoneNumberId) ?? 0);
        if (ahead >= Math.max(1, Math.ceil(gate.limiter.perSecond / 4))) {
          blocked.add(c.phoneNumberId);
          nextMs = Math.min(nextMs, Math.ceil(1000 / gate.limiter.perSecond));
          continue;
        }
        const paceWait = pacer.waitMs(c.recipientKey, now);
        if (paceWait > 0) {
          deferred.push({ id: c.id, ms: paceWait });
          continue;
        }
        pacer.tryTake(c.recipientKey, now);
        perNumber.set(c.phoneNumberId, (perNumber.get(c.phoneNumberId) ?? 0) + 1);
        chosen.push(c);
      }
      const taken = new Set([...chosen.map((c) => c.id), ...deferred.map((d) => d.id), ...windowClosed.map((c) => c.id)]);
      cache = cache.filter((c) => !taken.has(c.id));
      for (const d of deferred) await requeue(pool, d.id, d.ms, null, false).catch(() => undefined);
      for (const c of windowClosed) {
        // Refused before any network call: free-form outside the 24-hour window.
        await markFailed(pool, c.id, { code: null, title: "window_closed: the 24-hour customer-service window closed before sending" });
        metrics?.sendResults.inc({ result: "window_closed", code: "none" });
      }
      const won = await claimForSending(
        pool,
        chosen.map((c) => c.id),
      );
      for (const c of chosen) {
        if (!won.has(c.id)) {
          pacer.refund(c.recipientKey);
          continue;
        }
        const p: Promise<void> = send(c).finally(() => {
          inFlight.delete(p);
          metrics?.outboxInFlight.set(inFlight.size);
          void tick();
        });
        inFlight.add(p);
      }
      metrics?.outboxInFlight.set(inFlight.size);
      if (chosen.length > 0 || deferred.length > 0) nextMs = Math.min(nextMs, 5);
    } catch (err) {
      logger.error({ err }, "sender tick failed");
      nextMs = 1000;
    } finally {
      ticking = false;
      if (again) {
        again = false;
        nextMs = 0;
      }
      schedule(nextMs);
    }
  }

  async function send(c: Candidate): Promise<void> {
    try {
      await gateFor(c.phoneNumberId).acquire();
      const outcome = await client.send(c.phoneNumberId, c.recipient, c.body, { contextWamid: c.contextWamid ?? undefined });
      if (outcome.ok) {
        await markAccepted(pool, c.id, c.tenantId, outcome.wamid);
        metrics?.sendResults.inc({ result: "accepted", code: "none" });
        return;
      }
      await handleError(c, outcome.error);
    } catch (err) {
      // The row stays in `sending`; requeueStale picks it up if this process cannot record anything.
      logger.error({ err, messageId: c.id }, "send failed unexpectedly");
      await requeue(pool, c.id, 5_000, null).catch(() => undefined);
    }
  }

  async function handleError(c: Candidate, error: GraphError): Promise<void> {
    const code = error.code ?? (error.network ? "network" : `http_${error.httpStatus}`);
    const decision = classifySendError(error);
    metrics?.sendResults.inc({ result: decision.action, code: String(code) });
    const log = { messageId: c.id, code, title: error.title, attempt: c.attempts + 1 };
    switch (decision.action) {
      case "retry":
        if (c.attempts + 1 >= maxAttempts) {
          logger.warn(log, "send failed after the last retry");
          await markFailed(pool, c.id, { code: error.code, title: error.title });
        } else {
          await requeue(pool, c.id, decision.delayMs(c.attempts + 1), { code: error.code, title: error.title });
        }
        return;
      case "fail":
        logger.warn(log, "send failed permanently");
        await markFailed(pool, c.id, { code: error.code, title: error.title });
        return;
      case "window_closed":
        await markFailed(pool, c.id, { code: error.code, title: `window_closed: ${error.title}` });
        await closeWindow(pool, c.conversationId);
        return;
      case "pause_number":
        logger.error(
          { ...log, phoneNumberId: c.phoneNumberId, alert: "sending_paused" },
          `ALERT: sending paused for the number: ${decision.reason}`,
        );
        metrics?.numberPaused.set({ phone_number_id: c.phoneNumberId, scope: "all" }, 1);
        await pauseNumber(pool, c.phoneNumberId, "all", pauseMs, decision.reason);
        numbersAt = 0;
        await requeue(pool, c.id, pauseMs, { code: error.code, title: error.title }, false);
        return;
      case "pause_bulk":
        if (c.category === "marketing") {
          logger.error({ ...log, phoneNumberId: c.phoneNumberId, alert: "bulk_paused" }, `ALERT: bulk sending paused: ${decision.reason}`);
          metrics?.numberPaused.set({ phone_number_id: c.phoneNumberId, scope: "bulk" }, 1);
          await pauseNumber(pool, c.phoneNumberId, "bulk", 60 * 60_000, decision.reason);
          numbersAt = 0;
          await requeue(pool, c.id, 60 * 60_000, { code: error.code, title: error.title }, false);
        } else {
          await requeue(pool, c.id, 60_000, { code: error.code, title: error.title });
        }
        return;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      void tick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
    wake() {
      void tick();
    },
    async idle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (inFlight.size === 0 && !ticking) {
          const { rows } = await pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'sending') AND (status = 'sending' OR next_attempt_at <= now())",
          );
          if (rows[0]?.n === 0 && inFlight.size === 0) return;
          void tick();
        }
        if (Date.now() > deadline) throw new Error("sender did not become idle in time");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

function untilMs(until: Date | null | undefined, now: number): number {
  return until ? Math.max(0, until.getTime() - now) : 0;
}
