/**
 * retrieve: hybrid search over the tenant's knowledge base for this turn's text. Sentences in a passage that try to
 * instruct the assistant ("ignore previous instructions…") are cut before any model sees them and counted in the
 * trace: documents are data.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { SearchHit } from "../../knowledge/types.ts";
import type { AgentStateUpdate, AgentStateValue, Passage } from "../state.ts";
import { findInjection } from "../text/triggers.ts";
import { turnOf } from "../turn-context.ts";

export type SearchFn = (q: { tenantId: string; query: string; language: string; k: number }) => Promise<SearchHit[]>;

const MAX_PASSAGE_CHARS = 1500;

export function createRetrieveNode(search: SearchFn, k = 4) {
  return async function retrieveNode(state: AgentStateValue, config?: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const turn = turnOf(config);
    const hits = await search({ tenantId: turn.tenantId, query: state.turnText, language: state.language, k });
    let dropped = 0;
    const passages: Passage[] = hits.map((h, i) => {
      const { text, removed } = stripInstructions(h.text);
      dropped += removed;
      return {
        n: i + 1,
        chunkId: h.chunkId,
        title: h.title,
        section: h.section,
        page: h.page,
        text: text.slice(0, MAX_PASSAGE_CHARS),
        score: h.score,
        similarity: h.similarity,
      };
    });
    if (dropped > 0) turn.trace.flags.push("prompt_injection_in_document");
    turn.trace.retrieval = {
      query: state.turnText,
      hits: passages.map(({ n, title, section, page, score, similarity }) => ({ n, title, section, page, score, similarity })),
      droppedInjections: dropped,
    };
    return { passages };
  };
}

/** Removes sentences that read as instructions to an AI. */
export function stripInstructions(text: string): { text: string; removed: number } {
  let removed = 0;
  const kept = text.split(/(?<=[.!?。！？\n])\s*/u).filter((sentence) => {
    if (findInjection(sentence) || /\b(assistant|ai|chatbot|language model)\b.{0,40}\b(must|should|always|never)\b/i.test(sentence)) {
      removed += 1;
      return false;
    }
    return true;
  });
  return removed === 0 ? { text, removed } : { text: kept.join(" ").trim(), removed };
}
