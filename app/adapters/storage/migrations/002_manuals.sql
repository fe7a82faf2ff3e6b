-- Manuals (one per product, fetched just in time) and their text chunks, indexed for full-text search.

-- Model codes must stay findable however they are typed: "TD-17", "td17", "TD 17". The default parser
-- reads "TD-17" as the word "td" and the number "-17", so codes are also indexed joined ("td17") and
-- a hyphen between letters and digits is read as a space ("td", "17"). Questions go through the same
-- function, so both sides agree.
CREATE TEXT SEARCH CONFIGURATION hsc_manual (COPY = english);

CREATE FUNCTION hsc_model_codes(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(lower(m[1] || m[2]), ' '), '')
  FROM (
    SELECT regexp_matches(t, '\m([[:alpha:]]{1,8})[- ]?([[:digit:]][[:alnum:]]*)\M', 'g')  -- TD-17, TD 17, TR-8S
    UNION ALL
    SELECT regexp_matches(t, '\m([[:alnum:]]+)-([[:alnum:]]+)\M', 'g')                     -- SPD-SX
  ) AS found(m)
$$;

CREATE FUNCTION hsc_manual_tsvector(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('public.hsc_manual', regexp_replace(t, '([[:alpha:]])-([[:digit:]])', '\1 \2', 'g') || ' ' || public.hsc_model_codes(t))
$$;

-- Names inside function bodies are schema-qualified: pg_dump restores with an empty search_path, and
-- the generated column below calls these functions during the restore.

-- A question is not a conjunction: any of its words may match, and ranking sorts out the best chunk.
CREATE FUNCTION hsc_manual_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery
  FROM unnest(tsvector_to_array(public.hsc_manual_tsvector(q))) AS lexeme
$$;

CREATE TABLE manuals (
  id            text PRIMARY KEY,
  product_id    text NOT NULL UNIQUE REFERENCES products (id),
  url           text NOT NULL,
  status        text NOT NULL DEFAULT 'none'
                CHECK (status IN ('none', 'queued', 'fetching', 'indexing', 'ready', 'failed')),
  error         text,
  pages         integer CHECK (pages > 0),
  content_hash  text,
  bytes         bigint CHECK (bytes >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- The reconciler's question: which manuals say a job should exist?
CREATE INDEX manuals_in_flight ON manuals (updated_at) WHERE status IN ('queued', 'fetching', 'indexing');

CREATE TABLE manual_chunks (
  manual_id  text NOT NULL REFERENCES manuals (id) ON DELETE CASCADE,
  ord        integer NOT NULL CHECK (ord >= 0),
  page       integer NOT NULL CHECK (page > 0),
  heading    text,
  text       text NOT NULL,
  -- The heading weighs more than body text: "Factory reset" above a paragraph says what it is about.
  tsv        tsvector GENERATED ALWAYS AS (
               setweight(hsc_manual_tsvector(coalesce(heading, '')), 'A') || setweight(hsc_manual_tsvector(text), 'B')
             ) STORED,
  PRIMARY KEY (manual_id, ord)
);
CREATE INDEX manual_chunks_tsv ON manual_chunks USING gin (tsv);
