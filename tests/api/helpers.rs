//! `spawn_app()` and friends. One PostgreSQL per test binary; each test gets its
//! own database, copied from a template that is migrated (and seeded) once.

use deadpool_postgres::Pool;
use rolebase_api::{
    database,
    embedded::{Durability, EmbeddedCluster},
    knowledge_base::{KnowledgeBase, KnowledgeBaseSource, read_files},
    startup::Application,
    storage,
};
use std::{
    path::PathBuf,
    sync::{Mutex, OnceLock},
};
use tokio::sync::OnceCell;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub pool: Pool,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request reaches the service")
    }

    /// GETs `path`, checks the status, and returns the JSON body.
    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.json().await.expect("the body is JSON")
    }

    /// GETs `path` and checks that it answers `status` with a problem report.
    pub async fn get_problem(&self, path: &str, status: u16) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(content_type, "application/problem+json", "GET {path}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["status"], status, "GET {path}: {problem}");
        assert!(
            problem["title"].is_string() && problem["detail"].is_string(),
            "{problem}"
        );
        problem
    }
}

/// The service on the seeded knowledge base.
pub async fn spawn_app() -> TestApp {
    serve(fresh_database(Template::Seeded).await)
}

/// The service on a migrated but empty database.
pub async fn spawn_empty_app() -> TestApp {
    serve(fresh_database(Template::Empty).await)
}

/// The service on a pool of its own, e.g. one whose database is unreachable.
pub fn serve(pool: Pool) -> TestApp {
    let application =
        Application::build("127.0.0.1:0", pool.clone()).expect("the service binds a free port");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        http: reqwest::Client::new(),
        pool,
    }
}

/// The repository's knowledge-base folder.
pub fn knowledge_base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

pub fn built_in_knowledge_base() -> KnowledgeBase {
    KnowledgeBase::parse(&read_files(&KnowledgeBaseSource::BuiltIn).unwrap())
        .expect("the shipped knowledge base is valid")
}

#[derive(Clone, Copy)]
enum Template {
    Empty,
    Seeded,
}

impl Template {
    fn name(self) -> String {
        // Test binaries sharing a DATABASE_URL server must not share templates.
        let kind = match self {
            Self::Empty => "empty",
            Self::Seeded => "seeded",
        };
        format!("rolebase_template_{kind}_{}", std::process::id())
    }
}

/// A new database copied from the template, and a pool on it.
async fn fresh_database(template: Template) -> Pool {
    static TEMPLATES: OnceCell<()> = OnceCell::const_new();
    TEMPLATES.get_or_init(create_templates).await;
    let name = format!("test_{}", Uuid::new_v4().simple());
    admin_execute(&format!(
        "CREATE DATABASE \"{name}\" TEMPLATE \"{}\"",
        template.name()
    ))
    .await;
    database::pool(server_config(&name))
}

async fn create_templates() {
    for template in [Template::Empty, Template::Seeded] {
        let name = template.name();
        admin_execute(&format!("DROP DATABASE IF EXISTS \"{name}\"")).await;
        admin_execute(&format!("CREATE DATABASE \"{name}\"")).await;
        let pool = database::pool(server_config(&name));
        database::migrate(&pool)
            .await
            .expect("the migrations apply");
        if let Template::Seeded = template {
            let mut client = pool.get().await.unwrap();
            storage::knowledge_base::load(&mut client, &built_in_knowledge_base())
                .await
                .expect("the knowledge base loads");
        }
        pool.close();
    }
}

pub async fn admin_execute(sql: &str) {
    let (client, connection) = server_config("postgres")
        .connect(NoTls)
        .await
        .expect("the test server accepts connections");
    let driver = tokio::spawn(connection);
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    drop(client);
    let _ = driver.await;
}

/// Connection settings for a database of the test server.
pub fn server_config(dbname: &str) -> tokio_postgres::Config {
    match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let mut config: tokio_postgres::Config = url.parse().expect("DATABASE_URL parses");
            config.dbname(dbname);
            config
        }
        Err(_) => embedded_server()
            .as_ref()
            .expect("the test cluster runs until the process exits")
            .config(dbname),
    }
}

/// The cluster of this test binary, stopped and removed when the process exits.
fn embedded_server() -> std::sync::MutexGuard<'static, Option<EmbeddedCluster>> {
    static CLUSTER: OnceLock<Mutex<Option<EmbeddedCluster>>> = OnceLock::new();
    static DATA_DIR: OnceLock<PathBuf> = OnceLock::new();
    let cluster = CLUSTER.get_or_init(|| {
        let data_dir = DATA_DIR.get_or_init(|| {
            std::env::temp_dir().join(format!("rolebase-test-{}", std::process::id()))
        });
        let cluster = EmbeddedCluster::start_or_attach(data_dir, Durability::Throwaway)
            .expect("the embedded test cluster starts");
        // Statics are never dropped: stop the cluster on the way out instead.
        extern "C" fn stop_at_exit() {
            if let Some(mut cluster) = CLUSTER
                .get()
                .and_then(|cluster| cluster.lock().ok()?.take())
            {
                cluster.stop();
            }
            if let Some(dir) = DATA_DIR.get() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        unsafe { libc::atexit(stop_at_exit) };
        Mutex::new(Some(cluster))
    });
    cluster.lock().unwrap()
}
