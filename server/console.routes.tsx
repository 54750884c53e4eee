/**
 * `/console`: the live web console for human agents. Server-rendered with hono/jsx; the behaviour is one inline
 * script (console-script.ts) that talks to the agent API with the session cookie and listens to `/agent/events`
 * (server-sent events), allowed by a per-response CSP nonce. No build step, no external assets.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type pg from "pg";
import { readAgent, SESSION_COOKIE } from "./agent-session.ts";
import type { AppEnv } from "./app-env.ts";
import { CONSOLE_SCRIPT } from "./console-script.ts";
import { CONSOLE_STYLE } from "./console-style.ts";

function Layout(props: { nonce: string; title: string; children: unknown }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: CONSOLE_STYLE }} />
      </head>
      <body>
        {props.children}
        {/* Our own constants, not user data: inlined as is (JSX would escape "=>" and "<"). */}
        <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: CONSOLE_SCRIPT }} />
      </body>
    </html>
  );
}

function LoginPage() {
  return (
    <main id="login" class="login">
      <h1>Switchboard agent console</h1>
      <form id="login-form" method="post" action="/agent/login">
        <label for="token">Your agent token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
        <p id="login-error" role="alert" class="error" />
      </form>
    </main>
  );
}

function ConsolePage(props: { agentName: string; status: string; admin: boolean }) {
  return (
    <div id="console" class="console" data-status={props.status}>
      <header class="bar">
        <strong>Switchboard</strong>
        <span>
          Signed in as <span id="me">{props.agentName}</span>
        </span>
        <label>
          <input id="online" type="checkbox" checked={props.status === "online"} /> Online
        </label>
        {props.admin ? (
          <a href="/console/reports" class="reports-link">
            Reports
          </a>
        ) : null}
        <span id="live" class="live" aria-live="polite">
          connecting…
        </span>
        <button id="logout" type="button">
          Sign out
        </button>
      </header>
      <nav class="lists" aria-label="Handoffs">
        <section>
          <h2>Queue</h2>
          <ul id="queue" class="list" aria-label="Waiting handoffs" />
        </section>
        <section>
          <h2>My conversations</h2>
          <ul id="mine" class="list" aria-label="My conversations" />
        </section>
      </nav>
      <main id="conversation" class="conversation" aria-label="Conversation">
        <p class="empty">Pick a handoff from the queue.</p>
      </main>
      <aside id="side" class="side" aria-label="Customer and orders" />
      <p id="toast" role="status" class="toast" />
    </div>
  );
}

export function consoleRoutes(deps: { pool: pg.Pool }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const nonce = randomBytes(16).toString("base64");
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    c.header("Cache-Control", "no-store");
    const agent = await readAgent(deps.pool, undefined, getCookie(c, SESSION_COOKIE));
    const body = agent ? <ConsolePage agentName={agent.name} status={agent.status} admin={agent.role === "admin"} /> : <LoginPage />;
    return c.html(
      `<!doctype html>${(
        (
          <Layout nonce={nonce} title="Switchboard console">
            {body}
          </Layout>
        )
      ).toString()}`,
    );
  });
  return app;
}
