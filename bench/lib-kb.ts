/**
 * Loads benchmark corpora the way ingestion stores them: one `knowledge_documents` row marked ready per source
 * document, chunked by `chunkDocument`, embedded (in batches across documents) and written by `insertChunks`.
 */
import { createHash } from "node:crypto";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from "../knowledge/chunk/chunk-document.ts";
import { parseDocument } from "../knowledge/parse/parse-document.ts";
import { insertChunks } from "../knowledge/store/chunk-store.ts";
import type { Chunk, ChunkOptions, Embedder, ParsedDocument } from "../knowledge/types.ts";
import type { Database } from "../lib/db.ts";
import { BENCH_TENANT } from "./lib-bench-db.ts";

/** A source document of a benchmark corpus; `key` is the dataset's own id for it. */
export type SourceDoc = { key: string; title: string; text: string; tags?: string[]; filename?: string };

/** A chunk as stored, with the dataset key of the document it came from (for the BM25 baseline and gold mapping). */
export type StoredChunk = { documentId: string; docKey: string; text: string };

export type LoadedCorpus = {
  chunks: StoredChunk[];
  docKeyById: Map<string, string>;
  docTagsById: Map<string, string[]>;
  /** Documents the parser rejected or that gave no chunks. */
  skipped: number;
  seconds: number;
};

/**
 * A document with a filename goes through `parseDocument`; a bare snippet (a sentence, a review) becomes one
 * paragraph block directly, so the retrieval numbers do not depend on the plain-text parser's heading heuristics.
 */
async function toParsedDocument(doc: SourceDoc): Promise<ParsedDocument | undefined> {
  if (!doc.filename) {
    return { type: "text", pages: 1, title: doc.title, blocks: [{ kind: "paragraph", text: doc.text, page: null, sectionPath: [] }] };
  }
  const parsed = await parseDocument(new TextEncoder().encode(doc.text), { filename: doc.filename });
  return parsed.ok ? parsed.doc : undefined;
}

/** Inserts a ready `knowledge_documents` row (the bench skips the upload/ingest lifecycle). */
export async function insertReadyDocument(
  db: Database,
  doc: { title: string; language?: string | undefined; tags?: string[] | undefined; sourceType: string; pages: number; chunks: number },
): Promise<string> {
  const hash = createHash("sha256").update(doc.title).digest("hex");
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO knowledge_documents (tenant_id, title, source_type, content_hash, tags, language, status, pages, chunks, ready_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'ready', $7, $8, now()) RETURNING id`,
    [BENCH_TENANT, doc.title, doc.sourceType, hash, doc.tags ?? [], doc.language ?? null, doc.pages, doc.chunks],
  );
  return String(rows[0]?.id);
}

/** Chunks, embeds (in batches across documents) and stores a corpus; returns what was stored. */
export async function loadCorpus(
  db: Database,
  embedder: Embedder,
  docs: SourceDoc[],
  language?: string,
  chunkOptions: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): Promise<LoadedCorpus> {
  const started = performance.now();
  const out: LoadedCorpus = { chunks: [], docKeyById: new Map(), docTagsById: new Map(), skipped: 0, seconds: 0 };
  const BATCH = 64;
  let pending: { doc: SourceDoc; chunks: Chunk[] }[] = [];
  let pendingChunks = 0;
  const titles = new Set<string>();
  const flush = async () => {
    const texts = pending.flatMap((p) => p.chunks.map((c) => c.text));
    const vectors = texts.length > 0 ? await embedder.embed(texts) : [];
    let at = 0;
    for (const { doc, chunks } of pending) {
      const embeddings = vectors.slice(at, at + chunks.length);
      at += chunks.length;
      // At most one ready document per title (unique index): datasets repeat titles, so number the repeats.
      let title = doc.title;
      for (let n = 2; titles.has(title); n++) title = `${doc.title} (${n})`;
      titles.add(title);
      const documentId = await insertReadyDocument(db, {
        title,
        language,
        tags: doc.tags,
        sourceType: "text",
        pages: 1,
        chunks: chunks.length,
      });
      await insertChunks(db.pool, { tenantId: BENCH_TENANT, documentId, language, chunks, embeddings, model: embedder.model });
      out.docKeyById.set(documentId, doc.key);
      out.docTagsById.set(documentId, doc.tags ?? []);
      for (const c of chunks) out.chunks.push({ documentId, docKey: doc.key, text: c.text });
    }
    pending = [];
    pendingChunks = 0;
  };
  for (const doc of docs) {
    const parsed = await toParsedDocument(doc);
    const chunks = parsed ? chunkDocument(parsed, chunkOptions) : [];
    if (chunks.length === 0) {
      out.skipped++;
      continue;
    }
    pending.push({ doc, chunks });
    pendingChunks += chunks.length;
    if (pendingChunks >= BATCH) await flush();
  }
  await flush();
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
