/**
 * The order tools the agent's model can call (LangChain `tool()`, zod schemas, snake_case names). They are built
 * per conversation turn by `createOrderTools(ctx, deps)`: the tenant, the conversation and the customer's WhatsApp
 * identity are bound here by the server and never taken from model arguments. Every tool answers with a JSON
 * string: `{ok: true, ...}` or `{ok: false, error, message}` where `message` tells the model what to do next.
 * Writes only propose: the change happens when the agent calls `confirmPendingAction` after the customer's "yes".
 */
import { type StructuredToolInterface, tool } from "@langchain/core/tools";
import { z } from "zod";
import { proposeAction } from "./order-actions.ts";
import { getOrderStatus, listMyOrders, type OrderContext, type OrderDeps, trackOrderShipments, verifyIdentity } from "./order-service.ts";

const OrderIdArg = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\w#-]+$/, "an order number has letters, digits, '#', '-' or '_'")
  .describe("The order number exactly as the customer gave it, e.g. #D100123");

const AddressArg = z.object({
  line1: z.string().trim().min(1).max(200).describe("Street and number"),
  line2: z.string().trim().max(200).optional().describe("Apartment, suite, floor (optional)"),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().max(100).optional().describe("State or region, when the country uses one"),
  postal_code: z.string().trim().min(1).max(20),
  country: z.string().trim().min(2).max(60),
});

const json = (value: unknown) => JSON.stringify(value);

export const ORDER_TOOL_NAMES = [
  "list_my_orders",
  "get_order_status",
  "track_shipment",
  "cancel_order",
  "update_shipping_address",
  "request_return",
  "verify_identity",
] as const;

/** The seven order tools, bound to one conversation. */
export function createOrderTools(ctx: OrderContext, deps: OrderDeps): StructuredToolInterface[] {
  return [
    tool(async ({ limit }) => json(await listMyOrders(deps, ctx, { limit: limit ?? 5 })), {
      name: "list_my_orders",
      description:
        "List the recent orders of the customer in this conversation (number, status, date, total). Use when they ask about " +
        "'my order' without a number, or to find the right one. Do NOT use for another person's orders, and do not ask for " +
        "the customer's name or phone: their identity comes from the conversation. If it answers identity_required, ask for verification.",
      schema: z.object({ limit: z.number().int().min(1).max(20).optional().describe("How many orders, newest first (default 5)") }),
    }),
    tool(async ({ order_id }) => json(await getOrderStatus(deps, ctx, order_id)), {
      name: "get_order_status",
      description:
        "Get one order's status, items, shipping address, tracking ids and which changes its state allows. Use when the customer " +
        "names an order. Do NOT use for carrier tracking events (use track_shipment) and do NOT try other numbers when an order is " +
        "not found: ask the customer to check it.",
      schema: z.object({ order_id: OrderIdArg }),
    }),
    tool(async ({ order_id }) => json(await trackOrderShipments(deps, ctx, order_id)), {
      name: "track_shipment",
      description:
        "Get the carrier's tracking events and estimated delivery for an order's shipments. Use for 'where is my package' or " +
        "'when will it arrive'. Do NOT use for pending or cancelled orders (nothing has shipped; get_order_status says so), and " +
        "never pass a tracking number: give the order number.",
      schema: z.object({ order_id: OrderIdArg }),
    }),
    tool(async ({ order_id, reason }) => json(await proposeAction(deps, ctx, { kind: "cancel_order", orderId: order_id, reason })), {
      name: "cancel_order",
      description:
        "Propose cancelling a PENDING order. This does not cancel anything: it sends the customer a summary with Yes/No buttons " +
        "and the cancellation happens only after they confirm. Do NOT use for processed, shipped or delivered orders (a delivered " +
        "order can be returned with request_return), and only when the customer has clearly asked to cancel.",
      schema: z.object({
        order_id: OrderIdArg,
        reason: z.string().trim().min(1).max(200).describe("The customer's reason in a few words, e.g. 'no longer needed'"),
      }),
    }),
    tool(
      async ({ order_id, address }) =>
        json(
          await proposeAction(deps, ctx, {
            kind: "update_shipping_address",
            orderId: order_id,
            address: { ...address, line2: address.line2 ?? null, state: address.state ?? null, postalCode: address.postal_code },
          }),
        ),
      {
        name: "update_shipping_address",
        description:
          "Propose a new shipping address for a PENDING order. Nothing changes until the customer confirms with Yes. Do NOT use " +
          "once the order is processed or shipped (offer a human agent), and do not invent address parts: ask for the full address first.",
        schema: z.object({ order_id: OrderIdArg, address: AddressArg }),
      },
    ),
    tool(
      async ({ order_id, item_ids, reason }) =>
        json(await proposeAction(deps, ctx, { kind: "request_return", orderId: order_id, itemIds: item_ids, reason })),
      {
        name: "request_return",
        description:
          "Propose returning items of a DELIVERED order (item ids come from get_order_status). Nothing happens until the customer " +
          "confirms with Yes. Do NOT use for orders that have not been delivered (a pending order can be cancelled instead) or for " +
          "items already returned.",
        schema: z.object({
          order_id: OrderIdArg,
          item_ids: z.array(z.string().trim().min(1).max(64)).min(1).max(50).describe("The item_id of each unit to return"),
          reason: z.string().trim().min(1).max(200).describe("The customer's reason in a few words"),
        }),
      },
    ),
    tool(
      async ({ order_id, email, postal_code }) =>
        json(await verifyIdentity(deps, ctx, { orderId: order_id, email, postalCode: postal_code })),
      {
        name: "verify_identity",
        description:
          "Verify the customer when another tool answered identity_required: checks one of their order numbers plus the e-mail " +
          "address OR postal code used on it, and links this conversation to their account. Do NOT use when the other tools work " +
          "(they are already verified), never guess or retry with made-up details, and stop after a failure the customer cannot fix.",
        schema: z
          .object({
            order_id: OrderIdArg,
            email: z.string().trim().max(254).optional().describe("The e-mail the customer gave"),
            postal_code: z.string().trim().max(20).optional().describe("The postal code the customer gave"),
          })
          .refine((v) => !!v.email || !!v.postal_code, "give the e-mail or the postal code"),
      },
    ),
  ];
}
