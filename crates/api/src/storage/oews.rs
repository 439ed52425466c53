//! Writing an OEWS release: one transaction that copies the rows into a
//! staging table (binary COPY), then fills occupations, areas and wages from
//! it with a statement each. The file is the truth for its release and the
//! areas it covers: re-importing it leaves the same data. No role changes.

use super::{
    Reads, StorageError, bump_shared_generation,
    changes::{self, Change, ChangeKind},
};
use crate::oews::{FIGURES, Progress, Release, WageRow};
use futures_util::pin_mut;
use tokio_postgres::{Client, binary_copy::BinaryCopyInWriter, types::Type};

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub release: String,
    pub rows: u64,
    pub occupations: u64,
    pub areas: u64,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "release {}: {} wage rows, {} occupations, {} areas",
            self.release, self.rows, self.occupations, self.areas
        )
    }
}

/// Who the change feed names for an import.
const ACTOR: &str = "oews-import";

/// Each imported release's code, when it was imported (Unix seconds) and how
/// long its import took (seconds), for those that recorded it.
pub async fn import_times(client: &impl Reads) -> Result<Vec<(String, f64, f64)>, StorageError> {
    let rows = client
        .rows(
            "SELECT code, extract(epoch FROM imported_at)::float8, import_seconds
             FROM oews_releases WHERE import_seconds IS NOT NULL ORDER BY code",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect())
}

#[tracing::instrument(skip_all, fields(release = %release.code, rows = rows.len()))]
pub async fn import(
    client: &mut Client,
    release: &Release,
    rows: &[WageRow],
    progress: &Progress,
) -> Result<ImportReport, StorageError> {
    let tx = client.transaction().await?;
    changes::begin_writing(&tx).await?;
    let figures: String = FIGURES
        .iter()
        .map(|(_, name)| format!("{name} numeric"))
        .collect::<Vec<_>>()
        .join(", ");
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE oews_staging (
             area text, area_title text, area_kind text, state_fips text,
             soc_code text, title text, occupation_group text, parent_code text,
             {figures}, absent jsonb, flags text[]
         ) ON COMMIT DROP"
    ))
    .await?;
    let mut types = vec![Type::TEXT; 8];
    types.extend([Type::NUMERIC; FIGURES.len()]);
    types.extend([Type::JSONB, Type::TEXT_ARRAY]);
    let sink = tx
        .copy_in("COPY oews_staging FROM STDIN (FORMAT binary)")
        .await?;
    let writer = BinaryCopyInWriter::new(sink, &types);
    pin_mut!(writer);
    for row in rows {
        let absent = serde_json::to_value(&row.absent).expect("names and reasons serialize");
        let mut values: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![
            &row.area,
            &row.area_title,
            &row.area_kind,
            &row.state_fips,
            &row.soc_code,
            &row.title,
            &row.group,
            &row.parent,
        ];
        values.extend(
            row.figures
                .iter()
                .map(|figure| figure as &(dyn tokio_postgres::types::ToSql + Sync)),
        );
        values.push(&absent);
        values.push(&row.flags);
        writer.as_mut().write(&values).await?;
        progress.advance(1);
    }
    writer.finish().await?;

    let occupations = tx
        .execute(
            "INSERT INTO occupations (soc_code, title, occupation_group, parent_code)
             SELECT DISTINCT ON (soc_code) soc_code, title, occupation_group, parent_code
             FROM oews_staging ORDER BY soc_code, area
             ON CONFLICT (soc_code) DO UPDATE SET
                 title = EXCLUDED.title, occupation_group = EXCLUDED.occupation_group,
                 parent_code = COALESCE(EXCLUDED.parent_code, occupations.parent_code)",
            &[],
        )
        .await?;
    let areas = tx
        .execute(
            "INSERT INTO areas (code, title, kind, state_fips)
             SELECT DISTINCT ON (area) area, area_title, area_kind, state_fips
             FROM oews_staging ORDER BY area
             ON CONFLICT (code) DO UPDATE SET
                 title = EXCLUDED.title, kind = EXCLUDED.kind, state_fips = EXCLUDED.state_fips",
            &[],
        )
        .await?;
    tx.execute(
        "INSERT INTO oews_releases (code, title) VALUES ($1, $2)
         ON CONFLICT (code) DO UPDATE SET title = EXCLUDED.title, imported_at = now()",
        &[&release.code, &release.title],
    )
    .await?;
    tx.execute(
        "DELETE FROM wages WHERE release = $1 AND area_code IN (SELECT DISTINCT area FROM oews_staging)",
        &[&release.code],
    )
    .await?;
    let names: Vec<&str> = FIGURES.iter().map(|(_, name)| *name).collect();
    let columns = names.join(", ");
    let selected = names
        .iter()
        .map(|name| {
            if *name == "employment" {
                "employment::bigint".to_owned()
            } else {
                (*name).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rows_written = tx
        .execute(
            &format!(
                "INSERT INTO wages (release, area_code, soc_code, {columns}, absent, flags)
                 SELECT $1, area, soc_code, {selected}, absent, flags FROM oews_staging"
            ),
            &[&release.code],
        )
        .await?;
    tx.execute(
        "UPDATE oews_releases r SET
             row_count = (SELECT count(*) FROM wages w WHERE w.release = r.code),
             area_kinds = ARRAY(SELECT DISTINCT a.kind FROM wages w JOIN areas a ON a.code = w.area_code
                                WHERE w.release = r.code ORDER BY a.kind)
         WHERE code = $1",
        &[&release.code],
    )
    .await?;
    // Roles show their occupations' wages: their ETags must move.
    bump_shared_generation(&tx).await?;
    changes::append(
        &tx,
        &[Change {
            kind: ChangeKind::DatasetImported,
            resource: format!("/meta#oews-{}", release.code),
            role: None,
            actor: ACTOR.to_owned(),
        }],
    )
    .await?;
    // Fresh statistics, so that the first reads after an import are planned
    // for the tables as they now are (a role's wages would otherwise scan
    // every wage of the release until autovacuum came by).
    tx.batch_execute("ANALYZE occupations, areas, oews_releases, wages")
        .await?;
    // now() is the transaction's start: the import's whole time in the database.
    tx.execute(
        "UPDATE oews_releases
         SET import_seconds = extract(epoch FROM clock_timestamp() - now())
         WHERE code = $1",
        &[&release.code],
    )
    .await?;
    tx.commit().await?;
    Ok(ImportReport {
        release: release.code.clone(),
        rows: rows_written,
        occupations,
        areas,
    })
}
