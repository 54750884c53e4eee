/**
 * Failure injection for the fake Graph API: a queue of failures that matching sends consume. A synchronous failure
 * answers the send with Meta's error body; an asynchronous one accepts the send and later reports a `failed` status
 * webhook, the way Meta reports e.g. 131047 and 131026 (whatsapp-platform.md §5).
 */
import { z } from "zod";
import { errorInfo } from "./error-catalog.ts";
import { normalizeRecipient } from "./meta-shapes.ts";

export const FailureSpecSchema = z.strictObject({
  code: z.number().int().min(0).max(99_999_999),
  httpStatus: z.number().int().min(400).max(599).optional(),
  title: z.string().min(1).max(200).optional(),
  details: z.string().min(1).max(1000).optional(),
  /** How many matching sends fail before the entry is used up. */
  times: z.number().int().min(1).max(1000).default(1),
  /** Only sends to this recipient (phone or BSUID) fail; any recipient when absent. */
  to: z.string().min(5).max(140).optional(),
  /** Accept the send, then report a `failed` status webhook instead of sent/delivered/read. */
  async: z.boolean().default(false),
});
export type FailureSpec = z.input<typeof FailureSpecSchema>;

/** A queued failure, with its HTTP status resolved and how many sends it still fails. */
export type Failure = Omit<z.output<typeof FailureSpecSchema>, "httpStatus"> & { id: number; httpStatus: number; remaining: number };

export type FailureInjector = {
  /** Queues a failure; throws a ZodError on an invalid spec. */
  push(spec: FailureSpec): Failure;
  /** Consumes one use of the first failure that matches this recipient, if any. */
  take(recipient: string): Failure | undefined;
  /** The failures still queued, first to match first. */
  list(): Failure[];
  /** Empties the queue; returns how many entries were dropped. */
  clear(): number;
};

/** Creates an empty in-memory failure queue. */
export function createFailureInjector(): FailureInjector {
  let queue: Failure[] = [];
  let nextId = 1;
  return {
    push(spec) {
      const parsed = FailureSpecSchema.parse(spec);
      const failure: Failure = {
        ...parsed,
        id: nextId++,
        httpStatus: parsed.httpStatus ?? errorInfo(parsed.code).httpStatus,
        remaining: parsed.times,
        ...(parsed.to ? { to: normalizeRecipient(parsed.to) } : {}),
      };
      queue.push(failure);
      return { ...failure };
    },
    take(recipient) {
      const key = normalizeRecipient(recipient);
      const match = queue.find((f) => f.to === undefined || f.to === key);
      if (!match) return undefined;
      match.remaining -= 1;
      if (match.remaining <= 0) queue = queue.filter((f) => f !== match);
      return { ...match };
    },
    list() {
      return queue.map((f) => ({ ...f }));
    },
    clear() {
      const n = queue.length;
      queue = [];
      return n;
    },
  };
}
