/**
 * After the fake API accepts a message it reports the message's life as Meta would: signed `statuses[]` webhooks
 * `sent`, `delivered`, then `read` (or one `failed` for an injected asynchronous failure). Each message's statuses
 * go out one after another, in order; timers are unref'd (they never keep the process alive), `close()` cancels
 * everything pending, and a failed delivery is logged, never thrown.
 */
import { type BusinessNumber, statusErrorItem, statusWebhookBody } from "./meta-shapes.ts";
import type { DeliveryStatus, SandboxState } from "./sandbox-state.ts";
import type { WebhookSender } from "./webhook-sender.ts";

/** Milliseconds after the send at which each status is reported; `read: null` never reports `read`. */
export type StatusDelays = { sent: number; delivered: number; read: number | null; failed: number };

export const DEFAULT_STATUS_DELAYS: StatusDelays = { sent: 50, delivered: 150, read: 400, failed: 100 };

/** A message the fake API accepted. `category` drives the `pricing` object Meta attaches to `sent`. */
export type AcceptedMessage = { number: BusinessNumber; wamid: string; recipient: string; category: "service" | "utility" };

/** The one logging call the sandbox makes (a pino Logger fits). */
export type SandboxLogger = { warn(obj: Record<string, unknown>, msg: string): void };

export type AsyncFailure = { code: number; title?: string | undefined; details?: string | undefined };

export type StatusEmitter = {
  /** Reports sent → delivered → read for an accepted message. */
  emitLifecycle(message: AcceptedMessage): void;
  /** Reports one `failed` status carrying the error code. */
  emitFailure(message: AcceptedMessage, failure: AsyncFailure): void;
  /** Resolves when every status scheduled so far has been delivered (or cancelled). */
  settled(): Promise<void>;
  /** Cancels pending statuses; nothing is delivered afterwards. */
  close(): void;
};

type Step = { at: number; status: DeliveryStatus["status"]; body: () => object; errorCode: number | null };

/** Creates an emitter that posts through `send` and records what it reported in `state`. */
export function createStatusEmitter(deps: {
  send: WebhookSender;
  state: SandboxState;
  delays?: Partial<StatusDelays> | undefined;
  logger?: SandboxLogger | undefined;
}): StatusEmitter {
  const delays = { ...DEFAULT_STATUS_DELAYS, ...deps.delays };
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          resolve();
        },
        Math.max(0, ms),
      );
      timer.unref();
      timers.set(timer, resolve);
    });
  }

  async function run(message: AcceptedMessage, steps: Step[]): Promise<void> {
    let elapsed = 0;
    for (const step of steps) {
      await wait(step.at - elapsed);
      elapsed = Math.max(elapsed, step.at);
      if (closed) return;
      deps.state.recordStatus(message.wamid, { status: step.status, errorCode: step.errorCode });
      const result = await deps.send(step.body());
      if (!result.ok) {
        deps.logger?.warn(
          { wamid: message.wamid, status: step.status, webhookStatus: result.status, err: result.error },
          "sandbox status webhook was not accepted",
        );
      }
    }
  }

  function schedule(message: AcceptedMessage, steps: Step[]): void {
    if (closed) return;
    const task: Promise<void> = run(message, steps)
      .catch((err: unknown) => deps.logger?.warn({ err, wamid: message.wamid }, "sandbox status emission failed"))
      .finally(() => pending.delete(task));
    pending.add(task);
  }

  return {
    emitLifecycle(message) {
      const base = { number: message.number, wamid: message.wamid, recipient: message.recipient };
      const pricing = {
        billable: message.category !== "service",
        pricing_model: "PMP",
        type: message.category === "service" ? "free_customer_service" : "regular",
        category: message.category,
      };
      const steps: Step[] = [
        { at: delays.sent, status: "sent", errorCode: null, body: () => statusWebhookBody({ ...base, status: "sent", pricing }) },
        { at: delays.delivered, status: "delivered", errorCode: null, body: () => statusWebhookBody({ ...base, status: "delivered" }) },
      ];
      if (delays.read !== null) {
        steps.push({ at: delays.read, status: "read", errorCode: null, body: () => statusWebhookBody({ ...base, status: "read" }) });
      }
      schedule(message, steps);
    },
    emitFailure(message, failure) {
      const errors = [statusErrorItem(failure.code, failure)];
      const body = () =>
        statusWebhookBody({ number: message.number, wamid: message.wamid, recipient: message.recipient, status: "failed", errors });
      schedule(message, [{ at: delays.failed, status: "failed", errorCode: failure.code, body }]);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close() {
      closed = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}
