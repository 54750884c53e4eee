/**
 * End to end in a real headless browser (Debian's chromium driven by playwright-core): a simulated customer asks
 * for a human in the sandbox simulator, the bot hands off, the agent signs in to the console, sees the handoff
 * arrive live, claims it, reads the summary, replies, the reply shows up on the customer's side, and the agent
 * resolves. A screenshot of the console is saved under test-artifacts/.
 * Skipped (with a message) on a machine without chromium, an error under CI (server/browser-testing.ts).
 */
import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandoff, getConversationOwner } from "../handoff/handoff-store.ts";
import { hasChromium, launchChromium, type ServedApp, serveApp } from "./browser-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

const available = hasChromium("console e2e");

const WAIT = { timeout: 20_000 };
const REPLY = "Hola Ana, soy Rosa. Te ayudo con el reembolso.";

describe.skipIf(!available)("console end to end (headless chromium)", () => {
  let h: TestHarness;
  let served: ServedApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // The bot stand-in: hands off when the customer asks for a person, as the agent graph does.
    h = await startHarness({
      handler: {
        handleInbound: async (m) => {
          if (!/persona|human/i.test(m.event.text ?? "")) return;
          await createHandoff(h.db.pool, {
            tenantId: m.tenantId,
            conversationId: m.conversationId,
            reason: "customer_request",
            priority: "high",
            language: "es",
            summary: {
              customerWants: "A refund for a broken kettle",
              facts: ["Order W100 delivered yesterday"],
              botTried: ["Explained the return policy"],
              sentiment: "negative",
              suggestedNextStep: "Offer a refund",
            },
          });
        },
      },
    });
    h.start();
    served = await serveApp(h);
    base = served.base;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await h?.close();
  });

  it("sign in, see the handoff arrive live, claim, read the summary, reply, see it in the sandbox, resolve", async () => {
    const created = await h.admin("/admin/agents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Rosa", languages: ["es"], status: "away" }),
    });
    const { token } = (await created.json()) as { token: string };

    const agentPage = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await agentPage.goto(`${base}/console`);
    await agentPage.getByLabel("Your agent token").fill(token);
    await agentPage.getByRole("button", { name: "Sign in" }).click();
    await agentPage.locator("#console[data-live='true']").waitFor(WAIT);
    await agentPage.getByText("Nobody is waiting.").waitFor(WAIT);

    // The customer writes in the simulator; the bot hands off; the queue updates without a reload.
    const customerPage = await browser.newPage();
    await customerPage.goto(`${base}/simulator`);
    await customerPage.locator("#text").fill("Quiero hablar con una persona");
    await customerPage.locator("#text").press("Enter");
    const queued = agentPage.locator("#queue button", { hasText: "Ana García" });
    await queued.waitFor(WAIT);

    await queued.click();
    await agentPage.getByText("A refund for a broken kettle").waitFor(WAIT);
    await agentPage.getByText("Quiero hablar con una persona").waitFor(WAIT);
    await agentPage.getByRole("button", { name: "Claim" }).click();
    await agentPage.locator("#mine button", { hasText: "Ana García" }).waitFor(WAIT);

    const reply = agentPage.getByLabel(/Reply to the customer/);
    await reply.fill(REPLY);
    await reply.press("Control+Enter"); // the keyboard path: Ctrl+Enter sends
    await customerPage.locator("#log", { hasText: REPLY }).waitFor(WAIT);
    await agentPage.locator(".msg.human", { hasText: REPLY }).waitFor(WAIT);
    const received = (await (await h.admin("/sandbox/messages?to=34600000001")).json()) as { messages: { text?: string }[] };
    expect(received.messages.map((m) => m.text)).toContain(REPLY);

    await mkdir("test-artifacts", { recursive: true });
    await agentPage.screenshot({ path: "test-artifacts/console.png", fullPage: true });

    await agentPage.getByRole("button", { name: "Resolve" }).click();
    await agentPage.getByText("No open handoff").waitFor(WAIT);
    const { rows } = await h.db.pool.query(
      "SELECT c.id::text FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = '34600000001'",
    );
    expect((await getConversationOwner(h.db.pool, rows[0].id)).owner).toBe("bot");
  });
});
