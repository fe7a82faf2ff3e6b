-- Versioned chunk sets (issue #24, finding 4): a manual's new chunks are written in batches under a new
-- version while readers keep the current one, then one short UPDATE switches `chunk_version` and the old
-- version is deleted in batches. Replacing a big manual in one transaction held the embedded database
-- (one connection) for seconds, and every other customer's question waited behind it.
ALTER TABLE manuals ADD COLUMN chunk_version integer NOT NULL DEFAULT 0;
ALTER TABLE manual_chunks ADD COLUMN version integer NOT NULL DEFAULT 0;
ALTER TABLE manual_chunks DROP CONSTRAINT manual_chunks_pkey;
ALTER TABLE manual_chunks ADD PRIMARY KEY (manual_id, version, ord);
