//! Reading imported wage data: occupations, areas, wages, releases.

use super::{Page, Reads, StorageError};
use crate::views::{
    AreaRef, DatasetSource, ImportedSalaryView, OccupationRef, OccupationSummary, ReleaseView,
    RoleLink, WageFigures, WageView,
};
use tokio_postgres::Row;
use uuid::Uuid;

fn occupation_summary(row: &Row) -> OccupationSummary {
    OccupationSummary {
        code: row.get("soc_code"),
        title: row.get("title"),
        group: row.get("occupation_group"),
        parent: row.get("parent_code"),
    }
}

/// Which occupations a list shows.
#[derive(Debug, Default, Clone)]
pub struct OccupationFilter {
    pub group: Option<&'static str>,
    pub parent: Option<String>,
    /// Only these codes (what a search found).
    pub codes: Option<Vec<String>>,
}

/// A page of occupations in code order.
pub async fn list(
    client: &impl Reads,
    filter: &OccupationFilter,
    page: &Page,
) -> Result<(Vec<OccupationSummary>, bool), StorageError> {
    let rows = client
        .rows(
            "SELECT soc_code, title, occupation_group, parent_code FROM occupations
             WHERE ($1::text IS NULL OR occupation_group = $1)
               AND ($2::text IS NULL OR parent_code = $2)
               AND ($3::text[] IS NULL OR soc_code = ANY($3))
               AND ($4::bytea IS NULL OR convert_to(soc_code, 'UTF8') > $4)
             ORDER BY soc_code LIMIT $5",
            &[
                &filter.group,
                &filter.parent,
                &filter.codes,
                &page.after.as_deref(),
                &(page.limit + 1),
            ],
        )
        .await?;
    let more = rows.len() as i64 > page.limit;
    Ok((
        rows.iter()
            .take(page.limit as usize)
            .map(occupation_summary)
            .collect(),
        more,
    ))
}

/// One occupation, with its parent, children and the roles that name it.
pub async fn find(
    client: &impl Reads,
    code: &str,
) -> Result<
    Option<(
        OccupationSummary,
        Option<OccupationRef>,
        Vec<OccupationRef>,
        Vec<RoleLink>,
    )>,
    StorageError,
> {
    let Some(row) = client.row(
            "SELECT soc_code, title, occupation_group, parent_code FROM occupations WHERE soc_code = $1",
            &[&code],
        )
        .await?
    else {
        return Ok(None);
    };
    let summary = occupation_summary(&row);
    let reference = |row: &Row| OccupationRef {
        code: row.get(0),
        title: row.get(1),
    };
    let parent = match &summary.parent {
        Some(parent) => client
            .row(
                "SELECT soc_code, title FROM occupations WHERE soc_code = $1",
                &[parent],
            )
            .await?
            .as_ref()
            .map(reference),
        None => None,
    };
    let children = client
        .rows(
            "SELECT soc_code, title FROM occupations WHERE parent_code = $1 ORDER BY soc_code",
            &[&code],
        )
        .await?
        .iter()
        .map(reference)
        .collect();
    let roles = client
        .rows(
            "SELECT r.id, r.slug, r.title FROM roles r JOIN role_soc_codes c ON c.role_id = r.id
             WHERE c.soc_code = $1 ORDER BY r.slug",
            &[&code],
        )
        .await?
        .iter()
        .map(|row| RoleLink {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
        })
        .collect();
    Ok(Some((summary, parent, children, roles)))
}

/// Which wages to read.
#[derive(Debug, Default, Clone)]
pub struct WageFilter {
    pub release: Option<String>,
    pub area: Option<String>,
    pub area_kind: Option<&'static str>,
    /// `median`, `mean` or `employment`: the annual figure to sort by.
    pub sort: Option<&'static str>,
    pub descending: bool,
}

/// An occupation's wages in the chosen release (the newest by default),
/// one entry per area.
pub async fn wages(
    client: &impl Reads,
    code: &str,
    filter: &WageFilter,
) -> Result<Vec<WageView>, StorageError> {
    let order = match filter.sort {
        Some("median") => "w.annual_median",
        Some("mean") => "w.annual_mean",
        Some("employment") => "w.employment",
        _ => "a.kind = 'nation' DESC, a.code",
    };
    let direction = match (filter.sort, filter.descending) {
        (None, _) => "",
        (Some(_), true) => " DESC NULLS LAST",
        (Some(_), false) => " ASC NULLS LAST",
    };
    let rows = client
        .rows(
            &format!(
                "SELECT w.*, r.title AS release_title, a.title AS area_title, a.kind AS area_kind,
                        a.state_fips
                 FROM wages w
                 JOIN oews_releases r ON r.code = w.release
                 JOIN areas a ON a.code = w.area_code
                 WHERE w.soc_code = $1
                   AND w.release = COALESCE($2, (SELECT max(code) FROM oews_releases))
                   AND ($3::text IS NULL OR w.area_code = $3)
                   AND ($4::text IS NULL OR a.kind = $4)
                 ORDER BY {order}{direction}, a.code"
            ),
            &[&code, &filter.release, &filter.area, &filter.area_kind],
        )
        .await?;
    Ok(rows.iter().map(wage).collect())
}

/// The wages of a role's occupations, in the role's order: the nation's and,
/// if asked, one more area's, from the chosen release (the newest by default).
pub async fn role_wages(
    client: &impl Reads,
    role_id: Uuid,
    area: Option<&str>,
    release: Option<&str>,
) -> Result<Vec<ImportedSalaryView>, StorageError> {
    let rows = client
        .rows(
            "SELECT w.*, r.title AS release_title, a.title AS area_title, a.kind AS area_kind,
                    a.state_fips, o.title AS occupation_title
             FROM role_soc_codes c
             JOIN occupations o ON o.soc_code = c.soc_code
             JOIN wages w ON w.soc_code = c.soc_code
             JOIN oews_releases r ON r.code = w.release
             JOIN areas a ON a.code = w.area_code
             WHERE c.role_id = $1
               AND w.release = COALESCE($2, (SELECT max(code) FROM oews_releases))
               AND (a.kind = 'nation' OR a.code = $3)
             ORDER BY c.position, a.kind = 'nation' DESC, a.code",
            &[&role_id, &release, &area],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| ImportedSalaryView {
            occupation: OccupationRef {
                code: row.get("soc_code"),
                title: row.get("occupation_title"),
            },
            source: DatasetSource::OEWS,
            wage: wage(row),
        })
        .collect())
}

fn wage(row: &Row) -> WageView {
    let figures = |prefix: &str| WageFigures {
        mean: row.get(format!("{prefix}_mean").as_str()),
        p10: row.get(format!("{prefix}_p10").as_str()),
        p25: row.get(format!("{prefix}_p25").as_str()),
        median: row.get(format!("{prefix}_median").as_str()),
        p75: row.get(format!("{prefix}_p75").as_str()),
        p90: row.get(format!("{prefix}_p90").as_str()),
    };
    WageView {
        release: row.get("release"),
        release_title: row.get("release_title"),
        area: AreaRef {
            code: row.get("area_code"),
            title: row.get("area_title"),
            kind: row.get("area_kind"),
            state_fips: row.get("state_fips"),
        },
        employment: row.get("employment"),
        employment_rse: row.get("employment_rse"),
        mean_rse: row.get("mean_rse"),
        hourly: figures("hourly"),
        annual: figures("annual"),
        jobs_per_1000: row.get("jobs_per_1000"),
        location_quotient: row.get("location_quotient"),
        absent: row.get("absent"),
        flags: row.get("flags"),
    }
}

/// A page of areas in code order.
pub async fn areas(
    client: &impl Reads,
    kind: Option<&str>,
    state: Option<&str>,
    page: &Page,
) -> Result<(Vec<AreaRef>, bool), StorageError> {
    let rows = client
        .rows(
            "SELECT code, title, kind, state_fips FROM areas
             WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR state_fips = $2)
               AND ($3::bytea IS NULL OR convert_to(code, 'UTF8') > $3)
             ORDER BY code LIMIT $4",
            &[&kind, &state, &page.after.as_deref(), &(page.limit + 1)],
        )
        .await?;
    let more = rows.len() as i64 > page.limit;
    Ok((
        rows.iter().take(page.limit as usize).map(area).collect(),
        more,
    ))
}

pub async fn area_by_code(
    client: &impl Reads,
    code: &str,
) -> Result<Option<AreaRef>, StorageError> {
    Ok(client
        .row(
            "SELECT code, title, kind, state_fips FROM areas WHERE code = $1",
            &[&code],
        )
        .await?
        .as_ref()
        .map(area))
}

fn area(row: &Row) -> AreaRef {
    AreaRef {
        code: row.get(0),
        title: row.get(1),
        kind: row.get(2),
        state_fips: row.get(3),
    }
}

/// Every imported release, newest first.
pub async fn releases(client: &impl Reads) -> Result<Vec<ReleaseView>, StorageError> {
    Ok(client.rows(
            "SELECT code, title, imported_at, row_count, area_kinds FROM oews_releases ORDER BY code DESC",
            &[],
        )
        .await?
        .iter()
        .map(|row| ReleaseView {
            release: row.get(0),
            title: row.get(1),
            imported_at: row.get(2),
            row_count: row.get(3),
            area_kinds: row.get(4),
        })
        .collect())
}

/// The titles of a role's SOC occupations that imported data names, by code.
pub async fn role_occupation_titles(
    client: &impl Reads,
    role_id: Uuid,
) -> Result<std::collections::HashMap<String, String>, StorageError> {
    let rows = client
        .rows(
            "SELECT o.soc_code, o.title FROM role_soc_codes c
             JOIN occupations o ON o.soc_code = c.soc_code WHERE c.role_id = $1",
            &[&role_id],
        )
        .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}
