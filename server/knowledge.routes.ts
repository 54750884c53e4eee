/**
 * `/admin/knowledge`: upload manuals and FAQs (multipart), follow their ingestion, list, delete, and run the exact
 * retrieval the agent uses (`/admin/knowledge/search`) to debug answers.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type pg from "pg";
import { createUpload, deleteDocument, getDocument, listDocuments } from "../knowledge/ingest/document-store.ts";
import type { Ingestor } from "../knowledge/ingest/ingestor.ts";
import { detectType, SUPPORTED_TYPES } from "../knowledge/parse/detect-type.ts";
import { type QueryTranslator, searchAcrossLanguages } from "../knowledge/store/cross-language.ts";
import type { Embedder } from "../knowledge/types.ts";
import { AppError } from "../lib/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { ErrorSchema, NumericId, TenantHeader, tenantOf } from "./route-helpers.ts";
import { validationHook } from "./validation.ts";

export type KnowledgeDeps = {
  pool: pg.Pool;
  embedder: Embedder;
  ingestor: Ingestor;
  maxUploadBytes: number;
  translator?: QueryTranslator | undefined;
};

const DocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(["processing", "ready", "failed", "superseded"]),
    error: z.string().nullable(),
    pages: z.number().nullable(),
    chunks: z.number().nullable(),
    version: z.number(),
    tags: z.array(z.string()),
    language: z.string().nullable(),
    progress: z.record(z.string(), z.unknown()).nullable(),
    updatedAt: z.string(),
  })
  .openapi("KnowledgeDocument");

const UploadFieldsSchema = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "an ISO 639 code such as en or es")
    .optional(),
});

const SearchSchema = z.object({
  query: z.string().trim().min(1).max(2000),
  k: z.number().int().min(1).max(50).default(8),
  tags: z.array(z.string()).max(20).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
});

const getRoute = createRoute({
  method: "get",
  path: "/knowledge/{id}",
  request: { headers: TenantHeader, params: z.object({ id: NumericId }) },
  responses: {
    200: { description: "The document and its ingestion state", content: { "application/json": { schema: DocumentSchema } } },
    404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
  },
});
const listRoute = createRoute({
  method: "get",
  path: "/knowledge",
  request: { headers: TenantHeader },
  responses: {
    200: {
      description: "Current documents",
      content: { "application/json": { schema: z.object({ documents: z.array(DocumentSchema) }) } },
    },
  },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/knowledge/{id}",
  request: { headers: TenantHeader, params: z.object({ id: NumericId }) },
  responses: {
    204: { description: "Deleted with its chunks" },
    404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
  },
});
const searchRoute = createRoute({
  method: "post",
  path: "/knowledge/search",
  request: { headers: TenantHeader, body: { required: true, content: { "application/json": { schema: SearchSchema } } } },
  responses: {
    200: {
      description: "The hybrid retrieval the agent uses",
      content: {
        "application/json": {
          schema: z.object({
            hits: z.array(
              z.object({
                documentId: z.string(),
                title: z.string(),
                text: z.string(),
                page: z.number().nullable(),
                section: z.string().nullable(),
                score: z.number(),
                similarity: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    400: { description: "Invalid", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function knowledgeRoutes(deps: KnowledgeDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const view = ({ filename: _f, sourceType: _s, createdAt: _c, ...d }: Awaited<ReturnType<typeof listDocuments>>[number]) => d;

  app.post("/knowledge", async (c) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > deps.maxUploadBytes + 64 * 1024) throw tooLarge(deps.maxUploadBytes);
    if (!c.req.header("content-type")?.startsWith("multipart/form-data")) {
      throw new AppError("bad_request", "upload is not multipart/form-data", {
        userMessage: "Send the file as multipart/form-data in a field named `file`.",
      });
    }
    const form = await c.req.parseBody({ all: true });
    const file = form.file;
    if (!(file instanceof File))
      throw new AppError("bad_request", "no file field", { userMessage: "Send the file in a field named `file`." });
    if (file.size > deps.maxUploadBytes) throw tooLarge(deps.maxUploadBytes);
    const rawTags = ([] as unknown[]).concat(form.tags ?? []).flatMap((t) => (typeof t === "string" ? t.split(",") : []));
    const fields = UploadFieldsSchema.safeParse({
      title: typeof form.title === "string" ? form.title : undefined,
      tags: rawTags.map((t) => t.trim()).filter(Boolean),
      language: typeof form.language === "string" && form.language ? form.language : undefined,
    });
    if (!fields.success)
      throw new AppError("bad_request", "bad upload fields", {
        userMessage: "Invalid title, tags or language.",
        details: fields.error.issues,
      });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.byteLength === 0) throw new AppError("bad_request", "empty file", { userMessage: "The file is empty." });
    const type = detectType(bytes, file.name);
    if (!type) {
      throw new AppError("unsupported_media_type", `unsupported upload ${file.name}`, {
        userMessage: `Unsupported file type. Supported: ${SUPPORTED_TYPES.join(", ")}.`,
        details: { supported: SUPPORTED_TYPES },
      });
    }
    const tenant = TenantHeader.safeParse({ "x-tenant-id": c.req.header("x-tenant-id") });
    if (!tenant.success) throw new AppError("bad_request", "bad tenant header", { userMessage: "Invalid X-Tenant-Id." });
    const tenantId = tenantOf(tenant.data);
    const title = fields.data.title ?? (file.name.replace(/\.[^.]+$/, "") || "Untitled");
    const { document, unchanged } = await createUpload(deps.pool, {
      tenantId,
      title,
      filename: file.name,
      sourceType: type,
      bytes,
      tags: fields.data.tags,
      language: fields.data.language,
    });
    if (!unchanged) deps.ingestor.wake();
    return c.json({ id: document.id, status: document.status, unchanged }, unchanged ? 200 : 202);
  });

  app.openapi(getRoute, async (c) => {
    const doc = await getDocument(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id);
    if (!doc) throw new AppError("not_found", "document not found", { userMessage: "Document not found." });
    return c.json(view(doc), 200);
  });
  app.openapi(listRoute, async (c) =>
    c.json({ documents: (await listDocuments(deps.pool, tenantOf(c.req.valid("header")))).map(view) }, 200),
  );
  app.openapi(deleteRoute, async (c) => {
    if (!(await deleteDocument(deps.pool, tenantOf(c.req.valid("header")), c.req.valid("param").id))) {
      throw new AppError("not_found", "document not found", { userMessage: "Document not found." });
    }
    return c.body(null, 204);
  });
  app.openapi(searchRoute, async (c) => {
    const body = c.req.valid("json");
    const hits = await searchAcrossLanguages(deps.pool, deps.embedder, deps.translator, {
      tenantId: tenantOf(c.req.valid("header")),
      ...body,
    });
    return c.json(
      {
        hits: hits.map(({ documentId, title, text, page, section, score, similarity }) => ({
          documentId,
          title,
          text,
          page,
          section,
          score,
          similarity,
        })),
      },
      200,
    );
  });
  return app;
}

function tooLarge(max: number): AppError {
  return new AppError("payload_too_large", "upload too large", {
    userMessage: `The file is larger than the ${Math.round(max / 1024 / 1024)} MB limit.`,
  });
}
