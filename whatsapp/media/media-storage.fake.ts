/** In-memory `MediaStorage` for tests: same key rules as the local store, bytes copied in and out. */
import { assertSafeKey, type MediaStorage } from "./media-storage.ts";

export type MemoryMediaStorage = MediaStorage & { readonly files: Map<string, { bytes: Uint8Array; mimeType: string }> };

/** Creates an empty in-memory store; `files` exposes what was stored. */
export function createMemoryMediaStorage(): MemoryMediaStorage {
  const files = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  return {
    files,
    async put(key, bytes, mimeType) {
      assertSafeKey(key);
      files.set(key, { bytes: bytes.slice(), mimeType });
    },
    async get(key) {
      assertSafeKey(key);
      return files.get(key)?.bytes.slice();
    },
    async delete(key) {
      assertSafeKey(key);
      files.delete(key);
    },
  };
}
