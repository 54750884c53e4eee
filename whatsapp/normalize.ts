/**
 * Turns one webhook body into normalized events: every `entry[] × changes[] × messages[]/statuses[]/errors[]`.
 * One bad item never drops the good ones: it is reported as a problem (the raw body is stored anyway).
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import {
  type ChangeEvent,
  type ErrorEvent,
  type MessageEvent,
  type StatusEvent,
  type StorableEvent,
  type UserRef,
  userKeyOf,
} from "./events.ts";
import {
  BaseMessageSchema,
  CONTENT_SCHEMAS,
  type Contact,
  ContactSchema,
  EnvelopeSchema,
  ErrorItemSchema,
  type KnownMessageType,
  MessagesValueSchema,
  StatusSchema,
} from "./webhook-payload.ts";

export type Normalized =
  | { shape: "ok"; events: StorableEvent[]; problems: string[] }
  | { shape: "unexpected"; events: []; problems: string[] };

/** Normalizes an already JSON-parsed webhook body. Never throws. */
export function normalizeWebhook(body: unknown, receivedAt = new Date()): Normalized {
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) return { shape: "unexpected", events: [], problems: [describe("envelope", envelope.error)] };

  const events: StorableEvent[] = [];
  const problems: string[] = [];
  envelope.data.entry.forEach((entry, ei) => {
    entry.changes.forEach((change, ci) => {
      const where = `entry[${ei}].changes[${ci}]`;
      if (change.field === "messages") {
        normalizeMessagesValue(change.value, where, events, problems);
      } else {
        events.push(normalizeOtherChange(entry.id, change.field, change.value, receivedAt));
      }
    });
  });
  return { shape: "ok", events, problems };
}

function normalizeMessagesValue(value: unknown, where: string, events: StorableEvent[], problems: string[]): void {
  const parsed = MessagesValueSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(describe(`${where}.value`, parsed.error));
    return;
  }
  const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = parsed.data;
  const phoneNumberId = metadata.phone_number_id;

  messages.forEach((m, i) => {
    const result = normalizeMessage(m, phoneNumberId, contacts);
    if (typeof result === "string") problems.push(`${where}.value.messages[${i}]: ${result}`);
    else events.push(result);
  });
  statuses.forEach((s, i) => {
    const result = normalizeStatus(s, phoneNumberId);
    if (typeof result === "string") problems.push(`${where}.value.statuses[${i}]: ${result}`);
    else events.push(result);
  });
  errors.forEach((e) => {
    events.push(normalizeValueError(e, phoneNumberId));
  });
}

function normalizeMessage(input: unknown, phoneNumberId: string, contacts: Contact[]): StorableEvent | string {
  const base = BaseMessageSchema.safeParse(input);
  if (!base.success) return describe("message", base.error);
  const m = base.data;
  const contact = findContact(contacts, m.from_user_id, m.from);
  const from: UserRef = compact({
    waId: m.from ?? contact?.wa_id,
    userId: m.from_user_id ?? contact?.user_id,
    parentUserId: m.from_parent_user_id ?? contact?.parent_user_id,
    username: contact?.profile?.username,
    name: contact?.profile?.name,
  });
  const userKey = userKeyOf(from);
  if (!userKey) return "message has neither from, from_user_id nor a contact to identify the sender";

  const known = m.type in CONTENT_SCHEMAS;
  let text: string | null = null;
  let contentValid = known;
  if (known) {
    const content = CONTENT_SCHEMAS[m.type as KnownMessageType].safeParse((m as Record<string, unknown>)[m.type]);
    contentValid = content.success;
    if (content.success) text = extractText(m.type as KnownMessageType, content.data);
  }
  const event: MessageEvent = {
    kind: "message",
    phoneNumberId,
    wamid: m.id,
    occurredAt: fromUnix(m.timestamp),
    type: m.type,
    known: known && contentValid,
    from,
    text,
    contextWamid: m.context?.id ?? null,
    raw: input as Record<string, unknown>,
  };
  return { event, dedupKey: `m:${m.id}`, conversationKey: `${phoneNumberId}:${userKey}` };
}

function extractText(type: KnownMessageType, content: unknown): string | null {
  const c = content as Record<string, unknown>;
  switch (type) {
    case "text":
      return c.body as string;
    case "image":
    case "video":
    case "document":
    case "sticker":
    case "audio":
      return (c.caption as string | undefined) ?? null;
    case "interactive": {
      const reply = (c.button_reply ?? c.list_reply) as { title?: string } | undefined;
      return reply?.title ?? (c.nfm_reply as { body?: string } | undefined)?.body ?? null;
    }
    case "button":
      return c.text as string;
    case "order":
      return (c.text as string | undefined) ?? null;
    case "system":
      return (c.body as string | undefined) ?? null;
    default:
      return null;
  }
}

function normalizeStatus(input: unknown, phoneNumberId: string): StorableEvent | string {
  const parsed = StatusSchema.safeParse(input);
  if (!parsed.success) return describe("status", parsed.error);
  const s = parsed.data;
  const recipient = compact({ waId: s.recipient_id, userId: s.recipient_user_id });
  const event: StatusEvent = {
    kind: "status",
    phoneNumberId,
    wamid: s.id,
    status: s.status,
    occurredAt: fromUnix(s.timestamp),
    recipient,
    errors: s.errors ?? null,
    pricing: (s.pricing as Record<string, unknown> | undefined) ?? null,
    raw: input as Record<string, unknown>,
  };
  const userKey = userKeyOf(recipient) ?? "_unknown";
  return { event, dedupKey: `s:${s.id}:${s.status}`, conversationKey: `${phoneNumberId}:${userKey}` };
}

function normalizeValueError(input: unknown, phoneNumberId: string): StorableEvent {
  const parsed = ErrorItemSchema.safeParse(input);
  const event: ErrorEvent = {
    kind: "error",
    phoneNumberId,
    occurredAt: new Date().toISOString(),
    code: parsed.success ? parsed.data.code : null,
    title: parsed.success ? (parsed.data.title ?? parsed.data.message ?? null) : null,
    raw: input,
  };
  return { event, dedupKey: `e:${hash(input)}`, conversationKey: `${phoneNumberId}:_system` };
}

function normalizeOtherChange(wabaId: string, field: string, value: unknown, receivedAt: Date): StorableEvent {
  const v = (value ?? {}) as { metadata?: { phone_number_id?: unknown }; contacts?: unknown[] };
  const phoneNumberId = typeof v.metadata?.phone_number_id === "string" ? v.metadata.phone_number_id : `waba:${wabaId}`;
  const contact = ContactSchema.safeParse(v.contacts?.[0]);
  const user = contact.success ? compact({ waId: contact.data.wa_id, userId: contact.data.user_id }) : null;
  const event: ChangeEvent = { kind: "change", phoneNumberId, field, occurredAt: receivedAt.toISOString(), user, raw: value };
  const userKey = (user && userKeyOf(user)) ?? "_account";
  return { event, dedupKey: `c:${field}:${hash(value)}`, conversationKey: `${phoneNumberId}:${userKey}` };
}

function findContact(contacts: Contact[], userId?: string, waId?: string): Contact | undefined {
  return (
    contacts.find((c) => userId !== undefined && c.user_id === userId) ??
    contacts.find((c) => waId !== undefined && c.wa_id === waId) ??
    (contacts.length === 1 ? contacts[0] : undefined)
  );
}

function fromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function hash(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(value) ?? "null")
    .digest("hex")
    .slice(0, 32);
}

function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    const v = obj[key];
    if (v !== undefined && v !== "") out[key] = v;
  }
  return out as T;
}

function describe(where: string, error: z.ZodError): string {
  const first = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"} ${i.message}`)
    .join("; ");
  return `${where}: ${first}`;
}
