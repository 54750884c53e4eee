/**
 * What the sandbox remembers in memory only (per process, lost on restart): the latest status it reported for each
 * business message, the customers' own messages (sent through `/sandbox/inbound` or the simulator), whether the
 * business marked them read, and typing indicators. The business's messages themselves are in `sandbox_messages`.
 * Every map is capped so a long-running demo cannot grow without bound.
 */
import { normalizeRecipient } from "./meta-shapes.ts";

export type DeliveryStatus = { status: "sent" | "delivered" | "read" | "failed"; errorCode: number | null };

/** A message a customer sent to the business, as the simulator shows it. */
export type CustomerMessage = {
  wamid: string;
  from: string;
  name: string;
  type: "text" | "interactive";
  text: string;
  contextWamid: string | null;
  createdAt: string;
  read: boolean;
};

export type SandboxState = {
  recordStatus(wamid: string, status: DeliveryStatus): void;
  statusOf(wamid: string): DeliveryStatus | null;
  recordCustomerMessage(message: Omit<CustomerMessage, "read" | "from"> & { from: string }): void;
  customerMessages(customer: string): CustomerMessage[];
  /** Marks the message and the customer's earlier ones read; `typing` shows the indicator for up to 25 s. */
  markRead(wamid: string, typing: boolean): boolean;
  isTyping(customer: string): boolean;
  /** The business answered: the typing indicator goes away (Meta: "dismissed once you respond"). */
  stopTyping(customer: string): void;
};

const MAX_STATUSES = 10_000;
const MAX_CUSTOMERS = 1_000;
const MAX_MESSAGES_PER_CUSTOMER = 200;
/** Meta: "The typing indicator will be dismissed once you respond, or after 25 seconds". */
const TYPING_MS = 25_000;

/** Creates empty sandbox state; `now` is injectable for tests. */
export function createSandboxState(now: () => number = Date.now): SandboxState {
  const statuses = new Map<string, DeliveryStatus>();
  const byCustomer = new Map<string, CustomerMessage[]>();
  const customerOf = new Map<string, string>();
  const typingUntil = new Map<string, number>();

  return {
    recordStatus(wamid, status) {
      statuses.delete(wamid);
      statuses.set(wamid, status);
      trim(statuses, MAX_STATUSES);
    },
    statusOf(wamid) {
      return statuses.get(wamid) ?? null;
    },
    recordCustomerMessage(message) {
      const key = normalizeRecipient(message.from);
      const list = byCustomer.get(key) ?? [];
      list.push({ ...message, from: key, read: false });
      if (list.length > MAX_MESSAGES_PER_CUSTOMER) {
        const dropped = list.splice(0, list.length - MAX_MESSAGES_PER_CUSTOMER);
        for (const m of dropped) customerOf.delete(m.wamid);
      }
      byCustomer.delete(key);
      byCustomer.set(key, list);
      customerOf.set(message.wamid, key);
      for (const [customer, messages] of byCustomer) {
        if (byCustomer.size <= MAX_CUSTOMERS) break;
        byCustomer.delete(customer);
        typingUntil.delete(customer);
        for (const m of messages) customerOf.delete(m.wamid);
      }
    },
    customerMessages(customer) {
      return (byCustomer.get(normalizeRecipient(customer)) ?? []).map((m) => ({ ...m }));
    },
    markRead(wamid, typing) {
      const customer = customerOf.get(wamid);
      const list = customer ? byCustomer.get(customer) : undefined;
      if (!customer || !list) return false;
      const index = list.findIndex((m) => m.wamid === wamid);
      for (const m of list.slice(0, index + 1)) m.read = true;
      if (typing) typingUntil.set(customer, now() + TYPING_MS);
      return true;
    },
    isTyping(customer) {
      const until = typingUntil.get(normalizeRecipient(customer));
      return until !== undefined && until > now();
    },
    stopTyping(customer) {
      typingUntil.delete(normalizeRecipient(customer));
    },
  };
}

/** Drops the oldest entries (Map keeps insertion order) until at most `max` remain. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
