/**
 * The post-resolution automation: what a customer is asked after a human agent resolves their handoff, per tenant.
 * Off: nothing, even when the agent ticks CSAT. `ask: "agent"` (the default) keeps the agent's choice; `"always"`
 * asks on every resolution. `kind: "csat"` is the existing 1-5 list (sent by the handoff module, which records the
 * answer); `"review"` queues a review request: the configured text inside the 24-hour window, or the template (any
 * time; preferred when both are set and the window is closed). Once per handoff (outbox key `review:<handoffId>`).
 */
import { readWindow } from "../compliance/window.ts";
import type { AfterResolution } from "../handoff/handoff-actions.ts";
import { type QueueDeps, queueTemplate, queueText } from "../outbox/queue-message.ts";
import { readAutomationSettings } from "./automation-settings.ts";
import { readCustomerReach } from "./customer-reach.ts";
import { resolveParameters } from "./parameter-sources.ts";

const DEFAULT_CSAT_QUESTION = "How would you rate the help you got today? (1 = poor, 5 = excellent)";

/** Builds the policy the handoff module calls on resolve. */
export function createPostResolutionPolicy(deps: { queue: QueueDeps }): AfterResolution {
  const { pool } = deps.queue;
  return async (r) => {
    const { postResolution: p } = await readAutomationSettings(pool, r.tenantId);
    if (!p.enabled || (p.ask === "agent" && !r.csat)) return { kind: "none" };
    if (p.kind === "csat") {
      return {
        kind: "csat",
        question: p.csatQuestion ?? r.csat?.question ?? DEFAULT_CSAT_QUESTION,
        buttonLabel: r.csat?.buttonLabel ?? "Rate",
      };
    }
    const base = {
      tenantId: r.tenantId,
      conversationId: r.conversationId,
      idempotencyKey: `review:${r.handoffId}`,
      source: `agent:${r.agentId}`,
    };
    const open = (await readWindow(pool, r.tenantId, r.conversationId))?.open === true;
    if (p.reviewText && (open || !p.reviewTemplate)) {
      const sent = await queueText(deps.queue, { ...base, text: p.reviewText });
      return { kind: "sent", queued: sent.ok };
    }
    if (!p.reviewTemplate) return { kind: "sent", queued: false };
    const { rows } = await pool.query<{ customer_id: string }>("SELECT customer_id::text FROM conversations WHERE id = $1", [
      r.conversationId,
    ]);
    const reach = rows[0] ? await readCustomerReach(pool, r.tenantId, rows[0].customer_id) : undefined;
    const params = reach ? resolveParameters(p.reviewParameters, reach) : undefined;
    if (!params?.ok) return { kind: "sent", queued: false };
    const sent = await queueTemplate(deps.queue, {
      ...base,
      name: p.reviewTemplate.name,
      language: p.reviewTemplate.language,
      values: params.values,
    });
    return { kind: "sent", queued: sent.ok };
  };
}
