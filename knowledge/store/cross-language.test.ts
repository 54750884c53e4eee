import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { openMemoryDatabase } from "../../lib/testing/test-db.ts";
import { ensureDefaultTenant } from "../../tenants/tenant-store.ts";
import { createOfflineEmbedder } from "../embed/offline-embedder.ts";
import { insertChunks } from "./chunk-store.ts";
import { type QueryTranslator, searchAcrossLanguages } from "./cross-language.ts";

let db: Database;
const embedder = createOfflineEmbedder();
beforeAll(async () => {
  db = await openMemoryDatabase();
  await migrate(db.pool);
  await ensureDefaultTenant(db.pool, "555");
  const { rows } = await db.pool.query(
    "INSERT INTO knowledge_documents (tenant_id, title, content_hash, status, language) VALUES ('default', 'Warranty', 'h', 'ready', 'en') RETURNING id::text",
  );
  const texts = [
    "Warranty: every board is covered for two years against manufacturing defects.",
    "Shipping: orders leave the warehouse within 24 hours.",
  ];
  await insertChunks(db.pool, {
    tenantId: "default",
    documentId: rows[0].id,
    language: "en",
    chunks: texts.map((text, ord) => ({ ord, kind: "text" as const, text, tokens: 15, page: 1, section: null })),
    embeddings: await embedder.embed(texts),
    model: embedder.model,
  });
});
afterAll(async () => {
  await db.close();
});

const query = { tenantId: "default", query: "¿Cuánto dura la garantía de la placa?", k: 2, language: "es" };

describe("searchAcrossLanguages", () => {
  it("finds an English document for a Spanish question through the translation", async () => {
    const calls: string[][] = [];
    const translator: QueryTranslator = {
      async translate(_q, languages) {
        calls.push(languages);
        return languages.map(() => "How long is the board warranty?");
      },
    };
    const hits = await searchAcrossLanguages(db.pool, embedder, translator, query);
    expect(calls).toEqual([["en"]]);
    expect(hits[0]?.text).toMatch(/Warranty/);
    // The translated query is much closer to the English chunk than the Spanish original is.
    const original = (await searchAcrossLanguages(db.pool, embedder, undefined, query)).find((h) => /Warranty/.test(h.text));
    expect(hits[0]?.similarity ?? 0).toBeGreaterThan((original?.similarity ?? 0) + 0.1);
  });

  it("falls back to the original query when the translator fails, and without a translator", async () => {
    const broken: QueryTranslator = { translate: async () => Promise.reject(new Error("LLM down")) };
    expect((await searchAcrossLanguages(db.pool, embedder, broken, query)).length).toBeGreaterThan(0);
    expect((await searchAcrossLanguages(db.pool, embedder, undefined, query)).length).toBeGreaterThan(0);
  });
});
