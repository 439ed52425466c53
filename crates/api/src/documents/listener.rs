//! Keeping the cache in step with the database: a connection of its own that
//! `LISTEN`s on the channel the change triggers notify (migration V6), and
//! drops what each notification names. When the connection is lost, nothing
//! cached is trusted until it is back.

use super::RoleDocuments;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};
use uuid::Uuid;

/// The channel the triggers notify: a role's id, or `*` for all roles.
pub const CHANNEL: &str = "rolebase_documents";

/// A payload beginning with this is a marker, not a change: notifications
/// arrive in commit order, so a marker sent after a commit is received after
/// that commit's notifications (see `RoleDocuments::last_marker`).
pub const MARKER: &str = "sync:";

/// How the listening connection names itself in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "rolebase-listener";

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(5);

/// Subscribes on a connection of its own and keeps `documents` in step for
/// as long as the task runs, reconnecting (with a cleared cache) whenever the
/// connection drops. A lost connection is logged once, however long it takes
/// to come back, and its return once.
pub fn listen(
    mut config: tokio_postgres::Config,
    documents: Arc<RoleDocuments>,
) -> tokio::task::JoinHandle<()> {
    config.application_name(APPLICATION_NAME);
    tokio::spawn(async move {
        let mut retry = FIRST_RETRY;
        let mut lost = false;
        loop {
            match subscribe(&config, &documents, &mut lost).await {
                Ok(()) => {
                    tracing::warn!(
                        "the change notifications stopped; reconnecting (cached documents are not used meanwhile)"
                    );
                    retry = FIRST_RETRY;
                }
                Err(error) if !lost => {
                    tracing::warn!(%error, "could not listen for changes; retrying");
                }
                Err(error) => tracing::debug!(%error, "could not listen for changes yet"),
            }
            lost = true;
            documents.set_live(false);
            documents.clear();
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(LAST_RETRY);
        }
    })
}

/// Listens until the connection ends.
async fn subscribe(
    config: &tokio_postgres::Config,
    documents: &RoleDocuments,
    lost: &mut bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (sender, mut notifications) = mpsc::unbounded_channel();
    // The connection hands over notifications only when polled for them.
    tokio::spawn(async move {
        while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let AsyncMessage::Notification(notification) = message
                && sender.send(notification.payload().to_owned()).is_err()
            {
                break;
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    // Whatever changed before the subscription is unknown: start afresh.
    documents.clear();
    documents.set_live(true);
    if std::mem::take(lost) {
        tracing::info!("listening for changes again");
    } else {
        tracing::debug!("listening for changes");
    }
    while let Some(payload) = notifications.recv().await {
        if payload.starts_with(MARKER) {
            documents.note_marker(&payload);
        } else if let Ok(id) = Uuid::try_parse(&payload) {
            documents.role_changed(id);
        } else {
            documents.clear();
        }
    }
    drop(client);
    Ok(())
}
