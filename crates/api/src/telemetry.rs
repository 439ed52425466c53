//! Logging: `RUST_LOG` (or `--log-level`) filters, output goes to stderr.

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|error| {
        eprintln!("ignoring the log filter `{filter}` ({error}); using `info`");
        EnvFilter::new("info")
    });
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
