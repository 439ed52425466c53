-- The curated knowledge base. The domain crate checks every value before it gets
-- here; these constraints are the last line, for anything that writes directly.

CREATE TABLE sources (
    id           uuid PRIMARY KEY,
    key          text COLLATE "C" NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(key) <= 100),
    title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    publisher    text CHECK (char_length(publisher) BETWEEN 1 AND 200),
    url          text CHECK (url ~ '^https?://\S+$'),
    published_on date,
    retrieved_on date
);

CREATE TABLE roles (
    id          uuid PRIMARY KEY,
    slug        text COLLATE "C" NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 100),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    summary     text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 280),
    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 20000),
    family      text NOT NULL CHECK (family IN ('software-engineering', 'engineering-management',
                                                 'architecture', 'project-management', 'media-production')),
    track       text NOT NULL CHECK (track IN ('individual_contributor', 'management', 'hybrid')),
    seniority   text NOT NULL CHECK (seniority IN ('entry', 'mid', 'senior', 'lead', 'principal',
                                                   'director', 'executive')),
    isco_code   text CHECK (isco_code ~ '^[0-9]{4}$'),
    -- Goes up by one with every change; the ETag and If-Match of the write API use it.
    version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Digest of the knowledge-base entry this role was last loaded from, so that a
    -- second load of unchanged files writes nothing.
    seed_digest text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roles_family_idx ON roles (family, slug);
CREATE INDEX roles_track_idx ON roles (track, slug);
CREATE INDEX roles_seniority_idx ON roles (seniority, slug);

CREATE TABLE role_alternative_titles (
    role_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position smallint NOT NULL CHECK (position >= 0),
    title    text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    PRIMARY KEY (role_id, position)
);
CREATE UNIQUE INDEX role_alternative_titles_unique_idx ON role_alternative_titles (role_id, lower(title));

CREATE TABLE role_soc_codes (
    role_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position smallint NOT NULL CHECK (position >= 0),
    soc_code text NOT NULL CHECK (soc_code ~ '^[0-9]{2}-[0-9]{4}$'),
    PRIMARY KEY (role_id, soc_code),
    UNIQUE (role_id, position)
);
CREATE INDEX role_soc_codes_soc_code_idx ON role_soc_codes (soc_code);

CREATE TABLE role_sources (
    role_id   uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    source_id uuid NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    position  smallint NOT NULL CHECK (position >= 0),
    PRIMARY KEY (role_id, source_id),
    UNIQUE (role_id, position)
);
CREATE INDEX role_sources_source_idx ON role_sources (source_id);

CREATE TABLE responsibilities (
    id          uuid PRIMARY KEY,
    role_id     uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position    smallint NOT NULL CHECK (position >= 0),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 1000),
    category    text NOT NULL CHECK (category IN ('delivery', 'quality', 'architecture', 'people',
                                                  'stakeholders', 'operations', 'strategy', 'security')),
    UNIQUE (role_id, position)
);

CREATE TABLE requirements (
    id              uuid PRIMARY KEY,
    role_id         uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position        smallint NOT NULL CHECK (position >= 0),
    kind            text NOT NULL CHECK (kind IN ('education', 'experience', 'certification',
                                                  'training', 'license', 'skill')),
    level           text NOT NULL CHECK (level IN ('required', 'preferred')),
    description     text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 1000),
    education_level text CHECK (education_level IN ('high_school', 'associate', 'bachelor',
                                                    'master', 'doctorate')),
    fields_of_study text[] NOT NULL DEFAULT '{}',
    min_years       smallint CHECK (min_years BETWEEN 0 AND 60),
    max_years       smallint CHECK (max_years BETWEEN 0 AND 60),
    certifications  text[] NOT NULL DEFAULT '{}',
    UNIQUE (role_id, position),
    CHECK (min_years <= max_years),
    -- Each kind carries exactly its own fields.
    CHECK ((kind = 'education') = (education_level IS NOT NULL)),
    CHECK (kind = 'education' OR cardinality(fields_of_study) = 0),
    CHECK ((kind = 'experience') = (min_years IS NOT NULL)),
    CHECK (kind = 'experience' OR max_years IS NULL),
    CHECK ((kind = 'certification') = (cardinality(certifications) > 0))
);
CREATE INDEX requirements_role_kind_idx ON requirements (role_id, kind, level);

CREATE TABLE skills (
    id          uuid PRIMARY KEY,
    slug        text COLLATE "C" NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 100),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    kind        text NOT NULL CHECK (kind IN ('technical', 'soft', 'domain', 'tool')),
    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500)
);
CREATE INDEX skills_kind_idx ON skills (kind, slug);

CREATE TABLE role_skills (
    role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    skill_id   uuid NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    position   smallint NOT NULL CHECK (position >= 0),
    importance text NOT NULL CHECK (importance IN ('essential', 'optional')),
    PRIMARY KEY (role_id, skill_id),
    UNIQUE (role_id, position)
);
CREATE INDEX role_skills_skill_idx ON role_skills (skill_id, importance);

CREATE TABLE salary_ranges (
    id         uuid PRIMARY KEY,
    role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position   smallint NOT NULL CHECK (position >= 0),
    currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    period     text NOT NULL CHECK (period IN ('annual', 'hourly')),
    min        numeric(14, 2) CHECK (min >= 0),
    max        numeric(14, 2) CHECK (max >= 0),
    mean       numeric(14, 2) CHECK (mean >= 0),
    p10        numeric(14, 2) CHECK (p10 >= 0),
    p25        numeric(14, 2) CHECK (p25 >= 0),
    median     numeric(14, 2) CHECK (median >= 0),
    p75        numeric(14, 2) CHECK (p75 >= 0),
    p90        numeric(14, 2) CHECK (p90 >= 0),
    area_code  text NOT NULL CHECK (char_length(area_code) BETWEEN 1 AND 20),
    area_name  text NOT NULL CHECK (char_length(area_name) BETWEEN 1 AND 120),
    area_kind  text NOT NULL CHECK (area_kind IN ('nation', 'state', 'metro')),
    as_of      date NOT NULL,
    source_id  uuid NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    soc_code   text CHECK (soc_code ~ '^[0-9]{2}-[0-9]{4}$'),
    UNIQUE (role_id, position),
    CHECK (num_nonnulls(min, max, mean, p10, p25, median, p75, p90) > 0),
    -- Percentiles in order, wherever both ends of a pair are given; NULLs pass.
    CHECK (min <= max),
    CHECK (p10 <= p25 AND p25 <= median AND median <= p75 AND p75 <= p90),
    CHECK (p10 <= median AND p10 <= p75 AND p10 <= p90 AND p25 <= p75 AND p25 <= p90 AND median <= p90),
    CHECK (min <= COALESCE(p10, p25, median, p75, p90, mean, max)),
    CHECK (max >= COALESCE(p90, p75, median, p25, p10, mean, min))
);
CREATE INDEX salary_ranges_role_idx ON salary_ranges (role_id, currency, period, area_code);

CREATE TABLE career_steps (
    id            uuid PRIMARY KEY,
    from_role_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    to_role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('promotion', 'lateral', 'track_change')),
    typical_years smallint CHECK (typical_years BETWEEN 0 AND 40),
    note          text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 1000),
    source_id     uuid REFERENCES sources (id) ON DELETE RESTRICT,
    UNIQUE (from_role_id, to_role_id),
    CHECK (from_role_id <> to_role_id)
);
CREATE INDEX career_steps_to_idx ON career_steps (to_role_id);

CREATE TABLE comparison_notes (
    id         uuid PRIMARY KEY,
    role_a_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    role_b_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    aspect     text NOT NULL CHECK (aspect IN ('duties', 'requirements', 'skills', 'environment',
                                               'salary', 'focus', 'scope')),
    note       text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 2000),
    source_id  uuid REFERENCES sources (id) ON DELETE RESTRICT,
    CHECK (role_a_id <> role_b_id)
);
-- One note per unordered pair and aspect, whichever way round it was written.
CREATE UNIQUE INDEX comparison_notes_pair_idx
    ON comparison_notes (LEAST(role_a_id, role_b_id), GREATEST(role_a_id, role_b_id), aspect);
CREATE INDEX comparison_notes_b_idx ON comparison_notes (role_b_id);

-- Every change leaves a revision: who, when, what. Kept when the role is deleted.
CREATE TABLE revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role_id    uuid NOT NULL,
    role_slug  text NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    action     text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    actor      text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 200),
    changed_at timestamptz NOT NULL DEFAULT now(),
    changes    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX revisions_role_idx ON revisions (role_id, id);
