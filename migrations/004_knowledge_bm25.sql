-- BM25 keyword retrieval. Postgres full text has no IDF (ts_rank_cd counts matches, so in OR mode a chunk full of
-- common words outranks one holding the rare word the question is about) and ranking every OR match does not scale
-- (~20k matches per question at 100k chunks). So the keyword leg reads an inverted index kept here:
--   knowledge_postings  one row per (chunk, term) with the term's BM25 weight in that chunk (k1 = 1.2, b = 0.75,
--                       length normalised by the tenant's average chunk length when the chunk was stored), indexed
--                       by (tenant, term, impact DESC) so a query reads each term's best postings and stops;
--   knowledge_terms     document frequency per tenant and term, for IDF at query time;
--   knowledge_stats     chunks and total length per tenant.
-- Terms are the lexemes of the chunk's `tsv` (language-aware) and `ngrams` (CJK/Thai character n-grams). Triggers on
-- knowledge_chunks keep all three in step with every insert and delete, whatever path deletes (a document, a
-- superseded version, a tenant). Chunk text is never updated in place (re-embedding updates only the vector).

CREATE TABLE knowledge_stats (
  tenant_id     text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  chunks        bigint NOT NULL,
  total_length  bigint NOT NULL
);

CREATE TABLE knowledge_terms (
  tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  term       text NOT NULL,
  df         integer NOT NULL,
  PRIMARY KEY (tenant_id, term)
);

CREATE TABLE knowledge_postings (
  tenant_id    text NOT NULL,
  term         text NOT NULL,
  impact       real NOT NULL,
  chunk_id     bigint NOT NULL,
  document_id  bigint NOT NULL
);
-- Index-only scans in impact order: a term's best postings without touching the heap.
CREATE INDEX knowledge_postings_term ON knowledge_postings (tenant_id, term, impact DESC) INCLUDE (chunk_id, document_id);
CREATE INDEX knowledge_postings_chunk ON knowledge_postings (chunk_id);

-- The keyword leg no longer scans these; the postings replace them.
DROP INDEX knowledge_chunks_tsv;
DROP INDEX knowledge_chunks_ngrams;

-- Term frequencies of a chunk's lexemes (tsv and n-grams together; a lexeme without positions counts once).
CREATE FUNCTION knowledge_chunk_terms(tsv tsvector, ngrams tsvector)
RETURNS TABLE (term text, tf integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT u.lexeme, sum(coalesce(array_length(u.positions, 1), 1))::integer
  FROM (SELECT * FROM unnest(tsv) UNION ALL SELECT * FROM unnest(coalesce(ngrams, ''::tsvector))) u
  GROUP BY u.lexeme
$$;

-- BM25's weight of a term in a chunk (k1 = 1.2, b = 0.75): tf saturation, length relative to the tenant's average.
CREATE FUNCTION knowledge_bm25_impact(tf integer, length integer, chunks bigint, total_length bigint)
RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * greatest(length, 1) * chunks / greatest(total_length, 1)::float8)))::real
$$;

CREATE FUNCTION knowledge_chunks_index_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO knowledge_stats AS s (tenant_id, chunks, total_length)
  SELECT tenant_id, count(*), sum(greatest(tokens, 1)) FROM added GROUP BY tenant_id ORDER BY tenant_id
  ON CONFLICT (tenant_id) DO UPDATE
    SET chunks = s.chunks + excluded.chunks, total_length = s.total_length + excluded.total_length;

  WITH postings AS (
    INSERT INTO knowledge_postings (tenant_id, term, impact, chunk_id, document_id)
    SELECT a.tenant_id, t.term,
           knowledge_bm25_impact(t.tf, a.tokens, s.chunks, s.total_length),
           a.id, a.document_id
    FROM added a
    JOIN knowledge_stats s ON s.tenant_id = a.tenant_id
    CROSS JOIN LATERAL knowledge_chunk_terms(a.tsv, a.ngrams) t
    RETURNING tenant_id, term
  )
  -- Sorted, so concurrent ingestions lock shared terms in the same order and cannot deadlock.
  INSERT INTO knowledge_terms AS k (tenant_id, term, df)
  SELECT tenant_id, term, count(*) FROM postings GROUP BY tenant_id, term ORDER BY tenant_id, term
  ON CONFLICT (tenant_id, term) DO UPDATE SET df = k.df + excluded.df;
  RETURN NULL;
END
$$;

CREATE FUNCTION knowledge_chunks_unindex_terms() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emptied_tenants text[];
  emptied_terms text[];
BEGIN
  UPDATE knowledge_stats s
  SET chunks = greatest(s.chunks - r.n, 0), total_length = greatest(s.total_length - r.len, 0)
  FROM (SELECT tenant_id, count(*) AS n, sum(greatest(tokens, 1)) AS len FROM removed GROUP BY tenant_id) r
  WHERE s.tenant_id = r.tenant_id;

  -- One statement cannot both lower a term's df and delete that row, so the emptied terms are collected here.
  WITH gone AS (
    DELETE FROM knowledge_postings p USING removed r WHERE p.chunk_id = r.id RETURNING p.tenant_id, p.term
  ),
  counts AS (
    SELECT tenant_id, term, count(*) AS n FROM gone GROUP BY tenant_id, term ORDER BY tenant_id, term
  ),
  lowered AS (
    UPDATE knowledge_terms k SET df = k.df - c.n FROM counts c
    WHERE k.tenant_id = c.tenant_id AND k.term = c.term
    RETURNING k.tenant_id, k.term, k.df
  )
  SELECT array_agg(tenant_id), array_agg(term) INTO emptied_tenants, emptied_terms FROM lowered WHERE df <= 0;

  DELETE FROM knowledge_terms k
  USING unnest(emptied_tenants, emptied_terms) AS e (tenant_id, term)
  WHERE k.tenant_id = e.tenant_id AND k.term = e.term AND k.df <= 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER knowledge_chunks_index_terms AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_index_terms();
CREATE TRIGGER knowledge_chunks_unindex_terms AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_unindex_terms();

-- Chunks stored before this migration.
INSERT INTO knowledge_stats (tenant_id, chunks, total_length)
SELECT tenant_id, count(*), sum(greatest(tokens, 1)) FROM knowledge_chunks GROUP BY tenant_id;
INSERT INTO knowledge_postings (tenant_id, term, impact, chunk_id, document_id)
SELECT c.tenant_id, t.term,
       knowledge_bm25_impact(t.tf, c.tokens, s.chunks, s.total_length),
       c.id, c.document_id
FROM knowledge_chunks c
JOIN knowledge_stats s ON s.tenant_id = c.tenant_id
CROSS JOIN LATERAL knowledge_chunk_terms(c.tsv, c.ngrams) t;
INSERT INTO knowledge_terms (tenant_id, term, df)
SELECT tenant_id, term, count(*) FROM knowledge_postings GROUP BY tenant_id, term;
