/**
 * `npm run kb -- <command>`: bulk knowledge-base work against the configured database (DATABASE_URL or the embedded
 * one in DATA_DIR; stop `npm start` first when using the embedded database, which one process opens at a time).
 *   add <files or folders...> [--tags a,b] [--language es] [--tenant id]   upload and ingest, with progress
 *   list [--tenant id]                                                      documents and their state
 *   remove <id> [--tenant id]                                               delete a document and its chunks
 *   reembed                                                                 re-embed chunks made by another model
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { createOfflineEmbedder } from "../knowledge/embed/offline-embedder.ts";
import { createOpenAIEmbedder } from "../knowledge/embed/openai-embedder.ts";
import { createUpload, deleteDocument, listDocuments } from "../knowledge/ingest/document-store.ts";
import { createIngestor, type IngestProgress } from "../knowledge/ingest/ingestor.ts";
import { reembedChunks } from "../knowledge/ingest/reembed.ts";
import { detectType } from "../knowledge/parse/detect-type.ts";
import { openDatabase } from "../lib/db.ts";
import { parseConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { migrate } from "../lib/migrate.ts";
import { createTenant, DEFAULT_TENANT_ID } from "../tenants/tenant-store.ts";

if (existsSync(".env")) process.loadEnvFile(".env");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tags: { type: "string" }, language: { type: "string" }, tenant: { type: "string" } },
});
const [command, ...args] = positionals;
const parsed = parseConfig({ ...process.env, NODE_ENV: "development" });
if (!parsed.ok) {
  console.error(`Invalid configuration:\n  - ${parsed.errors.join("\n  - ")}`);
  process.exit(1);
}
const config = parsed.config;
const logger = createLogger("error");
const tenantId = values.tenant ?? DEFAULT_TENANT_ID;
const embedder = config.OPENAI_API_KEY
  ? createOpenAIEmbedder({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.EMBEDDING_MODEL })
  : createOfflineEmbedder();

const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 4, logger });
let exitCode = 0;
try {
  await migrate(db.pool);
  await createTenant(db.pool, tenantId, tenantId === DEFAULT_TENANT_ID ? "Default business" : tenantId);
  if (command === "add") exitCode = await add(args);
  else if (command === "list") await list();
  else if (command === "remove" && args[0]) exitCode = await remove(args[0]);
  else if (command === "reembed") console.log(`re-embedded ${await reembedChunks(db.pool, embedder)} chunks with ${embedder.model}`);
  else {
    console.error("usage: npm run kb -- add <files or folders...> [--tags a,b] [--language es] | list | remove <id> | reembed");
    exitCode = 2;
  }
} finally {
  await db.close();
}
process.exit(exitCode);

async function add(paths: string[]): Promise<number> {
  const files = (await Promise.all(paths.map(expand))).flat();
  if (files.length === 0) {
    console.error("no files given");
    return 2;
  }
  const ids = new Map<string, string>();
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(file));
    const type = detectType(bytes, file);
    if (!type) {
      console.error(`skip ${file}: unsupported type`);
      continue;
    }
    const title = basename(file); // with its extension: manual.pdf and manual.txt are different documents
    const tags =
      values.tags
        ?.split(",")
        .map((t) => t.trim())
        .filter(Boolean) ?? [];
    const { document, unchanged } = await createUpload(db.pool, {
      tenantId,
      title,
      filename: basename(file),
      sourceType: type,
      bytes,
      tags,
      language: values.language,
    });
    if (unchanged) console.log(`= ${title}: unchanged (document ${document.id}, ${document.status})`);
    else ids.set(document.id, title);
  }
  const ingestor = createIngestor({
    pool: db.pool,
    embedder,
    logger,
    onProgress: drawProgress,
    chunkOptions: { maxTokens: config.KB_CHUNK_MAX_TOKENS, overlapTokens: config.KB_CHUNK_OVERLAP_TOKENS },
  });
  await ingestor.drain();
  process.stderr.write("\n");
  let failed = 0;
  for (const doc of await listDocuments(db.pool, tenantId)) {
    if (!ids.has(doc.id)) continue;
    if (doc.status === "failed") failed++;
    console.log(
      `${doc.status === "ready" ? "✓" : "✗"} ${doc.title} (document ${doc.id}): ${doc.status}${doc.error ? ` — ${doc.error}` : `, ${doc.pages} pages, ${doc.chunks} chunks`}`,
    );
  }
  return failed > 0 ? 1 : 0;
}

function drawProgress(p: IngestProgress): void {
  const width = 24;
  const done = p.chunksTotal ? Math.round(((p.chunksEmbedded ?? 0) / p.chunksTotal) * width) : 0;
  const bar = `[${"#".repeat(done)}${".".repeat(width - done)}]`;
  const detail = p.chunksTotal ? `${p.pages ?? "?"} pages parsed, ${p.chunksEmbedded}/${p.chunksTotal} chunks embedded` : p.stage;
  process.stderr.write(`\r${bar} ${p.title.slice(0, 40).padEnd(40)} ${detail}`.padEnd(120));
}

async function remove(id: string): Promise<number> {
  if (await deleteDocument(db.pool, tenantId, id)) {
    console.log(`removed document ${id}`);
    return 0;
  }
  console.error(`no document ${id} for tenant ${tenantId}`);
  return 1;
}

async function list(): Promise<void> {
  const docs = await listDocuments(db.pool, tenantId);
  if (docs.length === 0) console.log("no documents");
  for (const d of docs)
    console.log(
      `${d.id.padStart(5)}  ${d.status.padEnd(10)} v${d.version}  ${d.title}  ${d.pages ?? "-"} pages, ${d.chunks ?? "-"} chunks${d.error ? `  (${d.error})` : ""}`,
    );
}

async function expand(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.filter((e) => !e.name.startsWith(".")).map((e) => expand(join(path, e.name))));
  return nested.flat();
}
