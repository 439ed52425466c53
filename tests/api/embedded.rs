use rolebase_api::embedded::{Durability, EmbeddedCluster};
use tokio_postgres::NoTls;

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
    let data_dir = tempfile::tempdir().unwrap();
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
    let data_dir = tempfile::tempdir().unwrap();
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
