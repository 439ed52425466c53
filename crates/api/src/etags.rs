//! Entity tags of role representations, derived from the role's version
//! rather than from a rendered body: a precondition or a 304 needs no rendering.
//!
//! A tag reads `"<role id>-<version>-<shared generation>-<representation>"`.
//! The shared generation moves when something shown on many roles changes (a
//! skill's name, a neighbour's title); the representation part tells apart the
//! bodies of one role at one version (`include=`, each child list and filter).

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What `GET /roles/{id}` shows without `include=`.
pub const PLAIN_ROLE: &str = "role";

pub fn role_etag(id: Uuid, version: i32, generation: i64, representation: &str) -> String {
    let digest = Sha256::digest(representation.as_bytes());
    format!(
        "\"{}-{version}-{generation}-{}\"",
        id.simple(),
        hex::encode(&digest[..4])
    )
}

/// The role id and version an entity tag was made for, if it is one of ours.
pub fn parse_role_etag(tag: &str) -> Option<(Uuid, i32)> {
    let inner = tag.trim().strip_prefix('"')?.strip_suffix('"')?;
    let mut parts = inner.split('-');
    let id = Uuid::try_parse(parts.next()?).ok()?;
    let version = parts.next()?.parse().ok()?;
    Some((id, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_names_its_role_and_version_and_differs_by_representation() {
        let id = Uuid::new_v4();
        let plain = role_etag(id, 3, 7, PLAIN_ROLE);
        assert_eq!(parse_role_etag(&plain), Some((id, 3)));
        assert_ne!(plain, role_etag(id, 3, 7, "role;include=skills"));
        assert_ne!(plain, role_etag(id, 4, 7, PLAIN_ROLE));
        assert_ne!(plain, role_etag(id, 3, 8, PLAIN_ROLE));
        assert_eq!(parse_role_etag("W/\"x\""), None);
        assert_eq!(parse_role_etag("\"abc\""), None);
    }
}
