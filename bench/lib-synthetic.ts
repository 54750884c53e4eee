/**
 * Synthetic knowledge-base corpora for the scale benchmark: ready documents of 100 chunks each, chunk text drawn
 * from a Zipf-distributed pseudo-word vocabulary (so words have realistic document frequencies) and embeddings that
 * are random unit vectors generated inside the database (Gaussian via Box-Muller, then l2_normalize), so loading
 * 100k × 1536 dimensions does not ship 1.5 GB of vector text over the socket. Rows go in as multi-row INSERTs of
 * `batch` rows (the triggers of migrations/004 fill the BM25 postings as they go). The HNSW index and the postings
 * indexes are dropped before loading and rebuilt after (same definitions, read from pg_indexes), which is much
 * faster than maintaining them row by row; a VACUUM then sets the visibility map, as autovacuum would in service,
 * so postings are read by index-only scans.
 */

import { OFFLINE_EMBEDDER_MODEL } from "../knowledge/embed/offline-embedder.ts";
import type { Database } from "../lib/db.ts";
import { createRandom } from "../lib/random.ts";
import { BENCH_TENANT } from "./lib-bench-db.ts";

const VOCABULARY = 20_000;
const WORDS_PER_CHUNK = 80;
const CHUNKS_PER_DOCUMENT = 100;
const SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "du", "sha", "tor", "len", "bri", "qua", "zen"];

/** Pseudo-word i of the vocabulary (distinct for distinct i). */
function word(i: number): string {
  let s = "";
  let n = i + SYLLABLES.length;
  while (n > 0) {
    s += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return s;
}

/** Samples vocabulary ranks with P(rank r) ∝ 1/r (Zipf, s = 1), by inverting the harmonic CDF approximately. */
export function createZipfSampler(random: () => number, size = VOCABULARY): () => number {
  const hN = Math.log(size) + 0.5772;
  return () => Math.min(size - 1, Math.floor(Math.exp(random() * hN - 0.5772)));
}

export function syntheticText(random: () => number, zipf: () => number, words = WORDS_PER_CHUNK): string {
  return Array.from({ length: words }, () => word(zipf())).join(" ") + (random() < 0.5 ? "." : "");
}

/** A query of 3–5 mid-frequency words (ranks 20–5,000), the kind of content words a question carries. */
export function syntheticQuery(random: () => number): string {
  const n = 3 + Math.floor(random() * 3);
  return Array.from({ length: n }, () => word(20 + Math.floor(Math.exp(random() * Math.log(5_000 - 20))))).join(" ");
}

export type LoadReport = { rows: number; documents: number; loadSeconds: number; indexSeconds: number; complete: boolean };

/** Loads `total` chunks (stopping early past `budgetSeconds`), then rebuilds the dropped indexes. */
export async function loadSyntheticCorpus(
  db: Database,
  total: number,
  opts: { batch: number; budgetSeconds: number; seed: number },
): Promise<LoadReport> {
  const { pool } = db;
  const random = createRandom(opts.seed);
  const zipf = createZipfSampler(random);
  const { rows: defs } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE (tablename = 'knowledge_chunks' AND indexdef ~ 'USING (hnsw|gin)') OR tablename = 'knowledge_postings'`,
  );
  for (const d of defs) await pool.query(`DROP INDEX ${d.indexname}`);
  const documents = Math.ceil(total / CHUNKS_PER_DOCUMENT);
  await pool.query(
    `INSERT INTO knowledge_documents (tenant_id, title, content_hash, language, status, pages, chunks, ready_at)
     SELECT $1, 'Synthetic document ' || g, md5(g::text), 'en', 'ready', 1, $2, now() FROM generate_series(1, $3) g`,
    [BENCH_TENANT, CHUNKS_PER_DOCUMENT, documents],
  );
  const { rows: docRows } = await pool.query<{ id: string }>("SELECT id::text FROM knowledge_documents WHERE tenant_id = $1 ORDER BY id", [
    BENCH_TENANT,
  ]);
  const started = performance.now();
  let rows = 0;
  while (rows < total && (performance.now() - started) / 1000 < opts.budgetSeconds) {
    const n = Math.min(opts.batch, total - rows);
    const ords = Array.from({ length: n }, (_, i) => rows + i);
    await pool.query(
      `INSERT INTO knowledge_chunks (tenant_id, document_id, ord, kind, text, tokens, language, ts_config, embedding, embedding_model, embedding_dims)
       SELECT $1, ($2::bigint[])[r.n / ${CHUNKS_PER_DOCUMENT} + 1], r.n % ${CHUNKS_PER_DOCUMENT}, 'text', r.text, ${WORDS_PER_CHUNK * 2}, 'en', 'english',
              l2_normalize(ARRAY(SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) + 0 * r.n
                                 FROM generate_series(1, 1536))::vector),
              $3, 1536
       FROM unnest($4::int[], $5::text[]) AS r (n, text)`,
      [BENCH_TENANT, docRows.map((d) => d.id), OFFLINE_EMBEDDER_MODEL, ords, ords.map(() => syntheticText(random, zipf))],
    );
    rows += n;
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const indexStarted = performance.now();
  const client = await pool.connect();
  try {
    // Room for the HNSW graph in memory (otherwise pgvector builds far slower once it no longer fits).
    if (db.mode === "server") await client.query("SET maintenance_work_mem = '2GB'");
    for (const d of defs) await client.query(d.indexdef);
    await client.query("VACUUM ANALYZE knowledge_chunks");
    await client.query("VACUUM ANALYZE knowledge_postings");
    await client.query("ANALYZE knowledge_terms");
    await client.query("ANALYZE knowledge_documents");
  } finally {
    client.release();
  }
  return { rows, documents, loadSeconds, indexSeconds: (performance.now() - indexStarted) / 1000, complete: rows === total };
}
