/**
 * Timeouts, retries and circuit breakers around every call to an external system the tools use (issue 5), built
 * on cockatiel (well-kept, no dependencies, typed; its breaker, backoff and timeout compose with `wrap`).
 * - Every call has a timeout (5 s by default, per capability overridable) and gets an AbortSignal.
 * - Reads are retried with exponential backoff and jitter; writes never (a write that timed out may have happened:
 *   the customer confirms again and the idempotency key makes the ERP apply it once).
 * - One breaker per tenant and capability: after N consecutive failures calls fail fast until a trial call after
 *   `halfOpenAfterMs` succeeds. One tenant's broken ERP never affects another tenant.
 * - Any failure (thrown error, timeout, open circuit) comes back as a typed `unavailable` result.
 * Expected outcomes (not found, not allowed) are values, not exceptions, so they never trip a breaker.
 */

import type { CircuitBreakerPolicy } from "cockatiel";
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  handleWhen,
  isBrokenCircuitError,
  isTaskCancelledError,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from "cockatiel";
import type { Logger } from "../lib/logger.ts";
import { type Unavailable, unavailable } from "./orders/ports.ts";

export type ResilienceOptions = {
  /** Per call; default 5000. */
  timeoutMs?: number;
  /** Total attempts for a read (1 = no retry); default 3. Writes always get 1. */
  readAttempts?: number;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  breaker?: { consecutiveFailures: number; halfOpenAfterMs: number };
  logger?: Logger;
};

export type CallKey = { tenantId: string; capability: string };
export type BreakerState = "closed" | "open" | "half_open" | "isolated";

export type Resilience = {
  /** Runs `fn` under the policies for this tenant and capability; failures become `unavailable`. */
  run<T>(
    key: CallKey,
    opts: { write: boolean; timeoutMs?: number | undefined },
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T | Unavailable>;
  breakerState(key: CallKey): BreakerState;
  /** Forgets a tenant's breakers (after its integration config changed). */
  resetTenant(tenantId: string): void;
};

/** An error an adapter throws for a failure that retrying will not fix (a malformed answer, a 4xx it did not expect). */
export class PermanentCallError extends Error {
  override readonly name = "PermanentCallError";
}

export const DEFAULT_TIMEOUT_MS = 5_000;

export function createResilience(opts: ResilienceOptions = {}): Resilience {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readAttempts = Math.max(1, opts.readAttempts ?? 3);
  const backoff = opts.backoff ?? { initialDelayMs: 200, maxDelayMs: 2_000 };
  const breakerOpts = opts.breaker ?? { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };
  const breakers = new Map<string, CircuitBreakerPolicy>();
  const keyOf = (k: CallKey) => `${k.tenantId}\u0000${k.capability}`;

  function breakerFor(k: CallKey): CircuitBreakerPolicy {
    const id = keyOf(k);
    let b = breakers.get(id);
    if (!b) {
      b = circuitBreaker(handleAll, {
        halfOpenAfter: breakerOpts.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(breakerOpts.consecutiveFailures),
      });
      b.onStateChange((state) => opts.logger?.warn({ ...k, state: stateName(state) }, "ERP circuit breaker changed state"));
      breakers.set(id, b);
    }
    return b;
  }

  const readRetry = retry(
    handleWhen((err) => !isBrokenCircuitError(err) && !(err instanceof PermanentCallError)),
    {
      maxAttempts: readAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
    },
  );

  return {
    async run(key, callOpts, fn) {
      const policy = wrap(
        ...(callOpts.write ? [] : [readRetry]),
        breakerFor(key),
        timeout(callOpts.timeoutMs ?? timeoutMs, TimeoutStrategy.Aggressive),
      );
      try {
        return await policy.execute(({ signal }) => fn(signal));
      } catch (err) {
        const detail = describeFailure(err, callOpts.timeoutMs ?? timeoutMs);
        opts.logger?.warn({ ...key, detail }, "ERP call failed");
        return unavailable(detail);
      }
    },
    breakerState(key) {
      const b = breakers.get(keyOf(key));
      return b ? stateName(b.state) : "closed";
    },
    resetTenant(tenantId) {
      for (const id of breakers.keys()) if (id.startsWith(`${tenantId}\u0000`)) breakers.delete(id);
    },
  };
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (isBrokenCircuitError(err)) return "circuit open: the system failed repeatedly and is not being called for a while";
  if (isTaskCancelledError(err)) return `timed out after ${timeoutMs} ms`;
  return err instanceof Error ? err.message : String(err);
}

function stateName(s: CircuitState): BreakerState {
  switch (s) {
    case CircuitState.Open:
      return "open";
    case CircuitState.HalfOpen:
      return "half_open";
    case CircuitState.Isolated:
      return "isolated";
    default:
      return "closed";
  }
}
