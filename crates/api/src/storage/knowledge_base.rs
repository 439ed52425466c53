//! Writing the curated knowledge base: one transaction, upserts keyed by slug,
//! unchanged entries left alone.

use super::curated_id;
use crate::knowledge_base::{KnowledgeBase, LoadedRole};
use rolebase_domain::{ComparisonAspect, RequirementDetail, Slug};
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

#[tracing::instrument(skip_all)]
pub async fn load(
    client: &mut Client,
    kb: &KnowledgeBase,
) -> Result<LoadReport, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    // Two loads at once would race on the same keys: take turns.
    tx.execute("SELECT pg_advisory_xact_lock(7402)", &[])
        .await?;
    let mut report = LoadReport::default();
    let sources = upsert_sources(&tx, kb, &mut report).await?;
    let skills = upsert_skills(&tx, kb, &mut report).await?;
    let mut roles = HashMap::new();
    for role in &kb.roles {
        let id = upsert_role(&tx, role, &sources, &skills, &mut report).await?;
        roles.insert(role.content.slug.clone(), id);
    }
    upsert_career_steps(&tx, kb, &roles, &sources, &mut report).await?;
    upsert_comparisons(&tx, kb, &roles, &sources, &mut report).await?;
    replace_synonyms(&tx, kb, &mut report).await?;
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
            "INSERT INTO sources AS s (id, key, title, publisher, url, published_on, retrieved_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (key) DO UPDATE SET
                 title = EXCLUDED.title, publisher = EXCLUDED.publisher, url = EXCLUDED.url,
                 published_on = EXCLUDED.published_on, retrieved_on = EXCLUDED.retrieved_on
             WHERE (s.title, s.publisher, s.url, s.published_on, s.retrieved_on)
                 IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.publisher, EXCLUDED.url,
                                   EXCLUDED.published_on, EXCLUDED.retrieved_on)",
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
) -> Result<Ids, tokio_postgres::Error> {
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
    ids_by_key(tx, "SELECT slug, id FROM skills").await
}

async fn ids_by_key(tx: &Transaction<'_>, query: &str) -> Result<Ids, tokio_postgres::Error> {
    let rows = tx.query(query, &[]).await?;
    Ok(rows
        .iter()
        .filter_map(|row| Some((Slug::parse(row.get(0)).ok()?, row.get(1))))
        .collect())
}

/// Creates the role, or replaces it and its children when its entry changed.
async fn upsert_role(
    tx: &Transaction<'_>,
    role: &LoadedRole,
    sources: &Ids,
    skills: &Ids,
    report: &mut LoadReport,
) -> Result<Uuid, tokio_postgres::Error> {
    let content = &role.content;
    let slug = content.slug.as_str();
    let existing = tx
        .query_opt(
            "SELECT id, seed_digest, version FROM roles WHERE slug = $1 FOR UPDATE",
            &[&slug],
        )
        .await?;
    let (id, version, action) = match existing {
        Some(row) if row.get::<_, Option<&str>>(1) == Some(role.digest.as_str()) => {
            report.roles_unchanged += 1;
            return Ok(row.get(0));
        }
        Some(row) => {
            let id: Uuid = row.get(0);
            let version: i32 = row.get::<_, i32>(2) + 1;
            tx.execute(
                "UPDATE roles SET title = $2, summary = $3, description = $4, family = $5, track = $6,
                     seniority = $7, isco_code = $8, seed_digest = $9, version = $10, updated_at = now()
                 WHERE id = $1",
                &[
                    &id,
                    &content.title.as_str(),
                    &content.summary.as_str(),
                    &content.description.as_str(),
                    &content.family.as_str(),
                    &content.track.as_str(),
                    &content.seniority.as_str(),
                    &content.isco_code.as_ref().map(|c| c.as_str()),
                    &role.digest,
                    &version,
                ],
            )
            .await?;
            for table in [
                "role_alternative_titles",
                "role_soc_codes",
                "role_sources",
                "responsibilities",
                "requirements",
                "role_skills",
                "salary_ranges",
            ] {
                tx.execute(&format!("DELETE FROM {table} WHERE role_id = $1"), &[&id])
                    .await?;
            }
            report.roles_updated += 1;
            (id, version, "update")
        }
        None => {
            let derived = curated_id("role", slug);
            // The derived id may belong to a role renamed since; then take a fresh one.
            let taken = tx
                .query_opt("SELECT 1 FROM roles WHERE id = $1", &[&derived])
                .await?
                .is_some();
            let id = if taken { Uuid::new_v4() } else { derived };
            tx.execute(
                "INSERT INTO roles (id, slug, title, summary, description, family, track, seniority, isco_code, seed_digest)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &id,
                    &slug,
                    &content.title.as_str(),
                    &content.summary.as_str(),
                    &content.description.as_str(),
                    &content.family.as_str(),
                    &content.track.as_str(),
                    &content.seniority.as_str(),
                    &content.isco_code.as_ref().map(|c| c.as_str()),
                    &role.digest,
                ],
            )
            .await?;
            report.roles_created += 1;
            (id, 1, "create")
        }
    };
    insert_children(tx, id, role, sources, skills).await?;
    tx.execute(
        "INSERT INTO revisions (role_id, role_slug, version, action, actor, changes) VALUES ($1, $2, $3, $4, $5, $6)",
        &[&id, &slug, &version, &action, &ACTOR, &serde_json::json!({ "file": role.file })],
    )
    .await?;
    Ok(id)
}

async fn insert_children(
    tx: &Transaction<'_>,
    role_id: Uuid,
    role: &LoadedRole,
    sources: &Ids,
    skills: &Ids,
) -> Result<(), tokio_postgres::Error> {
    let content = &role.content;
    let slug = content.slug.as_str();
    let child_id = |kind: &str, position: usize| curated_id(kind, &format!("{slug}/{position}"));
    for (position, title) in content.alternative_titles.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_alternative_titles (role_id, position, title) VALUES ($1, $2, $3)",
            &[&role_id, &(position as i16), &title.as_str()],
        )
        .await?;
    }
    for (position, code) in content.soc_codes.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_soc_codes (role_id, position, soc_code) VALUES ($1, $2, $3)",
            &[&role_id, &(position as i16), &code.as_str()],
        )
        .await?;
    }
    for (position, key) in content.sources.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_sources (role_id, source_id, position) VALUES ($1, $2, $3)",
            &[&role_id, &sources[key], &(position as i16)],
        )
        .await?;
    }
    for (position, item) in content.responsibilities.iter().enumerate() {
        tx.execute(
            "INSERT INTO responsibilities (id, role_id, position, title, description, category) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &child_id("responsibility", position),
                &role_id,
                &(position as i16),
                &item.title.as_str(),
                &item.description.as_str(),
                &item.category.as_str(),
            ],
        )
        .await?;
    }
    for (position, requirement) in content.requirements.iter().enumerate() {
        let (education_level, fields, min_years, max_years, certifications) = match &requirement
            .detail
        {
            RequirementDetail::Education {
                level,
                fields_of_study,
            } => (
                Some(level.as_str()),
                texts(fields_of_study),
                None,
                None,
                vec![],
            ),
            RequirementDetail::Experience(years) => (
                None,
                vec![],
                Some(i16::from(years.min())),
                years.max().map(i16::from),
                vec![],
            ),
            RequirementDetail::Certification { names } => (None, vec![], None, None, texts(names)),
            RequirementDetail::Training | RequirementDetail::License | RequirementDetail::Skill => {
                (None, vec![], None, None, vec![])
            }
        };
        tx.execute(
            "INSERT INTO requirements (id, role_id, position, kind, level, description, education_level,
                 fields_of_study, min_years, max_years, certifications)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &child_id("requirement", position),
                &role_id,
                &(position as i16),
                &requirement.kind().as_str(),
                &requirement.level.as_str(),
                &requirement.description.as_str(),
                &education_level,
                &fields,
                &min_years,
                &max_years,
                &certifications,
            ],
        )
        .await?;
    }
    for (position, link) in content.skills.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_skills (role_id, skill_id, position, importance) VALUES ($1, $2, $3, $4)",
            &[&role_id, &skills[&link.skill], &(position as i16), &link.importance.as_str()],
        )
        .await?;
    }
    for (position, salary) in content.salaries.iter().enumerate() {
        let figures = &salary.figures;
        tx.execute(
            "INSERT INTO salary_ranges (id, role_id, position, currency, period, min, max, mean, p10, p25,
                 median, p75, p90, area_code, area_name, area_kind, as_of, source_id, soc_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
            &[
                &child_id("salary", position),
                &role_id,
                &(position as i16),
                &salary.currency.as_str(),
                &salary.period.as_str(),
                &figures.min(),
                &figures.max(),
                &figures.mean(),
                &figures.p10(),
                &figures.p25(),
                &figures.median(),
                &figures.p75(),
                &figures.p90(),
                &salary.area.code.as_str(),
                &salary.area.name.as_str(),
                &salary.area.kind.as_str(),
                &salary.as_of,
                &sources[&salary.source],
                &salary.soc_code.as_ref().map(|c| c.as_str()),
            ],
        )
        .await?;
    }
    Ok(())
}

fn texts<const N: usize>(items: &[rolebase_domain::Text<N>]) -> Vec<&str> {
    items.iter().map(|item| item.as_str()).collect()
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
            "INSERT INTO career_steps AS c (id, from_role_id, to_role_id, kind, typical_years, note, source_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (from_role_id, to_role_id) DO UPDATE SET
                 kind = EXCLUDED.kind, typical_years = EXCLUDED.typical_years, note = EXCLUDED.note,
                 source_id = EXCLUDED.source_id
             WHERE (c.kind, c.typical_years, c.note, c.source_id)
                 IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.typical_years, EXCLUDED.note, EXCLUDED.source_id)",
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
            "INSERT INTO comparison_notes AS n (id, role_a_id, role_b_id, aspect, note, source_id)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT ((LEAST(role_a_id, role_b_id)), (GREATEST(role_a_id, role_b_id)), aspect) DO UPDATE SET
                 role_a_id = EXCLUDED.role_a_id, role_b_id = EXCLUDED.role_b_id, note = EXCLUDED.note,
                 source_id = EXCLUDED.source_id
             WHERE (n.role_a_id, n.role_b_id, n.note, n.source_id)
                 IS DISTINCT FROM (EXCLUDED.role_a_id, EXCLUDED.role_b_id, EXCLUDED.note, EXCLUDED.source_id)",
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
                        &note.as_str(),
                        &comparison.source.as_ref().map(|key| sources[key]),
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
