//! Rendered role documents kept in memory: the JSON bytes and entity tag of
//! each representation of a role (the role, each `include=`, each child list),
//! so that a repeated read, or its 304, never touches the database. Beside
//! them, whole responses of reads that span roles (lists, search, compare),
//! which any change drops.
//!
//! The cache is only trusted while this process listens to the database's
//! change notifications (`listener`): every commit that can alter a role's
//! documents drops them here, in every process. Without the listener (not yet
//! subscribed, or the connection lost) every read goes to the database.

mod listener;

pub use listener::{APPLICATION_NAME, CHANNEL, MARKER, listen};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use moka::sync::Cache;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// One rendered representation of a role.
#[derive(Debug)]
pub struct Rendered {
    pub role_id: Uuid,
    pub etag: String,
    pub last_modified: DateTime<Utc>,
    /// Its media type: JSON for most, JSON-LD, Markdown or HTML for the
    /// documents job boards publish.
    pub content_type: &'static str,
    pub body: Bytes,
}

/// A response to a read that spans roles, kept whole: its headers and body.
#[derive(Debug)]
pub struct CachedResponse {
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Reads answered from memory (hits) and from the database (misses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheCounts {
    pub document_hits: u64,
    pub document_misses: u64,
    pub response_hits: u64,
    pub response_misses: u64,
}

fn count(hits: &AtomicU64, misses: &AtomicU64, hit: bool) {
    if hit { hits } else { misses }.fetch_add(1, Ordering::Relaxed);
}

/// Abbreviations people type, with what they stand for.
pub type Synonyms = HashMap<String, String>;

/// A representation is named by the role as the path gives it (slug or UUID)
/// and by the body's kind with its query (`skills?importance=essential`).
type Key = (String, String);

pub struct RoleDocuments {
    cache: Cache<Key, Arc<Rendered>>,
    /// Responses by path and query; every notification drops them all.
    responses: Cache<String, Arc<CachedResponse>>,
    /// The search synonyms (abbreviation to expansion), so that a search asks
    /// the database once; dropped with everything else on a change of any kind.
    synonyms: Mutex<Option<Arc<Synonyms>>>,
    /// Moves with every notification: a document rendered across a change
    /// is not kept.
    epoch: AtomicU64,
    /// Reads answered from memory and not, for `/metrics`.
    document_hits: AtomicU64,
    document_misses: AtomicU64,
    response_hits: AtomicU64,
    response_misses: AtomicU64,
    /// Whether notifications are being received, so cached documents can be trusted.
    live: AtomicBool,
    /// The last `sync:` marker received: whoever sent it after a change
    /// knows, once it is here, that the change was applied.
    last_marker: Mutex<String>,
}

/// The documents cached at most, by their weight in bytes.
pub const DEFAULT_CAPACITY_BYTES: u64 = 32 * 1024 * 1024;

impl RoleDocuments {
    /// An empty cache holding at most `capacity_bytes` of documents; it is
    /// not used until `listen` has subscribed.
    pub fn new(capacity_bytes: u64) -> Arc<Self> {
        let cache = Cache::builder()
            .max_capacity(capacity_bytes)
            .weigher(|key: &Key, value: &Arc<Rendered>| {
                let weight = key.0.len() + key.1.len() + value.etag.len() + value.body.len() + 64;
                u32::try_from(weight).unwrap_or(u32::MAX)
            })
            .support_invalidation_closures()
            .build();
        let responses = Cache::builder()
            .max_capacity(capacity_bytes / 4)
            .weigher(|uri: &String, response: &Arc<CachedResponse>| {
                let headers: usize = response
                    .headers
                    .iter()
                    .map(|(n, v)| n.len() + v.len())
                    .sum();
                u32::try_from(uri.len() + headers + response.body.len() + 64).unwrap_or(u32::MAX)
            })
            .build();
        Arc::new(Self {
            cache,
            responses,
            synonyms: Mutex::new(None),
            document_hits: AtomicU64::new(0),
            document_misses: AtomicU64::new(0),
            response_hits: AtomicU64::new(0),
            response_misses: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
            live: AtomicBool::new(false),
            last_marker: Mutex::new(String::new()),
        })
    }

    /// A cache that is never used: every read goes to the database.
    pub fn disabled() -> Arc<Self> {
        Self::new(0)
    }

    pub fn get(&self, role: &str, representation: &str) -> Option<Arc<Rendered>> {
        let found = self
            .live
            .load(Ordering::Acquire)
            .then(|| {
                self.cache
                    .get(&(role.to_owned(), representation.to_owned()))
            })
            .flatten();
        count(&self.document_hits, &self.document_misses, found.is_some());
        found
    }

    /// Where the notifications stand; take it before reading the database.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a document read after `epoch` was taken, unless a change was
    /// notified since: it may have been rendered from the state before it.
    pub fn insert(&self, epoch: u64, role: &str, representation: &str, rendered: Arc<Rendered>) {
        if !self.live.load(Ordering::Acquire) || self.epoch() != epoch {
            return;
        }
        let key = (role.to_owned(), representation.to_owned());
        self.cache.insert(key.clone(), rendered);
        // A notification between the check and the insert: undo.
        if self.epoch() != epoch {
            self.cache.invalidate(&key);
        }
    }

    /// The kept response to a read that spans roles, by its path and query.
    pub fn response(&self, uri: &str) -> Option<Arc<CachedResponse>> {
        let found = self
            .live
            .load(Ordering::Acquire)
            .then(|| self.responses.get(uri))
            .flatten();
        count(&self.response_hits, &self.response_misses, found.is_some());
        found
    }

    /// How many reads were answered from memory, and how many were not.
    pub fn counts(&self) -> CacheCounts {
        CacheCounts {
            document_hits: self.document_hits.load(Ordering::Relaxed),
            document_misses: self.document_misses.load(Ordering::Relaxed),
            response_hits: self.response_hits.load(Ordering::Relaxed),
            response_misses: self.response_misses.load(Ordering::Relaxed),
        }
    }

    /// Keeps a response read after `epoch` was taken, as `insert` does.
    pub fn keep_response(&self, epoch: u64, uri: &str, response: Arc<CachedResponse>) {
        if !self.live.load(Ordering::Acquire) || self.epoch() != epoch {
            return;
        }
        self.responses.insert(uri.to_owned(), response);
        if self.epoch() != epoch {
            self.responses.invalidate(uri);
        }
    }

    /// The search synonyms as last read, while they can be trusted.
    pub fn synonyms(&self) -> Option<Arc<Synonyms>> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        self.synonyms.lock().ok()?.clone()
    }

    /// Keeps synonyms read after `epoch` was taken, as `insert` does.
    pub fn keep_synonyms(&self, epoch: u64, synonyms: Arc<Synonyms>) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut kept) = self.synonyms.lock()
            // Checked under the lock that `clear` takes after moving the
            // epoch: synonyms read before a change cannot outlive it.
            && self.epoch() == epoch
        {
            *kept = Some(synonyms);
        }
    }

    /// A role changed (or was deleted): its documents go, and every kept
    /// response, since any of them may show it.
    pub fn role_changed(&self, id: Uuid) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.responses.invalidate_all();
        // Predicates only fail when the cache was built without them, as it is not.
        let _ = self
            .cache
            .invalidate_entries_if(move |_, rendered| rendered.role_id == id);
    }

    /// Something many roles show changed, or notifications may have been
    /// missed: every document goes.
    pub fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.cache.invalidate_all();
        self.responses.invalidate_all();
        if let Ok(mut synonyms) = self.synonyms.lock() {
            *synonyms = None;
        }
    }

    fn set_live(&self, live: bool) {
        self.live.store(live, Ordering::Release);
    }

    /// The last marker the listener received (see `listener::MARKER`).
    pub fn last_marker(&self) -> String {
        self.last_marker
            .lock()
            .map(|marker| marker.clone())
            .unwrap_or_default()
    }

    fn note_marker(&self, marker: &str) {
        if let Ok(mut last) = self.last_marker.lock() {
            *last = marker.to_owned();
        }
    }

    /// Whether cached documents are being served.
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(role_id: Uuid) -> Arc<Rendered> {
        Arc::new(Rendered {
            role_id,
            etag: "\"t\"".into(),
            last_modified: Utc::now(),
            content_type: "application/json",
            body: Bytes::from_static(b"{}"),
        })
    }

    #[test]
    fn nothing_is_served_until_notifications_are_received() {
        let documents = RoleDocuments::new(1 << 20);
        let id = Uuid::new_v4();
        documents.insert(documents.epoch(), "lead", "role", rendered(id));
        assert!(documents.get("lead", "role").is_none());
        documents.set_live(true);
        documents.insert(documents.epoch(), "lead", "role", rendered(id));
        assert!(documents.get("lead", "role").is_some());
        documents.set_live(false);
        assert!(documents.get("lead", "role").is_none());
    }

    #[test]
    fn a_change_drops_that_roles_documents_only() {
        let documents = RoleDocuments::new(1 << 20);
        documents.set_live(true);
        let (lead, manager) = (Uuid::new_v4(), Uuid::new_v4());
        for representation in ["role", "skills"] {
            documents.insert(documents.epoch(), "lead", representation, rendered(lead));
        }
        documents.insert(documents.epoch(), "manager", "role", rendered(manager));
        documents.role_changed(lead);
        assert!(documents.get("lead", "role").is_none());
        assert!(documents.get("lead", "skills").is_none());
        assert!(documents.get("manager", "role").is_some());
        documents.clear();
        assert!(documents.get("manager", "role").is_none());
    }

    #[test]
    fn any_change_drops_every_kept_response() {
        let documents = RoleDocuments::new(1 << 20);
        documents.set_live(true);
        let response = || {
            Arc::new(CachedResponse {
                headers: vec![],
                body: Bytes::from_static(b"[]"),
            })
        };
        documents.keep_response(documents.epoch(), "/roles", response());
        assert!(documents.response("/roles").is_some());
        documents.role_changed(Uuid::new_v4());
        assert!(documents.response("/roles").is_none());
        let before = documents.epoch();
        documents.clear();
        documents.keep_response(before, "/roles", response());
        assert!(
            documents.response("/roles").is_none(),
            "read across a change"
        );
    }

    #[test]
    fn a_document_rendered_across_a_change_is_not_kept() {
        let documents = RoleDocuments::new(1 << 20);
        documents.set_live(true);
        let id = Uuid::new_v4();
        let before = documents.epoch();
        documents.role_changed(Uuid::new_v4());
        documents.insert(before, "lead", "role", rendered(id));
        assert!(documents.get("lead", "role").is_none());
    }
}
