-- Search: weighted full-text documents, trigram indexes for misspellings, the
-- abbreviations people type, and the SOC occupations that can be searched.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Abbreviations expanded before searching: `eng` → `engineering`.
CREATE TABLE search_synonyms (
    term      text PRIMARY KEY CHECK (term ~ '^[a-z0-9]+$' AND char_length(term) <= 40),
    expansion text NOT NULL CHECK (expansion ~ '^[a-z0-9]+( [a-z0-9]+)*$' AND char_length(expansion) <= 120)
);

-- SOC 2018 occupations by title; their wage data arrive with the salary import.
CREATE TABLE occupations (
    soc_code text PRIMARY KEY CHECK (soc_code ~ '^[0-9]{2}-[0-9]{4}$'),
    title    text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A')) STORED
);
CREATE INDEX occupations_document_idx ON occupations USING gin (document);
CREATE INDEX occupations_title_trgm_idx ON occupations USING gin (lower(title) gin_trgm_ops);

ALTER TABLE skills ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'C')
) STORED;
CREATE INDEX skills_document_idx ON skills USING gin (document);
CREATE INDEX skills_name_trgm_idx ON skills USING gin (lower(name) gin_trgm_ops);

CREATE INDEX roles_title_trgm_idx ON roles USING gin (lower(title) gin_trgm_ops);
CREATE INDEX role_alternative_titles_trgm_idx ON role_alternative_titles USING gin (lower(title) gin_trgm_ops);

-- A role's search document spans several tables, so it is kept in a table of
-- its own, refreshed by triggers whatever writes the role: titles and
-- alternative titles weigh most (A), then the summary and skill names (B),
-- then the description (C).
CREATE TABLE role_search (
    role_id  uuid PRIMARY KEY REFERENCES roles (id) ON DELETE CASCADE,
    skills   text NOT NULL,
    document tsvector NOT NULL
);
CREATE INDEX role_search_document_idx ON role_search USING gin (document);

CREATE FUNCTION refresh_role_search(target uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO role_search (role_id, skills, document)
    SELECT r.id,
           coalesce(k.names, ''),
           setweight(to_tsvector('english', r.title || ' ' || coalesce(a.titles, '')), 'A')
           || setweight(to_tsvector('english', r.summary || ' ' || coalesce(k.names, '')), 'B')
           || setweight(to_tsvector('english', r.description), 'C')
    FROM roles r
    LEFT JOIN LATERAL (
        SELECT string_agg(t.title, ', ' ORDER BY t.position) AS titles
        FROM role_alternative_titles t WHERE t.role_id = r.id
    ) a ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(s.name, ', ' ORDER BY rs.position) AS names
        FROM role_skills rs JOIN skills s ON s.id = rs.skill_id WHERE rs.role_id = r.id
    ) k ON true
    WHERE r.id = target
    ON CONFLICT (role_id) DO UPDATE SET skills = EXCLUDED.skills, document = EXCLUDED.document;
$$;

CREATE FUNCTION roles_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_role_search(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER roles_search AFTER INSERT OR UPDATE OF title, summary, description ON roles
    FOR EACH ROW EXECUTE FUNCTION roles_search_trigger();

CREATE FUNCTION role_children_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refresh_role_search(OLD.role_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM refresh_role_search(NEW.role_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER role_alternative_titles_search AFTER INSERT OR UPDATE OR DELETE ON role_alternative_titles
    FOR EACH ROW EXECUTE FUNCTION role_children_search_trigger();
CREATE TRIGGER role_skills_search AFTER INSERT OR UPDATE OR DELETE ON role_skills
    FOR EACH ROW EXECUTE FUNCTION role_children_search_trigger();

CREATE FUNCTION skills_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_role_search(rs.role_id) FROM role_skills rs WHERE rs.skill_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER skills_search AFTER UPDATE OF name ON skills
    FOR EACH ROW EXECUTE FUNCTION skills_search_trigger();

SELECT refresh_role_search(id) FROM roles;
