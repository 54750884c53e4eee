/** Small helpers for the sandbox's own tokens (the sandbox may not import server/, which has its own copy). */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Compares two secrets in constant time whatever their lengths. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** A random token for this process (hex, `bytes` of entropy). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("hex");
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
}
