/**
 * Prometheus metrics (prom-client), one registry per process built at the composition root and passed down.
 * Served at GET /metrics.
 */
import { Counter, Gauge, Registry } from "prom-client";

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    webhookEvents: new Counter({
      name: "switchboard_webhook_events_total",
      help: "Webhook events by outcome (stored, duplicate, rejected)",
      labelNames: ["outcome"] as const,
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
  };
}
