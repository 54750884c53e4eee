/**
 * Outgoing Cloud API messages, validated before sending: the body shapes of
 * `POST /{version}/{phone_number_id}/messages` (../shared/docs/whatsapp-platform.md §4, Meta's OpenAPI spec).
 * Limits from Meta's pages and SDK: text ≤ 4096 chars, ≤ 3 reply buttons with titles ≤ 20 chars and ids ≤ 256,
 * lists with ≤ 10 sections and ≤ 10 rows in all, row titles ≤ 24, captions ≤ 1024.
 */
import { z } from "zod";

const MediaRef = z.union([
  z.object({ id: z.string().min(1), link: z.undefined().optional() }),
  z.object({
    link: z.url().refine((u) => u.startsWith("https://") || u.startsWith("http://"), "must be http(s)"),
    id: z.undefined().optional(),
  }),
]);

export const TextMessageSchema = z.object({
  type: z.literal("text"),
  text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
});

export const MediaMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("image"), image: z.intersection(MediaRef, z.object({ caption: z.string().max(1024).optional() })) }),
  z.object({ type: z.literal("video"), video: z.intersection(MediaRef, z.object({ caption: z.string().max(1024).optional() })) }),
  z.object({ type: z.literal("audio"), audio: MediaRef }),
  z.object({
    type: z.literal("document"),
    document: z.intersection(MediaRef, z.object({ caption: z.string().max(1024).optional(), filename: z.string().max(240).optional() })),
  }),
]);

const TemplateParameter = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().min(1).max(1024) }),
  z.object({
    type: z.literal("currency"),
    currency: z.object({ fallback_value: z.string(), code: z.string().length(3), amount_1000: z.number().int() }),
  }),
  z.object({ type: z.literal("date_time"), date_time: z.object({ fallback_value: z.string() }) }),
  z.object({ type: z.literal("image"), image: MediaRef }),
  z.object({ type: z.literal("document"), document: MediaRef }),
  z.object({ type: z.literal("video"), video: MediaRef }),
  z.object({ type: z.literal("payload"), payload: z.string().max(1000) }),
]);
export type TemplateParameter = z.infer<typeof TemplateParameter>;

export const TemplateMessageSchema = z.object({
  type: z.literal("template"),
  template: z.object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, "template names are lower-case letters, digits and _"),
    language: z.object({ code: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/) }),
    components: z
      .array(
        z.object({
          type: z.enum(["header", "body", "button"]),
          sub_type: z.enum(["quick_reply", "url", "copy_code"]).optional(),
          index: z.string().regex(/^\d$/).optional(),
          parameters: z.array(TemplateParameter),
        }),
      )
      .optional(),
  }),
});

export const ReplyButtonsMessageSchema = z.object({
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("button"),
    header: z.object({ type: z.literal("text"), text: z.string().min(1).max(60) }).optional(),
    body: z.object({ text: z.string().min(1).max(1024) }),
    footer: z.object({ text: z.string().min(1).max(60) }).optional(),
    action: z.object({
      buttons: z
        .array(
          z.object({ type: z.literal("reply"), reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }) }),
        )
        .min(1)
        .max(3),
    }),
  }),
});

export const ListMessageSchema = z.object({
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("list"),
    header: z.object({ type: z.literal("text"), text: z.string().min(1).max(60) }).optional(),
    body: z.object({ text: z.string().min(1).max(4096) }),
    footer: z.object({ text: z.string().min(1).max(60) }).optional(),
    action: z.object({
      button: z.string().min(1).max(20),
      sections: z
        .array(
          z.object({
            title: z.string().max(24).optional(),
            rows: z
              .array(
                z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() }),
              )
              .min(1),
          }),
        )
        .min(1)
        .max(10)
        .refine((sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10, "at most 10 rows in all sections"),
    }),
  }),
});

export const LocationMessageSchema = z.object({
  type: z.literal("location"),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(1000).optional(),
    address: z.string().max(1000).optional(),
  }),
});

export const ReactionMessageSchema = z.object({
  type: z.literal("reaction"),
  reaction: z.object({ message_id: z.string().min(1), emoji: z.string().max(16) }),
});

/** Any message Switchboard sends. */
export const OutgoingMessageSchema = z.union([
  TextMessageSchema,
  MediaMessageSchema,
  TemplateMessageSchema,
  ReplyButtonsMessageSchema,
  ListMessageSchema,
  LocationMessageSchema,
  ReactionMessageSchema,
]);
export type OutgoingMessage = z.infer<typeof OutgoingMessageSchema>;

/** Who a message goes to: the phone number (wa_id) when known, else the business-scoped user id. */
export const RecipientSchema = z
  .object({
    waId: z
      .string()
      .regex(/^\+?\d{5,20}$/)
      .optional(),
    userId: z.string().min(3).optional(),
  })
  .refine((r) => r.waId || r.userId, "a recipient needs a wa_id or a BSUID");
export type Recipient = z.infer<typeof RecipientSchema>;

/** Free-form messages may only be sent inside the 24-hour customer-service window; templates any time. */
export function isTemplate(message: OutgoingMessage): message is z.infer<typeof TemplateMessageSchema> {
  return message.type === "template";
}
