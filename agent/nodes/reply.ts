/**
 * reply: the turn's answer is final. It joins the conversation history (what the model sees next turn); sending
 * it is the turn runner's job, which drops it if a newer customer message arrived meanwhile.
 */
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { phrase } from "../text/phrases.ts";

export async function replyNode(state: AgentStateValue): Promise<AgentStateUpdate> {
  const reply = state.replyText ?? phrase(state.language, "noAnswer");
  return {
    replyText: reply,
    history: [new HumanMessage(state.turnText), new AIMessage(reply)],
  };
}
