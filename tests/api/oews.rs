//! Importing BLS OEWS wages: the figures as BLS gives them, absent figures
//! with their reason, idempotent, all or nothing, and apart from the roles.

use crate::helpers::{TestApp, built_in_knowledge_base, curated_role_count, spawn_app};
use rolebase_api::{
    oews::{self, Progress, Release},
    storage,
};
use serde_json::Value;
use std::path::PathBuf;

fn national_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bls-oews/oews-2025-national.csv")
}

async fn import(app: &TestApp, file: &std::path::Path) -> storage::oews::ImportReport {
    let rows = oews::read(file, &Progress::quiet()).expect("the file is read");
    let mut client = app.pool.get().await.unwrap();
    storage::oews::import(
        &mut client,
        &Release::parse("2025A01", None).unwrap(),
        &rows,
        &Progress::quiet(),
    )
    .await
    .expect("the import succeeds")
}

/// Every imported row, as JSON, in key order: for "nothing changed" checks.
async fn all_wages(app: &TestApp) -> Value {
    let client = app.pool.get().await.unwrap();
    client
        .query_one(
            "SELECT COALESCE(jsonb_agg(to_jsonb(w) ORDER BY release, area_code, soc_code), '[]')
                 || jsonb_build_array((SELECT count(*) FROM occupations), (SELECT count(*) FROM areas))
             FROM wages w",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

async fn national(app: &TestApp, soc: &str) -> Value {
    let client = app.pool.get().await.unwrap();
    client
        .query_one(
            "SELECT to_jsonb(w) FROM wages w WHERE area_code = '0000000' AND soc_code = $1",
            &[&soc],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn the_national_file_imports_with_blss_figures() {
    let app = spawn_app().await;

    let report = import(&app, &national_file()).await;

    assert_eq!(
        (report.rows, report.occupations, report.areas),
        (1104, 1104, 1)
    );
    let developers = national(&app, "15-1252").await;
    assert_eq!(developers["annual_median"], 135980.0);
    assert_eq!(developers["annual_mean"], 148100.0);
    assert_eq!(
        developers["absent"]["jobs_per_1000"], "not_applicable",
        "`**` at the national level"
    );
    assert_eq!(developers["jobs_per_1000"], Value::Null, "absent, not zero");
    let client = app.pool.get().await.unwrap();
    let occupation = client
        .query_one(
            "SELECT title, occupation_group, parent_code FROM occupations WHERE soc_code = '15-1252'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(occupation.get::<_, &str>(0), "Software Developers");
    assert_eq!(occupation.get::<_, &str>(1), "detailed");
    assert_eq!(occupation.get::<_, Option<&str>>(2), Some("15-1250"));
}

#[tokio::test]
async fn absent_figures_keep_their_reason() {
    let app = spawn_app().await;

    import(&app, &national_file()).await;

    // Postsecondary teachers are paid by the year: BLS gives no hourly wage.
    let teachers = national(&app, "25-1000").await;
    assert_eq!(teachers["hourly_mean"], Value::Null);
    assert_eq!(teachers["absent"]["hourly_mean"], "annual_only");
    assert_eq!(teachers["absent"]["hourly_median"], "annual_only");
    assert_eq!(teachers["annual_mean"], 103470.0);
    let client = app.pool.get().await.unwrap();
    let counts = client
        .query_one(
            "SELECT count(*) FILTER (WHERE absent->>'hourly_mean' = 'annual_only'),
                    count(*) FILTER (WHERE absent->>'annual_p90' = 'not_released'),
                    count(*) FILTER (WHERE 'percentiles_collapsed' = ANY(flags)),
                    count(*) FILTER (WHERE annual_p90 = 0 OR hourly_mean = 0)
             FROM wages",
            &[],
        )
        .await
        .unwrap();
    assert!(
        counts.get::<_, i64>(0) > 0,
        "some occupations are annual only"
    );
    assert!(
        counts.get::<_, i64>(1) > 0,
        "some top wages are not released"
    );
    assert!(counts.get::<_, i64>(2) > 0, "some percentiles collapse");
    assert_eq!(counts.get::<_, i64>(3), 0, "no marker became a zero");
}

#[tokio::test]
async fn importing_the_same_file_again_leaves_the_same_data() {
    let app = spawn_app().await;
    import(&app, &national_file()).await;
    let first = all_wages(&app).await;

    import(&app, &national_file()).await;

    assert_eq!(all_wages(&app).await, first);
}

#[tokio::test]
async fn an_import_leaves_the_planner_statistics_of_what_it_wrote() {
    let app = spawn_app().await;
    import(&app, &national_file()).await;
    let client = app.pool.get().await.unwrap();
    // The planner's idea of the table: without fresh statistics the first
    // reads of a role's wages scan every wage of the release.
    let planned_rows: f32 = client
        .query_one(
            "SELECT reltuples FROM pg_class WHERE relname = 'wages'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let rows: i64 = client
        .query_one("SELECT count(*) FROM wages", &[])
        .await
        .unwrap()
        .get(0);
    assert!(rows > 1000);
    assert_eq!(planned_rows as i64, rows);
}

#[tokio::test]
async fn a_corrupted_copy_is_refused_naming_its_line_and_nothing_is_written() {
    let app = spawn_app().await;
    import(&app, &national_file()).await;
    let before = all_wages(&app).await;
    let text = std::fs::read_to_string(national_file()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[600] = lines[600].replacen(",detailed,", ",detailed,12x", 1);
    let corrupted = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(corrupted.path(), lines.join("\n")).unwrap();

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(["import", "oews"])
        .arg(corrupted.path())
        .args(["--release", "2025A01"])
        .env("DATABASE_URL", app.database_url().await)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 601"), "{stderr}");
    assert!(stderr.contains("TOT_EMP"), "{stderr}");
    assert!(stderr.contains("12x"), "{stderr}");
    assert_eq!(all_wages(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn the_command_imports_and_the_feed_shows_one_dataset_entry() {
    let app = spawn_app().await;
    let (_, roles_before) = app.changes_since(None).await;

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(["import", "oews"])
        .arg(national_file())
        .args(["--release", "2025A01"])
        .env("DATABASE_URL", app.database_url().await)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1104 wage rows"), "{stdout}");
    let (entries, _) = app.changes_since(Some(&roles_before)).await;
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["dataset.imported"], "no role changed: {entries:?}");
    assert_eq!(app.role("technical-lead").await.1["version"], 1);
}

#[tokio::test]
async fn reloading_the_knowledge_base_leaves_the_wages_alone() {
    let app = spawn_app().await;
    import(&app, &national_file()).await;
    let before = all_wages(&app).await;
    let mut knowledge_base = built_in_knowledge_base();
    for role in &mut knowledge_base.roles {
        role.digest.push_str("-edited");
    }
    let mut client = app.pool.get().await.unwrap();

    let report = storage::knowledge_base::load(&mut client, &knowledge_base)
        .await
        .unwrap();

    assert_eq!(
        report.roles_updated,
        curated_role_count() as u64,
        "every role was rewritten"
    );
    assert_eq!(all_wages(&app).await, before);
}
