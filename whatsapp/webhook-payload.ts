/**
 * Zod schemas for the Cloud API webhook body, lenient where Meta adds fields (loose objects) and strict where we
 * depend on a value. Shapes: ../shared/docs/whatsapp-platform.md §2 and Meta's reference pages under
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/
 */
import { z } from "zod";

export const EnvelopeSchema = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z
    .array(
      z.looseObject({
        id: z.string(),
        changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
      }),
    )
    .min(1),
});

export const MetadataSchema = z.looseObject({
  phone_number_id: z.string().min(1),
  display_phone_number: z.string().optional(),
});

export const ContactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const MessagesValueSchema = z.looseObject({
  metadata: MetadataSchema,
  contacts: z.array(ContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

/** Unix seconds, sent by Meta as a string (numbers accepted too). */
const UnixSeconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform((v) => Number(v));

export const ErrorItemSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type ErrorItem = z.infer<typeof ErrorItemSchema>;

export const BaseMessageSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: UnixSeconds,
  type: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  from_parent_user_id: z.string().optional(),
  context: z
    .looseObject({
      from: z.string().optional(),
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
      referred_product: z.looseObject({}).optional(),
    })
    .optional(),
  referral: z.looseObject({}).optional(),
  errors: z.array(ErrorItemSchema).optional(),
});
export type BaseMessage = z.infer<typeof BaseMessageSchema>;

const Media = z.looseObject({
  id: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  url: z.string().optional(),
  caption: z.string().optional(),
});

/** Content schema per known message type; the content sits under the key named like the type. */
export const CONTENT_SCHEMAS = {
  text: z.looseObject({ body: z.string() }),
  image: Media,
  video: Media,
  sticker: Media.extend({ animated: z.boolean().optional() }),
  document: Media.extend({ filename: z.string().optional() }),
  audio: Media.extend({ voice: z.boolean().optional() }),
  location: z.looseObject({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
  contacts: z.array(z.looseObject({})),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    nfm_reply: z.looseObject({ name: z.string().optional(), body: z.string().optional() }).optional(),
  }),
  button: z.looseObject({ payload: z.string().optional(), text: z.string() }),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }),
  order: z.looseObject({ catalog_id: z.string().optional(), text: z.string().optional(), product_items: z.array(z.unknown()) }),
  system: z.looseObject({ body: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() }),
  unsupported: z.looseObject({ type: z.string().optional() }),
} as const;

export type KnownMessageType = keyof typeof CONTENT_SCHEMAS;
export const KNOWN_MESSAGE_TYPES = Object.keys(CONTENT_SCHEMAS) as KnownMessageType[];

export const StatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: UnixSeconds,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(ErrorItemSchema).optional(),
  pricing: z.looseObject({}).optional(),
  conversation: z.looseObject({}).optional(),
  biz_opaque_callback_data: z.string().optional(),
});
