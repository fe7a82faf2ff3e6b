-- When a manual whose last attempt failed is tried again: the `manual` frame's `retryInMs` (protocol v4),
-- so a page that looks at the manual mid-backoff can say when. NULL whenever no retry is scheduled.
ALTER TABLE manuals ADD COLUMN retry_at timestamptz;
