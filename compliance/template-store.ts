/**
 * The per-tenant template registry: name, language, category, approval status and typed body parameters.
 * Sending validates the parameters against it before any network call, which avoids Meta's 132000 (parameter
 * count) and 132012 (parameter format) errors, and refuses templates that are not approved.
 */
import type pg from "pg";
import { z } from "zod";
import type { OutgoingMessage, TemplateParameter } from "../whatsapp/cloud-api/messages.ts";

type Queryable = Pick<pg.Pool, "query">;

export const TemplateParamSpecSchema = z.object({
  type: z.enum(["text", "currency", "date_time"]),
  name: z.string().max(64).optional(),
  example: z.string().max(200).optional(),
});

export const TemplateInputSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "lower-case letters, digits and _"),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a locale such as en_US or es"),
  category: z.enum(["marketing", "utility", "authentication"]),
  status: z.enum(["approved", "pending", "rejected", "paused", "disabled"]).default("approved"),
  body: z.string().min(1).max(1024),
  parameters: z.array(TemplateParamSpecSchema).max(20).default([]),
});
export type TemplateInput = z.infer<typeof TemplateInputSchema>;
export type Template = TemplateInput & { id: string; updatedAt: string };

/** A value supplied for one body parameter: plain text, or a currency/date object. */
export const TemplateValueSchema = z.union([
  z.string(),
  z.number(),
  z.object({ currency: z.object({ fallback_value: z.string(), code: z.string().length(3), amount_1000: z.number().int() }) }),
  z.object({ date_time: z.object({ fallback_value: z.string() }) }),
]);
export type TemplateValue = z.infer<typeof TemplateValueSchema>;

/** Creates or replaces a template (same tenant, name and language). */
export async function upsertTemplate(db: Queryable, tenantId: string, t: TemplateInput): Promise<Template> {
  const { rows } = await db.query(
    `INSERT INTO templates (tenant_id, name, language, category, status, body, parameters) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, name, language) DO UPDATE SET category = EXCLUDED.category, status = EXCLUDED.status,
       body = EXCLUDED.body, parameters = EXCLUDED.parameters, updated_at = now()
     RETURNING *`,
    [tenantId, t.name, t.language, t.category, t.status, t.body, JSON.stringify(t.parameters)],
  );
  return toTemplate(rows[0]);
}

export async function listTemplates(db: Queryable, tenantId: string, filter: { status?: string } = {}): Promise<Template[]> {
  const { rows } = await db.query(
    "SELECT * FROM templates WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY name, language",
    [tenantId, filter.status ?? null],
  );
  return rows.map(toTemplate);
}

export async function findTemplate(db: Queryable, tenantId: string, name: string, language: string): Promise<Template | undefined> {
  const { rows } = await db.query("SELECT * FROM templates WHERE tenant_id = $1 AND name = $2 AND language = $3", [
    tenantId,
    name,
    language,
  ]);
  return rows[0] ? toTemplate(rows[0]) : undefined;
}

export async function deleteTemplate(db: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM templates WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

export type BuildResult =
  | { ok: true; message: OutgoingMessage }
  | { ok: false; reason: "template_not_approved" | "template_invalid"; details: string };

/** Checks the values against the template's parameter specs and builds the Cloud API template message. */
export function buildTemplateMessage(t: Template, values: TemplateValue[]): BuildResult {
  if (t.status !== "approved")
    return { ok: false, reason: "template_not_approved", details: `template ${t.name} (${t.language}) is ${t.status}` };
  if (values.length !== t.parameters.length) {
    return {
      ok: false,
      reason: "template_invalid",
      details: `template ${t.name} takes ${t.parameters.length} parameters, got ${values.length}`,
    };
  }
  const parameters: TemplateParameter[] = [];
  for (const [i, spec] of t.parameters.entries()) {
    const v = values[i];
    if (spec.type === "text" && (typeof v === "string" || typeof v === "number") && String(v).trim() !== "") {
      // Meta rejects newlines, tabs and 4+ consecutive spaces in text parameters (132012 in practice).
      const text = String(v);
      if (/[\n\t]| {4,}/.test(text))
        return { ok: false, reason: "template_invalid", details: `parameter ${i + 1} has a newline, tab or 4+ spaces` };
      parameters.push({ type: "text", text });
    } else if (spec.type === "currency" && typeof v === "object" && v && "currency" in v) {
      parameters.push({ type: "currency", currency: v.currency });
    } else if (spec.type === "date_time" && typeof v === "object" && v && "date_time" in v) {
      parameters.push({ type: "date_time", date_time: v.date_time });
    } else {
      return { ok: false, reason: "template_invalid", details: `parameter ${i + 1} must be ${spec.type}` };
    }
  }
  const message: OutgoingMessage = {
    type: "template",
    template: {
      name: t.name,
      language: { code: t.language },
      ...(parameters.length ? { components: [{ type: "body", parameters }] } : {}),
    },
  };
  return { ok: true, message };
}

function toTemplate(r: Record<string, unknown>): Template {
  return {
    id: String(r.id),
    name: r.name as string,
    language: r.language as string,
    category: r.category as Template["category"],
    status: r.status as Template["status"],
    body: r.body as string,
    parameters: r.parameters as Template["parameters"],
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}
