//! Writing the shared catalogue: skills and sources. Every role that names one
//! shows it, so each change moves the shared generation in role ETags.

use super::{
    StorageError, bump_shared_generation,
    changes::{Change, ChangeKind},
    curated_id, violated_unique_constraint,
};
use rolebase_domain::{Skill, Source};
use tokio_postgres::Transaction;

#[derive(Debug, thiserror::Error)]
pub enum CatalogueWriteError {
    #[error("`{0}` is taken")]
    Taken(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn taken_or(error: tokio_postgres::Error, key: &str) -> CatalogueWriteError {
    match violated_unique_constraint(&error) {
        Some(_) => CatalogueWriteError::Taken(key.to_owned()),
        None => StorageError::from(error).into(),
    }
}

/// Creates a skill; its slug must be free.
pub async fn create_skill(
    tx: &Transaction<'_>,
    skill: &Skill,
    actor: &str,
    changes: &mut Vec<Change>,
) -> Result<(), CatalogueWriteError> {
    tx.execute(
        "INSERT INTO skills (id, slug, name, kind, description) VALUES ($1, $2, $3, $4, $5)",
        &[
            &curated_id("skill", skill.slug.as_str()),
            &skill.slug.as_str(),
            &skill.name.as_str(),
            &skill.kind.as_str(),
            &skill.description.as_str(),
        ],
    )
    .await
    .map_err(|error| taken_or(error, skill.slug.as_str()))?;
    changes.push(skill_change(ChangeKind::SkillCreated, skill, actor));
    Ok(())
}

/// Creates the skill or replaces the one with its slug; true when created.
pub async fn put_skill(
    tx: &Transaction<'_>,
    skill: &Skill,
    actor: &str,
    changes: &mut Vec<Change>,
) -> Result<bool, CatalogueWriteError> {
    let updated = tx
        .execute(
            "UPDATE skills SET name = $2, kind = $3, description = $4 WHERE slug = $1",
            &[
                &skill.slug.as_str(),
                &skill.name.as_str(),
                &skill.kind.as_str(),
                &skill.description.as_str(),
            ],
        )
        .await
        .map_err(StorageError::from)?;
    if updated == 0 {
        create_skill(tx, skill, actor, changes).await?;
        return Ok(true);
    }
    bump_shared_generation(tx).await?;
    changes.push(skill_change(ChangeKind::SkillUpdated, skill, actor));
    Ok(false)
}

fn skill_change(kind: ChangeKind, skill: &Skill, actor: &str) -> Change {
    Change {
        kind,
        resource: format!("/skills/{}", skill.slug),
        role: None,
        actor: actor.to_owned(),
    }
}

/// Adds a source; its key must be free.
pub async fn create_source(
    tx: &Transaction<'_>,
    source: &Source,
    actor: &str,
    changes: &mut Vec<Change>,
) -> Result<(), CatalogueWriteError> {
    tx.execute(
        "INSERT INTO sources (id, key, title, publisher, url, published_on, retrieved_on, updated_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
    .await
    .map_err(|error| taken_or(error, source.key.as_str()))?;
    changes.push(Change {
        kind: ChangeKind::SourceCreated,
        resource: "/sources".to_owned(),
        role: None,
        actor: actor.to_owned(),
    });
    Ok(())
}
