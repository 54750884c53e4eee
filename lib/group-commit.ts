/**
 * Group commit: callers submit items and wait; items that arrive while a commit is in flight are written together
 * by the next commit. At low load every item commits alone (no added latency); under load, one transaction carries
 * many items, which is what lets the webhook acknowledge thousands of deliveries a second after a real commit.
 */

export type GroupCommitOptions<T, R> = {
  /**
   * Writes a batch durably and returns one result per item, in order. An `Error` in the results fails that item
   * only; throwing fails the whole batch.
   */
  commit: (items: T[]) => Promise<(R | Error)[]>;
  maxBatch?: number;
  /** Commits allowed in flight at once (keep at or below the pool size). */
  concurrency?: number;
};

export type GroupCommitter<T, R> = {
  submit(item: T): Promise<R>;
  /** Resolves when everything submitted so far has been committed or failed. */
  drain(): Promise<void>;
  stats(): { batches: number; items: number; maxBatchSeen: number };
};

type Pending<T, R> = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };

/** Creates a group committer around `commit`. */
export function createGroupCommitter<T, R>(opts: GroupCommitOptions<T, R>): GroupCommitter<T, R> {
  const maxBatch = opts.maxBatch ?? 500;
  const concurrency = opts.concurrency ?? 2;
  const queue: Pending<T, R>[] = [];
  let inFlight = 0;
  let batches = 0;
  let items = 0;
  let maxBatchSeen = 0;
  let idleWaiters: (() => void)[] = [];

  function pump(): void {
    while (inFlight < concurrency && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      batches++;
      items += batch.length;
      maxBatchSeen = Math.max(maxBatchSeen, batch.length);
      void run(batch);
    }
    if (inFlight === 0 && queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  async function run(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await opts.commit(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`commit returned ${results.length} results for ${batch.length} items`);
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else p.resolve(r as R);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      inFlight--;
      pump();
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Start on the next microtask so items submitted in the same tick share a batch.
        queueMicrotask(pump);
      });
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    stats: () => ({ batches, items, maxBatchSeen }),
  };
}
