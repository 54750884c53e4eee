/**
 * The report's SQL, one statement per figure. Every statement takes the same parameters: $1 tenant, $2 first day,
 * $3 last day (included), $4 IANA time zone; the top lists add $5, their length. A row with `day` NULL is the total
 * over the whole range (GROUPING SETS), computed from the rows themselves, never summed from the days: a conversation
 * active on three days counts once in the total.
 */

// Local midnight of the first day and of the day after the last one: DST days are 23 or 25 hours long.
const BOUNDS = `b AS (SELECT ($2::date)::timestamp AT TIME ZONE $4 AS lo, ($3::date + 1)::timestamp AT TIME ZONE $4 AS hi)`;
// The local date, as a date (cheaper to group than text); statements hand it out as text (YYYY-MM-DD).
const dayOf = (column: string) => `(${column} AT TIME ZONE $4)::date`;

/** Conversations with any message, and messages by direction (outbound: queued, whatever became of them). */
export const MESSAGES_SQL = `
WITH ${BOUNDS}, m AS (
  SELECT ${dayOf("m.sent_at")} AS day, m.conversation_id, m.direction
  FROM messages m, b WHERE m.tenant_id = $1 AND m.sent_at >= b.lo AND m.sent_at < b.hi
)
SELECT day::text AS day, count(DISTINCT conversation_id)::int AS conversations,
       count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
       count(*) FILTER (WHERE direction = 'outbound')::int AS outbound
FROM m GROUP BY GROUPING SETS ((day), ())`;

/**
 * Containment: conversations with an inbound message in the period ("active") and how many of them had a handoff
 * created in the same period. The total is over the range as one period, so a conversation handed off on any day
 * of the range is not bot-resolved in the total.
 */
export const CONTAINMENT_SQL = `
WITH ${BOUNDS}, active AS (
  SELECT DISTINCT ${dayOf("m.sent_at")} AS day, m.conversation_id
  FROM messages m, b WHERE m.tenant_id = $1 AND m.direction = 'inbound' AND m.sent_at >= b.lo AND m.sent_at < b.hi
), handed AS (
  SELECT DISTINCT ${dayOf("h.created_at")} AS day, h.conversation_id
  FROM handoffs h, b WHERE h.tenant_id = $1 AND h.created_at >= b.lo AND h.created_at < b.hi
)
SELECT a.day::text AS day, count(*)::int AS active, count(h.conversation_id)::int AS handed_off
FROM active a LEFT JOIN handed h ON h.day = a.day AND h.conversation_id = a.conversation_id GROUP BY a.day
UNION ALL
SELECT NULL, count(*)::int, count(h.conversation_id)::int
FROM (SELECT DISTINCT conversation_id FROM active) a LEFT JOIN (SELECT DISTINCT conversation_id FROM handed) h USING (conversation_id)`;

/** Handoffs created, by reason. */
export const HANDOFFS_SQL = `
WITH ${BOUNDS}, h AS (
  SELECT ${dayOf("h.created_at")} AS day, h.reason FROM handoffs h, b
  WHERE h.tenant_id = $1 AND h.created_at >= b.lo AND h.created_at < b.hi
)
SELECT day::text AS day, reason, count(*)::int AS n FROM h GROUP BY GROUPING SETS ((day, reason), (reason))`;

/**
 * Time to first response. Only inbound messages and replies count: bot replies (source 'agent', 'agent_handoff')
 * and human ones ('agent:<id>', translated or not; not the CSAT question sent on resolve); a reply that failed to
 * send reached nobody. An inbound message whose previous counted message is not inbound starts a run; the run's
 * first reply (a reply right after an inbound message) answers it, and the run belongs to the day it started. `by`
 * NULL: not answered (yet). The whole
 * history of the conversations active in the range is read, so a run is recognized across the range's edges.
 */
export const FIRST_RESPONSE_SQL = `
WITH ${BOUNDS}, convs AS (
  SELECT DISTINCT m.conversation_id FROM messages m, b
  WHERE m.tenant_id = $1 AND m.direction = 'inbound' AND m.sent_at >= b.lo AND m.sent_at < b.hi
), seq AS (
  SELECT m.conversation_id, m.id, m.sent_at,
         CASE WHEN m.direction = 'inbound' THEN 'in' WHEN m.source IN ('agent', 'agent_handoff') THEN 'bot' ELSE 'human' END AS kind
  FROM messages m JOIN convs USING (conversation_id)
  WHERE m.tenant_id = $1
    AND (m.direction = 'inbound'
         OR (m.status IS DISTINCT FROM 'failed'
             AND (m.source IN ('agent', 'agent_handoff') OR (m.source LIKE 'agent:%' AND coalesce(m.idempotency_key, '') NOT LIKE 'csat:%'))))
), edges AS (
  SELECT * FROM (SELECT *, lag(kind) OVER (PARTITION BY conversation_id ORDER BY sent_at, id) AS prev FROM seq) s
  WHERE (kind = 'in' AND prev IS DISTINCT FROM 'in') OR (kind <> 'in' AND prev = 'in')
), runs AS (
  -- Run starts and first replies alternate, so the row after a start is its first reply.
  SELECT kind, sent_at AS started_at, lead(sent_at) OVER w AS replied_at, lead(kind) OVER w AS by
  FROM edges WINDOW w AS (PARTITION BY conversation_id ORDER BY sent_at, id)
), r AS (
  SELECT ${dayOf("started_at")} AS day, by, extract(epoch FROM replied_at - started_at)::float8 AS secs
  FROM runs, b WHERE kind = 'in' AND started_at >= b.lo AND started_at < b.hi
)
SELECT day::text AS day, by, count(*)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90
FROM r GROUP BY GROUPING SETS ((day, by), (by))`;

/** Human resolution time: handoff created → resolved, on the day it was resolved. */
export const RESOLUTION_SQL = `
WITH ${BOUNDS}, r AS (
  SELECT ${dayOf("h.resolved_at")} AS day, extract(epoch FROM h.resolved_at - h.created_at)::float8 AS secs
  FROM handoffs h, b WHERE h.tenant_id = $1 AND h.resolved_at >= b.lo AND h.resolved_at < b.hi
)
SELECT day::text AS day, count(*)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90
FROM r GROUP BY GROUPING SETS ((day), ())`;

/** CSAT on the day the question was sent: how many were asked, how many answered (whenever), their mean score. */
export const CSAT_SQL = `
WITH ${BOUNDS}, c AS (
  SELECT ${dayOf("h.csat_requested_at")} AS day, h.csat_score FROM handoffs h, b
  WHERE h.tenant_id = $1 AND h.csat_requested_at >= b.lo AND h.csat_requested_at < b.hi
)
SELECT day::text AS day, count(*)::int AS requested, count(csat_score)::int AS answered, avg(csat_score)::float8 AS average
FROM c GROUP BY GROUPING SETS ((day), ())`;

/** The intents of the range's turns (a stale turn was run again with the same messages, so it is left out). */
export const TOP_INTENTS_SQL = `
WITH ${BOUNDS}
SELECT t.intent, count(*)::int AS n FROM agent_turns t, b
WHERE t.tenant_id = $1 AND t.created_at >= b.lo AND t.created_at < b.hi AND t.intent IS NOT NULL AND t.status <> 'stale'
GROUP BY t.intent ORDER BY n DESC, t.intent LIMIT $5`;

/**
 * Questions the bot had no grounded answer for: the inbound texts of 'no_answer' turns (each message once, however
 * many turns saw it), lower-cased, whitespace collapsed and edge punctuation trimmed, then grouped. Erased customers'
 * messages have no text and drop out. `example` is the latest wording as the customer wrote it.
 */
export const TOP_UNANSWERED_SQL = `
WITH ${BOUNDS}, asked AS (
  SELECT DISTINCT ON (m.id) m.text, t.created_at
  FROM agent_turns t, b, unnest(t.message_ids) AS mid(id)
  JOIN messages m ON m.id = mid.id
  WHERE t.tenant_id = $1 AND t.decision = 'no_answer' AND t.status <> 'stale' AND t.created_at >= b.lo AND t.created_at < b.hi
    AND m.tenant_id = $1 AND m.direction = 'inbound' AND m.text IS NOT NULL
  ORDER BY m.id, t.created_at DESC
), q AS (
  SELECT btrim(regexp_replace(lower(text), '\\s+', ' ', 'g'), ' .,;:!?¿¡''"') AS question, text, created_at FROM asked
)
SELECT question, count(*)::int AS n, max(created_at) AS last_seen, (array_agg(text ORDER BY created_at DESC))[1] AS example
FROM q WHERE question <> '' GROUP BY question ORDER BY n DESC, last_seen DESC, question LIMIT $5`;
