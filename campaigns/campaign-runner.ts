/**
 * The background job of business-initiated sends: due campaigns (each under a lease, so two processes never work
 * the same campaign) and the follow-up automation (at most every `followUpEveryMs`; its outbox keys make concurrent
 * runs harmless). Restart-safe: everything it does is recorded before or keyed by the outbox, and an interrupted
 * campaign is picked up again when its lease expires. The clock is injected so tests can move through time zones.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../lib/logger.ts";
import type { QueueDeps } from "../outbox/queue-message.ts";
import { runCampaign } from "./campaign-sender.ts";
import { claimDueCampaign } from "./campaign-store.ts";
import { type FollowUpSummary, runFollowUps } from "./follow-up.ts";

export type CampaignRunnerOptions = {
  queue: QueueDeps;
  logger: Logger;
  now?: () => Date;
  pollMs?: number;
  leaseMs?: number;
  /** Recipients copied and decided per page. */
  pageSize?: number;
  followUpEveryMs?: number;
};

export type CampaignRunner = {
  /** Works every due campaign once; returns how many campaigns it worked. */
  runCampaigns(): Promise<number>;
  runFollowUps(): Promise<FollowUpSummary>;
  start(): void;
  stop(): Promise<void>;
  /** Runs soon (a campaign was just created). */
  wake(): void;
};

export function createCampaignRunner(opts: CampaignRunnerOptions): CampaignRunner {
  const { queue, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const owner = `campaigns:${randomUUID()}`;
  const deps = { queue, logger, owner, leaseMs, pageSize: opts.pageSize ?? 500 };
  let running = false;
  let busy: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let followUpsAt = 0;

  async function runCampaigns(): Promise<number> {
    let worked = 0;
    // Each claim takes a different campaign (the previous one is done, or leased by us until it is due again).
    for (
      let c = await claimDueCampaign(queue.pool, owner, now(), leaseMs);
      c;
      c = await claimDueCampaign(queue.pool, owner, now(), leaseMs)
    ) {
      const summary = await runCampaign(deps, c, now());
      logger.info({ campaignId: c.id, tenantId: c.tenantId, ...summary }, "campaign run");
      worked++;
    }
    return worked;
  }

  async function tick(): Promise<void> {
    await runCampaigns();
    if (Date.now() - followUpsAt >= (opts.followUpEveryMs ?? 60_000)) {
      followUpsAt = Date.now();
      const summary = await runFollowUps({ queue, logger }, now());
      if (summary.queued > 0) logger.info(summary, "follow-ups queued");
    }
  }

  function run(): void {
    if (busy || !running) return;
    busy = tick()
      .catch((err: unknown) => logger.error({ err }, "campaign run failed"))
      .finally(() => {
        busy = undefined;
        if (running) timer = setTimeout(run, opts.pollMs ?? 5_000);
      });
  }

  return {
    runCampaigns,
    runFollowUps: () => runFollowUps({ queue, logger }, now()),
    start() {
      if (running) return;
      running = true;
      run();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await busy;
    },
    wake() {
      if (timer) clearTimeout(timer);
      run();
    },
  };
}
