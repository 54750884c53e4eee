/**
 * The `offline` provider: the product's no-key mode, deterministic and network-free. It reads the turn the way a
 * model would, with fixed rules: an order question becomes order tool calls (intents from patterns in 14 languages)
 * and their results a short summary; a question the knowledge base answers gets the best passage (above a
 * similarity threshold) quoted with its citation; greetings get a greeting; a message unrelated to the business's
 * knowledge and topics gets the refusal; anything else an honest "I could not find that".
 */
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { formatCitation } from "../prompt.ts";
import type { Passage } from "../state.ts";
import { detectOrderIntent, detectVerification, type OrderIntent, type Verification } from "../text/intents.ts";
import { foldText } from "../text/match.ts";
import { phrase } from "../text/phrases.ts";
import { isGreetingOnly } from "../text/triggers.ts";
import type { AgentModel, RespondInput, RespondOutput } from "./model-port.ts";
import { composeOrderReply } from "./offline-order-reply.ts";

export type OfflineModelOptions = {
  /** Cosine similarity a passage needs to be quoted as the answer. */
  answerThreshold?: number;
  /** Below this (best passage and topic overlap), the message is out of the business's scope. */
  scopeThreshold?: number;
};

export function createOfflineAgentModel(opts: OfflineModelOptions = {}): AgentModel {
  const answerAt = opts.answerThreshold ?? 0.22;
  const scopeAt = opts.scopeThreshold ?? 0.12;
  return {
    provider: "offline",
    model: "offline-extractive",
    async respond(input): Promise<RespondOutput> {
      const verification = input.tools.some((t) => t.name === "verify_identity") ? detectVerification(input.turnText) : null;
      if (verification) return respondToVerification(input, verification);
      const best = input.passages[0];
      const intent = input.tools.some((t) => t.name === "get_order_status") ? detectOrderIntent(input.turnText) : null;
      // "How long does delivery take?" names no order, only the topic: a passage that answers it wins over
      // listing the customer's orders (found by the evals, issue 8). A number, "where is my order", cancel or
      // return stay with the tools.
      const generalQuestion = intent?.kind === "list" && (best?.similarity ?? 0) >= answerAt;
      if (intent && !generalQuestion) return respondToOrder(input, intent);
      const vars = { business: input.profile.businessName, topics: input.profile.topics.join(", ") };
      if (isGreetingOnly(input.turnText)) return text(phrase(input.language, "greeting", vars), true, "small_talk");
      if (best && (best.similarity ?? 0) >= answerAt) return text(extractAnswer(best, input.language), true, "answer");
      const scope = Math.max(best?.similarity ?? 0, topicOverlap(input.turnText, input.profile.topics, input.profile.description));
      if (scope < scopeAt) return text(phrase(input.language, "refusal", vars), true, "refusal");
      return text(phrase(input.language, "noAnswer"), false, "no_answer");
    },
  };
}

/**
 * The customer sent an order number with its e-mail or postal code (usually after being asked to verify): check
 * them with `verify_identity`, then answer the order question as usual, from the steps after the verification.
 */
function respondToVerification(input: RespondInput, v: Verification): RespondOutput {
  const results = toolResults(input.steps);
  const verified = results.find((r) => r.name === "verify_identity");
  if (!verified) {
    return call("verify_identity", { order_id: v.orderId, ...(v.email ? { email: v.email } : { postal_code: v.postalCode }) });
  }
  if (parse(verified.content)?.ok !== true) return text(composeOrderReply(input.language, [verified]), true, "order_update");
  const intent = detectOrderIntent(input.turnText) ?? { kind: "status" as const, orderId: v.orderId };
  const afterVerification = input.steps.filter(
    (m) =>
      !(m.getType() === "tool" && (m as BaseMessage & { name?: string }).name === "verify_identity") &&
      !(
        m.getType() === "ai" &&
        (m as AIMessage).tool_calls?.every((c) => c.name === "verify_identity") &&
        (m as AIMessage).tool_calls?.length
      ),
  );
  return respondToOrder({ ...input, steps: afterVerification }, intent);
}

function respondToOrder(input: RespondInput, intent: OrderIntent): RespondOutput {
  const results = toolResults(input.steps);
  const called = new Set(results.map((r) => r.name));
  if (results.length === 0) {
    if (intent.kind === "cancel" && intent.orderId)
      return call("cancel_order", { order_id: intent.orderId, reason: "requested by the customer" });
    if (intent.kind === "cancel" || (intent.kind === "return" && !intent.orderId))
      return text(phrase(input.language, "askOrderNumber"), true, "order_update");
    if (!intent.orderId) return call("list_my_orders", { limit: 5 });
    return call("get_order_status", { order_id: intent.orderId });
  }
  const last = results.at(-1);
  const order = last?.name === "get_order_status" ? parse(last.content)?.order : undefined;
  if (order && intent.kind === "return" && order.allowed_changes?.return_items && !called.has("request_return")) {
    const items = (order.items ?? []).filter((i) => !i.returned).map((i) => i.item_id);
    if (items.length > 0) return call("request_return", { order_id: order.order_id, item_ids: items, reason: "requested by the customer" });
  }
  if (order && intent.kind === "track" && (order.tracking_ids?.length ?? 0) > 0 && !called.has("track_shipment")) {
    return call("track_shipment", { order_id: order.order_id });
  }
  return text(composeOrderReply(input.language, results) || phrase(input.language, "noAnswer"), true, "order_update");
}

type OrderJson = {
  ok?: boolean;
  order?: {
    order_id: string;
    tracking_ids?: string[];
    allowed_changes?: { return_items?: boolean };
    items?: { item_id: string; returned?: boolean }[];
  };
};

function parse(content: string): OrderJson | undefined {
  try {
    return JSON.parse(content) as OrderJson;
  } catch {
    return undefined;
  }
}

function toolResults(steps: BaseMessage[]): { name: string; content: string }[] {
  return steps
    .filter((m) => m.getType() === "tool")
    .map((m) => ({
      name: String((m as BaseMessage & { name?: string }).name ?? ""),
      content: typeof m.content === "string" ? m.content : "",
    }));
}

let callSeq = 0;
function call(name: string, args: Record<string, unknown>): RespondOutput {
  callSeq += 1;
  return { message: new AIMessage({ content: "", tool_calls: [{ id: `offline_${callSeq}`, name, args, type: "tool_call" }] }) };
}

function text(content: string, grounded: boolean, outcome: RespondOutput["outcome"]): RespondOutput {
  return { message: new AIMessage(content), grounded, outcome };
}

/** The passage's answer (an FAQ pair's answer, else its text), trimmed to a WhatsApp-sized quote, with its source. */
export function extractAnswer(p: Passage, language: string): string {
  const faq = /^Q:[^\n]*\n+A:\s*([\s\S]+)$/.exec(p.text.trim());
  let body = (faq?.[1] ?? p.text).trim();
  if (body.length > 700) {
    const cut = body.slice(0, 700);
    body = `${cut.slice(0, Math.max(cut.lastIndexOf(". "), 400) + 1)}…`;
  }
  return `${body}\n\n${phrase(language, "source")}: ${formatCitation(p)}`;
}

/** Share of the message's words (4+ letters) found in the business's topics and description. */
function topicOverlap(message: string, topics: string[], description: string): number {
  const vocabulary = new Set(foldText(`${topics.join(" ")} ${description}`).match(/\p{L}{4,}/gu) ?? []);
  const words = foldText(message).match(/\p{L}{4,}/gu) ?? [];
  if (words.length === 0) return 0;
  return words.filter((w) => [...vocabulary].some((v) => v.startsWith(w.slice(0, 5)) || w.startsWith(v.slice(0, 5)))).length / words.length;
}
