//! Reading roles and their children.

use super::{Page, Pooled, Reads, StorageError};
use crate::views::{Attribution, RoleDetail, RoleLink, RoleSummary, SourceLink, SourceView};
use chrono::{DateTime, Utc};
use rolebase_domain::{Family, RoleRef, Seniority, Slug, SocCode, Track};
use tokio_postgres::{Row, types::ToSql};
use uuid::Uuid;

/// The columns of a role's summary, children folded in as ordered arrays.
const ROLE_COLUMNS: &str = "r.id, r.slug, r.title, r.summary, r.family, r.track, r.seniority, r.version, r.updated_at,
    ARRAY(SELECT t.title FROM role_alternative_titles t WHERE t.role_id = r.id ORDER BY t.position) AS alternative_titles,
    ARRAY(SELECT s.soc_code FROM role_soc_codes s WHERE s.role_id = r.id ORDER BY s.position) AS soc_codes";

/// The `WHERE` clause and parameter that pick one role by id or slug.
fn by_ref(role: &RoleRef) -> (&'static str, Box<dyn ToSql + Sync + Send + '_>) {
    match role {
        RoleRef::Id(id) => ("r.id = $1", Box::new(*id)),
        RoleRef::Slug(slug) => ("r.slug = $1", Box::new(slug.as_str())),
    }
}

/// Which roles a list shows.
#[derive(Debug, Default, Clone)]
pub struct RoleFilter {
    pub family: Option<Family>,
    pub track: Option<Track>,
    pub seniority: Option<Seniority>,
    pub skill: Option<Slug>,
    pub soc: Option<SocCode>,
    /// Only these roles (the matches of a search).
    pub ids: Option<Vec<Uuid>>,
}

/// One page of roles in slug order, and whether more follow.
#[tracing::instrument(skip(client))]
pub async fn list(
    client: &Pooled,
    filter: &RoleFilter,
    page: &Page,
) -> Result<(Vec<RoleSummary>, bool), StorageError> {
    let rows = client
        .rows(
            &format!(
                "SELECT {ROLE_COLUMNS} FROM roles r
                 WHERE ($1::text IS NULL OR r.family = $1)
                   AND ($2::text IS NULL OR r.track = $2)
                   AND ($3::text IS NULL OR r.seniority = $3)
                   AND ($4::text IS NULL OR EXISTS (
                         SELECT 1 FROM role_skills rs JOIN skills s ON s.id = rs.skill_id
                         WHERE rs.role_id = r.id AND s.slug = $4))
                   AND ($5::text IS NULL OR EXISTS (
                         SELECT 1 FROM role_soc_codes c WHERE c.role_id = r.id AND c.soc_code = $5))
                   AND ($6::bytea IS NULL OR convert_to(r.slug, 'UTF8') > $6)
                   AND ($8::uuid[] IS NULL OR r.id = ANY($8))
                 ORDER BY r.slug
                 LIMIT $7"
            ),
            &[
                &filter.family.map(Family::as_str),
                &filter.track.map(Track::as_str),
                &filter.seniority.map(Seniority::as_str),
                &filter.skill.as_ref().map(Slug::as_str),
                &filter.soc.as_ref().map(SocCode::as_str),
                &page.after.as_deref(),
                &(page.limit + 1),
                &filter.ids,
            ],
        )
        .await?;
    let more = rows.len() as i64 > page.limit;
    let items = rows
        .iter()
        .take(page.limit as usize)
        .map(summary)
        .collect::<Result<_, _>>()?;
    Ok((items, more))
}

/// Summaries of the given roles, in the order given; unknown ids are skipped.
pub async fn summaries(client: &Pooled, ids: &[Uuid]) -> Result<Vec<RoleSummary>, StorageError> {
    let rows = client
        .rows(
            &format!("SELECT {ROLE_COLUMNS} FROM roles r WHERE r.id = ANY($1)"),
            &[&ids],
        )
        .await?;
    let mut found: Vec<RoleSummary> = rows.iter().map(summary).collect::<Result<_, _>>()?;
    found.sort_by_key(|role| ids.iter().position(|id| *id == role.id));
    Ok(found)
}

#[tracing::instrument(skip(client))]
pub async fn find(client: &impl Reads, role: &RoleRef) -> Result<Option<RoleDetail>, StorageError> {
    let (condition, parameter) = by_ref(role);
    let role_sql = format!(
        "SELECT {ROLE_COLUMNS}, r.description, r.isco_code, r.created_at,
                r.summary_basis AS basis, src.key AS source_key, src.title AS source_title,
                r.summary_locator AS locator
         FROM roles r LEFT JOIN sources src ON src.id = r.summary_source_id
         WHERE {condition}"
    );
    // The sources find the role by the same condition, so both statements
    // go out together: one round trip.
    let sources_sql = format!(
        "SELECT s.key, s.title, s.publisher, s.url, s.published_on, s.retrieved_on, s.updated_on
         FROM role_sources rs JOIN sources s ON s.id = rs.source_id
         WHERE rs.role_id = (SELECT r.id FROM roles r WHERE {condition}) ORDER BY rs.position"
    );
    let params: &[&(dyn ToSql + Sync)] = &[&*parameter];
    let (row, sources) = tokio::try_join!(
        client.row(&role_sql, params),
        client.rows(&sources_sql, params),
    )?;
    let Some(row) = row else {
        return Ok(None);
    };
    let sources = sources.iter().map(source).collect();
    Ok(Some(RoleDetail {
        overview: summary(&row)?,
        summary_attribution: attribution(&row)?,
        description: row.get("description"),
        isco_code: row.get("isco_code"),
        sources,
        created_at: row.get("created_at"),
    }))
}

/// What a read needs to know of a role before rendering anything: enough to
/// name it, date it and tag it.
#[derive(Debug, Clone)]
pub struct RoleState {
    pub link: RoleLink,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// The shared generation role ETags carry (see `etags`).
    pub generation: i64,
}

/// The state of a role, if it exists, in one statement.
pub async fn state(client: &impl Reads, role: &RoleRef) -> Result<Option<RoleState>, StorageError> {
    let (condition, parameter) = by_ref(role);
    let row = client
        .row(
            &format!(
                "SELECT r.id, r.slug, r.title, r.updated_at, r.version,
                        (SELECT generation FROM shared_generation)
                 FROM roles r WHERE {condition}"
            ),
            &[&*parameter],
        )
        .await?;
    Ok(row.map(|row| RoleState {
        link: RoleLink {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
        },
        updated_at: row.get(3),
        version: row.get(4),
        generation: row.get(5),
    }))
}

/// The roles a list of references names, in one statement: for each
/// reference, its role or `None`.
pub async fn links(
    client: &Pooled,
    roles: &[RoleRef],
) -> Result<Vec<Option<RoleLink>>, StorageError> {
    let ids: Vec<uuid::Uuid> = roles
        .iter()
        .filter_map(|role| match role {
            RoleRef::Id(id) => Some(*id),
            RoleRef::Slug(_) => None,
        })
        .collect();
    let slugs: Vec<&str> = roles
        .iter()
        .filter_map(|role| match role {
            RoleRef::Slug(slug) => Some(slug.as_str()),
            RoleRef::Id(_) => None,
        })
        .collect();
    let rows = client
        .rows(
            "SELECT id, slug, title FROM roles WHERE id = ANY($1) OR slug = ANY($2)",
            &[&ids, &slugs],
        )
        .await?;
    let found: Vec<RoleLink> = rows
        .iter()
        .map(|row| RoleLink {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
        })
        .collect();
    Ok(roles
        .iter()
        .map(|role| {
            found
                .iter()
                .find(|link| match role {
                    RoleRef::Id(id) => link.id == *id,
                    RoleRef::Slug(slug) => link.slug == slug.as_str(),
                })
                .cloned()
        })
        .collect())
}

/// A source from the columns key, title, publisher, url, published_on,
/// retrieved_on, updated_on.
pub(super) fn source(row: &Row) -> SourceView {
    SourceView {
        key: row.get(0),
        title: row.get(1),
        publisher: row.get(2),
        url: row.get(3),
        published: row.get(4),
        updated: row.get(6),
        retrieved: row.get(5),
    }
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
/// A fact's basis, source and locator, from the columns `basis`,
/// `source_key`, `source_title` and `locator`.
pub(super) fn attribution(row: &Row) -> Result<Attribution, StorageError> {
    Ok(Attribution {
        basis: parse(row, "basis")?,
        source: row
            .get::<_, Option<String>>("source_key")
            .map(|key| SourceLink {
                key,
                title: row.get("source_title"),
            }),
        locator: row.get("locator"),
    })
}

/// The columns `attribution` reads, for a fact table aliased `x` joined to
/// its source as `src`.
pub(super) const ATTRIBUTION_COLUMNS: &str =
    "x.basis, src.key AS source_key, src.title AS source_title, x.locator";

pub(super) fn parse<T, I>(row: &Row, column: I) -> Result<T, StorageError>
where
    T: std::str::FromStr<Err = rolebase_domain::InvalidValue>,
    I: tokio_postgres::row::RowIndex + std::fmt::Display,
{
    Ok(row.get::<_, &str>(column).parse()?)
}
