/** Builds the HTTP app from its dependencies; no I/O here (see `services.ts` and `main.ts`). */
import { OpenAPIHono } from "@hono/zod-openapi";
import type pg from "pg";
import type { Logger } from "../lib/logger.ts";
import type { Migration } from "../lib/migrate.ts";
import type { EventStore } from "../whatsapp/event-store.ts";
import { adminRoutes } from "./admin.routes.ts";
import type { AppEnv } from "./app-env.ts";
import { healthRoutes } from "./health.routes.ts";
import { bearerAuth, notFound, onError, requestContext } from "./middleware.ts";
import { webhookRoutes } from "./webhook.routes.ts";

export type AppDeps = {
  logger: Logger;
  pool: pg.Pool;
  migrations: Migration[];
  store: EventStore;
  appSecret: string;
  verifyToken: string;
  adminToken: string;
};

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", ...requestContext(deps.logger));
  app.onError(onError);
  app.notFound(notFound);

  app.route("/", healthRoutes(deps));
  app.route("/webhooks/whatsapp", webhookRoutes({ appSecret: deps.appSecret, verifyToken: deps.verifyToken, store: deps.store }));

  app.use("/admin/*", bearerAuth(deps.adminToken));
  app.route("/admin", adminRoutes(deps));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "Switchboard API", version: "0.1.0" } });
  app.get("/", (c) =>
    c.json({ name: "Switchboard", docs: "/openapi.json", health: "/healthz", ready: "/readyz", webhook: "/webhooks/whatsapp" }),
  );
  return app;
}
