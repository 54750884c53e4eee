/**
 * The offline provider's order answers: turns the order tools' JSON results into a short message in the customer's
 * language (frames from the phrase tables; item names, dates and carrier statuses as the ERP gave them).
 */
import { phrase } from "../text/phrases.ts";

const STATUS: Record<string, Record<string, string>> = {
  en: {
    pending: "pending",
    processed: "being prepared",
    shipped: "shipped",
    delivered: "delivered",
    cancelled: "cancelled",
    return_requested: "return requested",
  },
  es: {
    pending: "pendiente",
    processed: "en preparación",
    shipped: "enviado",
    delivered: "entregado",
    cancelled: "cancelado",
    return_requested: "devolución solicitada",
  },
  pt: {
    pending: "pendente",
    processed: "em preparação",
    shipped: "enviado",
    delivered: "entregue",
    cancelled: "cancelado",
    return_requested: "devolução solicitada",
  },
  fr: {
    pending: "en attente",
    processed: "en préparation",
    shipped: "expédiée",
    delivered: "livrée",
    cancelled: "annulée",
    return_requested: "retour demandé",
  },
  de: {
    pending: "offen",
    processed: "in Bearbeitung",
    shipped: "versandt",
    delivered: "zugestellt",
    cancelled: "storniert",
    return_requested: "Rückgabe angefragt",
  },
  it: {
    pending: "in attesa",
    processed: "in preparazione",
    shipped: "spedito",
    delivered: "consegnato",
    cancelled: "annullato",
    return_requested: "reso richiesto",
  },
};

type OrderView = {
  order_id: string;
  status: string;
  placed_at?: string | null;
  total?: number;
  currency?: string;
  items?: { name: string; options?: Record<string, string> }[];
  tracking_ids?: string[];
};
type ShipmentView = { trackingId: string; carrier?: string | null; status: string; estimatedDelivery?: string | null };

export function localizedStatus(language: string, status: string): string {
  return STATUS[language]?.[status] ?? STATUS.en?.[status] ?? status;
}

/** The customer-facing text for the tool results of this turn (in call order). */
export function composeOrderReply(language: string, results: { name: string; content: string }[]): string {
  const lines: string[] = [];
  for (const { name, content } of results) {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(content) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (r.ok === false) {
      const error = String(r.error);
      if (error === "identity_required" || error === "verification_failed") lines.push(phrase(language, "identityRequired"));
      else if (error === "order_not_found") lines.push(phrase(language, "orderNotFound"));
      else lines.push(phrase(language, "actionFailed", { detail: String(r.message ?? "") }));
      break;
    }
    if (typeof r.pending_action_id === "string") {
      lines.push(
        r.confirmation === "buttons_sent" ? `${String(r.summary)}\n${phrase(language, "proposalSent")}` : `${String(r.summary)} (yes / no)`,
      );
    } else if (name === "get_order_status" && r.order) {
      const o = r.order as OrderView;
      lines.push(phrase(language, "orderStatus", { order: o.order_id, status: localizedStatus(language, o.status) }));
      if (o.items?.length)
        lines.push(o.items.map((i) => `• ${i.name}${i.options ? ` (${Object.values(i.options).join(", ")})` : ""}`).join("\n"));
    } else if (name === "track_shipment") {
      const shipments = (r.shipments as ShipmentView[] | undefined) ?? [];
      for (const s of shipments) {
        const eta = s.estimatedDelivery ? ` → ${s.estimatedDelivery.slice(0, 10)}` : "";
        lines.push(`${phrase(language, "tracking", { tracking: s.trackingId, carrier: s.carrier ?? "-", status: s.status })}${eta}`);
      }
    } else if (name === "list_my_orders") {
      const orders = (r.orders as OrderView[] | undefined) ?? [];
      if (orders.length === 0) lines.push(phrase(language, "noOrders"));
      else {
        lines.push(phrase(language, "ordersList"));
        for (const o of orders.slice(0, 5)) {
          const date = o.placed_at ? ` · ${o.placed_at.slice(0, 10)}` : "";
          lines.push(`• ${o.order_id}: ${localizedStatus(language, o.status)}${date} · ${o.total} ${o.currency ?? ""}`.trim());
        }
      }
    }
  }
  return lines.join("\n");
}
