import { describe, expect, it } from "vitest";
import { createGroupCommitter } from "./group-commit.ts";

type Deferred<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued microtasks and resolved promises run. */
const flush = () => new Promise<void>((r) => setImmediate(r));

/** A commit whose batches are recorded and completed by the test. */
function manualCommit<T, R>() {
  const calls: { items: T[]; done: Deferred<(R | Error)[]> }[] = [];
  const commit = (items: T[]) => {
    const done = deferred<(R | Error)[]>();
    calls.push({ items: [...items], done });
    return done.promise;
  };
  return { calls, commit };
}

const double = async (items: number[]) => items.map((n) => n * 2);

describe("createGroupCommitter", () => {
  it("commits items submitted in the same tick together", async () => {
    const batches: number[][] = [];
    const gc = createGroupCommitter<number, number>({
      commit: async (items) => {
        batches.push([...items]);
        return items.map((n) => n * 10);
      },
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => gc.submit(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(gc.stats()).toEqual({ batches: 1, items: 4, maxBatchSeen: 4 });
  });

  it("commits a lone item on its own, without waiting for company", async () => {
    const gc = createGroupCommitter<number, number>({ commit: double });
    expect(await gc.submit(21)).toBe(42);
    expect(await gc.submit(5)).toBe(10);
    expect(gc.stats()).toEqual({ batches: 2, items: 2, maxBatchSeen: 1 });
  });

  it("with concurrency 1, groups everything that arrives during a commit into the next one", async () => {
    const { calls, commit } = manualCommit<string, string>();
    const gc = createGroupCommitter<string, string>({ commit, concurrency: 1 });

    const a = gc.submit("a");
    await flush();
    expect(calls.map((c) => c.items)).toEqual([["a"]]);

    // Arrive in separate ticks while "a" is in flight.
    const b = gc.submit("b");
    await flush();
    const c = gc.submit("c");
    await flush();
    const d = gc.submit("d");
    await flush();
    expect(calls).toHaveLength(1); // nothing else starts while one commit is in flight

    calls[0]?.done.resolve(["A"]);
    expect(await a).toBe("A");
    await flush();
    expect(calls.map((x) => x.items)).toEqual([["a"], ["b", "c", "d"]]);

    calls[1]?.done.resolve(["B", "C", "D"]);
    expect(await Promise.all([b, c, d])).toEqual(["B", "C", "D"]);
    expect(gc.stats()).toEqual({ batches: 2, items: 4, maxBatchSeen: 3 });
  });

  it("runs up to `concurrency` commits at once", async () => {
    const { calls, commit } = manualCommit<number, number>();
    const gc = createGroupCommitter<number, number>({ commit, concurrency: 2 });
    const p1 = gc.submit(1);
    await flush();
    const p2 = gc.submit(2);
    await flush();
    const p3 = gc.submit(3);
    await flush();
    const p4 = gc.submit(4);
    await flush();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);

    calls[1]?.done.resolve([20]); // the second finishes first: its slot goes to the waiting items
    expect(await p2).toBe(20);
    await flush();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);

    calls[0]?.done.resolve([10]);
    calls[2]?.done.resolve([30, 40]);
    expect(await Promise.all([p1, p3, p4])).toEqual([10, 30, 40]);
  });

  it("maps each result to its own caller, in order", async () => {
    const gc = createGroupCommitter<{ id: string }, string>({
      commit: async (items) => items.map((i) => `ok:${i.id}`),
    });
    const ids = Array.from({ length: 50 }, (_, i) => `m${i}`);
    const results = await Promise.all(ids.map((id) => gc.submit({ id })));
    expect(results).toEqual(ids.map((id) => `ok:${id}`));
  });

  it("fails only the item whose result is an Error", async () => {
    const gc = createGroupCommitter<number, number>({
      commit: async (items) => items.map((n) => (n === 2 ? new Error(`item ${n} rejected`) : n * 2)),
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    expect(results[0]).toEqual({ status: "fulfilled", value: 2 });
    expect(results[1]?.status).toBe("rejected");
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toBe("item 2 rejected");
    expect(results[2]).toEqual({ status: "fulfilled", value: 6 });
  });

  it("fails the whole batch when commit throws, and keeps working afterwards", async () => {
    let fail = true;
    const gc = createGroupCommitter<number, number>({
      commit: async (items) => {
        if (fail) throw new Error("connection lost");
        return items.map((n) => n + 100);
      },
    });
    const failed = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const r of failed) expect(((r as PromiseRejectedResult).reason as Error).message).toBe("connection lost");

    fail = false;
    expect(await Promise.all([gc.submit(4), gc.submit(5)])).toEqual([104, 105]);
    expect(gc.stats()).toEqual({ batches: 2, items: 5, maxBatchSeen: 3 });
  });

  it("fails the batch when commit returns the wrong number of results", async () => {
    const gc = createGroupCommitter<number, number>({ commit: async () => [1] });
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect(((r as PromiseRejectedResult).reason as Error).message).toMatch(/1 results for 2 items/);
    }
  });

  it("respects maxBatch", async () => {
    const sizes: number[] = [];
    const gc = createGroupCommitter<number, number>({
      commit: async (items) => {
        sizes.push(items.length);
        return items;
      },
      maxBatch: 3,
      concurrency: 1,
    });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(gc.stats()).toEqual({ batches: 4, items: 10, maxBatchSeen: 3 });
  });

  it("splits one tick's items across concurrent commits when they exceed maxBatch", async () => {
    const { calls, commit } = manualCommit<number, number>();
    const gc = createGroupCommitter<number, number>({ commit, maxBatch: 2, concurrency: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => gc.submit(n)));
    await flush();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[0]?.done.resolve([1, 2]);
    await flush();
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
    calls[1]?.done.resolve([3, 4]);
    calls[2]?.done.resolve([5]);
    expect(await all).toEqual([1, 2, 3, 4, 5]);
  });

  it("drain() resolves at once when idle", async () => {
    const gc = createGroupCommitter<number, number>({ commit: double });
    await expect(gc.drain()).resolves.toBeUndefined();
  });

  it("drain() waits for in-flight and queued work", async () => {
    const { calls, commit } = manualCommit<number, number>();
    const gc = createGroupCommitter<number, number>({ commit, concurrency: 1 });
    const settled: string[] = [];
    void gc.submit(1).then(() => settled.push("1"));
    await flush();
    void gc.submit(2).then(() => settled.push("2"));
    await flush();

    let drained = false;
    const drain = gc.drain().then(() => {
      drained = true;
    });
    await flush();
    expect(drained).toBe(false);

    calls[0]?.done.resolve([1]);
    await flush();
    expect(drained).toBe(false); // item 2 is now in flight
    expect(calls).toHaveLength(2);

    calls[1]?.done.resolve([2]);
    await drain;
    expect(drained).toBe(true);
    expect(settled).toEqual(["1", "2"]);
  });

  it("drain() also waits for a submission made in the same tick", async () => {
    const gc = createGroupCommitter<number, number>({ commit: double });
    let value: number | undefined;
    void gc.submit(4).then((v) => {
      value = v;
    });
    await gc.drain();
    expect(value).toBe(8);
  });

  it("drain() resolves after a failed batch too", async () => {
    const gc = createGroupCommitter<number, number>({
      commit: async () => {
        throw new Error("boom");
      },
    });
    const p = gc.submit(1).catch((e: Error) => e.message);
    await gc.drain();
    expect(await p).toBe("boom");
  });

  it("stats() starts at zero", () => {
    const gc = createGroupCommitter<number, number>({ commit: double });
    expect(gc.stats()).toEqual({ batches: 0, items: 0, maxBatchSeen: 0 });
  });
});
