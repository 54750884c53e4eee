/**
 * Authentication for the agent API and the console: a personal agent token as `Authorization: Bearer`, or the
 * session cookie that `POST /agent/login` sets. The agent is put on the context for the handlers.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type pg from "pg";
import { type Agent, findAgentBySession, findAgentByToken } from "../handoff/agent-store.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";

export const SESSION_COOKIE = "sb_agent_session";

export type AgentEnv = { Variables: AppEnv["Variables"] & { agent: Agent } };

/** Reads the agent from the bearer token or the session cookie; `undefined` when neither is valid. */
export async function readAgent(pool: pg.Pool, header: string | undefined, cookie: string | undefined): Promise<Agent | undefined> {
  const bearer = /^Bearer\s+(\S{10,200})$/i.exec(header ?? "")?.[1];
  if (bearer) return findAgentByToken(pool, bearer);
  if (cookie && cookie.length <= 200) return findAgentBySession(pool, cookie);
  return undefined;
}

export function agentAuth(pool: pg.Pool): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const agent = await readAgent(pool, c.req.header("authorization"), getCookie(c, SESSION_COOKIE));
    if (!agent) {
      c.header("WWW-Authenticate", 'Bearer realm="switchboard-agent"');
      throw new AppError("unauthorized", "missing or invalid agent token or session");
    }
    c.set("agent", agent);
    await next();
  };
}
