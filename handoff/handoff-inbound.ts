/**
 * Puts the handoff rules in front of whatever answers inbound messages (the agent): while a conversation is
 * human-owned the bot is not called at all and the message goes live to the console; a tap on a CSAT question is
 * stored and not answered; a customer writing into a closed conversation reopens it for the bot with a fresh
 * context.
 */
import type pg from "pg";
import type { ConversationHandler, InboundMessage } from "../conversations/inbound-processor.ts";
import { recordCsatAnswer } from "./handoff-actions.ts";
import type { HandoffEvents } from "./handoff-events.ts";
import { getConversationOwner } from "./handoff-store.ts";

/** The id of a tapped reply button or list row, if the message is one. */
function replyIdOf(message: InboundMessage): string | null {
  const interactive = message.event.raw.interactive as { button_reply?: { id?: unknown }; list_reply?: { id?: unknown } } | undefined;
  const id = interactive?.list_reply?.id ?? interactive?.button_reply?.id;
  return typeof id === "string" ? id : null;
}

export function withHandoffRules(inner: ConversationHandler, deps: { pool: pg.Pool; events: HandoffEvents }): ConversationHandler {
  return {
    async handleInbound(message) {
      const { tenantId, conversationId, messageId } = message;
      const publish = () => deps.events.publish({ type: "message", tenantId, conversationId, direction: "inbound", messageId });
      const replyId = replyIdOf(message);
      if (replyId?.startsWith("csat:")) {
        await recordCsatAnswer(deps.pool, tenantId, conversationId, replyId);
        publish();
        return;
      }
      const { owner } = await getConversationOwner(deps.pool, conversationId);
      if (owner === "human") {
        publish();
        return;
      }
      if (owner === "closed") {
        await deps.pool.query("UPDATE conversations SET owner = 'bot', bot_context_since = now() WHERE id = $1 AND owner = 'closed'", [
          conversationId,
        ]);
      }
      await inner.handleInbound(message);
    },
  };
}
