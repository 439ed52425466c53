//! Writing the curated knowledge base: one transaction, upserts keyed by slug,
//! unchanged entries left alone.

use super::{
    StorageError, bump_shared_generation,
    changes::{self, Change, ChangeKind},
    curated_id,
    role_aggregate::{self, Author, Expected, WriteError},
};
use crate::knowledge_base::{Document, KnowledgeBase, LoadedRole};
use rolebase_domain::{ComparisonAspect, Slug};
use std::collections::HashMap;
use tokio_postgres::{Client, GenericClient, Transaction};
use uuid::Uuid;

/// What a load changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub roles_created: u64,
    pub roles_updated: u64,
    pub roles_unchanged: u64,
    /// Sources, skills, career steps and comparison notes inserted or changed.
    pub other_rows_written: u64,
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} roles created, {} updated, {} unchanged; {} other entries written",
            self.roles_created, self.roles_updated, self.roles_unchanged, self.other_rows_written
        )
    }
}

/// Who the revisions of a load name.
const ACTOR: &str = "knowledge-base";

pub async fn count_roles(client: &impl GenericClient) -> Result<i64, tokio_postgres::Error> {
    client
        .query_one("SELECT count(*) FROM roles", &[])
        .await
        .map(|row| row.get(0))
}

/// Why a load failed. The files were checked as a whole before, so a
/// refused role here means the database disagrees with them (e.g. a slug
/// taken by a role created through the API).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not write role: {0}")]
    Role(#[from] WriteError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<tokio_postgres::Error> for LoadError {
    fn from(error: tokio_postgres::Error) -> Self {
        Self::Storage(error.into())
    }
}

#[tracing::instrument(skip_all)]
pub async fn load(client: &mut Client, kb: &KnowledgeBase) -> Result<LoadReport, LoadError> {
    let tx = client.transaction().await?;
    // Writers take turns, loads and API writes alike (see `changes`).
    changes::begin_writing(&tx).await?;
    let mut report = LoadReport::default();
    let mut changes = Vec::new();
    let sources = upsert_sources(&tx, kb, &mut report).await?;
    upsert_skills(&tx, kb, &mut report).await?;
    let mut roles = HashMap::new();
    for role in &kb.roles {
        let id = upsert_role(&tx, role, &mut report, &mut changes).await?;
        roles.insert(role.content.slug.clone(), id);
    }
    upsert_career_steps(&tx, kb, &roles, &sources, &mut report).await?;
    upsert_comparisons(&tx, kb, &roles, &sources, &mut report).await?;
    replace_synonyms(&tx, kb, &mut report).await?;
    if report.other_rows_written > 0 {
        // Skills, sources, steps and notes show on many roles.
        bump_shared_generation(&tx).await?;
    }
    if report.other_rows_written > 0 || !changes.is_empty() {
        changes.push(Change {
            kind: ChangeKind::KnowledgeBaseLoaded,
            resource: "/roles".to_owned(),
            role: None,
            actor: ACTOR.to_owned(),
        });
    }
    changes::append(&tx, &changes).await?;
    // Fresh statistics for the first reads' plans, as after an import.
    tx.batch_execute(
        "ANALYZE sources, roles, role_alternative_titles, role_soc_codes, role_sources,
                 responsibilities, requirements, skills, role_skills, salary_ranges,
                 career_steps, comparison_notes, search_synonyms, role_search",
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

type Ids = HashMap<Slug, Uuid>;

async fn upsert_sources(
    tx: &Transaction<'_>,
    kb: &KnowledgeBase,
    report: &mut LoadReport,
) -> Result<Ids, tokio_postgres::Error> {
    let statement = tx
        .prepare(
            "INSERT INTO sources AS s (id, key, title, publisher, url, published_on, retrieved_on, updated_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (key) DO UPDATE SET
                 title = EXCLUDED.title, publisher = EXCLUDED.publisher, url = EXCLUDED.url,
                 published_on = EXCLUDED.published_on, retrieved_on = EXCLUDED.retrieved_on,
                 updated_on = EXCLUDED.updated_on
             WHERE (s.title, s.publisher, s.url, s.published_on, s.retrieved_on, s.updated_on)
                 IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.publisher, EXCLUDED.url,
                                   EXCLUDED.published_on, EXCLUDED.retrieved_on, EXCLUDED.updated_on)",
        )
        .await?;
    for source in &kb.sources {
        let written = tx
            .execute(
                &statement,
                &[
                    &curated_id("source", source.key.as_str()),
                    &source.key.as_str(),
                    &source.title.as_str(),
                    &source.publisher.as_ref().map(|p| p.as_str()),
                    &source.url.as_ref().map(|u| u.as_str()),
                    &source.published,
                    &source.retrieved,
                    &source.updated,
                ],
            )
            .await?;
        report.other_rows_written += written;
    }
    ids_by_key(tx, "SELECT key, id FROM sources").await
}

async fn upsert_skills(
    tx: &Transaction<'_>,
    kb: &KnowledgeBase,
    report: &mut LoadReport,
) -> Result<(), tokio_postgres::Error> {
    let statement = tx
        .prepare(
            "INSERT INTO skills AS s (id, slug, name, kind, description) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (slug) DO UPDATE SET
                 name = EXCLUDED.name, kind = EXCLUDED.kind, description = EXCLUDED.description
             WHERE (s.name, s.kind, s.description) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.description)",
        )
        .await?;
    for skill in &kb.skills {
        let written = tx
            .execute(
                &statement,
                &[
                    &curated_id("skill", skill.slug.as_str()),
                    &skill.slug.as_str(),
                    &skill.name.as_str(),
                    &skill.kind.as_str(),
                    &skill.description.as_str(),
                ],
            )
            .await?;
        report.other_rows_written += written;
    }
    Ok(())
}

async fn ids_by_key(tx: &Transaction<'_>, query: &str) -> Result<Ids, tokio_postgres::Error> {
    let rows = tx.query(query, &[]).await?;
    Ok(rows
        .iter()
        .filter_map(|row| Some((Slug::parse(row.get(0)).ok()?, row.get(1))))
        .collect())
}

/// Creates the role, or replaces it and its children when its entry changed
/// since the last load, through the role aggregate like any other write.
async fn upsert_role(
    tx: &Transaction<'_>,
    role: &LoadedRole,
    report: &mut LoadReport,
    changes: &mut Vec<Change>,
) -> Result<Uuid, LoadError> {
    let content = &role.content;
    let slug = content.slug.as_str();
    let author = Author {
        actor: ACTOR,
        seed_digest: Some(&role.digest),
        notes: serde_json::json!({ "file": role.file }),
    };
    let existing = tx
        .query_opt(
            "SELECT id, seed_digest FROM roles WHERE slug = $1",
            &[&slug],
        )
        .await?;
    match existing {
        Some(row) if row.get::<_, Option<&str>>(1) == Some(role.digest.as_str()) => {
            report.roles_unchanged += 1;
            Ok(row.get(0))
        }
        Some(row) => {
            let id: Uuid = row.get(0);
            role_aggregate::replace(tx, id, Expected::Any, content, None, &author, changes).await?;
            report.roles_updated += 1;
            Ok(id)
        }
        None => {
            let derived = curated_id("role", slug);
            // The derived id may belong to a role renamed or deleted since; then take a fresh one.
            let taken = tx
                .query_opt(
                    "SELECT 1 FROM roles WHERE id = $1 UNION ALL SELECT 1 FROM revisions WHERE role_id = $1",
                    &[&derived],
                )
                .await?
                .is_some();
            let id = if taken { Uuid::new_v4() } else { derived };
            role_aggregate::create(tx, id, content, &author, changes).await?;
            report.roles_created += 1;
            Ok(id)
        }
    }
}

async fn upsert_career_steps(
    tx: &Transaction<'_>,
    kb: &KnowledgeBase,
    roles: &Ids,
    sources: &Ids,
    report: &mut LoadReport,
) -> Result<(), tokio_postgres::Error> {
    let statement = tx
        .prepare(
            "INSERT INTO career_steps AS c (id, from_role_id, to_role_id, kind, typical_years, note, source_id,
                 basis, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (from_role_id, to_role_id) DO UPDATE SET
                 kind = EXCLUDED.kind, typical_years = EXCLUDED.typical_years, note = EXCLUDED.note,
                 source_id = EXCLUDED.source_id, basis = EXCLUDED.basis, locator = EXCLUDED.locator
             WHERE (c.kind, c.typical_years, c.note, c.source_id, c.basis, c.locator)
                 IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.typical_years, EXCLUDED.note, EXCLUDED.source_id,
                                   EXCLUDED.basis, EXCLUDED.locator)",
        )
        .await?;
    for step in &kb.career_steps {
        let written = tx
            .execute(
                &statement,
                &[
                    &curated_id("career-step", &format!("{}/{}", step.from, step.to)),
                    &roles[&step.from],
                    &roles[&step.to],
                    &step.kind.as_str(),
                    &step.typical_years.map(i16::from),
                    &step.note.as_str(),
                    &step.source.as_ref().map(|key| sources[key]),
                    &step.basis.as_str(),
                    &step.locator.as_ref().map(|l| l.as_str()),
                ],
            )
            .await?;
        report.other_rows_written += written;
    }
    Ok(())
}

async fn upsert_comparisons(
    tx: &Transaction<'_>,
    kb: &KnowledgeBase,
    roles: &Ids,
    sources: &Ids,
    report: &mut LoadReport,
) -> Result<(), tokio_postgres::Error> {
    let statement = tx
        .prepare(
            "INSERT INTO comparison_notes AS n (id, role_a_id, role_b_id, aspect, note, source_id, basis, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT ((LEAST(role_a_id, role_b_id)), (GREATEST(role_a_id, role_b_id)), aspect) DO UPDATE SET
                 role_a_id = EXCLUDED.role_a_id, role_b_id = EXCLUDED.role_b_id, note = EXCLUDED.note,
                 source_id = EXCLUDED.source_id, basis = EXCLUDED.basis, locator = EXCLUDED.locator
             WHERE (n.role_a_id, n.role_b_id, n.note, n.source_id, n.basis, n.locator)
                 IS DISTINCT FROM (EXCLUDED.role_a_id, EXCLUDED.role_b_id, EXCLUDED.note, EXCLUDED.source_id,
                                   EXCLUDED.basis, EXCLUDED.locator)",
        )
        .await?;
    for comparison in &kb.comparisons {
        let (a, b) = &comparison.roles;
        for (aspect, note) in &comparison.notes {
            let aspect: &ComparisonAspect = aspect;
            let written = tx
                .execute(
                    &statement,
                    &[
                        &curated_id("comparison", &format!("{a}/{b}/{aspect}")),
                        &roles[a],
                        &roles[b],
                        &aspect.as_str(),
                        &note.note.as_str(),
                        &note.source.as_ref().map(|key| sources[key]),
                        &note.basis.as_str(),
                        &note.locator.as_ref().map(|l| l.as_str()),
                    ],
                )
                .await?;
            report.other_rows_written += written;
        }
    }
    Ok(())
}

/// The file is the whole list: terms it no longer has are removed.
async fn replace_synonyms(
    tx: &Transaction<'_>,
    kb: &KnowledgeBase,
    report: &mut LoadReport,
) -> Result<(), tokio_postgres::Error> {
    let terms: Vec<&str> = kb.synonyms.keys().map(String::as_str).collect();
    report.other_rows_written += tx
        .execute(
            "DELETE FROM search_synonyms WHERE NOT (term = ANY($1))",
            &[&terms],
        )
        .await?;
    let statement = tx
        .prepare(
            "INSERT INTO search_synonyms AS s (term, expansion) VALUES ($1, $2)
             ON CONFLICT (term) DO UPDATE SET expansion = EXCLUDED.expansion
             WHERE s.expansion IS DISTINCT FROM EXCLUDED.expansion",
        )
        .await?;
    for (term, expansion) in &kb.synonyms {
        report.other_rows_written += tx.execute(&statement, &[term, expansion]).await?;
    }
    Ok(())
}

/// The curated knowledge base as it stands, as one document: what
/// `rolebase export` prints. Read in one snapshot, so it is consistent even
/// while writes go on.
#[tracing::instrument(skip_all)]
pub async fn export(client: &mut Client) -> Result<Document, StorageError> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let sources = documents(
        &tx,
        "SELECT jsonb_strip_nulls(jsonb_build_object('key', key, 'title', title,
                'publisher', publisher, 'url', url, 'published', published_on,
                'updated', updated_on, 'retrieved', retrieved_on))
         FROM sources ORDER BY key",
    )
    .await?;
    let skills = documents(
        &tx,
        "SELECT jsonb_build_object('slug', slug, 'name', name, 'kind', kind, 'description', description)
         FROM skills ORDER BY slug",
    )
    .await?;
    let mut roles = Vec::new();
    for row in tx.query("SELECT id FROM roles ORDER BY slug", &[]).await? {
        if let Some(content) = role_aggregate::document(&tx, row.get(0)).await? {
            roles.push(content);
        }
    }
    let career_steps = documents(
        &tx,
        "SELECT jsonb_strip_nulls(jsonb_build_object('from', f.slug, 'to', t.slug, 'kind', c.kind,
                'typical_years', c.typical_years, 'note', c.note, 'basis', c.basis, 'source', s.key,
                'locator', c.locator))
         FROM career_steps c
         JOIN roles f ON f.id = c.from_role_id JOIN roles t ON t.id = c.to_role_id
         LEFT JOIN sources s ON s.id = c.source_id
         ORDER BY f.slug, t.slug",
    )
    .await?;
    // A pair's notes are one entry; the pair is named in the order it was written.
    let comparisons = documents(
        &tx,
        "SELECT jsonb_build_object('roles', jsonb_build_array(a.slug, b.slug),
                'notes', jsonb_object_agg(n.aspect, jsonb_strip_nulls(jsonb_build_object(
                    'note', n.note, 'basis', n.basis, 'source', s.key, 'locator', n.locator))))
         FROM comparison_notes n
         JOIN roles a ON a.id = n.role_a_id JOIN roles b ON b.id = n.role_b_id
         LEFT JOIN sources s ON s.id = n.source_id
         GROUP BY a.slug, b.slug
         ORDER BY a.slug, b.slug",
    )
    .await?;
    let synonyms = tx
        .query(
            "SELECT term, expansion FROM search_synonyms ORDER BY term",
            &[],
        )
        .await?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    tx.commit().await?;
    Ok(Document::new(
        sources,
        skills,
        roles,
        career_steps,
        comparisons,
        synonyms,
    ))
}

/// Rows of one JSON column, each read as a checked domain value.
async fn documents<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    query: &str,
) -> Result<Vec<T>, StorageError> {
    tx.query(query, &[])
        .await?
        .iter()
        .map(|row| {
            let json: serde_json::Value = row.get(0);
            serde_json::from_value(json.clone()).map_err(|error| {
                StorageError::Corrupt(rolebase_domain::InvalidValue::new(
                    "invalid_document",
                    format!("{json}: {error}"),
                ))
            })
        })
        .collect()
}
