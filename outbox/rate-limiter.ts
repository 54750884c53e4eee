/**
 * Two limits on sending (../shared/docs/whatsapp-platform.md §6):
 * - per business number, a sliding one-second window at the number's throughput (80 messages/s by default),
 *   exact: never more than `perSecond` sends in any 1,000 ms;
 * - per customer, Meta's pair rate limit (about 1 message per 6 s sustained, short bursts allowed), as a token
 *   bucket, so one chatty conversation waits while the others go on.
 * Limits are per process: run one sender per business number, or give each instance its share of the rate.
 */

/**
 * Sliding-window log (remembers the last `perSecond` send times: never more than `perSecond` in any 1,000 ms)
 * plus a paced schedule (GCRA) of one send every 1000/perSecond ms. The window alone would allow `perSecond` sends
 * back to back and then a pause; the schedule keeps what Meta sees smooth, and its small tolerance lets a late
 * timer catch up instead of losing throughput.
 */
// The window is a little longer than a second: the guard band absorbs event-loop jitter between our send and the
// receiver's clock (bench:outbox measures at the receiving end), at a cost of ~2% of the peak rate.
const WINDOW_MS = 1_025;

export class SlidingWindowLimiter {
  private readonly times: number[];
  private next = 0;
  /** The theoretical time of the next send on an evenly paced schedule. */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly spacingMs: number;
  private readonly toleranceMs: number;

  constructor(readonly perSecond: number) {
    this.times = new Array(perSecond).fill(Number.NEGATIVE_INFINITY);
    this.spacingMs = 1000 / perSecond;
    this.toleranceMs = Math.min(3 * this.spacingMs, 50);
  }

  /** Milliseconds until a send is allowed (0 = now). */
  waitMs(now: number): number {
    const oldest = this.times[this.next] as number;
    return Math.max(0, oldest + WINDOW_MS - now, this.tat - this.toleranceMs - now);
  }

  tryTake(now: number): boolean {
    if (this.waitMs(now) > 0) return false;
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.perSecond;
    this.tat = Math.max(this.tat, now) + this.spacingMs;
    return true;
  }

  /** Gives back the most recent take (a claimed message turned out to be taken by another sender). */
  refund(): void {
    this.next = (this.next - 1 + this.perSecond) % this.perSecond;
    this.times[this.next] = Number.NEGATIVE_INFINITY;
    this.tat -= this.spacingMs;
  }
}

export type PacingPolicy = { burst: number; intervalMs: number };

/** Meta: 1 message every 6 s to the same user, bursts borrow from future quota. We allow a burst of 6. */
export const DEFAULT_PACING: PacingPolicy = { burst: 6, intervalMs: 6_000 };

/** Token buckets per recipient; idle buckets are forgotten once full again. */
export class RecipientPacer {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly policy: PacingPolicy = DEFAULT_PACING) {}

  private refill(key: string, now: number) {
    const b = this.buckets.get(key) ?? { tokens: this.policy.burst, at: now };
    const tokens = Math.min(this.policy.burst, b.tokens + (now - b.at) / this.policy.intervalMs);
    const fresh = { tokens, at: now };
    this.buckets.set(key, fresh);
    return fresh;
  }

  waitMs(key: string, now: number): number {
    const b = this.refill(key, now);
    return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) * this.policy.intervalMs);
  }

  tryTake(key: string, now: number): boolean {
    const b = this.refill(key, now);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  refund(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.policy.burst, b.tokens + 1);
  }

  /** Drops buckets that are full (nothing to remember). */
  prune(now: number): void {
    for (const [key] of this.buckets) {
      if (this.refill(key, now).tokens >= this.policy.burst) this.buckets.delete(key);
    }
  }
}

/**
 * An async gate in front of a limiter: `acquire()` resolves in order, each at the moment its send may go, and the
 * caller sends right away. Taking the token immediately before the network call (not when the row is picked)
 * keeps the rate Meta sees as even as the limiter's schedule, whatever the database took in between.
 */
export class SendGate {
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(readonly limiter: SlidingWindowLimiter) {}

  /** Sends waiting for their turn. */
  get backlog(): number {
    return this.waiting;
  }

  acquire(): Promise<void> {
    this.waiting++;
    const turn = this.chain.then(async () => {
      for (;;) {
        const wait = this.limiter.waitMs(Date.now());
        if (wait === 0 && this.limiter.tryTake(Date.now())) break;
        await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(wait))));
      }
      this.waiting--;
    });
    this.chain = turn;
    return turn;
  }
}
