-- How long each wage import's transaction took, for operators (`/metrics`).
-- Releases imported before this migration have none.
ALTER TABLE oews_releases
    ADD COLUMN import_seconds double precision CHECK (import_seconds >= 0);
