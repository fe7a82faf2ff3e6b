-- A turn belongs to one of the customer's conversation threads (protocol revision 2), and may carry the
-- customer's thumbs up/down on the answer.
ALTER TABLE conversation_turns ADD COLUMN thread_id text;
ALTER TABLE conversation_turns ADD COLUMN vote text CHECK (vote IN ('up', 'down'));
