/**
 * The `WhatsAppClient` port: everything Switchboard asks of the Cloud API. The Graph adapter
 * (`graph-client.ts`) implements it over HTTP; the sandbox serves the same HTTP shapes locally, so the adapter
 * is exercised for real in development and tests. Errors are values, classified by Meta's error code
 * (../shared/docs/whatsapp-platform.md §5), because the sender decides retries from them.
 */
import type { OutgoingMessage, Recipient } from "./messages.ts";

/** A Graph API failure, synchronous (HTTP response) or a network failure (`code` null, `network` true). */
export type GraphError = {
  httpStatus: number | null;
  code: number | null;
  title: string;
  details?: string | undefined;
  network?: boolean | undefined;
};

export type SendOutcome = { ok: true; wamid: string } | { ok: false; error: GraphError };

export type MediaInfo = { url: string; mimeType: string; sha256: string | null; fileSize: number | null };

export type WhatsAppClient = {
  /** Sends one message; `contextWamid` makes it a reply to that message. */
  send(phoneNumberId: string, to: Recipient, message: OutgoingMessage, opts?: { contextWamid?: string | undefined }): Promise<SendOutcome>;
  /** Marks an inbound message read, optionally showing the typing indicator (dismissed on reply or after 25 s). */
  markRead(phoneNumberId: string, wamid: string, opts?: { typing?: boolean }): Promise<{ ok: true } | { ok: false; error: GraphError }>;
  /** `GET /{media-id}`: a short-lived (5 min) download URL and the file's metadata. */
  getMedia(mediaId: string, phoneNumberId?: string): Promise<{ ok: true; media: MediaInfo } | { ok: false; error: GraphError }>;
  /** Downloads a media URL with the bearer token. */
  downloadMedia(url: string): Promise<{ ok: true; bytes: Uint8Array; mimeType: string | null } | { ok: false; error: GraphError }>;
};
