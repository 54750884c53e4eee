/**
 * escalate: hands the conversation to a person. Opens the handoff (reason, priority, language, structured
 * summary), which makes the conversation human-owned so the bot stops answering, and tells the customer in their
 * language that a person will take over, with the expected wait and the business hours.
 */
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { CreatedHandoff, CreateHandoffInput, HandoffSummary } from "../../handoff/handoff-store.ts";
import type { AgentModel } from "../model/model-port.ts";
import { buildSystemPrompt } from "../prompt.ts";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { extractSummary } from "../summary.ts";
import { phrase } from "../text/phrases.ts";
import { turnOf } from "../turn-context.ts";

export type HandoffPort = { createHandoff(input: CreateHandoffInput): Promise<CreatedHandoff> };

export function createEscalateNode(handoff: HandoffPort, model: AgentModel) {
  return async function escalateNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const turn = turnOf(config);
    const escalation = state.escalation ?? { reason: "other" as const, priority: "normal" as const, why: "unspecified" };
    let summary: HandoffSummary = extractSummary(state, turn, escalation);
    if (model.summarize && escalation.reason !== "model_error") {
      try {
        summary = await model.summarize({
          system: buildSystemPrompt(turn.profile, state.language, []),
          history: state.history,
          turnText: state.turnText,
        });
      } catch {
        turn.trace.flags.push("summary_fallback_extractive");
      }
    }
    const created = await handoff.createHandoff({
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      reason: escalation.reason,
      priority: escalation.priority,
      language: state.language,
      summary,
    });
    const lang = state.language;
    const wait =
      created.expectedWaitMinutes === null
        ? phrase(lang, "waitUnknown")
        : phrase(lang, "waitMinutes", { minutes: Math.max(1, Math.round(created.expectedWaitMinutes)) });
    const reply = [phrase(lang, "handoff"), wait, phrase(lang, "hours", { hours: turn.profile.businessHours })].join(" ");
    return {
      replyText: reply,
      outcome: "escalation",
      reason: `${escalation.reason}: ${escalation.why}`,
      ungroundedStreak: 0,
      history: [new HumanMessage(state.turnText), new AIMessage(reply)],
    };
  };
}
