/**
 * guard: the deterministic front door. Detects the language (per turn, so switches are followed), then decides
 * without a model: a Yes/No answer to a proposed order change → confirm; an explicit request for a person, a
 * sensitive topic or strong anger → escalate; "are you a bot?" → the disclosure; an injection attempt or a
 * general-purpose request → the polite refusal; anything else → retrieve.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentStateUpdate, AgentStateValue } from "../state.ts";
import { detectLanguage } from "../text/language.ts";
import { phrase } from "../text/phrases.ts";
import {
  angerScore,
  findGeneralPurposeRequest,
  findHumanRequest,
  findInjection,
  findSensitiveTopic,
  isBotQuestion,
  parseYesNo,
  STRONG_ANGER_SCORE,
} from "../text/triggers.ts";
import { turnOf } from "../turn-context.ts";

export async function guardNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
  const turn = turnOf(config);
  const { profile } = turn;
  const text = state.turnText;
  const language = detectLanguage(text, state.language || profile.languages[0] || "en");
  const vars = { business: profile.businessName, topics: profile.topics.join(", ") };

  if (turn.buttonReply || (turn.orderContext && parseYesNo(text))) return { language, route: "confirm" };
  const human = findHumanRequest(text);
  if (human) {
    return {
      language,
      route: "escalate",
      escalation: { reason: "customer_request", priority: "normal", why: `asked for a person ("${human}")` },
    };
  }
  const sensitive = findSensitiveTopic(text, profile.sensitiveTopics);
  if (sensitive) {
    return {
      language,
      route: "escalate",
      escalation: { reason: "sensitive_topic", priority: "high", why: `${sensitive.topic} ("${sensitive.phrase}")` },
    };
  }
  const anger = angerScore(text);
  if (anger >= STRONG_ANGER_SCORE) {
    return { language, route: "escalate", escalation: { reason: "anger", priority: "high", why: `anger score ${anger}` } };
  }
  if (isBotQuestion(text)) {
    return {
      language,
      route: "reply",
      outcome: "bot_disclosure",
      replyText: phrase(language, "botDisclosure", vars),
      reason: "asked if bot",
    };
  }
  const injection = findInjection(text);
  if (injection) {
    turn.trace.flags.push("prompt_injection_in_message");
    return {
      language,
      route: "reply",
      outcome: "refusal",
      replyText: phrase(language, "refusal", vars),
      reason: `prompt injection ("${injection}")`,
    };
  }
  const general = findGeneralPurposeRequest(text);
  if (general) {
    return {
      language,
      route: "reply",
      outcome: "refusal",
      replyText: phrase(language, "refusal", vars),
      reason: `off-topic ("${general}")`,
    };
  }
  return { language, route: "retrieve" };
}
