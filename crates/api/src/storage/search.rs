//! Ranked search in PostgreSQL: full-text matches weighted by field, and
//! trigram similarity of titles so that misspellings still find their role.

use super::{Reads, StorageError};
use std::collections::HashMap;
use uuid::Uuid;

/// A query prepared for the database.
#[derive(Debug, Clone)]
pub struct SearchTerms {
    /// `to_tsquery` input matching documents that have every word.
    pub all: String,
    /// `to_tsquery` input matching documents that have any word.
    pub any: String,
    /// `to_tsquery` input matching documents whose headline fields (titles,
    /// summary, skills: weights A and B) have every word.
    pub headline: String,
    /// The words as one string, compared with titles by trigram similarity.
    pub fuzzy: String,
}

/// How a score is made, the same for every kind: closeness of the title (or
/// an alternative title) to the query, a bonus for having every word, then
/// full-text rank with every word and with any word (`ts_rank`'s
/// normalization 32 maps a rank into 0..1).
const SCORE: &str = "closeness + 0.25 * (document @@ all_terms)::int + 0.5 * ts_rank(document, all_terms, 32) + 0.2 * ts_rank(document, any_terms, 32)";

/// The prepared terms, as the first three parameters of every search query.
const TERMS: &str = "WITH q AS (
    SELECT to_tsquery('english', $1) AS all_terms, to_tsquery('english', $2) AS any_terms, $3::text AS fuzzy
)";

/// Every known abbreviation with its expansion (a few dozen: they are kept
/// in memory between changes, see `documents`).
pub async fn synonyms(client: &impl Reads) -> Result<HashMap<String, String>, StorageError> {
    let rows = client
        .rows("SELECT term, expansion FROM search_synonyms", &[])
        .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

#[derive(Debug, Clone)]
pub struct RoleMatch {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub alternative_titles: Vec<String>,
    pub summary: String,
    pub skills: String,
    pub description: String,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct SkillMatch {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct OccupationMatch {
    pub code: String,
    pub title: String,
    pub score: f64,
}

/// One hit, of whichever kind.
#[derive(Debug, Clone)]
pub enum Match {
    Role(RoleMatch),
    Skill(SkillMatch),
    Occupation(OccupationMatch),
}

/// The kinds a search looks among.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kinds {
    pub roles: bool,
    pub skills: bool,
    pub occupations: bool,
}

/// The best `limit` matches of each wanted kind, in one statement: each
/// kind's branch is switched by a parameter, so an unwanted kind costs
/// nothing, and one prepared statement serves every combination.
#[tracing::instrument(skip(client))]
pub async fn find(
    client: &impl Reads,
    terms: &SearchTerms,
    kinds: Kinds,
    limit: i64,
) -> Result<Vec<Match>, StorageError> {
    let rows = client
        .rows(
            &format!(
                "{TERMS},
                 role_hits AS (
                     SELECT r.id, r.slug, r.title, r.summary, r.description, s.skills, s.document, q.all_terms, q.any_terms,
                            GREATEST(similarity(lower(r.title), q.fuzzy),
                                     coalesce((SELECT max(similarity(lower(t.title), q.fuzzy))
                                               FROM role_alternative_titles t WHERE t.role_id = r.id), 0)) AS closeness
                     FROM roles r JOIN role_search s ON s.role_id = r.id CROSS JOIN q
                     WHERE $5 AND (s.document @@ q.any_terms
                        OR lower(r.title) % q.fuzzy
                        OR r.id IN (SELECT t.role_id FROM role_alternative_titles t WHERE lower(t.title) % q.fuzzy))
                 ),
                 skill_hits AS (
                     SELECT s.id, s.slug, s.name, s.description, s.document, q.all_terms, q.any_terms,
                            similarity(lower(s.name), q.fuzzy) AS closeness
                     FROM skills s CROSS JOIN q
                     WHERE $6 AND (s.document @@ q.any_terms OR lower(s.name) % q.fuzzy)
                 ),
                 occupation_hits AS (
                     SELECT o.soc_code, o.title, o.document, q.all_terms, q.any_terms,
                            similarity(lower(o.title), q.fuzzy) AS closeness
                     FROM occupations o CROSS JOIN q
                     WHERE $7 AND (o.document @@ q.any_terms OR lower(o.title) % q.fuzzy)
                 )
                 (SELECT 'role' AS kind, id, slug, title, summary, description, skills,
                         ARRAY(SELECT t.title FROM role_alternative_titles t WHERE t.role_id = role_hits.id ORDER BY t.position),
                         ({SCORE})::float8 AS score
                  FROM role_hits ORDER BY score DESC, slug LIMIT $4)
                 UNION ALL
                 (SELECT 'skill', id, slug, name, NULL, description, NULL, NULL, ({SCORE})::float8 AS score
                  FROM skill_hits ORDER BY score DESC, slug LIMIT $4)
                 UNION ALL
                 (SELECT 'occupation', NULL, soc_code, title, NULL, NULL, NULL, NULL, ({SCORE})::float8 AS score
                  FROM occupation_hits ORDER BY score DESC, soc_code LIMIT $4)"
            ),
            &[
                &terms.all,
                &terms.any,
                &terms.fuzzy,
                &limit,
                &kinds.roles,
                &kinds.skills,
                &kinds.occupations,
            ],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| match row.get::<_, &str>(0) {
            "role" => Match::Role(RoleMatch {
                id: row.get(1),
                slug: row.get(2),
                title: row.get(3),
                summary: row.get(4),
                description: row.get(5),
                skills: row.get(6),
                alternative_titles: row.get(7),
                score: row.get(8),
            }),
            "skill" => Match::Skill(SkillMatch {
                id: row.get(1),
                slug: row.get(2),
                name: row.get(3),
                description: row.get(5),
                score: row.get(8),
            }),
            _ => Match::Occupation(OccupationMatch {
                code: row.get(2),
                title: row.get(3),
                score: row.get(8),
            }),
        })
        .collect())
}

/// The roles whose headline fields have every word, or whose title or an
/// alternative title resembles the query: what a filtered list shows (the
/// long tail a ranked search may add is no use without its ranking).
pub async fn matching_role_ids(
    client: &impl Reads,
    terms: &SearchTerms,
) -> Result<Vec<Uuid>, StorageError> {
    let rows = client.rows("SELECT r.id FROM roles r JOIN role_search s ON s.role_id = r.id
             WHERE s.document @@ to_tsquery('english', $1)
                OR lower(r.title) % $2
                OR r.id IN (SELECT t.role_id FROM role_alternative_titles t WHERE lower(t.title) % $2)",
            &[&terms.headline, &terms.fuzzy],
        )
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// The occupations whose title has every word, or resembles the query: what
/// `GET /occupations?q=` lists, in code order.
pub async fn matching_occupation_codes(
    client: &impl Reads,
    terms: &SearchTerms,
) -> Result<Vec<String>, StorageError> {
    let rows = client
        .rows(
            "SELECT soc_code FROM occupations
             WHERE document @@ to_tsquery('english', $1) OR lower(title) % $2",
            &[&terms.all, &terms.fuzzy],
        )
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
