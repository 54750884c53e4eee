/** Builds the HTTP app from its dependencies; no I/O here (see `services.ts` and `main.ts`). */
import { OpenAPIHono } from "@hono/zod-openapi";
import type pg from "pg";
import type { CustomerActivity } from "../customers/customer-activity.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "../lib/metrics.ts";
import type { Migration } from "../lib/migrate.ts";
import type { Sandbox } from "../sandbox/index.ts";
import type { EventStore } from "../whatsapp/event-store.ts";
import { adminRoutes } from "./admin.routes.ts";
import { type AgentRouteDeps, agentRoutes } from "./agent.routes.ts";
import { agentAdminRoutes } from "./agents-admin.routes.ts";
import type { AppEnv } from "./app-env.ts";
import { campaignRoutes } from "./campaigns.routes.ts";
import { consoleRoutes } from "./console.routes.tsx";
import { consoleReportRoutes } from "./console-reports.tsx";
import { customerRoutes } from "./customers.routes.ts";
import { healthRoutes } from "./health.routes.ts";
import { type IntegrationRouteDeps, integrationRoutes } from "./integrations.routes.ts";
import { type KnowledgeDeps, knowledgeRoutes } from "./knowledge.routes.ts";
import { bearerAuth, notFound, onError, requestContext } from "./middleware.ts";
import { type PrivacyRouteDeps, privacyRoutes } from "./privacy.routes.ts";
import { reportRoutes } from "./reports.routes.ts";
import { templateRoutes } from "./templates.routes.ts";
import { turnRoutes } from "./turns.routes.ts";
import { webhookRoutes } from "./webhook.routes.ts";

export type AppDeps = {
  logger: Logger;
  pool: pg.Pool;
  migrations: Migration[];
  store: EventStore;
  metrics: Metrics;
  knowledge: KnowledgeDeps;
  integrations: IntegrationRouteDeps;
  /** Human handoff: the agent API and the console. */
  handoff: AgentRouteDeps;
  /** Keeps customer records and tags current (tagging settings changes recompute a tenant). */
  customers?: CustomerActivity | undefined;
  /** GDPR export and erasure, retention settings and runs. */
  privacy: PrivacyRouteDeps;
  /** Woken when a campaign is created, so it starts without waiting for the next poll. */
  campaignRunner?: { wake(): void } | undefined;
  /** Present when no access token is configured: the fake Graph API, its admin routes and the simulator. */
  sandbox?: Sandbox | undefined;
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
  app.route(
    "/webhooks/whatsapp",
    webhookRoutes({ appSecret: deps.appSecret, verifyToken: deps.verifyToken, store: deps.store, metrics: deps.metrics }),
  );

  const adminAuth = bearerAuth(deps.adminToken);
  app.use("/admin/*", adminAuth);
  app.route("/admin", adminRoutes(deps));
  app.route("/admin", templateRoutes(deps));
  app.route("/admin", customerRoutes(deps));
  app.route("/admin", knowledgeRoutes(deps.knowledge));
  app.route("/admin", integrationRoutes(deps.integrations));
  app.route("/admin", turnRoutes(deps));
  app.route("/admin", reportRoutes(deps));
  app.route("/admin", agentAdminRoutes(deps.handoff));
  app.route("/admin", privacyRoutes(deps.privacy));
  app.route("/admin", campaignRoutes(deps));
  app.route("/agent", agentRoutes(deps.handoff));
  app.route("/console", consoleRoutes(deps.handoff));
  app.route("/console/reports", consoleReportRoutes(deps.handoff));
  app.get("/metrics", adminAuth, async (c) => {
    c.header("content-type", deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });

  if (deps.sandbox) {
    app.route("/sandbox/graph", deps.sandbox.graphRoutes);
    app.route("/sandbox", deps.sandbox.adminRoutes(adminAuth));
    app.route("/simulator", deps.sandbox.simulatorRoutes);
  }

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "Switchboard API", version: "0.1.0" } });
  const index = { name: "Switchboard", docs: "/openapi.json", health: "/healthz", ready: "/readyz", webhook: "/webhooks/whatsapp" };
  // In sandbox mode the first thing a newcomer should see is the customer simulator.
  app.get("/", (c) => (deps.sandbox && c.req.header("accept")?.includes("text/html") ? c.redirect("/simulator") : c.json(index)));
  app.get("/simulator/", (c) => c.redirect("/simulator"));
  return app;
}
