import { describe, expect, it } from "vitest";
import { createLogger } from "../lib/logger.ts";
import { normalizeWebhook } from "../whatsapp/normalize.ts";
import { createSandboxState } from "./sandbox-state.ts";
import { createStatusEmitter } from "./status-emitter.ts";
import type { WebhookSender } from "./webhook-sender.ts";

const number = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder(delayFirstMs = 0) {
  const seen: string[] = [];
  let calls = 0;
  const send: WebhookSender = async (body) => {
    calls += 1;
    if (calls === 1) await sleep(delayFirstMs);
    const event = normalizeWebhook(body).events[0]?.event;
    if (event?.kind === "status") seen.push(`${event.wamid}:${event.status}`);
    return { status: 200, ok: true };
  };
  return { seen, send };
}

describe("createStatusEmitter", () => {
  it("keeps each message's statuses in order even when a delivery is slow", async () => {
    const { seen, send } = recorder(40);
    const state = createSandboxState();
    const emitter = createStatusEmitter({ send, state, delays: { sent: 1, delivered: 2, read: 3 } });
    emitter.emitLifecycle({ number, wamid: "w1", recipient: "16505551234", category: "service" });
    emitter.emitLifecycle({ number, wamid: "w2", recipient: "16505551234", category: "utility" });
    await emitter.settled();
    expect(seen.filter((s) => s.startsWith("w1"))).toEqual(["w1:sent", "w1:delivered", "w1:read"]);
    expect(seen.filter((s) => s.startsWith("w2"))).toEqual(["w2:sent", "w2:delivered", "w2:read"]);
    expect(state.statusOf("w1")?.status).toBe("read");
  });

  it("stops reporting after close(), and settled() still resolves", async () => {
    const { seen, send } = recorder();
    const emitter = createStatusEmitter({ send, state: createSandboxState(), delays: { sent: 0, delivered: 10_000, read: 20_000 } });
    emitter.emitLifecycle({ number, wamid: "w1", recipient: "16505551234", category: "service" });
    await sleep(20);
    emitter.close();
    await emitter.settled();
    expect(seen).toEqual(["w1:sent"]);
    emitter.emitLifecycle({ number, wamid: "w2", recipient: "16505551234", category: "service" });
    await emitter.settled();
    expect(seen).toEqual(["w1:sent"]);
  });

  it("logs a rejected or throwing delivery instead of throwing", async () => {
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, msg: string) => void warnings.push(msg) };
    const send: WebhookSender = async () => ({ status: 503, ok: false });
    const emitter = createStatusEmitter({ send, state: createSandboxState(), delays: { failed: 0 }, logger });
    emitter.emitFailure({ number, wamid: "w1", recipient: "US.1234", category: "service" }, { code: 131026 });
    await emitter.settled();
    expect(warnings).toEqual(["sandbox status webhook was not accepted"]);
  });

  it("takes the app's pino logger", async () => {
    const emitter = createStatusEmitter({
      send: async () => ({ status: null, ok: false }),
      state: createSandboxState(),
      logger: createLogger("silent"),
    });
    emitter.emitLifecycle({ number, wamid: "w1", recipient: "16505551234", category: "service" });
    emitter.close();
    await expect(emitter.settled()).resolves.toBeUndefined();
  });
});
