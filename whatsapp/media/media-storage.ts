/**
 * Where downloaded media bytes live. A small port so production can swap the local directory for object storage;
 * `media-storage.fake.ts` holds an in-memory one for tests. Keys are relative, slash-separated paths
 * (`<tenantId>/<sha256hex>`); the database row keeps the MIME type, so the local store writes bytes only.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { AppError } from "../../lib/errors.ts";

export type MediaStorage = {
  put(key: string, bytes: Uint8Array, mimeType: string): Promise<void>;
  /** The stored bytes, or undefined when nothing is stored under `key`. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the file; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
};

// Each segment starts with a letter or digit, so "." and ".." (and hidden temp files) can never be a segment.
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Throws unless `key` is a relative path that cannot leave the storage root. */
export function assertSafeKey(key: string): void {
  if (key.length > 512 || !SAFE_KEY.test(key) || key.split("/").some((s) => s === "..")) {
    throw new AppError("internal", `unsafe media storage key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}

/** Stores media as files under `dir` (e.g. DATA_DIR/media), created on first write. */
export function createLocalMediaStorage(dir: string): MediaStorage {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    assertSafeKey(key);
    const path = resolve(join(root, key));
    // Belt and braces: the pattern already forbids traversal, but never let a key resolve outside the root.
    if (!path.startsWith(root + sep)) throw new AppError("internal", "media storage key resolves outside the storage root");
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Write a temp file in the same directory, then rename: readers never see a half-written file, and a
      // crash leaves at most a stray `.tmp` file behind.
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, bytes, { mode: 0o600 });
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
