//! The `rolebase` command as an operator runs it: what each command prints,
//! how it exits, and what it leaves in the database.

use crate::helpers::{
    admin_execute, curated_role_count, database_url_of, spawn_app, spawn_empty_app,
};
use crate::knowledge_base::{copy_of_knowledge_base, edit};
use crate::serve_process::ServeProcess;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `rolebase args…` against `database_url` (none: no database at all).
fn rolebase(args: &[&str], database_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolebase"));
    command
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        // A data directory that cannot be created: a command that should not
        // need the database fails loudly if it tries to start one.
        .env("ROLEBASE_DATA_DIR", "/proc/rolebase-no-database-here");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command.output().expect("rolebase runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
}

#[test]
fn every_command_explains_itself() {
    for command in [
        vec![],
        vec!["serve"],
        vec!["migrate"],
        vec!["seed"],
        vec!["import"],
        vec!["import", "oews"],
        vec!["import", "kb"],
        vec!["export"],
        vec!["api-key"],
        vec!["api-key", "create"],
        vec!["api-key", "list"],
        vec!["api-key", "revoke"],
        vec!["openapi"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let help = succeeded(&rolebase(&args, None));
        let usage = ["rolebase"]
            .into_iter()
            .chain(command.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            help.contains(&format!("Usage: {usage}")),
            "{usage} --help:\n{help}"
        );
        assert!(help.lines().next().is_some_and(|line| !line.is_empty()));
    }
    let unknown = rolebase(&["frobnicate"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn seed_check_names_the_file_the_entry_and_the_field_of_a_bad_copy() {
    let copy = copy_of_knowledge_base();
    let folder = copy.path().to_str().unwrap();
    let good = succeeded(&rolebase(
        &["seed", "--check", "--knowledge-base", folder],
        None,
    ));
    assert_eq!(
        good.trim(),
        format!(
            "the knowledge base is valid: {} roles, 81 skills",
            curated_role_count()
        )
    );

    edit(
        copy.path(),
        "roles/technical-lead.toml",
        "track = \"hybrid\"",
        "track = \"wizardry\"",
    );
    let bad = rolebase(&["seed", "--check", "--knowledge-base", folder], None);

    assert_eq!(bad.status.code(), Some(1));
    let message = stderr(&bad);
    assert!(
        message.contains(
            "roles/technical-lead.toml: role `technical-lead`: field `track`: unknown variant `wizardry`"
        ),
        "{message}"
    );
    assert!(
        !message.contains("Stack backtrace"),
        "a person reads this: {message}"
    );
}

#[tokio::test]
async fn seeding_twice_changes_nothing_the_second_time() {
    let app = spawn_empty_app().await;
    let url = app.database_url().await;
    let roles = curated_role_count();

    let first = succeeded(&rolebase(&["seed"], Some(&url)));
    assert!(
        first.contains(&format!("{roles} roles created, 0 updated, 0 unchanged")),
        "{first}"
    );
    app.caught_up().await;
    let (after_first, _) = app.changes_since(None).await;
    assert!(after_first.len() >= roles, "every role is a change");
    let second = succeeded(&rolebase(&["seed"], Some(&url)));
    assert_eq!(
        second.trim(),
        format!("0 roles created, 0 updated, {roles} unchanged; 0 other entries written")
    );
    let (after_second, _) = app.changes_since(None).await;
    assert_eq!(after_second, after_first, "the second seed changed nothing");
}

/// A fresh, empty database of the test server: its name and URL.
async fn fresh_database() -> String {
    let name = format!("cli_{}", uuid::Uuid::new_v4().simple());
    admin_execute(&format!("CREATE DATABASE {name}")).await;
    database_url_of(&name)
}

fn migration_count() -> usize {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".sql")
        })
        .count()
}

#[tokio::test]
async fn migrating_twice_is_a_no_op_the_second_time() {
    let url = fresh_database().await;

    let first = succeeded(&rolebase(&["migrate"], Some(&url)));
    assert!(
        first.starts_with(&format!("applied {} migrations: V1__", migration_count())),
        "{first}"
    );
    let second = succeeded(&rolebase(&["migrate"], Some(&url)));
    assert_eq!(
        second.trim(),
        "no migration to apply: the database is up to date"
    );
}

#[tokio::test]
async fn two_migrations_or_two_seeds_at_once_take_turns() {
    let url = fresh_database().await;
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rolebase"))
            .args(args)
            .env("RUST_LOG", "warn")
            .env("DATABASE_URL", &url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };

    let both =
        [spawn(&["migrate"]), spawn(&["migrate"])].map(|child| child.wait_with_output().unwrap());
    let reports: Vec<String> = both.iter().map(succeeded).collect();
    let applied = reports
        .iter()
        .filter(|report| report.starts_with("applied "))
        .count();
    assert_eq!(
        applied, 1,
        "one applies, the other finds nothing: {reports:?}"
    );

    let both = [spawn(&["seed"]), spawn(&["seed"])].map(|child| child.wait_with_output().unwrap());
    let reports: Vec<String> = both.iter().map(succeeded).collect();
    let roles = curated_role_count();
    let created = reports
        .iter()
        .filter(|report| report.contains(&format!("{roles} roles created")))
        .count();
    let unchanged = reports
        .iter()
        .filter(|report| report.contains(&format!("0 roles created, 0 updated, {roles} unchanged")))
        .count();
    assert_eq!((created, unchanged), (1, 1), "{reports:?}");
}

#[tokio::test]
async fn a_restarted_service_keeps_its_data_and_does_not_seed_again() {
    let mut service = ServeProcess::start(&[]).await;
    let url = format!(
        "postgresql://postgres@{}/rolebase",
        percent_encode_path(&service.data_dir.join("run"))
    );
    let created = succeeded(&rolebase(
        &["api-key", "create", "--name", "editor", "--scope", "write"],
        Some(&url),
    ));
    let key = created.lines().last().unwrap().trim().to_owned();
    let http = reqwest::Client::new();
    let role = http
        .get(format!("{}/roles/technical-lead", service.base))
        .send()
        .await
        .unwrap();
    let etag = role.headers()["etag"].to_str().unwrap().to_owned();
    let patched = http
        .patch(format!("{}/roles/technical-lead", service.base))
        .bearer_auth(&key)
        .header("If-Match", etag)
        .header("Content-Type", "application/merge-patch+json")
        .body(r#"{"title": "Tech Lead (edited)"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);

    service.restart().await;

    let role: serde_json::Value = http
        .get(format!("{}/roles/technical-lead", service.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(role["title"], "Tech Lead (edited)");
    assert_eq!(role["version"], 2);
    assert_eq!(
        service
            .logged("loaded the knowledge base into the empty database")
            .len(),
        1,
        "only the first start seeds"
    );
}

fn percent_encode_path(path: &std::path::Path) -> String {
    path.to_str().unwrap().replace('/', "%2F")
}

#[tokio::test]
async fn port_replaces_the_port_of_bind() {
    let free_port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (bound, chosen) = (free_port(), free_port());
    let app = spawn_app().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(["serve", "--port", &chosen.to_string()])
        .env("ROLEBASE_BIND", format!("127.0.0.1:{bound}"))
        .env("DATABASE_URL", app.database_url().await)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::new();
    let started = Instant::now();
    let ready = loop {
        let answer = http
            .get(format!("http://127.0.0.1:{chosen}/health/live"))
            .send()
            .await;
        if answer.is_ok() || started.elapsed() > Duration::from_secs(30) {
            break answer.is_ok();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let on_bound = std::net::TcpStream::connect(("127.0.0.1", bound)).is_ok();
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready, "serve listens on --port");
    assert!(!on_bound, "and not on the port of --bind");
}
