/**
 * A customer writing to the business: builds the Meta-shaped `messages[]` webhook (text, or the `interactive`
 * button_reply / list_reply a tap produces, as in interactive_button_reply.json), signs it and delivers it to the
 * app's own webhook, so the real verification, storage and worker path runs.
 */
import { z } from "zod";
import { type BusinessNumber, createWamid, customerMessageWebhookBody, isBsuid, isPhone } from "./meta-shapes.ts";
import type { SandboxState } from "./sandbox-state.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export const CustomerRefSchema = z
  .string()
  .trim()
  .refine((v) => isPhone(v) || isBsuid(v), "must be a phone number (5-20 digits) or a business-scoped user id like US.1234");

export const CustomerMessageInputSchema = z
  .strictObject({
    from: CustomerRefSchema,
    name: z.string().trim().min(1).max(100).default("Sandbox customer"),
    text: z.string().min(1).max(4096).optional(),
    /** A tap on one of the business's reply buttons or list rows instead of typed text. */
    reply: z
      .strictObject({
        type: z.enum(["button_reply", "list_reply"]).default("button_reply"),
        id: z.string().min(1).max(256),
        title: z.string().min(1).max(24),
        description: z.string().max(72).optional(),
      })
      .optional(),
    /** The business message being answered (becomes `context.id`). */
    context: z.strictObject({ id: z.string().min(1).max(512) }).optional(),
  })
  .refine((v) => (v.text === undefined) !== (v.reply === undefined), { message: "send either text or reply", path: ["text"] });
export type CustomerMessageInput = z.input<typeof CustomerMessageInputSchema>;

export type InboundResult = { ok: true; wamid: string } | { ok: false; wamid: string; webhookStatus: number | null };

/** Sends one customer message to the app's webhook as `number`'s customer. */
export type InboundSender = (input: z.output<typeof CustomerMessageInputSchema>) => Promise<InboundResult>;

/** Creates the sender the admin `/inbound` route and the simulator share. */
export function createInboundSender(deps: { send: WebhookSender; number: BusinessNumber; state: SandboxState }): InboundSender {
  return async (input) => {
    const wamid = createWamid(input.from, "inbound");
    const at = new Date();
    const content = input.reply
      ? {
          type: "interactive",
          interactive: {
            type: input.reply.type,
            [input.reply.type]: {
              id: input.reply.id,
              title: input.reply.title,
              ...(input.reply.description !== undefined && input.reply.type === "list_reply"
                ? { description: input.reply.description }
                : {}),
            },
          },
        }
      : { type: "text", text: { body: input.text ?? "" } };
    const body = customerMessageWebhookBody({
      number: deps.number,
      wamid,
      from: input.from,
      name: input.name,
      content,
      contextWamid: input.context?.id,
      at,
    });
    const result = await deps.send(body);
    if (!result.ok) return { ok: false, wamid, webhookStatus: result.status };
    deps.state.recordCustomerMessage({
      wamid,
      from: input.from,
      name: input.name,
      type: input.reply ? "interactive" : "text",
      text: input.reply?.title ?? input.text ?? "",
      contextWamid: input.context?.id ?? null,
      createdAt: at.toISOString(),
    });
    return { ok: true, wamid };
  };
}
