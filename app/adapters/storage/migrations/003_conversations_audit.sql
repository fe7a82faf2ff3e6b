-- Conversation history per session, and the audit log of API calls. Both are purged after the
-- configured retention period and erased per session on request.
CREATE TABLE conversation_turns (
  id          bigserial PRIMARY KEY,
  session_id  text NOT NULL,
  ask_id      text NOT NULL,
  product_id  text NOT NULL,
  question    text NOT NULL,
  answer      text NOT NULL DEFAULT '',
  citations   jsonb NOT NULL DEFAULT '[]'::jsonb,
  outcome     text NOT NULL CHECK (outcome IN ('ok', 'error', 'timeout', 'cancelled')),
  model       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_turns_session ON conversation_turns (session_id, created_at);
CREATE INDEX conversation_turns_created ON conversation_turns (created_at);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  session_id  text,
  client      text,
  action      text NOT NULL,
  target      text,
  outcome     text NOT NULL,
  detail      text
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_session ON audit_log (session_id);
