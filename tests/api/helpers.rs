//! `spawn_app()` and friends. One PostgreSQL per test binary; each test gets its
//! own database, copied from a template that is migrated (and seeded) once.

use deadpool_postgres::Pool;
use rolebase_api::{
    database,
    documents::{self, RoleDocuments},
    embedded::{Durability, EmbeddedCluster},
    knowledge_base::{KnowledgeBase, KnowledgeBaseSource, read_files},
    settings::HttpSettings,
    startup::Application,
    storage,
};
use std::{
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};
use tokio::sync::OnceCell;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub pool: Pool,
    /// The rendered role documents this process keeps.
    pub documents: Arc<RoleDocuments>,
    listener: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    /// Waits until this process has applied every change committed so far,
    /// as a change made outside it (a load, an import, SQL) reaches it: by
    /// its change notification.
    pub async fn caught_up(&self) {
        if !self.documents.is_live() {
            return;
        }
        let marker = format!("{}{}", documents::MARKER, Uuid::new_v4());
        let client = self.pool.get().await.expect("a database connection");
        client
            .execute("SELECT pg_notify($1, $2)", &[&documents::CHANNEL, &marker])
            .await
            .expect("a notification is sent");
        for _ in 0..500 {
            if self.documents.last_marker() == marker {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the change notifications did not arrive within 5 s");
    }

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

/// The service's workers outlive the test (actix runs them on threads of
/// their own): closing the pool gives its database connections back.
impl Drop for TestApp {
    fn drop(&mut self) {
        self.pool.close();
        if let Some(listener) = &self.listener {
            listener.abort();
        }
    }
}

/// The service on the seeded knowledge base, with its document cache
/// listening for changes as `rolebase serve` runs it.
pub async fn spawn_app() -> TestApp {
    let name = fresh_database(Template::Seeded).await;
    serve_cached(&name).await
}

/// The service on a migrated but empty database.
pub async fn spawn_empty_app() -> TestApp {
    let name = fresh_database(Template::Empty).await;
    serve_cached(&name).await
}

/// Two processes serving one fresh seeded database, as two replicas of the
/// service would.
pub async fn spawn_two_processes() -> (TestApp, TestApp) {
    let name = fresh_database(Template::Seeded).await;
    (serve_cached(&name).await, serve_cached(&name).await)
}

/// Another process serving the database `name`: its own pool, its own cache
/// and listener.
pub async fn serve_cached(name: &str) -> TestApp {
    let documents = RoleDocuments::new(documents::DEFAULT_CAPACITY_BYTES);
    let listener = documents::listen(server_config(name), documents.clone());
    let mut app = start(
        database::pool(server_config(name)),
        documents.clone(),
        &HttpSettings::default(),
    );
    app.listener = Some(listener);
    // The cache is trusted only once subscribed: tests see the served path.
    for _ in 0..200 {
        if documents.is_live() {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the listener did not subscribe within 5 s");
}

/// The service without its document cache on a fresh seeded database,
/// through a pool of one connection: every read takes that connection, so
/// what it keeps (its prepared statements) can be looked at.
pub async fn spawn_on_one_connection() -> TestApp {
    let name = fresh_database(Template::Seeded).await;
    serve(database::pool_of(server_config(&name), 1))
}

/// The service on a pool of its own, e.g. one whose database is unreachable,
/// with no document cache.
pub fn serve(pool: Pool) -> TestApp {
    start(pool, RoleDocuments::disabled(), &HttpSettings::default())
}

/// The service on a fresh seeded database, with these HTTP settings (and no
/// document cache).
pub async fn spawn_app_with(settings: HttpSettings) -> TestApp {
    let name = fresh_database(Template::Seeded).await;
    let mut config = server_config(&name);
    database::bound(&mut config, settings.database_timeout());
    start(database::pool(config), RoleDocuments::disabled(), &settings)
}

fn start(pool: Pool, documents: Arc<RoleDocuments>, settings: &HttpSettings) -> TestApp {
    let application = Application::build("127.0.0.1:0", pool.clone(), documents.clone(), settings)
        .expect("the service binds a free port");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        http: reqwest::Client::new(),
        pool,
        documents,
        listener: None,
    }
}

/// The repository's knowledge-base folder.
pub fn knowledge_base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// How many roles the shipped knowledge base holds.
pub fn curated_role_count() -> usize {
    built_in_knowledge_base().roles.len()
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

/// A new database copied from the template; its name.
async fn fresh_database(template: Template) -> String {
    static TEMPLATES: OnceCell<()> = OnceCell::const_new();
    TEMPLATES.get_or_init(create_templates).await;
    let name = format!("test_{}", Uuid::new_v4().simple());
    admin_execute(&format!(
        "CREATE DATABASE \"{name}\" TEMPLATE \"{}\"",
        template.name()
    ))
    .await;
    name
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

// ---------------------------------------------------------------------------
// Helpers for the write API: API keys, requests, role documents, problem
// reports, and a snapshot of everything the API shows.

use rolebase_api::storage::api_keys::{self, Scope};
use serde_json::{Value, json};

/// The `include=` value that embeds every child list.
pub const ALL_CHILDREN: &str = "responsibilities,requirements,skills,salaries,career";

impl TestApp {
    /// A request to `path` on the service, to be completed and sent.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.address))
    }

    /// A new API key, made the way `rolebase api-key create` makes it.
    pub async fn api_key(&self, name: &str, scope: Scope) -> String {
        let client = self.pool.get().await.expect("a database connection");
        api_keys::create(&**client, name, scope)
            .await
            .unwrap_or_else(|error| panic!("the key `{name}` is created: {error}"))
    }

    /// A write-scoped key named `editor` (once per app: names are unique).
    pub async fn writer(&self) -> String {
        self.api_key("editor", Scope::Write).await
    }

    /// Revokes the live key of that name, the way `rolebase api-key revoke` does.
    pub async fn revoke_api_key(&self, name: &str) {
        let client = self.pool.get().await.expect("a database connection");
        let revoked = api_keys::revoke(&**client, name)
            .await
            .expect("the revocation is stored");
        assert!(revoked, "a live key was named `{name}`");
    }

    /// `GET /roles/{id}`, which must answer 200: its `ETag` and its body.
    pub async fn role(&self, id: &str) -> (String, Value) {
        let response = self.get(&format!("/roles/{id}")).await;
        assert_eq!(response.status().as_u16(), 200, "GET /roles/{id}");
        let etag = header(&response, "etag").expect("a role carries an ETag");
        (etag, response.json().await.expect("the body is JSON"))
    }

    /// `POST /roles` with `document` as JSON, authorized by `key`.
    pub async fn post_role(&self, key: &str, document: &Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, "/roles")
            .bearer_auth(key)
            .json(document)
            .send()
            .await
            .expect("the request reaches the service")
    }

    /// Creates a role, which must succeed: its id, `ETag` and body.
    pub async fn create_role(&self, key: &str, document: &Value) -> (String, String, Value) {
        let response = self.post_role(key, document).await;
        let status = response.status().as_u16();
        let etag = header(&response, "etag");
        let body: Value = response.json().await.expect("the body is JSON");
        assert_eq!(status, 201, "POST /roles: {body}");
        let id = body["id"].as_str().expect("the role has an id").to_owned();
        (id, etag.expect("a created role carries an ETag"), body)
    }

    /// `PUT /roles/{id}` with `document` and `If-Match: if_match`.
    pub async fn put_role(
        &self,
        key: &str,
        id: &str,
        if_match: &str,
        document: &Value,
    ) -> reqwest::Response {
        self.request(reqwest::Method::PUT, &format!("/roles/{id}"))
            .bearer_auth(key)
            .header("If-Match", if_match)
            .json(document)
            .send()
            .await
            .expect("the request reaches the service")
    }

    /// `PATCH /roles/{id}` with a JSON merge patch and `If-Match: if_match`.
    pub async fn patch_role(
        &self,
        key: &str,
        id: &str,
        if_match: &str,
        merge_patch: &Value,
    ) -> reqwest::Response {
        self.request(reqwest::Method::PATCH, &format!("/roles/{id}"))
            .bearer_auth(key)
            .header("If-Match", if_match)
            .header("Content-Type", "application/merge-patch+json")
            .body(merge_patch.to_string())
            .send()
            .await
            .expect("the request reaches the service")
    }

    /// `DELETE /roles/{id}` with `If-Match: if_match`.
    pub async fn delete_role(&self, key: &str, id: &str, if_match: &str) -> reqwest::Response {
        self.request(reqwest::Method::DELETE, &format!("/roles/{id}"))
            .bearer_auth(key)
            .header("If-Match", if_match)
            .send()
            .await
            .expect("the request reaches the service")
    }

    /// Every change after `since` (from the beginning when `None`), paging
    /// until an empty page, and the cursor to continue from.
    pub async fn changes_since(&self, since: Option<&str>) -> (Vec<Value>, String) {
        let mut entries = Vec::new();
        let mut since = since.map(str::to_owned);
        loop {
            let path = match &since {
                Some(cursor) => format!("/changes?limit=1000&since={}", percent_encode(cursor)),
                None => "/changes?limit=1000".to_owned(),
            };
            let page = self.get_json(&path, 200).await;
            let items = page["items"].as_array().expect("a page has items").clone();
            let next = page["next_cursor"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: next_cursor is always a string: {page}"))
                .to_owned();
            if items.is_empty() {
                if let Some(cursor) = &since {
                    assert_eq!(&next, cursor, "{path}: an empty page keeps the cursor");
                }
                return (entries, next);
            }
            entries.extend(items);
            since = Some(next);
        }
    }

    /// The slugs of every live role, following `next_cursor`.
    pub async fn role_slugs(&self) -> Vec<String> {
        let pages = self.all_pages("/roles?limit=100").await;
        pages
            .iter()
            .flat_map(|page| page["items"].as_array().expect("a page has items").iter())
            .map(|role| role["slug"].as_str().expect("a role has a slug").to_owned())
            .collect()
    }

    /// Every page of a cursor-paginated list starting at `path` (which has a
    /// query string already).
    pub async fn all_pages(&self, path: &str) -> Vec<Value> {
        let mut pages = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(page_path) = next.take() {
            let page = self.get_json(&page_path, 200).await;
            if let Some(cursor) = page["next_cursor"].as_str() {
                next = Some(format!("{path}&cursor={}", percent_encode(cursor)));
            }
            pages.push(page);
            assert!(pages.len() < 1000, "{path} never ends");
        }
        pages
    }

    /// Everything the API shows, for "nothing changed" checks: the role
    /// list, every role with all its children and its revisions, the whole
    /// change feed, the skills and the sources.
    pub async fn state(&self) -> Value {
        let role_pages = self.all_pages("/roles?limit=100").await;
        let mut roles = serde_json::Map::new();
        let slugs = role_pages
            .iter()
            .flat_map(|page| page["items"].as_array().expect("a page has items").iter())
            .map(|role| role["slug"].as_str().expect("a role has a slug").to_owned());
        for slug in slugs.collect::<Vec<_>>() {
            let path = format!("/roles/{slug}?include={ALL_CHILDREN}");
            let response = self.get(&path).await;
            assert_eq!(response.status().as_u16(), 200, "GET {path}");
            let etag = header(&response, "etag");
            let full: Value = response.json().await.expect("the body is JSON");
            let revisions = self
                .get_json(&format!("/roles/{slug}/revisions?limit=100"), 200)
                .await;
            roles.insert(
                slug,
                json!({"etag": etag, "role": full, "revisions": revisions}),
            );
        }
        let (changes, _) = self.changes_since(None).await;
        json!({
            "role_pages": role_pages,
            "roles": roles,
            "changes": changes,
            "skills": self.all_pages("/skills?limit=100").await,
            "sources": self.get_json("/sources", 200).await,
        })
    }

    /// A `postgresql://` URL for this app's own database, for the CLI.
    pub async fn database_url(&self) -> String {
        let client = self.pool.get().await.expect("a database connection");
        let name: String = client
            .query_one("SELECT current_database()", &[])
            .await
            .expect("the database names itself")
            .get(0);
        database_url_of(&name)
    }
}

/// A `postgresql://` URL for a database of the test server, for the CLI.
pub fn database_url_of(name: &str) -> String {
    let config = server_config(name);
    let mut params = Vec::new();
    match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => params.push(("host", host.clone())),
        Some(tokio_postgres::config::Host::Unix(path)) => params.push((
            "host",
            path.to_str()
                .expect("the socket folder is UTF-8")
                .to_owned(),
        )),
        None => {}
    }
    if let Some(port) = config.get_ports().first() {
        params.push(("port", port.to_string()));
    }
    if let Some(user) = config.get_user() {
        params.push(("user", user.to_owned()));
    }
    if let Some(password) = config.get_password() {
        params.push((
            "password",
            String::from_utf8(password.to_vec()).expect("the password is UTF-8"),
        ));
    }
    let query: Vec<String> = params
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect();
    format!("postgresql:///{}?{}", percent_encode(name), query.join("&"))
}

/// A response header as text; a header sent more than once (`Vary`) reads
/// as its values joined by commas, as HTTP defines it.
pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    let values: Vec<&str> = response
        .headers()
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("a text header"))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Percent-encodes everything but unreserved characters, for a query value.
pub fn percent_encode(raw: &str) -> String {
    raw.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Checks that `response` is a problem report with this status and code
/// (`type` pointing at the code's explanation), and returns it.
pub async fn expect_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    expect_problem_in("", response, status, code).await
}

/// [`expect_problem`], with `context` (what was tried) in every failure message.
pub async fn expect_problem_in(
    context: &str,
    response: reqwest::Response,
    status: u16,
    code: &str,
) -> Value {
    let actual = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let text = response.text().await.expect("the body is text");
    assert_eq!(
        actual, status,
        "{context}: expected {status} {code}, got: {text}"
    );
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "{context}: {text}"
    );
    let problem: Value = serde_json::from_str(&text).expect("the problem is JSON");
    assert_eq!(problem["code"], code, "{context}: {problem}");
    assert_eq!(problem["status"], status, "{context}: {problem}");
    assert_eq!(
        problem["type"],
        format!("/problems/{code}"),
        "{context}: {problem}"
    );
    assert!(
        problem["title"].is_string() && problem["detail"].is_string(),
        "{context}: {problem}"
    );
    problem
}

/// The `field` of each entry of a problem's `errors`, sorted; empty when it
/// has none.
pub fn error_fields(problem: &Value) -> Vec<String> {
    let Some(errors) = problem.get("errors") else {
        return vec![];
    };
    let mut fields: Vec<String> = errors
        .as_array()
        .unwrap_or_else(|| panic!("errors is a list: {problem}"))
        .iter()
        .map(|error| {
            error["field"]
                .as_str()
                .unwrap_or_else(|| panic!("each error names its field: {problem}"))
                .to_owned()
        })
        .collect();
    fields.sort();
    fields
}

/// Checks that `actual` has everything `expected` has: every key of an
/// object (more keys are allowed), lists of the same length item by item,
/// numbers by value (`150000` equals `150000.0`), the rest exactly.
pub fn assert_includes(actual: &Value, expected: &Value, at: &str) {
    match expected {
        Value::Object(fields) => {
            let object = actual
                .as_object()
                .unwrap_or_else(|| panic!("{at}: expected an object, got {actual}"));
            for (key, value) in fields {
                let found = object
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}/{key} is missing from {actual}"));
                assert_includes(found, value, &format!("{at}/{key}"));
            }
        }
        Value::Array(items) => {
            let list = actual
                .as_array()
                .unwrap_or_else(|| panic!("{at}: expected a list, got {actual}"));
            assert_eq!(list.len(), items.len(), "{at}: {actual}");
            for (index, (found, item)) in list.iter().zip(items).enumerate() {
                assert_includes(found, item, &format!("{at}/{index}"));
            }
        }
        Value::Number(number) => assert_eq!(
            actual.as_f64(),
            number.as_f64(),
            "{at}: {actual} is not {number}"
        ),
        other => assert_eq!(actual, other, "{at}"),
    }
}

/// A valid role document (the body of `POST /roles`) with one of each
/// child: a responsibility, two requirements, a skill link and a salary,
/// naming a real skill (`mentoring`) and a real source (`bls-soc-2018`);
/// every fact is the editors' own (`editorial`, by default or said).
pub fn new_role_document(slug: &str) -> Value {
    json!({
        "slug": slug,
        "title": "Platform Lead",
        "alternative_titles": ["Platform Team Lead"],
        "summary": "Leads the team that builds the internal developer platform: sets its technical direction, plans its work and mentors its engineers.",
        "description": "A Platform Lead runs the team that builds the tools, pipelines and services other engineering teams ship with.\n\n## What the work looks like\n\n- Planning the platform's roadmap with its users.\n- Reviewing designs and mentoring engineers.",
        "family": "software-engineering",
        "track": "hybrid",
        "seniority": "lead",
        "soc_codes": ["15-1252"],
        "isco_code": "2512",
        "sources": ["bls-soc-2018"],
        "responsibilities": [
            {
                "title": "Run the platform roadmap",
                "category": "delivery",
                "description": "Gather what product teams need from the platform, order the work and ship it in small steps."
            }
        ],
        "requirements": [
            {
                "kind": "experience",
                "level": "required",
                "description": "Five or more years building and running production systems.",
                "min_years": 5,
                "max_years": 8
            },
            {
                "kind": "education",
                "level": "preferred",
                "description": "A bachelor's degree in a computing subject.",
                "education_level": "bachelor",
                "fields_of_study": ["computer science"]
            }
        ],
        "skills": [{"skill": "mentoring", "importance": "essential"}],
        "salaries": [
            {
                "currency": "USD",
                "period": "annual",
                "p10": 100000.0,
                "median": 150000.0,
                "p90": 200000.0,
                "area": {"code": "US", "name": "United States", "kind": "nation"},
                "as_of": "2025-05-01",
                "soc_code": "15-1252",
                "basis": "editorial"
            }
        ]
    })
}

/// A valid role document with only the required fields: no children.
pub fn bare_role_document(slug: &str) -> Value {
    json!({
        "slug": slug,
        "title": "Bare Role",
        "summary": "A role with nothing but its required fields.",
        "description": "Nothing else is known about this role yet.",
        "family": "architecture",
        "track": "individual_contributor",
        "seniority": "senior"
    })
}

/// A response as it came off the wire: reqwest never reads the body of a
/// HEAD or a 304, so "no body" can only be checked on the socket itself.
pub struct RawResponse {
    pub status: u16,
    headers: Vec<(String, String)>,
    /// Every byte after the head, up to the server closing the connection.
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `method path` with `headers` over a fresh connection that asks to
/// be closed, and reads everything the server sends until it closes it.
pub async fn raw_request(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authority = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(authority)
        .await
        .expect("the service listens");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received))
        .await
        .expect("the service closes the connection")
        .unwrap();
    let end = received
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a complete head");
    let head = std::str::from_utf8(&received[..end]).expect("a text head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: received[end + 4..].to_vec(),
    }
}
