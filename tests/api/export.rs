//! `rolebase export` and `rolebase import kb`: the curated knowledge base as
//! one document, carried to another database and back unchanged.

use crate::helpers::{TestApp, curated_role_count, new_role_document, spawn_app, spawn_empty_app};
use serde_json::Value;
use std::process::{Command, Output};

async fn rolebase(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(args)
        .env("DATABASE_URL", app.database_url().await)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

async fn export(app: &TestApp) -> String {
    succeeded(&rolebase(app, &["export"]).await)
}

/// Writes a document to a temporary file for `import kb`.
fn file_of(document: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), document).unwrap();
    file
}

async fn role_count(app: &TestApp) -> i64 {
    let client = app.pool.get().await.unwrap();
    client
        .query_one("SELECT count(*) FROM roles", &[])
        .await
        .unwrap()
        .get(0)
}

/// Byte for byte; on a difference, the first line that differs (the
/// documents are too long to print whole).
fn assert_same_document(first: &str, second: &str) {
    let difference = first
        .lines()
        .zip(second.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b);
    if let Some((line, (a, b))) = difference {
        panic!("the round trip changed line {}:\n  {a}\n  {b}", line + 1);
    }
    assert_eq!(
        first.lines().count(),
        second.lines().count(),
        "the round trip changed the document's length"
    );
    assert_eq!(first, second, "the round trip changes nothing");
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_then_export_gives_the_same_document() {
    let source = spawn_app().await;
    // Something the API wrote, beside what the files loaded.
    let key = source.writer().await;
    let created = source
        .post_role(&key, &new_role_document("platform-lead"))
        .await;
    assert_eq!(created.status(), 201);
    let first = export(&source).await;

    let target = spawn_empty_app().await;
    assert_eq!(role_count(&target).await, 0);
    let file = file_of(&first);
    let imported =
        succeeded(&rolebase(&target, &["import", "kb", file.path().to_str().unwrap()]).await);
    let created = format!("{} roles created", curated_role_count() + 1);
    assert!(imported.contains(&created), "{imported}");
    let second = export(&target).await;

    assert_same_document(&first, &second);
    let document: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(document["format"], "rolebase-knowledge-base");
    assert_eq!(document["format_version"], 1);
    let slugs: Vec<&str> = document["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), curated_role_count() + 1);
    assert!(slugs.contains(&"platform-lead"), "{slugs:?}");
    assert!(slugs.windows(2).all(|pair| pair[0] < pair[1]), "{slugs:?}");
    for list in ["sources", "skills", "career_steps", "comparisons"] {
        assert!(
            !document[list].as_array().unwrap().is_empty(),
            "{list} is exported"
        );
    }
    assert_eq!(document["synonyms"]["tl"], "technical lead");
    // What the imported service shows matches the source.
    let lead = target
        .get_json("/roles/technical-lead?include=requirements,salaries", 200)
        .await;
    let original = source
        .get_json("/roles/technical-lead?include=requirements,salaries", 200)
        .await;
    assert_eq!(lead["requirements"], original["requirements"]);
    assert_eq!(lead["salaries"][0]["mean"], original["salaries"][0]["mean"]);
    assert_eq!(
        target
            .get_json(
                "/roles/compare?roles=technical-lead,engineering-manager",
                200
            )
            .await["notes"],
        source
            .get_json(
                "/roles/compare?roles=technical-lead,engineering-manager",
                200
            )
            .await["notes"],
    );
}

#[tokio::test]
async fn the_export_leaves_the_wage_tables_out() {
    let app = spawn_app().await;
    crate::occupations::import(&app, "oews-2025-national.csv").await;

    let document = export(&app).await;

    assert!(!document.contains("135980"), "no imported wage figure");
    let keys: Vec<String> = serde_json::from_str::<Value>(&document)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "career_steps",
            "comparisons",
            "format",
            "format_version",
            "roles",
            "skills",
            "sources",
            "synonyms"
        ]
    );
}

#[tokio::test]
async fn a_bad_document_is_refused_naming_the_place_and_nothing_is_written() {
    let source = spawn_app().await;
    let good: Value = serde_json::from_str(&export(&source).await).unwrap();
    let target = spawn_empty_app().await;

    let mut unknown_skill = good.clone();
    let last = unknown_skill["roles"].as_array().unwrap().len() - 1;
    unknown_skill["roles"][last]["skills"][0]["skill"] = "juggling".into();
    let mut negative_pay = good.clone();
    negative_pay["roles"][last]["salaries"] = serde_json::json!([{"currency": "USD", "period": "annual", "mean": -5,
            "area": {"code": "US", "name": "United States", "kind": "nation"},
            "as_of": "2025-05-01", "source": good["sources"][0]["key"]}]);
    let mut newer = good.clone();
    newer["format_version"] = 2.into();
    let mut stray_field = good.clone();
    stray_field["roles"][0]["salary"] = 1.into();
    let cases = [
        (unknown_skill.to_string(), "unknown skill `juggling`"),
        (unknown_skill.to_string(), &format!("roles[{last}]")),
        (
            negative_pay.to_string(),
            &format!("roles[{last}].salaries[0]"),
        ),
        (newer.to_string(), "format_version"),
        (stray_field.to_string(), "unknown field `salary`"),
        ("{\"format\": \"something-else\"}".to_owned(), "format"),
        ("not json".to_owned(), "not a JSON document"),
    ];
    for (document, expected) in &cases {
        let file = file_of(document);
        let output = rolebase(&target, &["import", "kb", file.path().to_str().unwrap()]).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{expected}: accepted");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
    }
    assert_eq!(
        role_count(&target).await,
        0,
        "every refused document had valid roles before the faulty one"
    );
    // The good document is accepted where the bad ones were not, here from
    // standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(["import", "kb", "-"])
        .env("DATABASE_URL", target.database_url().await)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        good.to_string().as_bytes(),
    )
    .unwrap();
    succeeded(&child.wait_with_output().unwrap());
    assert_eq!(role_count(&target).await as usize, curated_role_count());
}

#[tokio::test]
async fn meta_names_the_knowledge_bases_version_and_the_digest_of_its_export() {
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    let before = app.get_json("/meta", 200).await["knowledge_base"].clone();
    let exported = export(&app).await;
    assert_eq!(
        before["digest"],
        hex::encode(Sha256::digest(exported.as_bytes())),
        "the digest is what sha256sum says of the export"
    );

    let key = app.writer().await;
    let created = app
        .post_role(&key, &new_role_document("platform-lead"))
        .await;
    assert_eq!(created.status(), 201);

    let after = app.get_json("/meta", 200).await["knowledge_base"].clone();
    assert!(
        after["version"].as_i64().unwrap() > before["version"].as_i64().unwrap(),
        "{before} → {after}"
    );
    assert_ne!(after["digest"], before["digest"]);
    assert_eq!(after["roles"], curated_role_count() + 1);
    crate::occupations::import(&app, "oews-2025-national.csv").await;
    let imported = app.get_json("/meta", 200).await["knowledge_base"].clone();
    assert_eq!(
        (&imported["version"], &imported["digest"]),
        (&after["version"], &after["digest"]),
        "wages are not the knowledge base"
    );
}

#[test]
fn the_schema_describes_the_format_this_build_writes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../openapi/knowledge-base.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let properties = &schema["properties"];
    assert_eq!(
        properties["format"]["const"],
        rolebase_api::knowledge_base::FORMAT
    );
    assert_eq!(
        properties["format_version"]["const"],
        rolebase_api::knowledge_base::FORMAT_VERSION
    );
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(
        required,
        [
            "career_steps",
            "comparisons",
            "format",
            "format_version",
            "roles",
            "skills",
            "sources",
            "synonyms"
        ]
    );
}
