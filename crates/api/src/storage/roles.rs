//! Reading roles and their children.

use super::StorageError;
use crate::views::{
    RequirementList, RequirementView, RoleDetail, RoleLink, RoleList, RoleSummary, SourceView,
};
use rolebase_domain::RoleRef;
use tokio_postgres::{GenericClient, Row, types::ToSql};
use uuid::Uuid;

/// The columns every role view reads, children folded in as ordered arrays.
const ROLE_COLUMNS: &str = "r.id, r.slug, r.title, r.summary, r.family, r.track, r.seniority, r.version,
    r.created_at, r.updated_at, r.description, r.isco_code,
    ARRAY(SELECT t.title FROM role_alternative_titles t WHERE t.role_id = r.id ORDER BY t.position) AS alternative_titles,
    ARRAY(SELECT s.soc_code FROM role_soc_codes s WHERE s.role_id = r.id ORDER BY s.position) AS soc_codes";

/// The `WHERE` clause and parameter that pick one role by id or slug.
fn by_ref(role: &RoleRef) -> (&'static str, Box<dyn ToSql + Sync + Send + '_>) {
    match role {
        RoleRef::Id(id) => ("r.id = $1", Box::new(*id)),
        RoleRef::Slug(slug) => ("r.slug = $1", Box::new(slug.as_str())),
    }
}

#[tracing::instrument(skip(client))]
pub async fn list(client: &impl GenericClient) -> Result<RoleList, StorageError> {
    let rows = client
        .query(
            &format!("SELECT {ROLE_COLUMNS} FROM roles r ORDER BY r.slug"),
            &[],
        )
        .await?;
    let items = rows.iter().map(summary).collect::<Result<_, _>>()?;
    Ok(RoleList {
        items,
        next_cursor: None,
    })
}

#[tracing::instrument(skip(client))]
pub async fn find(
    client: &impl GenericClient,
    role: &RoleRef,
) -> Result<Option<RoleDetail>, StorageError> {
    let (condition, parameter) = by_ref(role);
    let Some(row) = client
        .query_opt(
            &format!("SELECT {ROLE_COLUMNS} FROM roles r WHERE {condition}"),
            &[&*parameter],
        )
        .await?
    else {
        return Ok(None);
    };
    let id: Uuid = row.get("id");
    let sources = client
        .query(
            "SELECT s.key, s.title, s.publisher, s.url, s.published_on, s.retrieved_on
             FROM role_sources rs JOIN sources s ON s.id = rs.source_id
             WHERE rs.role_id = $1 ORDER BY rs.position",
            &[&id],
        )
        .await?
        .iter()
        .map(|row| SourceView {
            key: row.get(0),
            title: row.get(1),
            publisher: row.get(2),
            url: row.get(3),
            published: row.get(4),
            retrieved: row.get(5),
        })
        .collect();
    let summary = summary(&row)?;
    Ok(Some(RoleDetail {
        id: summary.id,
        slug: summary.slug,
        title: summary.title,
        alternative_titles: summary.alternative_titles,
        summary: summary.summary,
        description: row.get("description"),
        family: summary.family,
        track: summary.track,
        seniority: summary.seniority,
        soc_codes: summary.soc_codes,
        isco_code: row.get("isco_code"),
        sources,
        version: summary.version,
        created_at: row.get("created_at"),
        updated_at: summary.updated_at,
    }))
}

/// The id, slug and title of a role, if it exists.
pub async fn link(
    client: &impl GenericClient,
    role: &RoleRef,
) -> Result<Option<RoleLink>, StorageError> {
    let (condition, parameter) = by_ref(role);
    let row = client
        .query_opt(
            &format!("SELECT r.id, r.slug, r.title FROM roles r WHERE {condition}"),
            &[&*parameter],
        )
        .await?;
    Ok(row.map(|row| RoleLink {
        id: row.get(0),
        slug: row.get(1),
        title: row.get(2),
    }))
}

#[tracing::instrument(skip(client))]
pub async fn requirements(
    client: &impl GenericClient,
    role: &RoleRef,
) -> Result<Option<RequirementList>, StorageError> {
    let Some(link) = link(client, role).await? else {
        return Ok(None);
    };
    let rows = client
        .query(
            "SELECT id, kind, level, description, education_level, fields_of_study, min_years, max_years, certifications
             FROM requirements WHERE role_id = $1 ORDER BY position",
            &[&link.id],
        )
        .await?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(RequirementView {
                id: row.get(0),
                kind: parse(row, 1)?,
                level: parse(row, 2)?,
                description: row.get(3),
                education_level: row
                    .get::<_, Option<&str>>(4)
                    .map(|level| level.parse())
                    .transpose()?,
                fields_of_study: row.get(5),
                min_years: row.get(6),
                max_years: row.get(7),
                certifications: row.get(8),
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Some(RequirementList { role: link, items }))
}

fn summary(row: &Row) -> Result<RoleSummary, StorageError> {
    Ok(RoleSummary {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        alternative_titles: row.get("alternative_titles"),
        summary: row.get("summary"),
        family: parse(row, "family")?,
        track: parse(row, "track")?,
        seniority: parse(row, "seniority")?,
        soc_codes: row.get("soc_codes"),
        version: row.get("version"),
        updated_at: row.get("updated_at"),
    })
}

/// Reads a text column into a domain vocabulary. The schema's CHECKs make a
/// failure here a sign of a database changed behind Rolebase's back.
fn parse<T, I>(row: &Row, column: I) -> Result<T, StorageError>
where
    T: std::str::FromStr<Err = rolebase_domain::InvalidValue>,
    I: tokio_postgres::row::RowIndex + std::fmt::Display,
{
    Ok(row.get::<_, &str>(column).parse()?)
}
