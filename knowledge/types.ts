/**
 * The knowledge base's contracts: what parsing produces, what chunking produces, the `Embedder` port, and what a
 * search returns. Parsing (`parse/`), chunking (`chunk/`), embedding (`embed/`), storage and retrieval (`store/`)
 * and ingestion (`ingest/`) are built against these.
 */

export const SOURCE_TYPES = ["pdf", "markdown", "text", "html", "faq_csv", "faq_json"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** A structural unit of a document, in reading order. */
export type Block = {
  kind: "heading" | "paragraph" | "list_item" | "table" | "faq";
  text: string;
  /** Heading level (1 = top). */
  level?: number;
  /** 1-based page number for paged sources (PDF), else null. */
  page: number | null;
  /** Headings this block sits under, outermost first. */
  sectionPath: string[];
  /** For FAQ pairs: kept whole, never split. */
  question?: string;
  answer?: string;
};

export type ParsedDocument = { type: SourceType; pages: number; blocks: Block[]; title?: string | undefined };

export type ParseFailure = {
  ok: false;
  code: "scanned_pdf" | "encrypted_pdf" | "corrupt_file" | "unsupported_type" | "empty";
  message: string;
};
export type ParseResult = { ok: true; doc: ParsedDocument } | ParseFailure;

export type Chunk = {
  ord: number;
  kind: "text" | "faq";
  text: string;
  tokens: number;
  page: number | null;
  /** "Heading > Subheading", or null at top level. */
  section: string | null;
};

export type ChunkOptions = { maxTokens: number; overlapTokens: number };

/** Turns texts into vectors. Every vector stored records the model name and dimension it came from. */
export type Embedder = {
  readonly model: string;
  readonly dimensions: number;
  /**
   * Weight of this embedder's vector leg against the keyword leg (weight 1) in rank fusion; default 1. A lexical
   * embedder (the offline one) repeats what the keywords already say, only worse, so it votes with less weight.
   */
  readonly fusionWeight?: number;
  embed(texts: string[]): Promise<number[][]>;
};

export type SearchHit = {
  chunkId: string;
  documentId: string;
  title: string;
  text: string;
  page: number | null;
  section: string | null;
  /** Fused rank score in [0, 1] (1 = first in both legs): orders the hits, but says nothing across queries. */
  score: number;
  /**
   * Cosine similarity of the chunk to the query with the same embedding model: comparable across queries, so this is
   * what the agent thresholds to decide that nothing relevant was found. Null for chunks of another model.
   */
  similarity: number | null;
  vectorRank: number | null;
  keywordRank: number | null;
};

export type SearchQuery = {
  tenantId: string;
  query: string;
  k: number;
  tags?: string[] | undefined;
  language?: string | undefined;
};
