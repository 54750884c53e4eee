/**
 * Reads the τ-bench retail database (users, orders, products; see ../shared/benchmarks/tau-bench-retail/README.md)
 * into demo-store rows, so the agent can be measured on τ-bench's retail tasks against our own tools. Accepts the
 * v1 layout (users.json, orders.json, products.json) or τ²'s single db.json. Every user gets a deterministic phone
 * number (see `tauPhone`); τ-bench has no order dates, carriers or tracking events, so those stay empty.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Address, OrderStatus } from "../ports.ts";
import type { DemoStoreData } from "./demo-store.ts";

const TauAddressSchema = z.object({
  address1: z.string(),
  address2: z.string().optional().default(""),
  city: z.string(),
  state: z.string().optional(),
  zip: z.string(),
  country: z.string(),
});
const TauUserSchema = z.object({
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address: TauAddressSchema,
  email: z.string(),
  payment_methods: z.record(z.string(), z.unknown()).default({}),
});
const TauOrderSchema = z.object({
  order_id: z.string(),
  user_id: z.string(),
  address: TauAddressSchema,
  items: z.array(
    z.object({
      name: z.string(),
      product_id: z.string(),
      item_id: z.string(),
      price: z.number(),
      options: z.record(z.string(), z.string()),
    }),
  ),
  fulfillments: z.array(z.object({ tracking_id: z.array(z.string()), item_ids: z.array(z.string()) })),
  status: z.string(),
  payment_history: z.array(z.unknown()).default([]),
});
const TauProductSchema = z.object({
  name: z.string(),
  product_id: z.string(),
  variants: z.record(
    z.string(),
    z.object({ item_id: z.string(), options: z.record(z.string(), z.string()), available: z.boolean(), price: z.number() }),
  ),
});
const TauDbSchema = z.object({
  users: z.record(z.string(), TauUserSchema),
  orders: z.record(z.string(), TauOrderSchema),
  products: z.record(z.string(), TauProductSchema),
});
export type TauDb = z.infer<typeof TauDbSchema>;

const STATUS: Record<string, OrderStatus> = {
  pending: "pending",
  processed: "processed",
  delivered: "delivered",
  cancelled: "cancelled",
  "return requested": "return_requested",
};

/** Reads and validates the τ-bench files in `dir`; throws a clear error naming the file and the first problem. */
export async function readTauDb(dir: string): Promise<TauDb> {
  const single = join(dir, "db.json");
  const raw = existsSync(single)
    ? await readJson(single)
    : {
        users: await readJson(join(dir, "users.json")),
        orders: await readJson(join(dir, "orders.json")),
        products: await readJson(join(dir, "products.json")),
      };
  const parsed = TauDbSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${dir} is not a τ-bench retail database: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

async function readJson(path: string): Promise<unknown> {
  if (!existsSync(path)) throw new Error(`${path} not found (expected users.json, orders.json and products.json, or db.json)`);
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * A deterministic phone number for each τ-bench user: 1555 + 7 digits from sha256(user id), moved to the next free
 * number on a collision (users taken in sorted order, so the result never depends on file order).
 */
export function assignTauPhones(userIds: string[]): Map<string, string> {
  const taken = new Set<string>();
  const phones = new Map<string, string>();
  for (const id of [...userIds].sort()) {
    let n = Number(BigInt(`0x${createHash("sha256").update(id).digest("hex").slice(0, 12)}`) % 10_000_000n);
    let phone = `1555${String(n).padStart(7, "0")}`;
    while (taken.has(phone)) {
      n = (n + 1) % 10_000_000;
      phone = `1555${String(n).padStart(7, "0")}`;
    }
    taken.add(phone);
    phones.set(id, phone);
  }
  return phones;
}

/** Converts a τ-bench database into demo-store rows. Unknown order statuses are an error, not a silent skip. */
export function tauToDemoStore(db: TauDb): DemoStoreData {
  const phones = assignTauPhones(Object.keys(db.users));
  const unknown = [...new Set(Object.values(db.orders).map((o) => o.status))].filter((s) => !STATUS[s]);
  if (unknown.length > 0) throw new Error(`unsupported τ-bench order status: ${unknown.join(", ")}`);
  const data: DemoStoreData = { products: [], variants: [], customers: [], orders: [], shipments: [] };
  for (const p of Object.values(db.products)) {
    data.products.push({ product_id: p.product_id, name: p.name });
    for (const v of Object.values(p.variants)) {
      data.variants.push({ item_id: v.item_id, product_id: p.product_id, options: v.options, price: v.price, available: v.available });
    }
  }
  for (const [userId, u] of Object.entries(db.users)) {
    data.customers.push({
      customer_id: userId,
      name: `${u.name.first_name} ${u.name.last_name}`,
      email: u.email,
      phone: phones.get(userId) ?? null,
      address: toAddress(u.address),
      extra: { payment_methods: u.payment_methods },
    });
  }
  for (const o of Object.values(db.orders)) {
    const status = STATUS[o.status] as OrderStatus;
    data.orders.push({
      order_id: o.order_id,
      customer_id: o.user_id,
      status,
      placed_at: null,
      items: o.items.map((i) => ({ itemId: i.item_id, productId: i.product_id, name: i.name, options: i.options, price: i.price })),
      address: toAddress(o.address),
      extra: { payment_history: o.payment_history },
    });
    for (const f of o.fulfillments) {
      for (const trackingId of f.tracking_id) {
        data.shipments.push({
          tracking_id: trackingId,
          order_id: o.order_id,
          carrier: null,
          status: status === "processed" ? "label_created" : status === "cancelled" ? "cancelled" : "delivered",
          estimated_delivery: null,
          item_ids: f.item_ids,
          events: [],
        });
      }
    }
  }
  return data;
}

function toAddress(a: z.infer<typeof TauAddressSchema>): Address {
  return { line1: a.address1, line2: a.address2 || null, city: a.city, state: a.state ?? null, postalCode: a.zip, country: a.country };
}
