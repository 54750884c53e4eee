/**
 * A deterministic fictional store ("Northwind Outfitters") for the demo ERP: products with variants, a few hundred
 * customers with phone numbers 1555010NNNN (customer N), and orders in every state with shipments and tracking
 * events. Same `seed` and `now` give the same store; dates are relative to `now` so a fresh start has orders that
 * are still on their way.
 */

import { createRandom } from "../../../lib/random.ts";
import { type Address, ORDER_STATUSES, type OrderItem, type OrderStatus } from "../ports.ts";
import type { DemoStoreData, TrackingEventRow } from "./demo-store.ts";

const PRODUCTS: { name: string; base: number; axes: Record<string, string[]> }[] = [
  { name: "Trail T-Shirt", base: 24, axes: { color: ["black", "blue", "red"], size: ["S", "M", "L", "XL"] } },
  { name: "Running Shoes", base: 89, axes: { color: ["grey", "white"], size: ["38", "40", "42", "44"] } },
  { name: "Water Bottle", base: 19, axes: { capacity: ["500ml", "1000ml"], material: ["steel", "glass"] } },
  { name: "Hiking Backpack", base: 119, axes: { capacity: ["20L", "35L"], color: ["green", "black"] } },
  { name: "Wireless Headphones", base: 149, axes: { color: ["black", "silver"] } },
  { name: "Rain Jacket", base: 99, axes: { color: ["yellow", "navy"], size: ["S", "M", "L"] } },
  { name: "Yoga Mat", base: 35, axes: { thickness: ["4mm", "6mm"], color: ["purple", "teal"] } },
  { name: "Camping Lantern", base: 42, axes: { power: ["battery", "solar"] } },
  { name: "Merino Socks", base: 15, axes: { size: ["S", "M", "L"] } },
  { name: "Travel Mug", base: 22, axes: { color: ["red", "white", "black"] } },
];
const FIRST = [
  "Ana",
  "Luis",
  "Sheena",
  "Aiko",
  "Mehmet",
  "Priya",
  "João",
  "Fatima",
  "Lukas",
  "Chen",
  "Amara",
  "Sofia",
  "Omar",
  "Ingrid",
  "Ravi",
  "Lucía",
  "Tom",
  "Yara",
  "Kenji",
  "Elena",
];
const LAST = [
  "García",
  "Pérez",
  "Nelson",
  "Tanaka",
  "Yılmaz",
  "Sharma",
  "Silva",
  "Haddad",
  "Müller",
  "Wang",
  "Okafor",
  "Rossi",
  "Khan",
  "Larsen",
  "Patel",
  "Moreno",
  "Becker",
  "Costa",
  "Sato",
  "Ivanova",
];
const CITIES: { city: string; state: string | null; postal: string; country: string }[] = [
  { city: "Springfield", state: "IL", postal: "62704", country: "US" },
  { city: "Madrid", state: null, postal: "28013", country: "ES" },
  { city: "Porto", state: null, postal: "4050-123", country: "PT" },
  { city: "Berlin", state: null, postal: "10115", country: "DE" },
  { city: "Austin", state: "TX", postal: "78701", country: "US" },
  { city: "Lyon", state: null, postal: "69002", country: "FR" },
  { city: "Istanbul", state: null, postal: "34430", country: "TR" },
  { city: "Mumbai", state: "MH", postal: "400001", country: "IN" },
];
const STREETS = ["Maple Avenue", "Harbor Road", "Elm Street", "Sunset Drive", "Station Square", "Mill Lane", "Park Row"];
const CARRIERS = ["Swift Parcel", "NordPost", "Correo Rápido"];
const HUBS = ["Reno NV hub", "Memphis TN hub", "Leipzig hub", "Zaragoza hub"];
/** Order states and their weights: every state is represented. */
const STATUS_WEIGHTS: [OrderStatus, number][] = [
  ["pending", 20],
  ["processed", 12],
  ["shipped", 15],
  ["delivered", 38],
  ["cancelled", 8],
  ["return_requested", 7],
];
const DAY = 86_400_000;

/** Phone (digits, as WhatsApp's wa_id) of generated customer n (1-based). */
export function demoPhone(n: number): string {
  return `1555010${String(n).padStart(4, "0")}`;
}

/** The generated demo store. */
export function generateDemoStore(opts: { seed?: number; now?: Date; customers?: number } = {}): DemoStoreData {
  const rand = createRandom(opts.seed ?? 20_251_127);
  const now = (opts.now ?? new Date()).getTime();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  const data: DemoStoreData = { products: [], variants: [], customers: [], orders: [], shipments: [] };
  PRODUCTS.forEach((p, pi) => {
    const productId = `P${100 + pi}`;
    data.products.push({ product_id: productId, name: p.name });
    combinations(p.axes).forEach((options, vi) => {
      const price = Math.round((p.base + vi * 1.5 + rand() * 4) * 100) / 100;
      data.variants.push({
        item_id: `${productId}-${String(vi + 1).padStart(2, "0")}`,
        product_id: productId,
        options,
        price,
        available: rand() > 0.1,
      });
    });
  });
  const byProduct = new Map(data.products.map((p) => [p.product_id, p.name]));

  let orderSeq = 100_000;
  let trackSeq = 0;
  const count = opts.customers ?? 300;
  for (let n = 1; n <= count; n++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const place = pick(CITIES);
    const address: Address = {
      line1: `${int(1, 999)} ${pick(STREETS)}`,
      line2: rand() < 0.3 ? `Apt ${int(1, 60)}` : null,
      city: place.city,
      state: place.state,
      postalCode: place.postal,
      country: place.country,
    };
    const customerId = `C${String(n).padStart(4, "0")}`;
    const email = `${ascii(first)}.${ascii(last)}${n}@example.com`;
    data.customers.push({ customer_id: customerId, name: `${first} ${last}`, email, phone: demoPhone(n), address });

    const orders = n <= 3 ? ORDER_STATUSES.length : int(1, 5);
    for (let k = 0; k < orders; k++) {
      // The first customers get one order of each state so a demo always finds every case.
      const status = n <= 3 ? (ORDER_STATUSES[(n + k) % ORDER_STATUSES.length] as OrderStatus) : weighted(rand, STATUS_WEIGHTS);
      const orderId = `#D${++orderSeq}`;
      const age = ageInDays(status, int);
      const placedAt = now - age * DAY - int(0, 20) * 3_600_000;
      const items: OrderItem[] = [];
      for (let i = int(1, 3); i > 0; i--) {
        const v = pick(data.variants);
        items.push({
          itemId: v.item_id,
          productId: v.product_id,
          name: byProduct.get(v.product_id) ?? "",
          options: v.options,
          price: v.price,
        });
      }
      const returnItems = status === "return_requested" ? [items[0]?.itemId as string] : [];
      data.orders.push({
        order_id: orderId,
        customer_id: customerId,
        status,
        placed_at: new Date(placedAt).toISOString(),
        items,
        address,
        return_items: returnItems,
      });
      if (status === "pending" || status === "cancelled") continue;
      const trackingId = `SP${String(483_000_000 + ++trackSeq * 7919).padStart(9, "0")}`;
      const carrier = pick(CARRIERS);
      const { events, shipStatus, eta } = trackingHistory(status, placedAt, now, place.city, pick(HUBS), int);
      data.shipments.push({
        tracking_id: trackingId,
        order_id: orderId,
        carrier,
        status: shipStatus,
        estimated_delivery: new Date(eta).toISOString().slice(0, 10),
        item_ids: items.map((i) => i.itemId),
        events,
      });
    }
  }
  return data;
}

function ageInDays(status: OrderStatus, int: (lo: number, hi: number) => number): number {
  switch (status) {
    case "pending":
      return int(0, 2);
    case "processed":
      return int(1, 3);
    case "shipped":
      return int(2, 6);
    case "cancelled":
      return int(1, 90);
    case "return_requested":
      return int(12, 40);
    default:
      return int(9, 120);
  }
}

function trackingHistory(
  status: OrderStatus,
  placedAt: number,
  now: number,
  city: string,
  hub: string,
  int: (lo: number, hi: number) => number,
) {
  const at = (t: number) => new Date(Math.min(t, now)).toISOString();
  const labelAt = placedAt + int(6, 30) * 3_600_000;
  const events: TrackingEventRow[] = [{ at: at(labelAt), status: "label_created", location: null, description: "Shipping label created" }];
  if (status === "processed") return { events, shipStatus: "label_created", eta: now + int(3, 6) * DAY };
  const pickedAt = labelAt + int(4, 20) * 3_600_000;
  events.push({ at: at(pickedAt), status: "picked_up", location: "Warehouse", description: "Picked up by carrier" });
  events.push({ at: at(pickedAt + DAY), status: "in_transit", location: hub, description: "Arrived at sorting hub" });
  if (status === "shipped") return { events, shipStatus: "in_transit", eta: now + int(1, 4) * DAY };
  const deliveredAt = pickedAt + int(2, 5) * DAY;
  events.push({ at: at(deliveredAt - 8 * 3_600_000), status: "out_for_delivery", location: city, description: "Out for delivery" });
  events.push({ at: at(deliveredAt), status: "delivered", location: city, description: "Delivered, left at front door" });
  return { events, shipStatus: "delivered", eta: Math.min(deliveredAt, now) };
}

function combinations(axes: Record<string, string[]>): Record<string, string>[] {
  return Object.entries(axes).reduce<Record<string, string>[]>(
    (acc, [axis, values]) => acc.flatMap((combo) => values.map((v) => ({ ...combo, [axis]: v }))),
    [{}],
  );
}

function weighted<T>(rand: () => number, entries: [T, number][]): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1]?.[0] as T;
}

function ascii(s: string): string {
  return s
    .replace(/ı/g, "i")
    .normalize("NFD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}
