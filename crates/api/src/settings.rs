//! Settings, each a flag and an environment variable (flags win).

use clap::Args;
use std::path::PathBuf;

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseSettings {
    /// PostgreSQL server to use, e.g. postgres://rolebase:rolebase@localhost:5432/rolebase.
    /// Without it, Rolebase runs a private cluster in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Home of the embedded cluster, used when no database URL is given
    /// [default: /var/lib/rolebase as root, the user's data folder + /rolebase otherwise]
    #[arg(long, env = "ROLEBASE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DatabaseSettings {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }
}

/// Root's home is private, and the cluster runs as the `postgres` user then, so
/// root's default lives where that user can reach it.
fn default_data_dir() -> PathBuf {
    if nix::unistd::geteuid().is_root() {
        PathBuf::from("/var/lib/rolebase")
    } else {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from(".local/share"))
            .join("rolebase")
    }
}

/// How much the service keeps in memory.
#[derive(Debug, Clone, Args)]
pub struct CacheSettings {
    /// Megabytes of rendered role documents to keep in memory; 0 turns the
    /// cache off (every read goes to the database)
    #[arg(long, env = "ROLEBASE_DOCUMENT_CACHE_MB", default_value_t = 32)]
    pub document_cache_mb: u64,
}

/// Which knowledge base to load.
#[derive(Debug, Clone, Args)]
pub struct KnowledgeBaseSettings {
    /// Folder of knowledge-base files to load instead of the copy built into
    /// the binary (e.g. `data` in a checkout, after editing it)
    #[arg(long, env = "ROLEBASE_KNOWLEDGE_BASE")]
    pub knowledge_base: Option<PathBuf>,
}

/// Which web pages on other origins may call the API from a browser (CORS).
#[derive(Debug, Clone, Default, Args)]
pub struct CorsSettings {
    /// Origins whose pages may also write (`https://admin.example.com`),
    /// separated by commas; pages on any origin may read
    #[arg(
        long = "cors-write-origins",
        env = "ROLEBASE_CORS_WRITE_ORIGINS",
        value_delimiter = ','
    )]
    pub write_origins: Vec<String>,
}

/// How many requests a client may send (see `http::rate_limit`).
#[derive(Debug, Clone, Args)]
pub struct RateLimitSettings {
    /// Requests a minute from one client address (an IPv6 client: its /64)
    /// that sends no valid API key; 0 turns the limit off
    #[arg(
        long = "rate-limit-per-address",
        env = "ROLEBASE_RATE_LIMIT_PER_ADDRESS",
        default_value_t = DEFAULT_RATE_LIMIT_PER_ADDRESS
    )]
    pub per_address: u32,

    /// Requests a minute with one API key, from wherever; 0 turns the limit off
    #[arg(
        long = "rate-limit-per-key",
        env = "ROLEBASE_RATE_LIMIT_PER_KEY",
        default_value_t = DEFAULT_RATE_LIMIT_PER_KEY
    )]
    pub per_key: u32,
}

pub const DEFAULT_RATE_LIMIT_PER_ADDRESS: u32 = 3_000;
pub const DEFAULT_RATE_LIMIT_PER_KEY: u32 = 30_000;

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            per_address: DEFAULT_RATE_LIMIT_PER_ADDRESS,
            per_key: DEFAULT_RATE_LIMIT_PER_KEY,
        }
    }
}

/// Where clients reach the service when a reverse proxy stands in front
/// (see `http::proxy`).
#[derive(Debug, Clone, Default, Args)]
pub struct ProxySettings {
    /// The address clients reach the service at, when a reverse proxy
    /// serves it under another host or a path prefix
    /// (`https://example.com/rolebase`): the OpenAPI document's server, and
    /// the prefix of every `Location` and `Link` and of Swagger UI's calls
    #[arg(long, env = "ROLEBASE_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<url::Url>,

    /// Proxies whose `X-Forwarded-Prefix`, `Forwarded` and `X-Forwarded-For`
    /// headers are believed: addresses or networks (`127.0.0.1`,
    /// `10.0.0.0/8`), separated by commas. From anyone else, those headers
    /// are ignored
    #[arg(
        long,
        env = "ROLEBASE_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = parse_network
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

fn parse_public_url(text: &str) -> Result<url::Url, String> {
    let mut url = url::Url::parse(text.trim()).map_err(|error| {
        format!(
            "`{text}` is not an absolute URL ({error}); write it as https://example.com/rolebase"
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{text}` must be an http or https URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{text}` must have no query or fragment"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            format!("`{text}` is neither an address (10.0.0.5) nor a network (10.0.0.0/8)")
        })
}

/// How the service answers over HTTP.
#[derive(Debug, Clone, Args)]
pub struct HttpSettings {
    #[command(flatten)]
    pub cors: CorsSettings,

    #[command(flatten)]
    pub proxy: ProxySettings,

    #[command(flatten)]
    pub rate_limits: RateLimitSettings,

    /// Milliseconds a request may wait on the database (its statements, a
    /// connection, a hung server) before it answers 503 with `Retry-After`
    #[arg(
        long,
        env = "ROLEBASE_DATABASE_TIMEOUT_MS",
        default_value_t = DEFAULT_DATABASE_TIMEOUT_MS,
        value_parser = clap::value_parser!(u64).range(100..=600_000)
    )]
    pub database_timeout_ms: u64,

    /// Seconds `serve` takes, after SIGTERM or SIGINT, to answer the requests
    /// under way and close its connections before it stops anyway
    #[arg(
        long,
        env = "ROLEBASE_SHUTDOWN_GRACE_SECS",
        default_value_t = DEFAULT_SHUTDOWN_GRACE_SECS,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub shutdown_grace_secs: u64,
}

pub const DEFAULT_DATABASE_TIMEOUT_MS: u64 = 5_000;
pub const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            cors: CorsSettings::default(),
            proxy: ProxySettings::default(),
            rate_limits: RateLimitSettings::default(),
            database_timeout_ms: DEFAULT_DATABASE_TIMEOUT_MS,
            shutdown_grace_secs: DEFAULT_SHUTDOWN_GRACE_SECS,
        }
    }
}

impl HttpSettings {
    pub fn database_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.database_timeout_ms)
    }
}
