/**
 * confirm: the customer answered a proposed order change (tapped Yes/No, or typed yes/no). The model never gets a
 * confirming tool: the server executes or drops the pending action here. A typed yes/no with nothing pending is an
 * ordinary message and goes on to retrieve; an unavailable order system goes to a person.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { confirmPendingAction, rejectPendingAction } from "../../tools/orders/order-actions.ts";
import { actorOf, type OrderDeps } from "../../tools/orders/order-service.ts";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { phrase } from "../text/phrases.ts";
import { parseYesNo } from "../text/triggers.ts";
import { turnOf } from "../turn-context.ts";

export function createConfirmNode(orders: OrderDeps | undefined) {
  return async function confirmNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const turn = turnOf(config);
    const ctx = turn.orderContext;
    const decision = turn.buttonReply?.decision ?? parseYesNo(state.turnText);
    if (!orders || !ctx || !decision) return { route: "retrieve" };
    const d = {
      tenantId: ctx.tenantId,
      conversationId: ctx.conversationId,
      actor: actorOf(ctx),
      pendingActionId: turn.buttonReply?.pendingActionId,
    };
    const started = performance.now();
    const result = decision === "yes" ? await confirmPendingAction(orders, d) : await rejectPendingAction(orders, d);
    turn.trace.toolCalls.push({
      name: decision === "yes" ? "confirm_pending_action (server)" : "reject_pending_action (server)",
      args: { pendingActionId: d.pendingActionId ?? "latest" },
      result: JSON.stringify(result).slice(0, 2000),
      ms: Math.round(performance.now() - started),
    });
    const lang = state.language;
    if (result.ok) {
      const text = decision === "yes" ? phrase(lang, "actionDone", { summary: result.summary }) : phrase(lang, "actionCancelled");
      return { route: "reply", outcome: "confirmation", grounded: true, replyText: text, reason: `customer said ${decision}` };
    }
    if (result.error === "no_pending_action" && !turn.buttonReply) return { route: "retrieve" };
    if (result.error === "unavailable") {
      return {
        route: "escalate",
        escalation: { reason: "tool_unavailable", priority: "normal", why: "order system unavailable on confirmation" },
      };
    }
    return {
      route: "reply",
      outcome: "confirmation",
      grounded: true,
      replyText: phrase(lang, "actionFailed", { detail: "" }),
      reason: `confirmation failed: ${result.error}`,
    };
  };
}
