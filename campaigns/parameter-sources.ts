/**
 * Where each body parameter of a business-initiated template comes from, per customer: a custom attribute, a
 * profile field, or a literal. Campaigns, follow-ups and review requests share it. A value missing with no fallback
 * is a typed miss (the customer is skipped and counted), never an empty parameter Meta would reject.
 */
import { z } from "zod";
import type { Template } from "../compliance/template-store.ts";

const Fallback = z.string().min(1).max(200).optional();

export const ParameterSourceSchema = z.union([
  z.object({ attribute: z.string().regex(/^[\w.-]{1,64}$/, "an attribute name"), fallback: Fallback }).strict(),
  z.object({ field: z.enum(["name", "username", "language", "country", "erp_customer_id"]), fallback: Fallback }).strict(),
  z.object({ value: z.string().min(1).max(200) }).strict(),
]);
export type ParameterSource = z.infer<typeof ParameterSourceSchema>;

export const ParameterSourcesSchema = z.array(ParameterSourceSchema).max(20);

/** The profile a parameter can read. */
export type ParameterProfile = {
  name: string | null;
  username: string | null;
  language: string | null;
  country: string | null;
  erpCustomerId: string | null;
  attributes: Record<string, unknown>;
};

export type ResolvedParameters = { ok: true; values: string[] } | { ok: false; missing: number };

/**
 * The values for one customer. Whitespace runs become one space: Meta refuses newlines, tabs and 4+ spaces in text
 * parameters (132012), and an attribute imported from a CRM may well contain them.
 */
export function resolveParameters(sources: ParameterSource[], profile: ParameterProfile): ResolvedParameters {
  const values: string[] = [];
  for (const [i, source] of sources.entries()) {
    let raw: unknown;
    if ("value" in source) raw = source.value;
    else if ("attribute" in source) raw = profile.attributes[source.attribute];
    else raw = source.field === "erp_customer_id" ? profile.erpCustomerId : profile[source.field];
    let text = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? String(raw) : "";
    text = text.replace(/\s+/g, " ").trim().slice(0, 1000);
    if (text === "" && !("value" in source) && source.fallback) text = source.fallback;
    if (text === "") return { ok: false, missing: i + 1 };
    values.push(text);
  }
  return { ok: true, values };
}

export type TemplateCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether a template can be sent by an automation with these sources: it exists, is approved, takes exactly this
 * many parameters, and all of them are text (customer data fills text parameters, not currencies or dates).
 */
export function checkTemplateForSources(
  template: Template | undefined,
  ref: { name: string; language: string },
  sources: ParameterSource[],
): TemplateCheck {
  const label = `Template ${ref.name} (${ref.language})`;
  if (!template) return { ok: false, message: `${label} does not exist.` };
  if (template.status !== "approved") return { ok: false, message: `${label} is ${template.status}; only approved templates can be sent.` };
  if (template.parameters.length !== sources.length) {
    return { ok: false, message: `${label} takes ${template.parameters.length} parameters; ${sources.length} were given.` };
  }
  const nonText = template.parameters.findIndex((p) => p.type !== "text");
  if (nonText >= 0)
    return {
      ok: false,
      message: `${label}: parameter ${nonText + 1} is ${template.parameters[nonText]?.type}; only text parameters can be filled.`,
    };
  return { ok: true };
}
