//! The embedded cluster: shared while it runs, kept across restarts, and a
//! data directory prepared without following links the cluster's user could
//! plant (run as root, PostgreSQL runs as `postgres`).

use rolebase_api::embedded::{Durability, EmbeddedCluster};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use tempfile::TempDir;
use tokio_postgres::NoTls;

/// A folder for data directories that the cluster's user may pass through,
/// as any folder above a data directory must be.
fn parent_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Owner, group, mode and (for files) content: what preparing must not change.
fn fingerprint(path: &Path) -> (u32, u32, u32, Option<String>) {
    let metadata = fs::symlink_metadata(path).unwrap();
    let content = metadata
        .is_file()
        .then(|| fs::read_to_string(path).unwrap());
    (metadata.uid(), metadata.gid(), metadata.mode(), content)
}

async fn query_one_text(
    cluster: &EmbeddedCluster,
    sql: &str,
) -> Result<String, tokio_postgres::Error> {
    let (client, connection) = cluster.config("postgres").connect(NoTls).await?;
    tokio::spawn(connection);
    let rows = client.simple_query(sql).await?;
    Ok(rows
        .iter()
        .find_map(|message| match message {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
            _ => None,
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn a_cluster_keeps_its_data_across_restarts_and_is_shared_while_it_runs() {
    let data_dir = parent_dir();
    let mut first =
        EmbeddedCluster::start_or_attach(data_dir.path(), Durability::Throwaway).unwrap();
    query_one_text(
        &first,
        "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')",
    )
    .await
    .unwrap();

    let attached =
        EmbeddedCluster::start_or_attach(data_dir.path(), Durability::Throwaway).unwrap();
    assert_eq!(
        query_one_text(&attached, "SELECT note FROM kept")
            .await
            .unwrap(),
        "still here"
    );
    drop(attached);
    assert_eq!(
        query_one_text(&first, "SELECT note FROM kept")
            .await
            .unwrap(),
        "still here",
        "a process that only attached leaves the cluster running"
    );

    first.stop();
    assert!(
        query_one_text(&first, "SELECT 1").await.is_err(),
        "stop shuts the cluster down"
    );

    let second = EmbeddedCluster::start_or_attach(data_dir.path(), Durability::Throwaway).unwrap();
    assert_eq!(
        query_one_text(&second, "SELECT note FROM kept")
            .await
            .unwrap(),
        "still here"
    );
}

#[tokio::test]
async fn a_cluster_outlives_the_thread_that_started_it() {
    // The kernel's parent-death signal follows the thread that spawned the
    // server; a short-lived thread (like a pooled blocking thread) must not
    // take the server down when it ends.
    let data_dir = parent_dir();
    let path = data_dir.path().to_owned();
    let cluster = std::thread::spawn(move || {
        EmbeddedCluster::start_or_attach(&path, Durability::Throwaway).unwrap()
    })
    .join()
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    assert_eq!(
        query_one_text(&cluster, "SELECT 'alive'").await.unwrap(),
        "alive"
    );
}

#[tokio::test]
async fn a_named_directory_is_left_as_it_is_and_only_the_socket_lets_anyone_in() {
    let parent = parent_dir();
    let data_dir = parent.path().join("data");
    fs::create_dir(&data_dir).unwrap();
    fs::set_permissions(&data_dir, fs::Permissions::from_mode(0o751)).unwrap();
    let before = fingerprint(&data_dir);

    let cluster = EmbeddedCluster::start_or_attach(&data_dir, Durability::Throwaway).unwrap();
    assert_eq!(
        fingerprint(&data_dir),
        before,
        "neither re-owned nor re-moded"
    );
    let pgdata = fs::metadata(data_dir.join("pg")).unwrap();
    assert_eq!(
        pgdata.mode() & 0o777,
        0o700,
        "PostgreSQL's files are private"
    );
    let log = fs::metadata(data_dir.join("postgres.log")).unwrap();
    if is_root() {
        let postgres = nix::unistd::User::from_name("postgres").unwrap().unwrap();
        assert_eq!(
            pgdata.uid(),
            postgres.uid.as_raw(),
            "the cluster's own folder"
        );
    }
    assert_eq!(
        log.uid(),
        nix::unistd::geteuid().as_raw(),
        "written through our handle"
    );
    assert!(log.len() > 0, "PostgreSQL wrote to it");

    let rules = query_one_text(
        &cluster,
        "SELECT string_agg(type || ' ' || auth_method, ', ' ORDER BY line_number) \
         FROM pg_hba_file_rules",
    )
    .await
    .unwrap();
    let rules: Vec<&str> = rules.split(", ").collect();
    assert!(rules.contains(&"local trust"), "{rules:?}");
    assert!(
        rules
            .iter()
            .all(|rule| rule.starts_with("local ") || rule.ends_with(" reject")),
        "TCP is refused even if turned on: {rules:?}"
    );
}

#[test]
fn links_in_the_data_directory_are_refused_not_followed() {
    for (name, is_dir) in [("pg", true), ("run", true), ("postgres.log", false)] {
        let parent = parent_dir();
        let data_dir = parent.path().join("data");
        fs::create_dir(&data_dir).unwrap();
        fs::set_permissions(&data_dir, fs::Permissions::from_mode(0o755)).unwrap();
        // What a planted link would hand over: someone else's folder or file.
        let victim = parent.path().join("victim");
        if is_dir {
            fs::create_dir(&victim).unwrap();
            fs::set_permissions(&victim, fs::Permissions::from_mode(0o750)).unwrap();
        } else {
            fs::write(&victim, "not PostgreSQL's\n").unwrap();
            fs::set_permissions(&victim, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let before = fingerprint(&victim);
        symlink(&victim, data_dir.join(name)).unwrap();

        let error = EmbeddedCluster::start_or_attach(&data_dir, Durability::Throwaway)
            .expect_err(name)
            .to_string();
        assert!(
            error.contains("symbolic link") && error.contains(name),
            "{name}: {error}"
        );
        assert_eq!(
            fingerprint(&victim),
            before,
            "{name}: the target is untouched"
        );
    }
}

#[test]
fn a_hard_link_for_the_log_is_refused() {
    let parent = parent_dir();
    let data_dir = parent.path().join("data");
    fs::create_dir(&data_dir).unwrap();
    fs::set_permissions(&data_dir, fs::Permissions::from_mode(0o755)).unwrap();
    let victim = parent.path().join("victim");
    fs::write(&victim, "not PostgreSQL's\n").unwrap();
    fs::hard_link(&victim, data_dir.join("postgres.log")).unwrap();

    let error = EmbeddedCluster::start_or_attach(&data_dir, Durability::Throwaway)
        .expect_err("a shared file")
        .to_string();
    assert!(
        error.contains("postgres.log") && error.contains("link"),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "not PostgreSQL's\n");
}

#[test]
fn a_named_directory_the_cluster_user_cannot_enter_is_refused_as_root() {
    let parent = parent_dir();
    let data_dir = parent.path().join("data");
    fs::create_dir(&data_dir).unwrap();
    fs::set_permissions(&data_dir, fs::Permissions::from_mode(0o700)).unwrap();
    let before = fingerprint(&data_dir);

    let outcome = EmbeddedCluster::start_or_attach(&data_dir, Durability::Throwaway);
    if is_root() {
        // PostgreSQL runs as `postgres`, which a private root-owned folder keeps out.
        let error = outcome.expect_err("postgres cannot enter").to_string();
        assert!(
            error.contains("may not enter") && error.contains("chmod"),
            "{error}"
        );
        assert!(!data_dir.join("pg").exists(), "nothing was created");
    } else {
        // The cluster runs as the folder's owner, who may enter it.
        outcome.expect("the owner's own folder");
    }
    assert_eq!(
        fingerprint(&data_dir),
        before,
        "neither re-owned nor re-moded"
    );
}
