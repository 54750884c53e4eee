import { afterAll, beforeAll, expect, it } from "vitest";
import type { InboundMessage } from "../conversations/inbound-processor.ts";
import { startHarness, type TestHarness, textMessageBody } from "./testing.ts";

let h: TestHarness;
const handled: { text: string | null; at: number }[] = [];
let active = 0;
let overlapped = false;

beforeAll(async () => {
  h = await startHarness({
    handler: {
      async handleInbound(m: InboundMessage) {
        active++;
        if (active > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 1));
        handled.push({ text: m.event.text, at: Date.parse(m.event.occurredAt) });
        active--;
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});

it("keeps 50 concurrent deliveries for one customer: all stored once, handled one at a time, in order", async () => {
  const base = 1_750_000_000;
  const bodies = Array.from({ length: 50 }, (_, i) =>
    textMessageBody({ text: `part ${i}`, wamid: `wamid.burst.${i}`, timestamp: base + i, from: "4915123456789" }),
  );
  // Deliveries arrive concurrently and in shuffled order, as Meta's parallel webhooks do.
  const shuffled = [...bodies].sort(() => Math.random() - 0.5);
  const responses = await Promise.all(shuffled.map((b) => h.postWebhook(b)));
  expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
  // Meta retries some of them: duplicates change nothing.
  await Promise.all(bodies.slice(0, 10).map((b) => h.postWebhook(b)));

  h.worker.start();
  await h.worker.idle(20_000);
  expect(overlapped).toBe(false);
  expect(handled.map((x) => x.text)).toEqual(bodies.map((_, i) => `part ${i}`));

  const list = await (await h.admin("/admin/conversations")).json();
  expect(list.conversations).toHaveLength(1);
  const msgs = await (await h.admin(`/admin/conversations/${list.conversations[0].id}/messages`)).json();
  expect(msgs.messages.map((m: { text: string }) => m.text)).toEqual(bodies.map((_, i) => `part ${i}`));
});
