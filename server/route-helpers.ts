/** Schemas and helpers shared by the admin routes. */
import { z } from "@hono/zod-openapi";
import { DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("Error");

/** Admin calls act on the default tenant unless `X-Tenant-Id` names another. */
export const TenantHeader = z.object({
  "x-tenant-id": z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
});

export function tenantOf(headers: { "x-tenant-id"?: string | undefined }): string {
  return headers["x-tenant-id"] ?? DEFAULT_TENANT_ID;
}

export const NumericId = z.string().regex(/^\d{1,18}$/, "must be a numeric id");

/** The actor admin-audit entries name for calls made with the admin token (there is one admin identity). */
export const ADMIN_ACTOR = "admin";
