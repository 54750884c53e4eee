/**
 * `npm run bench:ingest`: ingestion speed in pages per second for the two text-layer manuals in
 * ../shared/benchmarks/product-manual-pdfs/text_layer/ (read in place), with the offline embedder on an in-memory
 * PGlite: parse (parseDocument) + chunk (chunkDocument) + embed (batches of 64, as the ingestor does) + insert
 * (the document row and insertChunks). Each manual is ingested BENCH_INGEST_ROUNDS times (default 3); the first
 * round is reported apart as "cold" (it pays for loading the PDF library), the rest as "warm". Prints pages/s per
 * manual and overall and the share of time per stage. Target from the issue: ≥ 10 pages/s. Reports; never fails.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from "../knowledge/chunk/chunk-document.ts";
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { parseDocument } from "../knowledge/parse/parse-document.ts";
import { insertChunks } from "../knowledge/store/chunk-store.ts";
import { BENCH_TENANT, openBenchDatabase } from "./lib-bench-db.ts";
import { insertReadyDocument } from "./lib-kb.ts";
import { printTable, writeResults } from "./lib-report.ts";
import { BENCHMARKS_DIR } from "./lib-retrieval-data.ts";

const MANUALS = ["ESP32-POE-user-manual.pdf", "AgonLight2-user-manual.pdf"];
const ROUNDS = Math.max(1, Number(process.env.BENCH_INGEST_ROUNDS ?? 3));
const BATCH = 64;
const STAGES = ["parse", "chunk", "embed", "insert"] as const;
type Stage = (typeof STAGES)[number];
type Run = { manual: string; round: number; pages: number; chunks: number; seconds: number } & Record<Stage, number>;

async function ingestOnce(
  db: Awaited<ReturnType<typeof openBenchDatabase>>,
  manual: string,
  bytes: Uint8Array,
  round: number,
): Promise<Run> {
  const embedder = createOfflineEmbedder({ dimensions: 1536 });
  const t: Record<Stage, number> = { parse: 0, chunk: 0, embed: 0, insert: 0 };
  const timed = async <T>(stage: Stage, fn: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await fn();
    t[stage] += (performance.now() - start) / 1000;
    return result;
  };
  const parsed = await timed("parse", () => parseDocument(bytes, { filename: manual }));
  if (!parsed.ok) throw new Error(`${manual}: ${parsed.code} ${parsed.message}`);
  const chunks = await timed("chunk", () => chunkDocument(parsed.doc, DEFAULT_CHUNK_OPTIONS));
  const documentId = await timed("insert", () =>
    insertReadyDocument(db, {
      title: `${manual} #${round}`,
      sourceType: "pdf",
      pages: parsed.doc.pages,
      chunks: chunks.length,
      language: "en",
    }),
  );
  for (let i = 0; i < chunks.length; i += BATCH) {
    const batch = chunks.slice(i, i + BATCH);
    const embeddings = await timed("embed", () => embedder.embed(batch.map((c) => c.text)));
    await timed("insert", () =>
      insertChunks(db.pool, { tenantId: BENCH_TENANT, documentId, language: "en", chunks: batch, embeddings, model: embedder.model }),
    );
  }
  const seconds = STAGES.reduce((sum, s) => sum + t[s], 0);
  return { manual, round, pages: parsed.doc.pages, chunks: chunks.length, seconds, ...t };
}

type Summary = { label: string; pages: number; chunks: number; seconds: number; pagesPerSecond: number } & Record<Stage, number>;

function summarize(label: string, runs: Run[]): Summary {
  const sum = (f: (r: Run) => number) => runs.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const shares = Object.fromEntries(STAGES.map((s) => [s, sum((r) => r[s]) / seconds])) as Record<Stage, number>;
  return {
    label,
    pages: sum((r) => r.pages),
    chunks: sum((r) => r.chunks),
    seconds,
    pagesPerSecond: sum((r) => r.pages) / seconds,
    ...shares,
  };
}

async function main(): Promise<void> {
  const dir = join(BENCHMARKS_DIR, "product-manual-pdfs", "text_layer");
  const present = MANUALS.filter((m) => existsSync(join(dir, m)));
  if (present.length === 0) {
    console.log(`Skipped: no manuals in ${dir}.`);
    return;
  }
  for (const m of MANUALS.filter((x) => !present.includes(x))) console.log(`  skipped: ${m} (absent)`);
  const db = await openBenchDatabase();
  const runs: Run[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const manual of present) runs.push(await ingestOnce(db, manual, new Uint8Array(await readFile(join(dir, manual))), round));
    }
  } finally {
    await db.close();
  }
  const rows: Summary[] = [];
  for (const manual of present) {
    rows.push(
      summarize(
        `${manual} (cold, round 1)`,
        runs.filter((r) => r.manual === manual && r.round === 1),
      ),
    );
    if (ROUNDS > 1)
      rows.push(
        summarize(
          `${manual} (warm, rounds 2–${ROUNDS})`,
          runs.filter((r) => r.manual === manual && r.round > 1),
        ),
      );
  }
  const overall = summarize("overall, all rounds", runs);
  rows.push(overall);
  if (ROUNDS > 1)
    rows.push(
      summarize(
        "overall, warm rounds",
        runs.filter((r) => r.round > 1),
      ),
    );
  console.log(`Ingestion speed: parse + chunk + embed (offline, 1536 dims) + insert, in-memory PGlite, ${ROUNDS} rounds.\n`);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  printTable(
    ["run", "pages", "chunks", "seconds", "pages/s", ...STAGES],
    rows.map((r) => [
      r.label,
      String(r.pages),
      String(r.chunks),
      r.seconds.toFixed(2),
      r.pagesPerSecond.toFixed(1),
      ...STAGES.map((s) => pct(r[s])),
    ]),
  );
  const verdict = overall.pagesPerSecond >= 10 ? "met" : "MISSED";
  console.log(`\nTarget (≥ 10 pages/s overall): ${verdict}, ${overall.pagesPerSecond.toFixed(1)} pages/s over all rounds (cold included).`);
  console.log(`Results: ${await writeResults("ingest", { rounds: ROUNDS, runs, summary: rows })}`);
}

await main();
