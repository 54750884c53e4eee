/**
 * End-to-end test kit for the agent: the real services (embedded database, sandbox, demo ERP, demo help center)
 * with the agent answering, plus helpers that write as a customer through a signed webhook and wait until every
 * background loop (worker, agent turns, sender, sandbox statuses) has settled.
 */
import type { Database } from "../lib/db.ts";
import type { ServiceOptions } from "./services.ts";
import { startHarness, type TestHarness } from "./testing.ts";

export type AgentHarness = TestHarness & {
  /** Posts the texts as the customer (one signed webhook each), waits until everything settles, returns the conversation id. */
  say(from: string, ...texts: string[]): Promise<string>;
  /** What the customer received in the sandbox, oldest first. */
  received(to: string): Promise<{ type: string; text: string | null }[]>;
  settle(): Promise<void>;
};

/** Starts the app with the agent answering, on `db` when given (e.g. a real PostgreSQL), else a fresh in-memory one. */
export async function startAgentHarness(
  agent: NonNullable<ServiceOptions["agent"]> = { burstWindowMs: 0 },
  db?: Database,
): Promise<AgentHarness> {
  const h = await startHarness({ agent, ...(db ? { db } : {}) });
  h.start();
  await h.ingestor.drain();
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await h.worker.idle();
      await h.agent?.idle();
      await h.sender.idle();
      await h.sandbox?.settled();
    }
  };
  return Object.assign(h, {
    settle,
    async say(from: string, ...texts: string[]) {
      for (const text of texts) {
        const res = await h.admin("/sandbox/inbound", {
          method: "POST",
          body: JSON.stringify({ from, name: "Test Customer", text }),
          headers: { "content-type": "application/json" },
        });
        if (res.status !== 202) throw new Error(`sandbox inbound answered ${res.status}`);
      }
      await settle();
      const { rows } = await h.db.pool.query(
        "SELECT c.id::text AS id FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = $1",
        [from],
      );
      return rows[0]?.id as string;
    },
    async received(to: string) {
      const body = await (await h.admin(`/sandbox/messages?to=${to}`)).json();
      return body.messages as { type: string; text: string | null }[];
    },
  });
}
