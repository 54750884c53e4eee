/**
 * Test kit for the privacy routes: seeds, through the real app (signed webhooks, worker, offline agent, outbox,
 * sandbox, media downloader), a customer with every kind of row the system keeps about a person, and knows every
 * personal string it planted so a test can search the whole database for them. The texts are ASCII and distinctive
 * so a search of LangGraph's checkpoint blobs (bytea) and of unrelated tables (the demo help center) cannot be
 * confused by an accidental match.
 */
import { recordConsent } from "../compliance/consent-store.ts";
import { addNote } from "../handoff/agent-messages.ts";
import { createAgent } from "../handoff/agent-store.ts";
import { resolveHandoff } from "../handoff/handoff-actions.ts";
import { handoffEvents } from "../handoff/handoff-events.ts";
import type { Database } from "../lib/db.ts";
import { type AgentHarness, startAgentHarness } from "./agent-testing.ts";
import { webhookEnvelope } from "./testing.ts";

export const TENANT = "default";

/** The full app with the offline agent, and a way to wait until every background loop has settled. */
export type PrivacyHarness = AgentHarness;

/** Starts the app with the agent answering (on `db`, e.g. a real PostgreSQL, or a fresh in-memory one). */
export function startPrivacyHarness(db?: Database): Promise<PrivacyHarness> {
  return startAgentHarness({ burstWindowMs: 0 }, db);
}

export type SeededCustomer = {
  customerId: string;
  conversationId: string;
  handoffId: string;
  mediaKey: string;
  /** Every personal string planted (identities, texts, media id, wamids), each found somewhere before erasure. */
  needles: string[];
};

let seq = 0;

/** A signed customer webhook: text, image or a tap on a list row. */
function customerWebhook(who: { phone: string; bsuid?: string; name: string; username?: string }, content: Record<string, unknown>) {
  seq += 1;
  return webhookEnvelope({
    contacts: [
      {
        profile: { name: who.name, ...(who.username ? { username: who.username } : {}) },
        wa_id: who.phone,
        ...(who.bsuid ? { user_id: who.bsuid } : {}),
      },
    ],
    messages: [
      {
        from: who.phone,
        ...(who.bsuid ? { from_user_id: who.bsuid } : {}),
        id: `wamid.privacy.${who.phone}.${seq}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...content,
      },
    ],
  });
}

async function say(h: PrivacyHarness, who: Parameters<typeof customerWebhook>[0], content: Record<string, unknown>): Promise<void> {
  const res = await h.postWebhook(customerWebhook(who, content));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  await h.settle();
}

/** Seeds the customer whose data the tests export and erase. Distinct values per `tag` (one harness, many seeds). */
export async function seedFullCustomer(h: PrivacyHarness, tag = "a"): Promise<SeededCustomer> {
  const t = tag.toUpperCase();
  const who = {
    phone: `3465598${String(seq + 1000).slice(-4)}`,
    bsuid: `ES.88234719${t}23847`,
    name: `Zoraida Quintanilla ${t}`,
    username: `zoraida_q_${tag}`,
  };
  const email = `zoraida.q.${tag}@example.org`;
  const texts = [`Where is my parcel with the teal umbrella ${t}, reference QX-58${t}13?`, `zipper torn on the lilac jacket ${t}`] as const;
  const mediaId = `zq.media.${tag}.99887766`;
  await say(h, who, { type: "text", text: { body: `${texts[0]} Email me at ${email}` } });
  await say(h, who, { type: "image", image: { id: mediaId, mime_type: "image/png", caption: texts[1] } });
  await h.media.runOnce();
  await say(h, who, { type: "text", text: { body: "I want to talk to a person" } });

  const pool = h.db.pool;
  const { rows } = await pool.query(
    `SELECT cu.id::text AS customer_id, c.id::text AS conversation_id, h.id::text AS handoff_id
     FROM customers cu JOIN conversations c ON c.customer_id = cu.id JOIN handoffs h ON h.conversation_id = c.id WHERE cu.bsuid = $1`,
    [who.bsuid],
  );
  if (!rows[0]) throw new Error("seed: no handoff was created");
  const { customer_id: customerId, conversation_id: conversationId, handoff_id: handoffId } = rows[0];

  const { agent } = await createAgent(pool, TENANT, {
    name: "Agent Ana",
    role: "admin",
    skills: [],
    languages: [],
    maxConcurrent: 5,
    status: "online",
  });
  const actionDeps = { pool, queue: h.queue, events: handoffEvents };
  const noteText = `Called ${who.name} back about the lilac jacket ${t}`;
  await addNote(actionDeps, agent, conversationId, noteText);
  await resolveHandoff(actionDeps, agent, handoffId, { returnToBot: true, csat: { question: "How did we do?", buttonLabel: "Rate us" } });
  await h.settle();
  await say(h, who, { type: "interactive", interactive: { type: "list_reply", list_reply: { id: `csat:${handoffId}:4`, title: "4" } } });

  await recordConsent(pool, TENANT, customerId, {
    action: "opt_in",
    source: "checkout_checkbox",
    textShown: `Northwind may send offers to ${who.name}`,
    evidence: { email },
  });
  await pool.query(
    "INSERT INTO customer_tags (tenant_id, customer_id, tag, source, reason, evidence) VALUES ($1, $2, 'vip', 'manual', $3, $4)",
    [TENANT, customerId, `set for ${who.name}`, JSON.stringify({ email })],
  );
  await pool.query(
    `UPDATE customers SET attributes = $2, erp_customer_id = $3, language = 'es', country = 'ES', time_zone = 'Europe/Madrid',
       first_contact_at = created_at, last_contact_at = now() WHERE id = $1`,
    [customerId, JSON.stringify({ email, city: "Teruel" }), `zoraida_q_${tag}_4411`],
  );
  await pool.query("INSERT INTO order_identity_links (conversation_id, tenant_id, erp_customer_id, method) VALUES ($1, $2, $3, 'phone')", [
    conversationId,
    TENANT,
    `zoraida_q_${tag}_4411`,
  ]);
  const { rows: action } = await pool.query(
    `INSERT INTO order_pending_actions (tenant_id, conversation_id, erp_customer_id, kind, order_id, input, summary, status, idempotency_key, expires_at)
     VALUES ($1, $2, $3, 'update_shipping_address', '#W58${t}13', $4, $5, 'pending', $6, now() + interval '1 hour') RETURNING id`,
    [
      TENANT,
      conversationId,
      `zoraida_q_${tag}_4411`,
      JSON.stringify({ address: { name: who.name, email } }),
      `Ship #W58${t}13 to ${who.name}`,
      `privacy-${tag}-${seq}`,
    ],
  );
  await pool.query(
    `INSERT INTO order_audit (tenant_id, conversation_id, actor, erp_customer_id, action, order_id, pending_action_id, outcome, detail)
     VALUES ($1, $2, $3, $4, 'update_shipping_address', '#W58${t}13', $5, 'proposed', $6)`,
    [TENANT, conversationId, `bsuid:${who.bsuid} wa:${who.phone}`, `zoraida_q_${tag}_4411`, action[0].id, JSON.stringify({ email })],
  );
  await pool.query(
    "INSERT INTO admin_audit (tenant_id, actor, action, subject_type, subject_id, details) VALUES ($1, 'admin-token', 'customer.update', 'customer', $2, $3)",
    [TENANT, customerId, JSON.stringify({ fields: ["name"] })],
  );

  const { rows: media } = await pool.query("SELECT storage_key FROM media_files WHERE media_id = $1 AND status = 'stored'", [mediaId]);
  if (!media[0]) throw new Error("seed: the image was not downloaded");
  const { rows: wamids } = await pool.query("SELECT wa_message_id FROM messages WHERE conversation_id = $1 AND wa_message_id IS NOT NULL", [
    conversationId,
  ]);
  return {
    customerId,
    conversationId,
    handoffId,
    mediaKey: media[0].storage_key,
    needles: [
      who.phone,
      who.bsuid,
      who.name,
      who.username,
      email,
      `teal umbrella ${t}`,
      `QX-58${t}13`,
      texts[1],
      noteText,
      mediaId,
      `zoraida_q_${tag}_4411`,
      ...wamids.map((w: { wa_message_id: string }) => w.wa_message_id),
    ],
  };
}

/**
 * Searches every table of the `public` and `agent_checkpoints` schemas for the strings, each row cast to text
 * (bytea columns decoded, so LangGraph's serialized checkpoint blobs are searched too). The demo ERP's tables
 * (`erp_*`) are skipped: they are the business's ERP, which erasure does not touch.
 */
export async function findStrings(pool: PrivacyHarness["db"]["pool"], needles: string[]): Promise<{ table: string; needle: string }[]> {
  const { rows: tables } = await pool.query<{ schema: string; name: string; bytea: string[] }>(
    `SELECT t.table_schema AS schema, t.table_name AS name,
       COALESCE(array_agg(c.column_name::text) FILTER (WHERE c.data_type = 'bytea'), '{}') AS bytea
     FROM information_schema.tables t
     LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
     WHERE t.table_schema IN ('public', 'agent_checkpoints') AND t.table_type = 'BASE TABLE' AND t.table_name NOT LIKE 'erp\\_%'
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const found: { table: string; needle: string }[] = [];
  for (const t of tables) {
    const decoded = t.bytea.map((col) => `, encode(r."${col}", 'escape')`).join("");
    const { rows } = await pool.query<{ needle: string }>(
      `SELECT n AS needle FROM unnest($1::text[]) AS n
       WHERE EXISTS (SELECT 1 FROM "${t.schema}"."${t.name}" r WHERE strpos(concat_ws(' ', r::text${decoded}), n) > 0)`,
      [needles],
    );
    for (const r of rows) found.push({ table: `${t.schema}.${t.name}`, needle: r.needle });
  }
  return found;
}
