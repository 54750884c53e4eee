/**
 * The in-process bus for live handoff updates: the store publishes queue changes, the inbound hook publishes
 * customer messages on human-owned conversations, and the console's server-sent-events endpoint subscribes.
 * In-process is enough for one server; several servers would put a Postgres LISTEN/NOTIFY adapter behind the
 * same two functions.
 */
export type HandoffEvent =
  | {
      type: "handoff.created" | "handoff.assigned" | "handoff.transferred" | "handoff.resolved";
      tenantId: string;
      handoffId: string;
      conversationId: string;
      agentId: string | null;
    }
  | {
      type: "message";
      tenantId: string;
      conversationId: string;
      direction: "inbound" | "outbound" | "note";
      messageId: string;
    };

export type HandoffEvents = {
  publish(event: HandoffEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: HandoffEvent) => void): () => void;
};

/** A bus of its own (tests); the process uses `handoffEvents`. */
export function createHandoffEvents(): HandoffEvents {
  const listeners = new Set<(event: HandoffEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A broken subscriber (a closed SSE stream) must not stop the others or the publisher.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The process-wide bus: `createHandoff` is called by the agent without a bus argument. */
export const handoffEvents: HandoffEvents = createHandoffEvents();
