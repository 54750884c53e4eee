/**
 * Prometheus metrics (prom-client), one registry per process built at the composition root and passed down.
 * Served at GET /metrics. Counters and histograms are updated where things happen (webhook route, sender, agent
 * turns); queue depths and ages are read from the database when Prometheus scrapes, so they are never stale.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export type Metrics = ReturnType<typeof createMetrics>;

/** Rows waiting in one queue, and how long the oldest has waited (null when the queue is empty). */
export type QueueReading = { depth: number; oldestAgeSeconds: number | null };
/** inbound: webhook events not yet processed; outbox: messages queued to send; handoffs: waiting for a person. */
export type QueueStats = Record<"inbound" | "outbox" | "handoffs", QueueReading>;

export type MetricsOptions = {
  /** Reads the queues at scrape time; without it the queue gauges stay empty. */
  readQueues?: () => Promise<QueueStats>;
};

export function createMetrics(opts: MetricsOptions = {}) {
  const registry = new Registry();
  // Both queue gauges collect at once during a scrape: they share the read in flight.
  let reading: Promise<QueueStats | null> | undefined;
  const readQueues = (): Promise<QueueStats | null> => {
    const read = opts.readQueues;
    if (!read) return Promise.resolve(null);
    reading ??= read()
      .catch(() => null)
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const queueGauge = (name: string, help: string, value: (q: QueueReading) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ["queue"] as const,
      registers: [registry],
      async collect() {
        const stats = await readQueues();
        // A failed read leaves no series rather than a stale number.
        this.reset();
        for (const [queue, q] of Object.entries(stats ?? {})) {
          const v = value(q);
          if (v !== null) this.set({ queue }, v);
        }
      },
    });
  return {
    registry,
    webhookEvents: new Counter({
      name: "switchboard_webhook_events_total",
      help: "Webhook events stored: received (new), duplicate (already stored, Meta retried), unroutable (number of no tenant)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    webhookRejected: new Counter({
      name: "switchboard_webhook_rejected_total",
      help: "Webhook POSTs refused before anything was stored, by reason (signature, malformed, too_large, unavailable)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    sendResults: new Counter({
      name: "switchboard_send_results_total",
      help: "Cloud API send attempts by result and Meta error code",
      labelNames: ["result", "code"] as const,
      registers: [registry],
    }),
    numberPaused: new Gauge({
      name: "switchboard_number_paused",
      help: "1 while sending is paused for a business number (alert on it: token expired or account restricted)",
      labelNames: ["phone_number_id", "scope"] as const,
      registers: [registry],
    }),
    outboxInFlight: new Gauge({ name: "switchboard_outbox_in_flight", help: "Sends awaiting the Cloud API", registers: [registry] }),
    queueDepth: queueGauge(
      "switchboard_queue_depth",
      "Rows waiting: inbound webhook events pending, outbox messages queued, handoffs waiting for a person",
      (q) => q.depth,
    ),
    queueOldestAge: queueGauge(
      "switchboard_queue_oldest_age_seconds",
      "Age of the oldest waiting row of each queue (absent when the queue is empty)",
      (q) => q.oldestAgeSeconds,
    ),
    modelLatency: new Histogram({
      name: "switchboard_model_latency_seconds",
      help: "One model call of an agent turn (the respond step), by provider and model",
      labelNames: ["provider", "model"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers: [registry],
    }),
    modelTokens: new Counter({
      name: "switchboard_model_tokens_total",
      help: "Tokens used by the agent's model, by provider, model and kind (input, output)",
      labelNames: ["provider", "model", "kind"] as const,
      registers: [registry],
    }),
    toolLatency: new Histogram({
      name: "switchboard_tool_latency_seconds",
      help: "One tool call of an agent turn, by tool and result (ok, or the tool's error code)",
      labelNames: ["tool", "result"] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    agentTurns: new Counter({
      name: "switchboard_agent_turns_total",
      help: "Agent turns recorded, by status (replied, escalated, stale) and decision",
      labelNames: ["status", "decision"] as const,
      registers: [registry],
    }),
  };
}
