/**
 * Human agents of a tenant: profile, skills, languages, capacity and online status, a personal API token (only
 * its sha256 is stored; the token is shown once) and console sessions. Owns `agents` and `agent_sessions`.
 */
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { z } from "zod";

type Queryable = Pick<pg.ClientBase, "query">;

const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "letters, digits, _ and -, up to 40");
const Language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, "an ISO 639 language code such as en or es");

export const AgentInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(["agent", "admin"]).default("agent"),
  skills: z.array(Tag).max(30).default([]),
  languages: z.array(Language).max(30).default([]),
  maxConcurrent: z.number().int().min(0).max(100).default(5),
  status: z.enum(["online", "away"]).default("away"),
});
export type AgentInput = z.infer<typeof AgentInputSchema>;
export const AgentPatchSchema = AgentInputSchema.partial().extend({ rotateToken: z.boolean().optional() });
export type AgentPatch = z.infer<typeof AgentPatchSchema>;

export type Agent = {
  id: string;
  tenantId: string;
  name: string;
  role: "agent" | "admin";
  skills: string[];
  languages: string[];
  maxConcurrent: number;
  status: "online" | "away";
  activeConversations: number;
  createdAt: string;
};

const SESSION_TTL_HOURS = 12;
const SELECT_AGENT = `SELECT a.*, (SELECT count(*) FROM handoffs h WHERE h.assignee_id = a.id AND h.status = 'assigned') AS active
  FROM agents a`;

/** sha256 hex of a secret: tokens and session ids carry 256 random bits, so a fast hash is enough. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Creates an agent; the returned token is the only time it is visible. */
export async function createAgent(db: Queryable, tenantId: string, input: AgentInput): Promise<{ agent: Agent; token: string }> {
  const token = newToken("sba");
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO agents (tenant_id, name, role, skills, languages, max_concurrent, status, token_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
    [tenantId, input.name, input.role, input.skills, input.languages, input.maxConcurrent, input.status, hashSecret(token)],
  );
  return { agent: (await getAgent(db, tenantId, rows[0]?.id as string)) as Agent, token };
}

export async function getAgent(db: Queryable, tenantId: string, id: string): Promise<Agent | undefined> {
  const { rows } = await db.query(`${SELECT_AGENT} WHERE a.tenant_id = $1 AND a.id = $2`, [tenantId, id]);
  return rows[0] ? toAgent(rows[0]) : undefined;
}

export async function listAgents(db: Queryable, tenantId: string): Promise<Agent[]> {
  const { rows } = await db.query(`${SELECT_AGENT} WHERE a.tenant_id = $1 ORDER BY a.id`, [tenantId]);
  return rows.map(toAgent);
}

/** Updates the given fields; `rotateToken` issues a new token (the old one stops working). */
export async function updateAgent(
  db: Queryable,
  tenantId: string,
  id: string,
  patch: AgentPatch,
): Promise<{ agent: Agent; token?: string; cameOnline: boolean } | undefined> {
  const before = await getAgent(db, tenantId, id);
  if (!before) return undefined;
  const token = patch.rotateToken ? newToken("sba") : undefined;
  await db.query(
    `UPDATE agents SET name = COALESCE($3, name), role = COALESCE($4, role), skills = COALESCE($5, skills),
       languages = COALESCE($6, languages), max_concurrent = COALESCE($7, max_concurrent), status = COALESCE($8, status),
       token_hash = COALESCE($9, token_hash), updated_at = now()
     WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      id,
      patch.name ?? null,
      patch.role ?? null,
      patch.skills ?? null,
      patch.languages ?? null,
      patch.maxConcurrent ?? null,
      patch.status ?? null,
      token ? hashSecret(token) : null,
    ],
  );
  if (token) await db.query("DELETE FROM agent_sessions WHERE agent_id = $1", [id]);
  const agent = (await getAgent(db, tenantId, id)) as Agent;
  return { agent, ...(token ? { token } : {}), cameOnline: before.status !== "online" && agent.status === "online" };
}

/** The agent a personal API token belongs to. */
export async function findAgentByToken(db: Queryable, token: string): Promise<Agent | undefined> {
  const { rows } = await db.query(`${SELECT_AGENT} WHERE a.token_hash = $1`, [hashSecret(token)]);
  return rows[0] ? toAgent(rows[0]) : undefined;
}

/** Opens a console session; returns the session id for the cookie. */
export async function createSession(db: Queryable, agentId: string): Promise<{ sessionId: string; maxAgeSeconds: number }> {
  const sessionId = newToken("sbs");
  await db.query(`INSERT INTO agent_sessions (id_hash, agent_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`, [
    hashSecret(sessionId),
    agentId,
    SESSION_TTL_HOURS,
  ]);
  await db.query("DELETE FROM agent_sessions WHERE expires_at < now()");
  return { sessionId, maxAgeSeconds: SESSION_TTL_HOURS * 3600 };
}

export async function findAgentBySession(db: Queryable, sessionId: string): Promise<Agent | undefined> {
  const { rows } = await db.query(
    `${SELECT_AGENT} JOIN agent_sessions s ON s.agent_id = a.id WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [hashSecret(sessionId)],
  );
  return rows[0] ? toAgent(rows[0]) : undefined;
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query("DELETE FROM agent_sessions WHERE id_hash = $1", [hashSecret(sessionId)]);
}

function toAgent(r: Record<string, unknown>): Agent {
  return {
    id: String(r.id),
    tenantId: r.tenant_id as string,
    name: r.name as string,
    role: r.role as Agent["role"],
    skills: r.skills as string[],
    languages: r.languages as string[],
    maxConcurrent: r.max_concurrent as number,
    status: r.status as Agent["status"],
    activeConversations: Number(r.active),
    createdAt: (r.created_at as Date).toISOString(),
  };
}
