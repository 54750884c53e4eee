/**
 * Deletes the LangGraph checkpoints of conversations. The agent keys a conversation's threads as
 * `<conversationId>:<bot context start in ms>` (agent/turn-runner.ts), so every thread of a conversation shares
 * the prefix before the first colon. The tables exist only once the agent has run `PostgresSaver.setup()`.
 */
import type pg from "pg";
import { CHECKPOINT_SCHEMA } from "../agent/agent.ts";

type Queryable = Pick<pg.ClientBase, "query">;

const TABLES = ["checkpoint_writes", "checkpoint_blobs", "checkpoints"] as const;

/** Deletes every checkpoint row of the conversations; returns the number of rows deleted. */
export async function deleteConversationCheckpoints(db: Queryable, conversationIds: string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  let deleted = 0;
  for (const table of TABLES) {
    const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [
      `${CHECKPOINT_SCHEMA}.${table}`,
    ]);
    if (!rows[0]?.present) continue;
    const res = await db.query(`DELETE FROM "${CHECKPOINT_SCHEMA}".${table} WHERE split_part(thread_id, ':', 1) = ANY($1::text[])`, [
      conversationIds,
    ]);
    deleted += res.rowCount ?? 0;
  }
  return deleted;
}
