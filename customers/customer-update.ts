/**
 * Admin edits of a customer (`PATCH /admin/customers/:id`): name, language, time zone (an IANA zone set by hand is
 * kept until cleared; null goes back to the phone's zone), custom attributes (merged; null deletes a key) and
 * manual tags. One transaction, audited with field names only.
 */
import type pg from "pg";
import { z } from "zod";
import { withTransaction } from "../lib/db.ts";
import { recordAdminAudit } from "../tenants/admin-audit.ts";
import { customerOfConversation } from "./auto-tags.ts";
import { canonicalTimeZone, regionFromPhone } from "./customer-region.ts";
import { changeManualTags, listCustomerTags, TagSchema, type TagView } from "./tag-store.ts";

export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTES_BYTES = 8 * 1024;

const AttributeKey = z.string().regex(/^[\w.-]{1,64}$/, "attribute names: letters, digits, _ . - (at most 64)");
const AttributeValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
export const TagList = z.array(TagSchema).min(1).max(20);

export const CustomerPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, "a primary language subtag such as 'es'")
      .nullable()
      .optional(),
    timeZone: z
      .string()
      .max(64)
      .refine((z) => canonicalTimeZone(z) !== null, "an IANA time zone such as 'America/Mexico_City'")
      .nullable()
      .optional(),
    attributes: z
      .record(AttributeKey, AttributeValue.nullable())
      .refine((r) => Object.keys(r).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes per request`)
      .optional(),
    tags: z.object({ add: TagList.optional(), remove: TagList.optional() }).strict().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type CustomerPatch = z.infer<typeof CustomerPatchSchema>;

export type PatchResult =
  | { ok: true; fields: string[] }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "attributes_too_large"; detail: string }
  | { ok: false; code: "auto_tag"; tags: string[] };

/** Applies a patch; `actor` is recorded in the audit and on manual tags. */
export async function updateCustomer(
  pool: pg.Pool,
  tenantId: string,
  id: string,
  patch: CustomerPatch,
  actor: string,
): Promise<PatchResult> {
  return withTransaction<PatchResult>(pool, async (tx) => {
    const { rows } = await tx.query(
      "SELECT wa_id, attributes FROM customers WHERE id = $1 AND tenant_id = $2 AND erased_at IS NULL FOR UPDATE",
      [id, tenantId],
    );
    const current = rows[0];
    if (!current) return { ok: false, code: "not_found" };
    const fields: string[] = [];
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
    if (patch.name !== undefined) set("name", patch.name);
    if (patch.language !== undefined) set("language", patch.language);
    if (patch.timeZone !== undefined) {
      if (patch.timeZone === null) {
        set("time_zone", regionFromPhone(current.wa_id)?.timeZone ?? null);
        set("time_zone_source", regionFromPhone(current.wa_id) ? "phone" : null);
      } else {
        set("time_zone", canonicalTimeZone(patch.timeZone));
        set("time_zone_source", "manual");
      }
    }
    if (patch.attributes) {
      const merged: Record<string, unknown> = { ...(current.attributes ?? {}) };
      for (const [k, v] of Object.entries(patch.attributes)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      const size = Buffer.byteLength(JSON.stringify(merged));
      if (Object.keys(merged).length > MAX_ATTRIBUTES || size > MAX_ATTRIBUTES_BYTES) {
        return {
          ok: false,
          code: "attributes_too_large",
          detail: `a customer holds at most ${MAX_ATTRIBUTES} attributes and ${MAX_ATTRIBUTES_BYTES} bytes of them`,
        };
      }
      set("attributes", JSON.stringify(merged));
    }
    const details: Record<string, string[] | number> = {};
    // Tags first: a refused removal must leave the whole request unapplied, and it is refused before any write.
    if (patch.tags) {
      const tags = await changeManualTags(tx, tenantId, id, patch.tags, actor);
      if (!tags.ok) return tags;
      details.tagsAdded = tags.added.length;
      details.tagsRemoved = tags.removed.length;
    }
    for (const key of ["name", "language", "timeZone", "attributes", "tags"] as const) if (patch[key] !== undefined) fields.push(key);
    if (sets.length > 0) await tx.query(`UPDATE customers SET ${sets.join(", ")}, updated_at = now() WHERE id = $1`, params);
    if (patch.attributes) details.attributeKeys = Object.keys(patch.attributes).sort();
    await recordAdminAudit(tx, {
      tenantId,
      actor,
      action: "customer.update",
      subjectType: "customer",
      subjectId: id,
      details: { fields, ...details },
    });
    return { ok: true, fields };
  });
}

export type ConversationTagsResult =
  | { ok: true; tags: TagView[] }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "auto_tag"; tags: string[] };

/**
 * A human agent's manual tags on the customer of a conversation they can see (same tenant). Audited like an admin
 * edit, with the agent as the actor.
 */
export async function changeConversationCustomerTags(
  pool: pg.Pool,
  tenantId: string,
  conversationId: string,
  change: { add?: string[] | undefined; remove?: string[] | undefined },
  actor: string,
): Promise<ConversationTagsResult> {
  return withTransaction<ConversationTagsResult>(pool, async (tx) => {
    const customerId = await customerOfConversation(tx, tenantId, conversationId);
    if (!customerId) return { ok: false, code: "not_found" };
    const r = await changeManualTags(tx, tenantId, customerId, change, actor);
    if (!r.ok) return r;
    await recordAdminAudit(tx, {
      tenantId,
      actor,
      action: "customer.tags",
      subjectType: "customer",
      subjectId: customerId,
      details: { tagsAdded: r.added.length, tagsRemoved: r.removed.length },
    });
    return { ok: true, tags: await listCustomerTags(tx, customerId) };
  });
}

/** The tags of a conversation's customer, or undefined when the conversation is not the tenant's. */
export async function listConversationCustomerTags(
  pool: pg.Pool,
  tenantId: string,
  conversationId: string,
): Promise<TagView[] | undefined> {
  const customerId = await customerOfConversation(pool, tenantId, conversationId);
  return customerId ? listCustomerTags(pool, customerId) : undefined;
}
