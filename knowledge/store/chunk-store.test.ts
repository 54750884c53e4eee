import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { openMemoryDatabase } from "../../lib/testing/test-db.ts";
import { createTenant } from "../../tenants/tenant-store.ts";
import { createOfflineEmbedder } from "../embed/offline-embedder.ts";
import type { Chunk } from "../types.ts";
import { deleteChunks, insertChunks } from "./chunk-store.ts";

const embedder = createOfflineEmbedder();
let db: Database;

async function createDocument(language: string | null): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    "INSERT INTO knowledge_documents (tenant_id, title, content_hash, language) VALUES ('acme', $1, 'h', $2) RETURNING id::text",
    [`doc ${Math.random()}`, language],
  );
  return rows[0]?.id as string;
}

function makeChunks(texts: string[]): Chunk[] {
  return texts.map((text, ord) => ({
    ord,
    kind: ord % 2 ? "faq" : "text",
    text,
    tokens: 7,
    page: ord % 2 ? null : 3,
    section: ord ? "A > B" : null,
  }));
}

beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool);
  await createTenant(db.pool, "acme", "Acme");
});
afterAll(() => db?.close());

describe("insertChunks", () => {
  it("stores chunks with their vector, model, text-search config and, for CJK text, n-grams", async () => {
    const documentId = await createDocument("es");
    const texts = ["Las devoluciones son gratuitas.", "退货政策 refund"];
    const embeddings = await embedder.embed(texts);
    const n = await insertChunks(db.pool, {
      tenantId: "acme",
      documentId,
      language: "es",
      chunks: makeChunks(texts),
      embeddings,
      model: embedder.model,
    });
    expect(n).toBe(2);
    const { rows } = await db.pool.query(
      `SELECT ord, kind, text, section, page, tokens, language, ts_config::text AS cfg, tsv::text AS tsv, ngrams::text AS ngrams,
              embedding::text AS embedding, embedding_model, embedding_dims
       FROM knowledge_chunks WHERE document_id = $1 ORDER BY ord`,
      [documentId],
    );
    expect(rows[0]).toMatchObject({
      ord: 0,
      kind: "text",
      section: null,
      page: 3,
      tokens: 7,
      language: "es",
      cfg: "spanish",
      ngrams: null,
    });
    expect(rows[0].tsv).toContain("'devolu");
    expect(rows[1]).toMatchObject({
      ord: 1,
      kind: "faq",
      section: "A > B",
      page: null,
      embedding_model: "offline-hash-v1",
      embedding_dims: 1536,
    });
    expect(rows[1].ngrams).toContain("'退货'");
    const stored = JSON.parse(rows[1].embedding) as number[];
    for (const [i, x] of stored.entries()) expect(x).toBeCloseTo(embeddings[1]?.[i] ?? Number.NaN, 6);
  });

  it("inserts more rows than one statement holds, and deleteChunks removes them all", async () => {
    const documentId = await createDocument(null);
    const texts = Array.from({ length: 230 }, (_, i) => `chunk number ${i}`);
    const chunks = makeChunks(texts);
    const n = await insertChunks(db.pool, {
      tenantId: "acme",
      documentId,
      language: null,
      chunks,
      embeddings: await embedder.embed(texts),
      model: "m",
    });
    expect(n).toBe(230);
    const { rows } = await db.pool.query(
      "SELECT count(DISTINCT ord)::int AS n, min(ts_config::text) AS cfg FROM knowledge_chunks WHERE document_id = $1",
      [documentId],
    );
    expect(rows[0]).toEqual({ n: 230, cfg: "simple" });
    expect(await deleteChunks(db.pool, documentId)).toBe(230);
    expect(await deleteChunks(db.pool, documentId)).toBe(0);
  });

  it("rejects a count mismatch and vectors of the wrong size before writing", async () => {
    const documentId = await createDocument("en");
    const base = { tenantId: "acme", documentId, language: "en", chunks: makeChunks(["a", "b"]), model: "m" };
    await expect(insertChunks(db.pool, { ...base, embeddings: await embedder.embed(["a"]) })).rejects.toThrow(/2 chunks but 1 embeddings/);
    const small = await createOfflineEmbedder({ dimensions: 8 }).embed(["a", "b"]);
    await expect(insertChunks(db.pool, { ...base, embeddings: small })).rejects.toThrow(/1536-dimension/);
    const nan = (await embedder.embed(["a", "b"])).map((v) => v.map(() => Number.NaN));
    await expect(insertChunks(db.pool, { ...base, embeddings: nan })).rejects.toThrow(/non-finite/);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM knowledge_chunks WHERE document_id = $1", [documentId]);
    expect(rows[0].n).toBe(0);
  });
});
