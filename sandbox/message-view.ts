/** How a recorded business message is shown by `GET /sandbox/messages` and the simulator. */

import type { DeliveryStatus } from "./sandbox-state.ts";
import type { SandboxMessageRow } from "./sandbox-store.ts";

export type MessageView = {
  /** The wamid the fake API answered with. */
  id: string;
  to: string;
  phoneNumberId: string;
  type: string;
  /** Text body, interactive body text, or media caption; null when the message has none. */
  text: string | null;
  template: Record<string, unknown> | null;
  interactive: Record<string, unknown> | null;
  /** The message this one replies to (`context.message_id`). */
  contextId: string | null;
  /** The latest status the sandbox reported, while this process runs. */
  status: DeliveryStatus["status"] | null;
  errorCode: number | null;
  createdAt: string;
};

/** Builds the public view of one `sandbox_messages` row. */
export function toMessageView(row: SandboxMessageRow, status: DeliveryStatus | null): MessageView {
  const body = row.body;
  const content = record(body[row.type]);
  return {
    id: row.wamid,
    to: row.recipient,
    phoneNumberId: row.phoneNumberId,
    type: row.type,
    text: textOf(row.type, content),
    template: row.type === "template" ? content : null,
    interactive: row.type === "interactive" ? content : null,
    contextId: str(record(body.context)?.message_id),
    status: status?.status ?? null,
    errorCode: status?.errorCode ?? null,
    createdAt: row.createdAt,
  };
}

function textOf(type: string, content: Record<string, unknown> | null): string | null {
  if (!content) return null;
  switch (type) {
    case "text":
      return str(content.body);
    case "interactive":
      return str(record(content.body)?.text);
    case "image":
    case "video":
    case "document":
      return str(content.caption);
    case "reaction":
      return str(content.emoji);
    case "location":
      return str(content.name) ?? str(content.address);
    default:
      return null;
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
