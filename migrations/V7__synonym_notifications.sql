-- Search keeps the synonyms in memory: a change to them drops what every
-- process holds, as a change to anything many reads show does (see V6).
CREATE TRIGGER search_synonyms_notify AFTER INSERT OR UPDATE OR DELETE ON search_synonyms
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_documents();
