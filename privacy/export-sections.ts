/**
 * What `GET /admin/customers/:id/export` contains: one named section per kind of row, one query each, so adding a
 * section is one entry here. Every query takes $1 = tenant id and $2 = customer id (already checked to belong to
 * the tenant). A `paged` section also takes $3 = the last `id` seen and $4 = the page size, and answers rows with
 * an `id`, so a long history streams page by page instead of being held in memory. A section with `requiresTable`
 * is skipped (answered as an empty list) when that table does not exist.
 */

export type ExportSection = { name: string; sql: string; paged?: boolean; requiresTable?: string };

const THEIR_CONVERSATIONS = "SELECT id FROM conversations WHERE tenant_id = $1 AND customer_id = $2";

export const EXPORT_SECTIONS: ExportSection[] = [
  { name: "profile", sql: "SELECT * FROM customers WHERE tenant_id = $1 AND id = $2" },
  {
    name: "identities",
    sql: `SELECT i.kind, i.value FROM customers c,
            LATERAL (VALUES ('bsuid', c.bsuid), ('wa_id', c.wa_id), ('username', c.username)) AS i(kind, value)
          WHERE c.tenant_id = $1 AND c.id = $2 AND i.value IS NOT NULL`,
  },
  {
    name: "consents",
    sql: `SELECT id, topic, action, source, text_shown, evidence, created_at FROM consents
          WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id`,
  },
  {
    name: "tags",
    sql: "SELECT tag, source, reason, evidence, created_at, updated_at FROM customer_tags WHERE tenant_id = $1 AND customer_id = $2 ORDER BY tag",
  },
  {
    name: "conversations",
    sql: `SELECT id, phone_number_id, owner, last_inbound_at, last_message_at, window_closed_at, bot_context_since, created_at
          FROM conversations WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id`,
  },
  {
    // Both directions, each with every status WhatsApp reported for it.
    name: "messages",
    paged: true,
    sql: `SELECT m.id, m.conversation_id, m.direction, m.type, m.text, m.payload, m.body, m.wa_message_id, m.context_wa_message_id,
            m.status, m.status_at, m.category, m.source, m.error_code, m.error_title, m.error, m.sent_at, m.created_at,
            COALESCE((SELECT json_agg(json_build_object('status', s.status, 'occurred_at', s.occurred_at, 'errors', s.errors)
                                      ORDER BY s.occurred_at, s.id)
                      FROM message_statuses s WHERE s.tenant_id = m.tenant_id AND s.wa_message_id = m.wa_message_id), '[]') AS statuses
          FROM messages m WHERE m.conversation_id IN (${THEIR_CONVERSATIONS}) AND m.id > $3 ORDER BY m.id LIMIT $4`,
  },
  {
    // References only: the bytes stay in media storage under storage_key.
    name: "media",
    paged: true,
    sql: `SELECT f.id, f.message_id, f.media_id, f.status, f.mime_type, f.size_bytes, f.sha256, f.storage_key, f.created_at, f.stored_at
          FROM media_files f JOIN messages m ON m.id = f.message_id
          WHERE m.conversation_id IN (${THEIR_CONVERSATIONS}) AND f.id > $3 ORDER BY f.id LIMIT $4`,
  },
  {
    name: "handoffs",
    sql: `SELECT id, conversation_id, status, reason, priority, language, skill, summary, assignee_id, created_at, assigned_at,
            first_human_reply_at, resolved_at, returned_to_bot, csat_requested_at, csat_score, csat_answered_at
          FROM handoffs WHERE conversation_id IN (${THEIR_CONVERSATIONS}) ORDER BY id`,
  },
  {
    name: "notes",
    sql: `SELECT id, conversation_id, handoff_id, agent_id, kind, text, created_at FROM conversation_notes
          WHERE conversation_id IN (${THEIR_CONVERSATIONS}) ORDER BY id`,
  },
  {
    // The trace's personal parts: the path through the graph, the tool calls (arguments and results: order data
    // looked up for them), the retrieval query (their words) and the flags. Timings and the help-center passages
    // retrieved are about the business, not the customer, and make up most of a trace's size.
    name: "agent_turns",
    paged: true,
    sql: `SELECT t.id, t.conversation_id, t.message_ids, t.status, t.decision, t.intent, t.reason, t.language, t.provider, t.model,
            t.input_tokens, t.output_tokens, t.duration_ms, t.reply, t.created_at,
            json_build_object(
              'nodes', COALESCE((SELECT json_agg(n ->> 'node') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.trace -> 'nodes') = 'array' THEN t.trace -> 'nodes' ELSE '[]' END) n), '[]'),
              'tool_calls', COALESCE((SELECT json_agg(json_build_object('name', c ->> 'name', 'args', c -> 'args', 'result', c -> 'result'))
                                      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.trace -> 'toolCalls') = 'array' THEN t.trace -> 'toolCalls' ELSE '[]' END) c), '[]'),
              'retrieval_query', t.trace -> 'retrieval' ->> 'query',
              'flags', t.trace -> 'flags',
              'masked', t.trace -> 'masked') AS trace
          FROM agent_turns t WHERE t.conversation_id IN (${THEIR_CONVERSATIONS}) AND t.id > $3 ORDER BY t.id LIMIT $4`,
  },
  {
    name: "order_identity_links",
    sql: `SELECT conversation_id, erp_customer_id, method, linked_at FROM order_identity_links
          WHERE conversation_id IN (${THEIR_CONVERSATIONS}) ORDER BY conversation_id`,
  },
  {
    name: "order_actions",
    sql: `SELECT id, conversation_id, erp_customer_id, kind, order_id, input, summary, status, result, expires_at, decided_at, created_at
          FROM order_pending_actions WHERE conversation_id IN (${THEIR_CONVERSATIONS}) ORDER BY id`,
  },
  {
    name: "order_audit",
    sql: `SELECT id, conversation_id, actor, erp_customer_id, action, order_id, pending_action_id, outcome, detail, at
          FROM order_audit WHERE tenant_id = $1 AND conversation_id IN (${THEIR_CONVERSATIONS}) ORDER BY id`,
  },
  {
    name: "admin_audit",
    sql: `SELECT id, actor, action, details, created_at FROM admin_audit
          WHERE tenant_id = $1 AND subject_type = 'customer' AND subject_id = $2::text ORDER BY id`,
  },
  {
    name: "campaigns",
    requiresTable: "campaign_recipients",
    sql: "SELECT r.* FROM campaign_recipients r WHERE r.customer_id = (SELECT id FROM customers WHERE tenant_id = $1 AND id = $2) ORDER BY 1",
  },
];
