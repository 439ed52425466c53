-- Imported wage data (BLS OEWS): occupations with their SOC hierarchy, areas,
-- releases, and wages per release × area × occupation. Roles reach it through
-- their SOC codes; loading the knowledge base never touches these tables.

ALTER TABLE occupations
    ADD COLUMN occupation_group text CHECK (occupation_group IN ('total', 'major', 'minor', 'broad', 'detailed')),
    -- The nearest broader occupation the data has (detailed → broad → minor → major → total).
    ADD COLUMN parent_code text CHECK (parent_code ~ '^[0-9]{2}-[0-9]{4}$');
CREATE INDEX occupations_parent_idx ON occupations (parent_code);
CREATE INDEX occupations_group_idx ON occupations (occupation_group, soc_code);

CREATE TABLE areas (
    code       text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]{7}$'),
    title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    kind       text NOT NULL CHECK (kind IN ('nation', 'state', 'metro')),
    -- FIPS code of the area's (primary) state; `00` for the nation.
    state_fips text NOT NULL CHECK (state_fips ~ '^[0-9]{2}$')
);
CREATE INDEX areas_kind_idx ON areas (kind, code);

CREATE TABLE oews_releases (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{4}A01$'),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    imported_at timestamptz NOT NULL DEFAULT now(),
    row_count   integer NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    area_kinds  text[] NOT NULL DEFAULT '{}'
);

-- Figures are exact `numeric`: whatever BLS gives is kept as given.
CREATE TABLE wages (
    release           text NOT NULL REFERENCES oews_releases (code) ON DELETE CASCADE,
    area_code         text COLLATE "C" NOT NULL REFERENCES areas (code),
    soc_code          text NOT NULL REFERENCES occupations (soc_code),
    employment        bigint CHECK (employment >= 0),
    employment_rse    numeric CHECK (employment_rse >= 0),
    hourly_mean       numeric CHECK (hourly_mean >= 0),
    annual_mean       numeric CHECK (annual_mean >= 0),
    mean_rse          numeric CHECK (mean_rse >= 0),
    hourly_p10        numeric,
    hourly_p25        numeric,
    hourly_median     numeric,
    hourly_p75        numeric,
    hourly_p90        numeric,
    annual_p10        numeric,
    annual_p25        numeric,
    annual_median     numeric,
    annual_p75        numeric,
    annual_p90        numeric,
    jobs_per_1000     numeric CHECK (jobs_per_1000 >= 0),
    location_quotient numeric CHECK (location_quotient >= 0),
    -- Why each absent figure is absent: figure name → not_applicable,
    -- annual_only or not_released. Absent figures are NULL, never zero.
    absent            jsonb NOT NULL DEFAULT '{}',
    flags             text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (release, area_code, soc_code)
);
CREATE INDEX wages_occupation_idx ON wages (soc_code, release, area_code);

-- An import is one entry in the change feed.
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check CHECK (kind IN (
    'role.created', 'role.updated', 'role.deleted', 'skill.created', 'skill.updated',
    'source.created', 'knowledge_base.loaded', 'dataset.imported'));
