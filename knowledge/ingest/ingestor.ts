/**
 * The ingestion job: takes documents waiting in `processing`, parses them page by page, chunks them along their
 * structure, embeds the chunks in batches and stores them, reporting progress on the document as it goes. The
 * chunks stay invisible until the document is made ready (search only reads ready documents), so a half-ingested
 * version never answers a question. A crash leaves the document leased; it is taken again after the lease and
 * starts over. Parsing failures (scanned, encrypted, corrupt) end that document `failed`; others are unaffected.
 */
import type pg from "pg";
import type { Logger } from "../../lib/logger.ts";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from "../chunk/chunk-document.ts";
import { parseDocument } from "../parse/parse-document.ts";
import { deleteChunks, insertChunks } from "../store/chunk-store.ts";
import type { ChunkOptions, Embedder } from "../types.ts";
import { type ClaimedDocument, claimDocument, completeDocument, failDocument, setProgress } from "./document-store.ts";

export type IngestProgress = {
  documentId: string;
  title: string;
  stage: string;
  pages?: number;
  chunksEmbedded?: number;
  chunksTotal?: number;
};

export type IngestorOptions = {
  pool: pg.Pool;
  embedder: Embedder;
  logger: Logger;
  chunkOptions?: ChunkOptions;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  onProgress?: (p: IngestProgress) => void;
};

export type Ingestor = {
  /** Ingests documents until none is waiting; returns how many it finished (ready or failed). */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  wake(): void;
};

export function createIngestor(opts: IngestorOptions): Ingestor {
  const { pool, embedder, logger } = opts;
  const batchSize = opts.batchSize ?? 64;
  const maxAttempts = opts.maxAttempts ?? 3;
  let running = false;
  let busy: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function ingest(doc: ClaimedDocument): Promise<void> {
    const report = (p: Omit<IngestProgress, "documentId" | "title">) => {
      opts.onProgress?.({ documentId: doc.id, title: doc.title, ...p });
      return setProgress(pool, doc.id, p);
    };
    if (doc.attempts > maxAttempts) {
      await failDocument(pool, doc.id, `ingestion did not complete after ${maxAttempts} attempts`);
      return;
    }
    await deleteChunks(pool, doc.id); // a previous attempt may have stopped half-way
    await report({ stage: "parsing" });
    const parsed = await parseDocument(doc.bytes, { filename: doc.filename ?? undefined });
    if (!parsed.ok) {
      logger.warn({ documentId: doc.id, code: parsed.code }, "document could not be ingested");
      await failDocument(pool, doc.id, parsed.message);
      return;
    }
    const chunks = chunkDocument(parsed.doc, opts.chunkOptions ?? DEFAULT_CHUNK_OPTIONS);
    if (chunks.length === 0) {
      await failDocument(pool, doc.id, "The document has no text to learn from.");
      return;
    }
    await report({ stage: "embedding", pages: parsed.doc.pages, chunksEmbedded: 0, chunksTotal: chunks.length });
    for (let i = 0; i < chunks.length; i += batchSize) {
      const batch = chunks.slice(i, i + batchSize);
      const embeddings = await embedder.embed(batch.map((c) => c.text));
      await insertChunks(pool, {
        tenantId: doc.tenantId,
        documentId: doc.id,
        language: doc.language ?? undefined,
        chunks: batch,
        embeddings,
        model: embedder.model,
      });
      await report({ stage: "embedding", pages: parsed.doc.pages, chunksEmbedded: i + batch.length, chunksTotal: chunks.length });
    }
    await completeDocument(pool, doc.id, { pages: parsed.doc.pages, chunks: chunks.length });
    opts.onProgress?.({
      documentId: doc.id,
      title: doc.title,
      stage: "done",
      pages: parsed.doc.pages,
      chunksEmbedded: chunks.length,
      chunksTotal: chunks.length,
    });
  }

  async function drainOnce(): Promise<number> {
    let done = 0;
    for (;;) {
      const doc = await claimDocument(pool, opts.leaseMs ?? 10 * 60_000);
      if (!doc) return done;
      try {
        await ingest(doc);
      } catch (err) {
        // Unexpected (embedder or database down): leave it leased; it is retried after the lease.
        logger.error({ err, documentId: doc.id }, "ingestion failed unexpectedly; will retry");
        await pool
          .query("UPDATE knowledge_documents SET locked_until = now() + interval '30 seconds' WHERE id = $1", [doc.id])
          .catch(() => undefined);
        return done;
      }
      done++;
    }
  }

  function drain(): Promise<number> {
    busy ??= drainOnce().finally(() => {
      busy = undefined;
    });
    return busy;
  }

  return {
    drain,
    start() {
      if (running) return;
      running = true;
      const tick = () => {
        if (!running) return;
        void drain()
          .catch((err: unknown) => logger.error({ err }, "ingestion loop failed"))
          .finally(() => {
            if (running) timer = setTimeout(tick, opts.pollMs ?? 1000);
          });
      };
      tick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await busy;
    },
    wake() {
      if (running) void drain();
    },
  };
}
