/**
 * The normalized internal events the webhook stores and the worker consumes. Stored as JSON in
 * `webhook_events.payload` and parsed back with these schemas, so both ends agree on one shape.
 */
import { z } from "zod";

export const UserRefSchema = z.object({
  waId: z.string().optional(),
  userId: z.string().optional(),
  parentUserId: z.string().optional(),
  username: z.string().optional(),
  name: z.string().optional(),
});
export type UserRef = z.infer<typeof UserRefSchema>;

export const MessageEventSchema = z.object({
  kind: z.literal("message"),
  phoneNumberId: z.string(),
  wamid: z.string(),
  occurredAt: z.iso.datetime(),
  /** Meta's `type`; unknown types are kept as they come. */
  type: z.string(),
  known: z.boolean(),
  from: UserRefSchema,
  /** Text body, caption, or button/list title where there is one. */
  text: z.string().nullable(),
  contextWamid: z.string().nullable(),
  /** The raw message object as Meta sent it (content, context, referral, errors). */
  raw: z.record(z.string(), z.unknown()),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

export const StatusEventSchema = z.object({
  kind: z.literal("status"),
  phoneNumberId: z.string(),
  wamid: z.string(),
  status: z.string(),
  occurredAt: z.iso.datetime(),
  recipient: UserRefSchema,
  errors: z.array(z.unknown()).nullable(),
  pricing: z.record(z.string(), z.unknown()).nullable(),
  raw: z.record(z.string(), z.unknown()),
});
export type StatusEvent = z.infer<typeof StatusEventSchema>;

export const ErrorEventSchema = z.object({
  kind: z.literal("error"),
  phoneNumberId: z.string(),
  occurredAt: z.iso.datetime(),
  code: z.number().nullable(),
  title: z.string().nullable(),
  raw: z.unknown(),
});
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;

/** Any other webhook field (user_preferences, template status, account updates...), kept for later handlers. */
export const ChangeEventSchema = z.object({
  kind: z.literal("change"),
  phoneNumberId: z.string(),
  field: z.string(),
  occurredAt: z.iso.datetime(),
  user: UserRefSchema.nullable(),
  raw: z.unknown(),
});
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

export const WebhookEventSchema = z.discriminatedUnion("kind", [
  MessageEventSchema,
  StatusEventSchema,
  ErrorEventSchema,
  ChangeEventSchema,
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** One event ready to store: the payload plus the keys the queue needs. */
export type StorableEvent = {
  event: WebhookEvent;
  /** Unique per business number: `m:<wamid>`, `s:<wamid>:<status>`, `e:<hash>`, `c:<field>:<hash>`. */
  dedupKey: string;
  /** Events with the same key are processed one at a time, in order. */
  conversationKey: string;
};

/** The key a customer's events are ordered and grouped by: the BSUID when present, else the phone (wa_id). */
export function userKeyOf(user: UserRef): string | undefined {
  return user.userId ?? user.waId ?? (user.username ? `username:${user.username}` : undefined);
}

/** An event taken from the queue by the worker. */
export type QueuedEvent = { id: string; tenantId: string; event: WebhookEvent; attempts: number };
