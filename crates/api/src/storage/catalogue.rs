//! The shared catalogue: skills, families, sources.

use super::{
    Page, Reads, StorageError,
    roles::{parse, source},
};
use crate::views::{FamilyView, RoleLink, SkillDetail, SkillView, SkilledRole, SourceView};
use rolebase_domain::{Family, SkillKind, Slug};
use tokio_postgres::Row;

const SKILL_COLUMNS: &str = "s.id, s.slug, s.name, s.kind, s.description,
    (SELECT count(*) FROM role_skills rs WHERE rs.skill_id = s.id) AS role_count";

fn skill_view(row: &Row) -> Result<SkillView, StorageError> {
    Ok(SkillView {
        id: row.get(0),
        slug: row.get(1),
        name: row.get(2),
        kind: parse(row, 3)?,
        description: row.get(4),
        role_count: row.get(5),
    })
}

/// One page of skills in slug order, and whether more follow.
#[tracing::instrument(skip(client))]
pub async fn skills(
    client: &impl Reads,
    kind: Option<SkillKind>,
    page: &Page,
) -> Result<(Vec<SkillView>, bool), StorageError> {
    let rows = client.rows(
            &format!(
                "SELECT {SKILL_COLUMNS} FROM skills s
                 WHERE ($1::text IS NULL OR s.kind = $1) AND ($2::bytea IS NULL OR convert_to(s.slug, 'UTF8') > $2)
                 ORDER BY s.slug LIMIT $3"
            ),
            &[
                &kind.map(SkillKind::as_str),
                &page.after.as_deref(),
                &(page.limit + 1),
            ],
        )
        .await?;
    let more = rows.len() as i64 > page.limit;
    let items = rows
        .iter()
        .take(page.limit as usize)
        .map(skill_view)
        .collect::<Result<_, _>>()?;
    Ok((items, more))
}

/// A skill and the roles that link it, essential first, then by slug.
#[tracing::instrument(skip(client))]
pub async fn skill(client: &impl Reads, slug: &Slug) -> Result<Option<SkillDetail>, StorageError> {
    let Some(row) = client
        .row(
            &format!("SELECT {SKILL_COLUMNS} FROM skills s WHERE s.slug = $1"),
            &[&slug.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    let skill = skill_view(&row)?;
    let roles = client
        .rows(
            "SELECT r.id, r.slug, r.title, rs.importance
             FROM role_skills rs JOIN roles r ON r.id = rs.role_id
             WHERE rs.skill_id = $1
             ORDER BY rs.importance = 'essential' DESC, r.slug",
            &[&skill.id],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(SkilledRole {
                role: RoleLink {
                    id: row.get(0),
                    slug: row.get(1),
                    title: row.get(2),
                },
                importance: parse(row, 3)?,
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Some(SkillDetail { skill, roles }))
}

/// Every family, with how many roles it holds (possibly none).
#[tracing::instrument(skip(client))]
pub async fn families(client: &impl Reads) -> Result<Vec<FamilyView>, StorageError> {
    let rows = client
        .rows("SELECT family, count(*) FROM roles GROUP BY family", &[])
        .await?;
    let counts: Vec<(Family, i64)> = rows
        .iter()
        .map(|row| Ok((parse(row, 0)?, row.get(1))))
        .collect::<Result<_, StorageError>>()?;
    Ok(Family::ALL
        .iter()
        .map(|family| FamilyView {
            family: *family,
            name: family_name(*family),
            role_count: counts
                .iter()
                .find(|(f, _)| f == family)
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// `software-engineering` reads as "Software engineering".
fn family_name(family: Family) -> String {
    let words = family.as_str().replace('-', " ");
    let mut letters = words.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

#[tracing::instrument(skip(client))]
pub async fn sources(client: &impl Reads) -> Result<Vec<SourceView>, StorageError> {
    let rows = client.rows("SELECT key, title, publisher, url, published_on, retrieved_on, updated_on FROM sources ORDER BY key", &[])
        .await?;
    Ok(rows.iter().map(source).collect())
}
