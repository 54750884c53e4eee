/**
 * The database part of erasing a customer, as named steps run in order inside one transaction. Rows that reports
 * count stay, anonymized in place (direction, type, status, timestamps, category, source, error code, decisions,
 * intents, tokens); text, payloads, identifiers and anything quoting the customer go. Each step answers the number
 * of rows it touched, which is all the audit records.
 *
 * Not touched: the demo ERP tables (`erp_*`) are the business's own system of record, not ours (a real business's
 * ERP is behind the http adapter and out of reach too); `admin_audit` holds ids and counts only; campaign
 * participation rows hold ids and states only.
 */
import type pg from "pg";
import { deleteConversationCheckpoints } from "./checkpoint-cleanup.ts";

type Queryable = Pick<pg.ClientBase, "query">;

/** What the steps need to know about the customer, read under the customer row's lock. */
export type EraseSubject = {
  tenantId: string;
  customerId: string;
  conversationIds: string[];
  messageIds: string[];
  /** wamids of their messages (Meta's wamids embed the phone number). */
  wamids: string[];
  /** Media ids in their messages' payloads. */
  mediaIds: string[];
  /** What follows `<phone_number_id>:` in a webhook conversation key: BSUID, wa_id, `username:<name>`. */
  userKeys: string[];
  /** BSUID and wa_id, searched as substrings in raw webhook bodies and payloads. */
  identifiers: string[];
};

/** The marker a raw webhook body is replaced with once it held an erased customer's data. */
export const ERASED_BODY = '{"erased":"customer data removed on request"}';

type Step = { name: string; run(db: Queryable, s: EraseSubject): Promise<number> };

const exec = async (db: Queryable, sql: string, params: unknown[]) => (await db.query(sql, params)).rowCount ?? 0;
const userKeyOf = "substr(conversation_key, strpos(conversation_key, ':') + 1)";
const mentionsAny = (column: string, param: string) =>
  `EXISTS (SELECT 1 FROM unnest(${param}::text[]) AS i WHERE strpos(${column}, i) > 0)`;

export const ERASE_STEPS: Step[] = [
  {
    name: "messageStatuses",
    run: (db, s) =>
      exec(db, "DELETE FROM message_statuses WHERE tenant_id = $1 AND wa_message_id = ANY($2::text[])", [s.tenantId, s.wamids]),
  },
  {
    // Never handed to WhatsApp, so no aggregate counts them; sending one now would contact someone who asked to be forgotten.
    name: "outboxWithdrawn",
    run: (db, s) =>
      exec(db, "DELETE FROM messages WHERE conversation_id = ANY($1::bigint[]) AND direction = 'outbound' AND status = 'queued'", [
        s.conversationIds,
      ]),
  },
  {
    name: "messages",
    run: (db, s) =>
      exec(
        db,
        `UPDATE messages SET text = NULL, payload = '{}', body = NULL, recipient = NULL, wa_message_id = NULL,
           context_wa_message_id = NULL, error = NULL, error_title = NULL
         WHERE conversation_id = ANY($1::bigint[])`,
        [s.conversationIds],
      ),
  },
  {
    name: "handoffSummaries",
    run: (db, s) => exec(db, "UPDATE handoffs SET summary = '{}' WHERE conversation_id = ANY($1::bigint[])", [s.conversationIds]),
  },
  {
    name: "notes",
    run: (db, s) => exec(db, "DELETE FROM conversation_notes WHERE conversation_id = ANY($1::bigint[])", [s.conversationIds]),
  },
  {
    // The reason quotes the customer ("asked for a person (\"...\")"), the trace holds their text and tool arguments.
    name: "agentTurns",
    run: (db, s) =>
      exec(db, "UPDATE agent_turns SET reply = NULL, reason = NULL, trace = '{}' WHERE conversation_id = ANY($1::bigint[])", [
        s.conversationIds,
      ]),
  },
  {
    // The history of opt-ins and opt-outs stays countable; the wording shown and the evidence (their message) go.
    name: "consents",
    run: (db, s) => exec(db, "UPDATE consents SET text_shown = NULL, evidence = NULL WHERE customer_id = $1", [s.customerId]),
  },
  { name: "tags", run: (db, s) => exec(db, "DELETE FROM customer_tags WHERE customer_id = $1", [s.customerId]) },
  {
    // The ERP customer and order ids link the anonymous rows back to a person in the business's ERP.
    name: "orderActions",
    run: (db, s) =>
      exec(
        db,
        `UPDATE order_pending_actions SET erp_customer_id = '', order_id = '', input = '{}', summary = '', result = NULL
         WHERE conversation_id = ANY($1::bigint[])`,
        [s.conversationIds],
      ),
  },
  {
    name: "orderAudit",
    run: (db, s) =>
      exec(
        db,
        "UPDATE order_audit SET actor = 'erased', erp_customer_id = NULL, order_id = NULL, detail = '{}' WHERE tenant_id = $1 AND conversation_id = ANY($2::bigint[])",
        [s.tenantId, s.conversationIds],
      ),
  },
  {
    name: "orderIdentityLinks",
    run: (db, s) => exec(db, "DELETE FROM order_identity_links WHERE conversation_id = ANY($1::bigint[])", [s.conversationIds]),
  },
  {
    // Processed queue entries: the message rows above are the record. (A retried delivery of an old message after
    // this would be stored again as new: Meta retries for at most a few days.)
    name: "webhookEvents",
    run: (db, s) =>
      exec(
        db,
        `DELETE FROM webhook_events WHERE tenant_id = $1 AND (${userKeyOf} = ANY($2::text[]) OR ${mentionsAny("payload::text", "$3")})`,
        [s.tenantId, s.userKeys, s.identifiers],
      ),
  },
  {
    // The raw archive is not per tenant and a body may carry other customers too: the whole body goes.
    name: "webhookDeliveries",
    run: (db, s) =>
      exec(db, `UPDATE webhook_deliveries SET body = $2, problems = NULL WHERE body <> $2 AND ${mentionsAny("body", "$1")}`, [
        s.identifiers,
        ERASED_BODY,
      ]),
  },
  {
    name: "conversationLeases",
    run: (db, s) => exec(db, `DELETE FROM conversation_leases WHERE ${userKeyOf} = ANY($1::text[])`, [s.userKeys]),
  },
  {
    name: "sandboxMessages",
    run: (db, s) => exec(db, "DELETE FROM sandbox_messages WHERE recipient = ANY($1::text[])", [s.identifiers]),
  },
  { name: "checkpoints", run: (db, s) => deleteConversationCheckpoints(db, s.conversationIds) },
  {
    name: "profile",
    run: (db, s) =>
      exec(
        db,
        `UPDATE customers SET bsuid = NULL, wa_id = NULL, username = NULL, name = NULL, attributes = '{}', erp_customer_id = NULL,
           language = NULL, country = NULL, time_zone = NULL, time_zone_source = NULL, erased_at = COALESCE(erased_at, now()),
           updated_at = now()
         WHERE id = $1`,
        [s.customerId],
      ),
  },
];
