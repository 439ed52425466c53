-- Every commit that can change what a role's documents show notifies the
-- channel `rolebase_documents`: the role's id, or `*` when something many
-- roles show changed. Processes that cache rendered documents listen and drop
-- what is named. Triggers, so that no write path can forget; PostgreSQL
-- delivers each distinct payload once per transaction, at commit.

CREATE FUNCTION notify_role_documents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'roles' THEN
        PERFORM pg_notify('rolebase_documents', changed.id::text);
    ELSIF TG_TABLE_NAME = 'career_steps' THEN
        PERFORM pg_notify('rolebase_documents', changed.from_role_id::text);
        PERFORM pg_notify('rolebase_documents', changed.to_role_id::text);
    ELSIF TG_TABLE_NAME = 'comparison_notes' THEN
        PERFORM pg_notify('rolebase_documents', changed.role_a_id::text);
        PERFORM pg_notify('rolebase_documents', changed.role_b_id::text);
    ELSE
        PERFORM pg_notify('rolebase_documents', changed.role_id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_all_documents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rolebase_documents', '*');
    RETURN NULL;
END
$$;

-- A role and everything it embeds, row by row.
CREATE TRIGGER roles_notify AFTER INSERT OR UPDATE OR DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER role_alternative_titles_notify AFTER INSERT OR UPDATE OR DELETE ON role_alternative_titles
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER role_soc_codes_notify AFTER INSERT OR UPDATE OR DELETE ON role_soc_codes
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER role_sources_notify AFTER INSERT OR UPDATE OR DELETE ON role_sources
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER responsibilities_notify AFTER INSERT OR UPDATE OR DELETE ON responsibilities
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER requirements_notify AFTER INSERT OR UPDATE OR DELETE ON requirements
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER role_skills_notify AFTER INSERT OR UPDATE OR DELETE ON role_skills
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER salary_ranges_notify AFTER INSERT OR UPDATE OR DELETE ON salary_ranges
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER career_steps_notify AFTER INSERT OR UPDATE OR DELETE ON career_steps
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();
CREATE TRIGGER comparison_notes_notify AFTER INSERT OR UPDATE OR DELETE ON comparison_notes
    FOR EACH ROW EXECUTE FUNCTION notify_role_documents();

-- What many roles show: the shared catalogue, the imported wages, and the
-- shared generation that role ETags carry.
CREATE TRIGGER skills_notify AFTER INSERT OR UPDATE OR DELETE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
CREATE TRIGGER sources_notify AFTER INSERT OR UPDATE OR DELETE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
CREATE TRIGGER shared_generation_notify AFTER UPDATE ON shared_generation
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
CREATE TRIGGER wages_notify AFTER INSERT OR UPDATE OR DELETE ON wages
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
CREATE TRIGGER areas_notify AFTER INSERT OR UPDATE OR DELETE ON areas
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
CREATE TRIGGER occupations_notify AFTER INSERT OR UPDATE OR DELETE ON occupations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
