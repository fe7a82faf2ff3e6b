-- Sessions move out of the key-value store (where churn could evict them, or fill Redis) into the
-- database, beside the conversations they hold: a row exists only once a `select` or `ask` used the
-- session, and `expires_at` slides (30 minutes after a pick, the retention period after a turn).
-- An erased id is tombstoned in erased_sessions: nothing is ever written under it again.
CREATE TABLE sessions (
  id          text PRIMARY KEY,
  product_id  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE erased_sessions (
  session_id  text PRIMARY KEY,
  erased_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX erased_sessions_at ON erased_sessions (erased_at);

-- Conversations kept before this migration stay resumable: their sessions become rows, kept for the
-- default retention period (90 days) after their last turn.
INSERT INTO sessions (id, created_at, expires_at)
  SELECT session_id, min(created_at), max(created_at) + interval '90 days'
    FROM conversation_turns GROUP BY session_id;
