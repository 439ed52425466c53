//! Opening the database: the server `DATABASE_URL` names, or the embedded
//! cluster; the connection pool; migrations.

use crate::{
    embedded::{Durability, EmbeddedCluster},
    settings::DatabaseSettings,
};
use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::time::Duration;
use tokio_postgres::NoTls;

/// The database the embedded cluster keeps Rolebase's data in.
pub const EMBEDDED_DATABASE: &str = "rolebase";
const POOL_SIZE: usize = 16;
/// How long a request waits for a connection before it answers 503.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

mod embedded_migrations {
    refinery::embed_migrations!("../../migrations");
}

/// An open database; holds the embedded cluster, if one was started, for as
/// long as it lives.
pub struct Database {
    pub pool: Pool,
    /// Where the pool connects, for connections of their own (change notifications).
    pub config: tokio_postgres::Config,
    pub cluster: Option<EmbeddedCluster>,
}

impl Database {
    /// Opens the database for a command: statements run as long as they need.
    pub async fn open(settings: &DatabaseSettings) -> anyhow::Result<Self> {
        Self::open_unbounded(settings).await
    }

    /// Opens the database for serving: no statement may run longer than
    /// `statement_timeout`, and the embedded cluster, if there is one, is
    /// started again whenever it stops.
    pub async fn open_for_serving(
        settings: &DatabaseSettings,
        statement_timeout: Duration,
    ) -> anyhow::Result<Self> {
        let mut database = Self::open_unbounded(settings).await?;
        bound(&mut database.config, statement_timeout);
        database.pool = pool(database.config.clone());
        if let Some(cluster) = database.cluster.as_mut() {
            cluster.supervise();
        }
        Ok(database)
    }

    async fn open_unbounded(settings: &DatabaseSettings) -> anyhow::Result<Self> {
        match &settings.database_url {
            Some(url) => {
                let mut config: tokio_postgres::Config = url
                    .parse()
                    .context("DATABASE_URL is not a valid PostgreSQL connection string")?;
                // A server that vanishes without closing (a cut network, a
                // crashed host) is noticed in about a minute, not two hours.
                config
                    .keepalives(true)
                    .keepalives_idle(Duration::from_secs(30))
                    .keepalives_interval(Duration::from_secs(10))
                    .keepalives_retries(3);
                Ok(Self {
                    pool: pool(config.clone()),
                    config,
                    cluster: None,
                })
            }
            None => {
                let data_dir = settings.data_dir();
                let cluster = tokio::task::spawn_blocking(move || {
                    EmbeddedCluster::start_or_attach(&data_dir, Durability::Safe)
                })
                .await??;
                create_database_if_missing(&cluster.config("postgres"), EMBEDDED_DATABASE).await?;
                let config = cluster.config(EMBEDDED_DATABASE);
                Ok(Self {
                    pool: pool(config.clone()),
                    config,
                    cluster: Some(cluster),
                })
            }
        }
    }

    /// Stops the embedded cluster, if this process started it.
    pub fn close(mut self) {
        self.pool.close();
        if let Some(cluster) = self.cluster.as_mut() {
            cluster.stop();
        }
    }
}

/// Connections of `config` end any statement that runs past `timeout`
/// (PostgreSQL's `statement_timeout`, lock waits included).
pub fn bound(config: &mut tokio_postgres::Config, timeout: Duration) {
    config.options(format!("-c statement_timeout={}", timeout.as_millis()));
}

pub fn pool(config: tokio_postgres::Config) -> Pool {
    pool_of(config, POOL_SIZE)
}

/// A pool of at most `max_size` connections. (Sized here, not by `resize`
/// later: deadpool only gives back the permits of connections it holds.)
pub fn pool_of(config: tokio_postgres::Config, max_size: usize) -> Pool {
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(POOL_TIMEOUT))
        .create_timeout(Some(POOL_TIMEOUT))
        .build()
        .expect("a pool with a runtime and timeouts always builds")
}

pub async fn create_database_if_missing(
    admin: &tokio_postgres::Config,
    name: &str,
) -> anyhow::Result<()> {
    let (client, connection) = admin
        .connect(NoTls)
        .await
        .context("could not connect to PostgreSQL")?;
    let driver = tokio::spawn(connection);
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await?
        .is_some();
    if !exists {
        // Identifiers cannot be bound as parameters; the name is ours, not a user's.
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        tracing::info!(database = name, "created the database");
    }
    drop(client);
    let _ = driver.await;
    Ok(())
}

/// Applies the migrations in `migrations/` that the database has not seen,
/// and names them (none when it was up to date). An advisory lock keeps two
/// processes starting at once from racing.
pub async fn migrate(pool: &Pool) -> anyhow::Result<Vec<String>> {
    let mut client = pool
        .get()
        .await
        .context("could not connect to the database")?;
    client
        .batch_execute("SELECT pg_advisory_lock(7401)")
        .await?;
    let client_ref: &mut tokio_postgres::Client = &mut client;
    let outcome = embedded_migrations::migrations::runner()
        .run_async(client_ref)
        .await;
    client
        .batch_execute("SELECT pg_advisory_unlock(7401)")
        .await?;
    let report = outcome.context("could not apply the migrations")?;
    let applied: Vec<String> = report
        .applied_migrations()
        .iter()
        .map(ToString::to_string)
        .collect();
    for migration in &applied {
        tracing::info!(migration = %migration, "applied migration");
    }
    Ok(applied)
}
