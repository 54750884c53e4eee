/**
 * The world an eval case runs in: the real server path (signed webhook → worker → agent graph → outbox → sandbox)
 * on an in-memory embedded database, started once per model under test and seeded with the eval tenant: its
 * profile (fixtures/tenant-profile.json), its knowledge base (fixtures/knowledge/, ingested through the admin
 * upload API) and the demo ERP (customers 1-3 write from 1555010000N and have an order in every state).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentModel } from "../../agent/model/model-port.ts";
import { saveTenantProfile, TenantProfileSchema } from "../../agent/profile.ts";
import { type AgentHarness, startAgentHarness } from "../../server/agent-testing.ts";
import { DEFAULT_TENANT_ID } from "../../tenants/tenant-store.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export type EvalWorld = {
  h: AgentHarness;
  tenantId: string;
  /** Documents of the eval knowledge base, by title. */
  documents: string[];
  /** Puts the demo ERP's orders back as seeded (a case may have cancelled or returned one). */
  restoreErp(): Promise<void>;
  /** Runs `fn` alone: cases share one database and one set of background loops. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
};

/** Starts the world and seeds the eval tenant; resolves once every knowledge document is ingested. */
export async function startEvalWorld(model: AgentModel): Promise<EvalWorld> {
  const h = await startAgentHarness({ burstWindowMs: 0, model, seedDemoKnowledge: false });
  const tenantId = DEFAULT_TENANT_ID;
  const profile = TenantProfileSchema.parse(JSON.parse(await readFile(join(FIXTURES, "tenant-profile.json"), "utf8")));
  await saveTenantProfile(h.db.pool, tenantId, profile);
  const documents = await uploadKnowledge(h);
  await h.db.pool.query("CREATE TABLE eval_erp_orders_seed AS SELECT * FROM erp_orders");
  let queue: Promise<unknown> = Promise.resolve();
  return {
    h,
    tenantId,
    documents,
    async restoreErp() {
      await h.db.pool.query(
        `UPDATE erp_orders o SET status = s.status, items = s.items, address = s.address, return_items = s.return_items
           FROM eval_erp_orders_seed s
          WHERE o.tenant_id = s.tenant_id AND o.order_id = s.order_id
            AND (o.status, o.items, o.address, o.return_items) IS DISTINCT FROM (s.status, s.items, s.address, s.return_items)`,
      );
    },
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Uploads every file of fixtures/knowledge/ (title from the file name, language from `.xx.` in it) and waits until ready. */
async function uploadKnowledge(h: AgentHarness): Promise<string[]> {
  const dir = join(FIXTURES, "knowledge");
  const files = (await readdir(dir)).sort();
  const ids: string[] = [];
  const titles: string[] = [];
  for (const name of files) {
    const language = /\.([a-z]{2})\.[^.]+(\.[^.]+)?$/.exec(name)?.[1];
    const title = titleOf(name);
    const form = new FormData();
    form.set("file", new File([await readFile(join(dir, name))], name));
    form.set("title", title);
    form.set("tags", "eval");
    if (language) form.set("language", language);
    const res = await h.admin("/admin/knowledge", { method: "POST", body: form });
    if (res.status !== 202 && res.status !== 200) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
    ids.push((await res.json()).id);
    titles.push(title);
  }
  await h.ingestor.drain();
  for (const id of ids) {
    const doc = await (await h.admin(`/admin/knowledge/${id}`)).json();
    if (doc.status !== "ready") throw new Error(`knowledge document ${doc.title} is ${doc.status}: ${doc.error ?? ""}`);
  }
  return titles;
}

/** "trailhead-lantern-manual.md" → "Trailhead Lantern Manual"; "store-policies.es.faq.json" → "Store Policies (es)". */
export function titleOf(fileName: string): string {
  const parts = fileName.split(".");
  const stem = parts[0] ?? fileName;
  const maybeLang = parts.length > 2 ? parts[1] : undefined;
  const words = stem
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
  return maybeLang && /^[a-z]{2}$/.test(maybeLang) ? `${words} (${maybeLang})` : words;
}
