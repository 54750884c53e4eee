/**
 * Load generation for `webhook.bench.ts`: realistic, uniquely identified, signed Meta text webhooks sent by
 * autocannon, with sub-millisecond latency percentiles and the ids of every acknowledged request.
 */
import autocannon from "autocannon";
import { TEST_SECRETS, textMessageBody } from "../server/testing.ts";
import { signBody } from "../whatsapp/signature.ts";

export type LoadResult = {
  seconds: number;
  /** 2xx responses per second: what the server acknowledged. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Message ids of the acknowledged webhooks (empty for the bare route, which does not echo request ids). */
  ackedWamids: string[];
};

const CUSTOMERS = 24;
const PLACEHOLDER = "__BENCH_ID__";
const TEXT =
  "Hi! I ordered the blue running shoes last Tuesday (order #A-20931) and the tracking page still says label " +
  "created. Could you check whether it has shipped? I also wanted to ask if I can change the size from 42 to 43 " +
  "before it leaves the warehouse, and whether the return is free if they do not fit. I am travelling from Friday " +
  "so delivery to my office address would be better: 221 Harbour Street, 3rd floor, reception desk. Thanks a lot, " +
  "and sorry for the long message, I just want to make sure everything arrives on time.";

/** One body template per customer, split around the placeholder that becomes the request's unique id. */
const templates = Array.from({ length: CUSTOMERS }, (_, i) => {
  const body = textMessageBody({
    text: TEXT,
    from: String(16505550100 + i),
    userId: `US.${(1_300_000_000_000_000 + i * 7919).toString()}`,
    name: `Customer ${i + 1}`,
    wamid: `wamid.HBgL${PLACEHOLDER}`,
  });
  return JSON.stringify(body).split(PLACEHOLDER);
});

/** Size in bytes of one generated body (for the report). */
export const BODY_BYTES = Buffer.byteLength(templates[0]?.join("x".repeat(16)) ?? "");

const WAMID_PREFIX = "wamid.HBgL";

/** Runs autocannon against `url` for `seconds` with `connections`, each request a new signed webhook. */
export async function runLoad(url: string, opts: { seconds: number; connections: number; tag: string }): Promise<LoadResult> {
  if (new URL(url).hostname !== "127.0.0.1") throw new Error(`refusing to load ${url}: only 127.0.0.1 is benchmarked`);
  let seq = 0;
  const latencies: number[] = [];
  const ackedWamids: string[] = [];
  const options: autocannon.Options = {
    url,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 5,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          seq += 1;
          const id = `${opts.tag}-${seq.toString(36)}`;
          const body = (templates[seq % CUSTOMERS] as string[]).join(id);
          req.body = body;
          req.headers = {
            "content-type": "application/json",
            "x-request-id": id,
            "x-hub-signature-256": signBody(body, TEST_SECRETS.appSecret),
          };
          return req;
        },
        onResponse: (status, _body, _ctx, headers) => {
          const id = headers?.["x-request-id"] ?? headers?.["X-Request-Id"];
          if (status >= 200 && status < 300 && typeof id === "string") ackedWamids.push(WAMID_PREFIX + id);
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)));
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN);
  return {
    seconds: result.duration,
    rps: Math.round(result["2xx"] / result.duration),
    p50: at(0.5),
    p99: at(0.99),
    max: round(latencies.at(-1) ?? Number.NaN),
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ackedWamids,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
