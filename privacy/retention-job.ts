/**
 * The daily retention job. Every `intervalMs` (an hour by default) it looks at the tenants with a retention period
 * and runs each one whose run for today (UTC) has not happened yet: the run claims the day in `retention_runs` in
 * the same transaction as its deletes, so it happens at most once a day per tenant across restarts and instances,
 * and a failed run is retried at the next tick. `runNow` is the admin's manual trigger (it always runs).
 */
import { withTransaction } from "../lib/db.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import type { PrivacyDeps } from "./customer-erase.ts";
import { drainMediaDeletions } from "./media-deletions.ts";
import { listRetentionTenants, readPrivacySettings } from "./privacy-settings.ts";
import { deleteExpired, type RetentionCounts } from "./retention.ts";

export type RetentionRun = { tenantId: string; retentionDays: number; counts: RetentionCounts & { mediaFilesRemovedFromStorage: number } };
export type RunNowResult = { ok: true; run: RetentionRun } | { ok: false; code: "no_retention_period" };

export type RetentionJob = {
  /** Runs every tenant that is due today; answers the runs made (none when all ran already today). */
  runDue(): Promise<RetentionRun[]>;
  /** Runs the tenant's retention now, whether or not it ran today. */
  runNow(tenantId: string, actor: string): Promise<RunNowResult>;
  start(): void;
  stop(): Promise<void>;
};

// The claim only moves forward: a second run the same day finds last_run_on = today and claims nothing.
const CLAIM_SQL = `
INSERT INTO retention_runs (tenant_id, last_run_on) VALUES ($1, (now() AT TIME ZONE 'UTC')::date)
ON CONFLICT (tenant_id) DO UPDATE SET last_run_on = EXCLUDED.last_run_on, last_run_at = now()
  WHERE $2 OR retention_runs.last_run_on < EXCLUDED.last_run_on
RETURNING tenant_id`;

/** Creates the job; `start()` schedules it, `stop()` waits for a run in progress. */
export function createRetentionJob(deps: PrivacyDeps & { intervalMs?: number }): RetentionJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function run(tenantId: string, retentionDays: number, actor: string, force: boolean): Promise<RetentionRun | undefined> {
    const counts = await withTransaction(deps.pool, async (tx) => {
      const claimed = await tx.query(CLAIM_SQL, [tenantId, force]);
      if (claimed.rowCount === 0) return undefined;
      const deleted = await deleteExpired(tx, tenantId, retentionDays);
      await recordAdminAudit(tx, { tenantId, actor, action: "retention.run", details: { retentionDays, counts: deleted } });
      return deleted;
    });
    if (!counts) return undefined;
    const drained = await drainMediaDeletions(deps, { tenantId });
    deps.logger.info({ tenantId, retentionDays, counts }, "retention run");
    return { tenantId, retentionDays, counts: { ...counts, mediaFilesRemovedFromStorage: drained.deleted } };
  }

  async function runDue(): Promise<RetentionRun[]> {
    const runs: RetentionRun[] = [];
    for (const t of await listRetentionTenants(deps.pool)) {
      try {
        const r = await run(t.tenantId, t.retentionDays, "system:retention", false);
        if (r) runs.push(r);
      } catch (err) {
        deps.logger.error({ err, tenantId: t.tenantId }, "retention run failed; retried at the next tick");
      }
    }
    // Files left behind by an earlier storage failure (any tenant) get another try.
    await drainMediaDeletions(deps);
    return runs;
  }

  function tick(): void {
    if (running) return;
    running = runDue()
      .catch((err: unknown) => deps.logger.error({ err }, "retention job failed"))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runDue,
    async runNow(tenantId, actor) {
      const { retentionDays } = await readPrivacySettings(deps.pool, tenantId);
      if (retentionDays === null) return { ok: false, code: "no_retention_period" };
      return { ok: true, run: (await run(tenantId, retentionDays, actor, true)) as RetentionRun };
    },
    start() {
      if (timer) return;
      timer = setInterval(tick, deps.intervalMs ?? 60 * 60_000);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
