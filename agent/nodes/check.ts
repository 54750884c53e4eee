/**
 * check: is the reply grounded? A reply is grounded when it cites passages that exist, rests on successful tool
 * results, or (for providers that say so) was extracted from a passage. Refusals and small talk state no facts.
 * Anything else is not sent as is: the customer gets an honest "I could not find that" with the offer of a person,
 * and the second ungrounded turn in a row goes to a person.
 */
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { formatCitation, MARKERS } from "../prompt.ts";
import type { AgentStateUpdate, AgentStateValue, Outcome, Passage } from "../state.ts";
import { phrase } from "../text/phrases.ts";
import { turnOf } from "../turn-context.ts";

/** Consecutive turns without a grounded answer before a person takes over. */
export const UNGROUNDED_TURNS_BEFORE_HANDOFF = 2;

export async function checkNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
  const turn = turnOf(config);
  const last = state.steps.at(-1) as AIMessage | undefined;
  const raw = typeof last?.content === "string" ? last.content : "";
  const vars = { business: turn.profile.businessName, topics: turn.profile.topics.join(", ") };
  const { text, marker } = stripMarkers(raw);

  let outcome: Outcome;
  let grounded: boolean;
  let reply = text;
  if (marker === "offTopic") {
    outcome = "refusal";
    grounded = true;
    reply ||= phrase(state.language, "refusal", vars);
  } else if (marker === "chat") {
    outcome = "small_talk";
    grounded = true;
  } else if (marker === "noAnswer" || text === "") {
    outcome = "no_answer";
    grounded = false;
    reply ||= phrase(state.language, "noAnswer");
  } else if (state.grounded !== null) {
    // The provider knows (offline: extractive answers, order summaries).
    outcome = state.outcome ?? "answer";
    grounded = state.grounded;
  } else {
    const cited = citedPassages(text, state.passages);
    const toolBacked = hasSuccessfulToolResult(state.steps);
    outcome = toolBacked ? "order_update" : "answer";
    grounded = cited.length > 0 || toolBacked;
    reply = grounded ? appendSources(removeCitationMarks(text), cited, state.language) : phrase(state.language, "noAnswer");
    if (!grounded) outcome = "no_answer";
  }
  const streak = grounded ? 0 : state.ungroundedStreak + 1;
  if (!grounded && streak >= UNGROUNDED_TURNS_BEFORE_HANDOFF) {
    return {
      ungroundedStreak: 0,
      grounded,
      outcome,
      escalation: { reason: "no_grounded_answer", priority: "normal", why: `${streak} turns in a row without a grounded answer` },
    };
  }
  return { ungroundedStreak: streak, grounded, outcome, replyText: reply, reason: grounded ? `grounded ${outcome}` : "no grounded answer" };
}

function stripMarkers(raw: string): { text: string; marker: keyof typeof MARKERS | null } {
  for (const [key, m] of Object.entries(MARKERS) as [keyof typeof MARKERS, string][]) {
    if (raw.includes(m)) return { text: raw.replaceAll(m, "").trim(), marker: key };
  }
  return { text: raw.trim(), marker: null };
}

function citedPassages(text: string, passages: Passage[]): Passage[] {
  const ns = new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])));
  return passages.filter((p) => ns.has(p.n));
}

function removeCitationMarks(text: string): string {
  return text.replace(/\s?\[\d{1,2}\]/g, "").trim();
}

function appendSources(text: string, cited: Passage[], language: string): string {
  if (cited.length === 0) return text;
  const unique = [...new Set(cited.map(formatCitation))];
  return `${text}\n\n${phrase(language, "source")}: ${unique.join("; ")}`;
}

function hasSuccessfulToolResult(steps: BaseMessage[]): boolean {
  return steps.some((m) => {
    if (m.getType() !== "tool" || typeof m.content !== "string") return false;
    try {
      return (JSON.parse(m.content) as { ok?: boolean }).ok === true;
    } catch {
      return false;
    }
  });
}
