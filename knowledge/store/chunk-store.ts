/**
 * Owns writes to `knowledge_chunks`: a document's chunks with their embeddings, their language's text-search
 * configuration (the `tsv` column is generated from it) and, for Han/Kana/Thai/Hangul text, character n-grams.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors.ts";
import type { Chunk } from "../types.ts";
import { hasNgramScript, resolveTextSearchConfig, toNgramText } from "./language.ts";

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, "query">;

/** The dimension of the `embedding vector(1536)` column (migrations/003_knowledge.sql). */
export const STORED_DIMENSIONS = 1536;

// Rows per INSERT: a 1536-dim vector is ~15 kB of text, so this keeps one statement's parameters near 1.5 MB.
const ROWS_PER_STATEMENT = 100;

export type InsertChunksInput = {
  tenantId: string;
  documentId: string;
  /** Language code of the document ("es", "pt-BR"); null or unknown → the 'simple' configuration. */
  language: string | null | undefined;
  chunks: Chunk[];
  /** One vector per chunk, in the same order. */
  embeddings: number[][];
  /** The embedding model's name, stored so search only compares vectors from the same model. */
  model: string;
};

/**
 * Inserts a document's chunks with multi-row INSERTs. Run it in the transaction that marks the document ready
 * (more than 100 chunks take several statements). Returns the number of rows inserted.
 */
export async function insertChunks(db: Queryable, input: InsertChunksInput): Promise<number> {
  const { chunks, embeddings } = input;
  if (chunks.length !== embeddings.length) {
    throw new AppError("internal", `${chunks.length} chunks but ${embeddings.length} embeddings for document ${input.documentId}`);
  }
  const badVector = embeddings.findIndex((v) => v.length !== STORED_DIMENSIONS || v.some((x) => !Number.isFinite(x)));
  if (badVector !== -1) {
    throw new AppError(
      "internal",
      `embedding ${badVector} of document ${input.documentId} has ${embeddings[badVector]?.length} dimensions or a non-finite value; ` +
        `the store holds ${STORED_DIMENSIONS}-dimension vectors`,
    );
  }
  const tsConfig = resolveTextSearchConfig(input.language);
  let inserted = 0;
  for (let start = 0; start < chunks.length; start += ROWS_PER_STATEMENT) {
    const rows = chunks.slice(start, start + ROWS_PER_STATEMENT);
    const vectors = embeddings.slice(start, start + ROWS_PER_STATEMENT);
    const result = await db.query(
      `INSERT INTO knowledge_chunks
         (tenant_id, document_id, ord, kind, text, section, page, tokens, language, ts_config, ngrams,
          embedding, embedding_model, embedding_dims)
       SELECT $1, $2::bigint, r.ord, r.kind, r.text, r.section, r.page, r.tokens, $3, $4::regconfig,
              CASE WHEN r.ngram_text IS NULL THEN NULL ELSE to_tsvector('simple', r.ngram_text) END,
              r.embedding::vector, $5, $6
       FROM unnest($7::int[], $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::text[], $14::text[])
         AS r (ord, kind, text, section, page, tokens, ngram_text, embedding)`,
      [
        input.tenantId,
        input.documentId,
        input.language ?? null,
        tsConfig,
        input.model,
        STORED_DIMENSIONS,
        rows.map((c) => c.ord),
        rows.map((c) => c.kind),
        rows.map((c) => c.text),
        rows.map((c) => c.section),
        rows.map((c) => c.page),
        rows.map((c) => c.tokens),
        rows.map((c) => (hasNgramScript(c.text) ? toNgramText(c.text) : null)),
        // pgvector's text form is JSON's: "[0.1,0.2,...]".
        vectors.map((v) => JSON.stringify(v)),
      ],
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/** Deletes every chunk of a document; returns how many were deleted. */
export async function deleteChunks(db: Queryable, documentId: string): Promise<number> {
  const result = await db.query("DELETE FROM knowledge_chunks WHERE document_id = $1", [documentId]);
  return result.rowCount ?? 0;
}
