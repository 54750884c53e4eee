/** `/healthz`: the process is up. `/readyz`: the database answers and every migration is applied. */
import { Hono } from "hono";
import type pg from "pg";
import { isMigrated, type Migration } from "../lib/migrate.ts";
import type { AppEnv } from "./app-env.ts";

export function healthRoutes(deps: { pool: pg.Pool; migrations: Migration[] }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      const migrated = await withTimeout(isMigrated(deps.pool, deps.migrations), 2_000);
      if (!migrated) return c.json({ status: "not_ready", database: "ok", migrations: "pending" }, 503);
      return c.json({ status: "ready", database: "ok", migrations: "applied" });
    } catch (err) {
      c.get("logger").warn({ err }, "readiness check failed");
      return c.json({ status: "not_ready", database: "unreachable" }, 503);
    }
  });
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}
