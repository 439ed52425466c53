-- The write API: API keys, full role documents in revisions, the change feed,
-- idempotent retries, and the generation that shared data adds to role ETags.

-- A key is `rb_<id>_<secret>`: the id finds the row, the secret's SHA-256 is
-- compared in constant time. The secret itself is never stored.
CREATE TABLE api_keys (
    id          text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    name        text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    scope       text NOT NULL CHECK (scope IN ('write', 'admin')),
    secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
-- A name is the actor in revisions: one live key per name.
CREATE UNIQUE INDEX api_keys_live_name_idx ON api_keys (name) WHERE revoked_at IS NULL;

-- Revisions record the role document before and after each change; the
-- revision's `version` is its number (create = 1, delete = last + 1).
ALTER TABLE revisions
    ADD COLUMN before jsonb,
    ADD COLUMN after jsonb;
CREATE UNIQUE INDEX revisions_role_version_idx ON revisions (role_id, version);
CREATE INDEX revisions_slug_idx ON revisions (role_slug, id);

-- The change feed. Positions come from one counter that each writing
-- transaction takes at its very end and holds until it commits, so positions
-- are handed out in commit order and a reader paging by position never skips
-- a change that commits late.
CREATE TABLE change_clock (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    position bigint NOT NULL CHECK (position >= 0)
);
INSERT INTO change_clock (position) VALUES (0);

CREATE TABLE changes (
    position   bigint PRIMARY KEY CHECK (position >= 1),
    kind       text NOT NULL CHECK (kind IN ('role.created', 'role.updated', 'role.deleted',
                                             'skill.created', 'skill.updated', 'source.created',
                                             'knowledge_base.loaded')),
    resource   text NOT NULL,
    role_id    uuid,
    version    integer,
    etag       text,
    actor      text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Bumped by changes that show on roles other than the one changed (a skill's
-- name, a source's title, a role's title in its neighbours' career steps): role
-- ETags carry it, so such a change refreshes every cached role.
CREATE TABLE shared_generation (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    generation bigint NOT NULL CHECK (generation >= 0)
);
INSERT INTO shared_generation (generation) VALUES (0);

-- Responses kept for `Idempotency-Key` retries, per API key. A row without a
-- status is a request still running.
CREATE TABLE idempotency_keys (
    api_key_id   text COLLATE "C" NOT NULL,
    key          text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 200),
    request_hash bytea NOT NULL,
    status       smallint,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
