-- Knowledge base: uploaded documents (versioned by title), their chunks with embeddings and full-text vectors.

CREATE TABLE knowledge_documents (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  title          text NOT NULL,
  filename       text,
  source_type    text,
  content_hash   text NOT NULL,
  tags           text[] NOT NULL DEFAULT '{}',
  language       text,
  version        integer NOT NULL DEFAULT 1,
  status         text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed', 'superseded')),
  error          text,
  pages          integer,
  chunks         integer,
  progress       jsonb,
  attempts       integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  ready_at       timestamptz
);
-- At most one ready version per title: the old one is replaced atomically when the new one is ready.
CREATE UNIQUE INDEX knowledge_documents_ready_title ON knowledge_documents (tenant_id, title) WHERE status = 'ready';
CREATE INDEX knowledge_documents_processing ON knowledge_documents (created_at) WHERE status = 'processing';

-- The uploaded bytes, kept until ingestion finishes (the job is durable across restarts).
CREATE TABLE knowledge_uploads (
  document_id  bigint PRIMARY KEY REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  bytes        bytea NOT NULL
);

CREATE TABLE knowledge_chunks (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  document_id      bigint NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  ord              integer NOT NULL,
  kind             text NOT NULL DEFAULT 'text',
  text             text NOT NULL,
  section          text,
  page             integer,
  tokens           integer NOT NULL,
  language         text,
  -- Language-aware full text where Postgres has a configuration for the language, 'simple' otherwise.
  ts_config        regconfig NOT NULL DEFAULT 'simple',
  tsv              tsvector GENERATED ALWAYS AS (to_tsvector(ts_config, text)) STORED,
  -- Character bigrams for scripts written without spaces (Chinese, Japanese, Thai), filled by the app.
  ngrams           tsvector,
  embedding        vector(1536) NOT NULL,
  embedding_model  text NOT NULL,
  embedding_dims   integer NOT NULL
);
CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id, ord);
CREATE INDEX knowledge_chunks_tenant ON knowledge_chunks (tenant_id);
CREATE INDEX knowledge_chunks_tsv ON knowledge_chunks USING gin (tsv);
CREATE INDEX knowledge_chunks_ngrams ON knowledge_chunks USING gin (ngrams);
CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
