/**
 * The hybrid-search behaviour suite, shared by the PGlite unit test and the PostgreSQL integration test so both
 * engines are held to the same checks. Seeds two tenants with documents in English, Spanish and Chinese.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { createTenant } from "../../tenants/tenant-store.ts";
import { createOfflineEmbedder } from "../embed/offline-embedder.ts";
import type { Embedder, SearchHit } from "../types.ts";
import { insertChunks } from "./chunk-store.ts";
import { type SearchOptions, searchKnowledge } from "./hybrid-search.ts";
import { TEXT_SEARCH_CONFIGS } from "./language.ts";

type SeedDoc = { tenantId: string; title: string; language: string | null; tags: string[]; status: string; texts: string[] };

/** Inserts a document row and its embedded chunks; returns the document id. */
export async function seedDocument(pool: pg.Pool, embedder: Embedder, doc: SeedDoc): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO knowledge_documents (tenant_id, title, content_hash, tags, language, status)
     VALUES ($1, $2, md5($2), $3, $4, $5) RETURNING id::text`,
    [doc.tenantId, doc.title, doc.tags, doc.language, doc.status],
  );
  const documentId = rows[0]?.id as string;
  const chunks = doc.texts.map((text, ord) => ({ ord, kind: "text" as const, text, tokens: text.length, page: 1, section: doc.title }));
  const embeddings = await embedder.embed(doc.texts);
  await insertChunks(pool, { tenantId: doc.tenantId, documentId, language: doc.language, chunks, embeddings, model: embedder.model });
  return documentId;
}

const REFUNDS = "Refunds: items can be returned within 30 days of delivery for a full refund to the original payment method.";
const SHIPPING = "Shipping: standard delivery takes three to five business days. Express shipping arrives the next day.";
const HOURS_ES = "Nuestras tiendas abren de lunes a viernes de 9 a 18 horas. Los sábados cerramos a las 14.";
const RETURNS_ES = "Las devoluciones se aceptan durante treinta días con el ticket de compra.";
const RETURNS_ZH = "我们提供三十天无理由退货服务，退款将在七个工作日内退回原支付方式。";
const POINTS_ZH = "会员积分可以在下次购物时抵扣现金。";
const DRAFT = "Warranty: electronics carry a two-year warranty against manufacturing defects.";
const SECRET = "Globex wholesale pricing: the warranty discount code is GLOBEX-SECRET-42.";

/** Registers the suite against databases made by `open` (a fresh, empty one). */
export function describeHybridSearch(engine: string, open: () => Promise<Database>): void {
  describe(`hybrid search (${engine})`, () => {
    let db: Database;
    let draftId: string;
    const embedder = createOfflineEmbedder();
    const search = (q: Partial<SearchOptions> & { query: string }): Promise<SearchHit[]> =>
      searchKnowledge(db.pool, embedder, { tenantId: "acme", k: 5, ...q });

    beforeAll(async () => {
      db = await open();
      await migrate(db.pool);
      await createTenant(db.pool, "acme", "Acme");
      await createTenant(db.pool, "globex", "Globex");
      const seed = (doc: Omit<SeedDoc, "tenantId" | "status"> & Partial<SeedDoc>) =>
        seedDocument(db.pool, embedder, { tenantId: "acme", status: "ready", ...doc });
      await seed({ title: "Returns policy", language: "en", tags: ["policy"], texts: [REFUNDS, SHIPPING] });
      await seed({ title: "Horario", language: "es", tags: ["store"], texts: [HOURS_ES, RETURNS_ES] });
      await seed({ title: "退货政策", language: "zh", tags: ["policy"], texts: [RETURNS_ZH, POINTS_ZH] });
      draftId = await seed({ title: "Warranty", language: "en", tags: [], status: "processing", texts: [DRAFT] });
      await seed({ tenantId: "globex", title: "Pricing", language: "en", tags: [], texts: [SECRET] });
    });
    afterAll(() => db?.close());

    it("has every text-search configuration the language map can pick", async () => {
      const { rows } = await db.pool.query<{ cfgname: string }>("SELECT cfgname::text FROM pg_ts_config");
      const present = new Set(rows.map((r) => r.cfgname));
      expect(TEXT_SEARCH_CONFIGS.filter((c) => !present.has(c))).toEqual([]);
    });

    it("finds a chunk by keyword, first in both legs", async () => {
      const [top] = await search({ query: "How long does express shipping take?", language: "en" });
      expect(top?.text).toBe(SHIPPING);
      expect(top).toMatchObject({ title: "Returns policy", section: "Returns policy", page: 1, keywordRank: 1 });
    });

    it("finds a chunk by a paraphrase sharing few words", async () => {
      const [top] = await search({ query: "Is it possible to get my money refunded?", language: "en" });
      expect(top?.text).toBe(REFUNDS);
    });

    it("stems Spanish with the spanish configuration", async () => {
      const hits = await search({ query: "¿La tienda está abierta el sábado?", language: "es" });
      expect(hits[0]?.text).toBe(HOURS_ES);
      expect(hits[0]?.keywordRank).toBe(1);
      // Without the language, 'simple' sees "tienda" ≠ "tiendas": only the stemmer makes the keyword match.
      const unstemmed = await search({ query: "¿La tienda está abierta el sábado?" });
      expect(unstemmed.find((h) => h.text === HOURS_ES)?.keywordRank ?? null).toBeNull();
    });

    it("finds Chinese text written without spaces through character n-grams", async () => {
      const hits = await search({ query: "怎么退款", language: "zh" });
      expect(hits[0]?.text).toBe(RETURNS_ZH);
      expect(hits[0]?.keywordRank).toBe(1);
      expect(hits.find((h) => h.text === POINTS_ZH)?.keywordRank ?? null).toBeNull();
    });

    it("matches keywords in OR mode: one known word among unknown ones is enough", async () => {
      const hits = await search({ query: "refund zebra unicorn spaceship", language: "en" });
      expect(hits[0]?.text).toBe(REFUNDS);
      expect(hits[0]?.keywordRank).toBe(1);
    });

    it("never shows one tenant's chunks to another", async () => {
      const query = "GLOBEX-SECRET-42 wholesale pricing warranty discount code";
      const acme = await search({ query, k: 20 });
      expect(acme.length).toBeGreaterThan(0);
      expect(acme.some((h) => h.text.includes("GLOBEX"))).toBe(false);
      const globex = await search({ query, tenantId: "globex" });
      expect(globex.map((h) => h.text)).toEqual([SECRET]);
    });

    it("hides chunks of documents that are not ready", async () => {
      const query = "electronics warranty manufacturing defects";
      expect((await search({ query, k: 20 })).some((h) => h.text === DRAFT)).toBe(false);
      await db.pool.query("UPDATE knowledge_documents SET status = 'ready' WHERE id = $1", [draftId]);
      try {
        expect((await search({ query }))[0]?.text).toBe(DRAFT);
      } finally {
        await db.pool.query("UPDATE knowledge_documents SET status = 'processing' WHERE id = $1", [draftId]);
      }
    });

    it("filters by tags and, on request, by language", async () => {
      const store = await search({ query: "refund returns policy", tags: ["store"], k: 10 });
      expect(store.map((h) => h.title)).toEqual(["Horario", "Horario"]);
      const policy = await search({ query: "refund", tags: ["policy", "nope"], k: 10 });
      expect(new Set(policy.map((h) => h.title))).toEqual(new Set(["Returns policy", "退货政策"]));
      const spanishOnly = await search({ query: "refund", language: "es-MX", filterLanguage: true, k: 10 });
      expect(new Set(spanishOnly.map((h) => h.text))).toEqual(new Set([HOURS_ES, RETURNS_ES]));
    });

    it("returns at most k hits with scores in [0, 1], in descending order", async () => {
      const hits = await search({ query: "refund shipping tiendas 退款", k: 4 });
      expect(hits).toHaveLength(4);
      for (const h of hits) {
        expect(h.score).toBeGreaterThan(0);
        expect(h.score).toBeLessThanOrEqual(1);
      }
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      const [top] = await search({ query: "Express shipping takes three to five business days", language: "en" });
      expect(top?.score).toBe(1);
    });

    it("returns [] for a blank query and survives stop words and punctuation only", async () => {
      expect(await search({ query: "   \n" })).toEqual([]);
      const stop = await search({ query: "the of and", language: "en" });
      expect(stop.every((h) => h.keywordRank === null)).toBe(true);
      await expect(search({ query: "?! …", language: "en" })).resolves.toBeInstanceOf(Array);
    });

    it("weights rare words above common ones (BM25 IDF), however often the common word repeats", async () => {
      await createTenant(db.pool, "idf", "IDF");
      const filler = Array.from({ length: 8 }, (_, i) => `Order ${i}: your order is an order like any order, order after order.`);
      const invoice = "Invoices: a copy of the invoice for an order is in the account page.";
      await seedDocument(db.pool, embedder, {
        tenantId: "idf",
        title: "Orders",
        language: "en",
        tags: [],
        status: "ready",
        texts: [...filler, invoice],
      });
      const hits = await searchKnowledge(db.pool, embedder, { tenantId: "idf", query: "invoice for my order", k: 10, language: "en" });
      const byKeyword = hits.filter((h) => h.keywordRank !== null).sort((a, b) => (a.keywordRank ?? 0) - (b.keywordRank ?? 0));
      expect(byKeyword[0]?.text).toBe(invoice);
    });

    it("keeps the term statistics in step with inserts and with deletes by any path", async () => {
      await createTenant(db.pool, "stats", "Stats");
      const stats = async () => {
        const { rows } = await db.pool.query(
          `SELECT (SELECT chunks FROM knowledge_stats WHERE tenant_id = 'stats')::int AS chunks,
                  (SELECT df FROM knowledge_terms WHERE tenant_id = 'stats' AND term = 'parcel') AS parcel,
                  (SELECT count(*) FROM knowledge_postings WHERE tenant_id = 'stats')::int AS postings`,
        );
        return rows[0];
      };
      const texts = ["Parcel lockers hold a parcel for five days.", "Every parcel is insured.", "Gift wrapping is free."];
      const doc = await seedDocument(db.pool, embedder, {
        tenantId: "stats",
        title: "Parcels",
        language: "en",
        tags: [],
        status: "ready",
        texts,
      });
      const before = await stats();
      expect(before).toMatchObject({ chunks: 3, parcel: 2 });
      expect(before?.postings).toBeGreaterThan(5);
      // Another tenant's identical text leaves this tenant's counts alone.
      await seedDocument(db.pool, embedder, { tenantId: "globex", title: "Parcels", language: "en", tags: [], status: "ready", texts });
      expect(await stats()).toEqual(before);
      // Deleting the document cascades to its chunks; the triggers take their terms out.
      await db.pool.query("DELETE FROM knowledge_documents WHERE id = $1", [doc]);
      expect(await stats()).toEqual({ chunks: 0, parcel: null, postings: 0 });
      expect((await searchKnowledge(db.pool, embedder, { tenantId: "stats", query: "parcel", k: 5 })).length).toBe(0);
    });

    it("compares vectors only with the same embedding model", async () => {
      const other: Embedder = { ...embedder, model: "another-model", embed: (t) => embedder.embed(t) };
      const hits = await searchKnowledge(db.pool, other, { tenantId: "acme", query: "express shipping", k: 5 });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => h.vectorRank === null)).toBe(true);
    });
  });
}
