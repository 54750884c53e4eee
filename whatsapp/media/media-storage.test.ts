import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryMediaStorage } from "./media-storage.fake.ts";
import { createLocalMediaStorage, type MediaStorage } from "./media-storage.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-media-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEY = "default/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

describe.each<[string, () => MediaStorage]>([
  ["local", () => createLocalMediaStorage(join(dir, "media"))],
  ["memory fake", () => createMemoryMediaStorage()],
])("%s media storage", (_name, create) => {
  it("stores, reads back and deletes bytes", async () => {
    const storage = create();
    await storage.put(KEY, bytes, "image/jpeg");
    expect(await storage.get(KEY)).toEqual(bytes);
    await storage.delete(KEY);
    expect(await storage.get(KEY)).toBeUndefined();
  });

  it("returns undefined for a missing key and deletes missing keys quietly", async () => {
    const storage = create();
    expect(await storage.get("default/missing")).toBeUndefined();
    await expect(storage.delete("default/missing")).resolves.toBeUndefined();
  });

  it.each(["../etc/passwd", "default/../../x", "/etc/passwd", "default//x", "a/./b", ".hidden", "", "a\\b", "a/b/"])(
    "rejects the unsafe key %j",
    async (key) => {
      const storage = create();
      await expect(storage.put(key, bytes, "image/jpeg")).rejects.toThrow(/unsafe media storage key/);
      await expect(storage.get(key)).rejects.toThrow(/unsafe media storage key/);
      await expect(storage.delete(key)).rejects.toThrow(/unsafe media storage key/);
    },
  );
});

describe("local media storage", () => {
  it("writes under the directory, replaces atomically and leaves no temp files", async () => {
    const root = join(dir, "media");
    const storage = createLocalMediaStorage(root);
    await storage.put(KEY, bytes, "image/jpeg");
    await storage.put(KEY, new Uint8Array([9]), "image/jpeg");
    const [tenant, file] = KEY.split("/") as [string, string];
    expect(await readdir(join(root, tenant))).toEqual([file]);
    expect(new Uint8Array(await readFile(join(root, KEY)))).toEqual(new Uint8Array([9]));
    expect((await stat(join(root, KEY))).mode & 0o777).toBe(0o600);
  });
});
