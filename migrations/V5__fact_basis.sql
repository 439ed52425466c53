-- Every curated fact says how it is known: `stated` (its source says it, at a
-- locator: the section or heading), `dataset` (figures from a dataset) or
-- `editorial` (the curators' judgement, no source). Facts written before
-- this change keep the source they named as `stated`, with no locator, until
-- the knowledge base is loaded again; new writes must give the locator (the
-- domain checks it).

ALTER TABLE roles DROP CONSTRAINT roles_family_check;
ALTER TABLE roles ADD CONSTRAINT roles_family_check CHECK (family IN (
    'software-engineering', 'engineering-management', 'architecture', 'project-management',
    'media-production', 'product-management', 'infrastructure', 'quality-assurance', 'security',
    'data-and-ml', 'hardware-engineering'));

ALTER TABLE sources ADD COLUMN updated_on date;

-- The summary's basis, on the role.
ALTER TABLE roles
    ADD COLUMN summary_basis text NOT NULL DEFAULT 'editorial'
        CHECK (summary_basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN summary_source_id uuid REFERENCES sources (id) ON DELETE RESTRICT,
    ADD COLUMN summary_locator text CHECK (char_length(summary_locator) BETWEEN 1 AND 200),
    ADD CONSTRAINT roles_summary_attribution_check CHECK (
        (summary_basis = 'editorial') = (summary_source_id IS NULL)
        AND (summary_basis = 'stated' OR summary_basis = 'dataset' OR summary_locator IS NULL));
ALTER TABLE roles ALTER COLUMN summary_basis DROP DEFAULT;

-- The same three columns on every child fact; a source names it for stated
-- and dataset facts, never for editorial ones.
ALTER TABLE responsibilities
    ADD COLUMN basis text NOT NULL DEFAULT 'editorial' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN source_id uuid REFERENCES sources (id) ON DELETE RESTRICT,
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200),
    ADD CONSTRAINT responsibilities_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL));
ALTER TABLE responsibilities ALTER COLUMN basis DROP DEFAULT;

ALTER TABLE requirements
    ADD COLUMN basis text NOT NULL DEFAULT 'editorial' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN source_id uuid REFERENCES sources (id) ON DELETE RESTRICT,
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200),
    ADD CONSTRAINT requirements_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL));
ALTER TABLE requirements ALTER COLUMN basis DROP DEFAULT;

ALTER TABLE role_skills
    ADD COLUMN basis text NOT NULL DEFAULT 'editorial' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN source_id uuid REFERENCES sources (id) ON DELETE RESTRICT,
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200),
    ADD CONSTRAINT role_skills_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL));
ALTER TABLE role_skills ALTER COLUMN basis DROP DEFAULT;

-- Salary ranges: the source is no longer required (an editorial range names
-- none), and a range may leave out its date or its area when the source
-- gives none.
ALTER TABLE salary_ranges
    ADD COLUMN basis text NOT NULL DEFAULT 'stated' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200),
    ALTER COLUMN source_id DROP NOT NULL,
    ALTER COLUMN as_of DROP NOT NULL,
    ALTER COLUMN area_code DROP NOT NULL,
    ALTER COLUMN area_name DROP NOT NULL,
    ALTER COLUMN area_kind DROP NOT NULL,
    ADD CONSTRAINT salary_ranges_area_check CHECK (num_nulls(area_code, area_name, area_kind) IN (0, 3)),
    ADD CONSTRAINT salary_ranges_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL));
ALTER TABLE salary_ranges ALTER COLUMN basis DROP DEFAULT;

ALTER TABLE career_steps
    ADD COLUMN basis text NOT NULL DEFAULT 'editorial' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200);
UPDATE career_steps SET basis = 'stated' WHERE source_id IS NOT NULL;
ALTER TABLE career_steps
    ADD CONSTRAINT career_steps_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL)),
    ALTER COLUMN basis DROP DEFAULT;

ALTER TABLE comparison_notes
    ADD COLUMN basis text NOT NULL DEFAULT 'editorial' CHECK (basis IN ('stated', 'dataset', 'editorial')),
    ADD COLUMN locator text CHECK (char_length(locator) BETWEEN 1 AND 200);
UPDATE comparison_notes SET basis = 'stated' WHERE source_id IS NOT NULL;
ALTER TABLE comparison_notes
    ADD CONSTRAINT comparison_notes_attribution_check CHECK (
        (basis = 'editorial') = (source_id IS NULL) AND (basis <> 'editorial' OR locator IS NULL)),
    ALTER COLUMN basis DROP DEFAULT;
