//! How each curated fact is known: what its source says (`stated`), figures
//! from a dataset (`dataset`), or the curators' own judgement (`editorial`).

use crate::{Basis, InvalidValue, Slug, Text};

/// Where in a source a fact is said: its section or heading.
pub type Locator = Text<200>;

/// A field path of the domain (`responsibilities[2].locator`) as a JSON
/// pointer (`/responsibilities/2/locator`).
pub fn field_pointer(path: &str) -> String {
    format!(
        "/{}",
        path.replace("].", "/")
            .replace(['[', '.'], "/")
            .replace(']', "")
    )
}

/// Checks what a basis demands: a `stated` fact names its source and where
/// the source says it; a `dataset` fact names its dataset; an `editorial` fact
/// names neither, since no source says it. On failure, the field at fault.
pub fn check_attribution(
    basis: Basis,
    source: Option<&Slug>,
    locator: Option<&Locator>,
) -> Result<(), (&'static str, InvalidValue)> {
    let missing = |field: &'static str, what: &str| {
        Err((
            field,
            InvalidValue::new("missing", format!("a {basis} fact needs {what}")),
        ))
    };
    let forbidden = |field: &'static str| {
        Err((
            field,
            InvalidValue::new(
                "not_allowed",
                format!(
                    "an editorial fact names no {field}: no source says it (use basis `stated` if one does)"
                ),
            ),
        ))
    };
    match (basis, source, locator) {
        (Basis::Stated, None, _) => missing("source", "the key of the source that says it"),
        (Basis::Stated, _, None) => missing(
            "locator",
            "a locator: the section or heading of the source where it is said",
        ),
        (Basis::Dataset, None, _) => missing("source", "the key of its dataset"),
        (Basis::Editorial, Some(_), _) => forbidden("source"),
        (Basis::Editorial, _, Some(_)) => forbidden("locator"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Slug {
        Slug::parse("an-article").unwrap()
    }

    fn at() -> Locator {
        Locator::parse("What is a Technical Lead?").unwrap()
    }

    #[test]
    fn paths_become_pointers() {
        assert_eq!(
            field_pointer("responsibilities[2].locator"),
            "/responsibilities/2/locator"
        );
        assert_eq!(field_pointer("sources[0]"), "/sources/0");
        assert_eq!(field_pointer("summary_source"), "/summary_source");
    }

    #[test]
    fn each_basis_demands_its_own_fields() {
        assert!(check_attribution(Basis::Stated, Some(&key()), Some(&at())).is_ok());
        assert_eq!(
            check_attribution(Basis::Stated, None, Some(&at()))
                .unwrap_err()
                .0,
            "source"
        );
        assert_eq!(
            check_attribution(Basis::Stated, Some(&key()), None)
                .unwrap_err()
                .0,
            "locator"
        );
        assert!(check_attribution(Basis::Dataset, Some(&key()), None).is_ok());
        assert_eq!(
            check_attribution(Basis::Dataset, None, None).unwrap_err().0,
            "source"
        );
        assert!(check_attribution(Basis::Editorial, None, None).is_ok());
        assert_eq!(
            check_attribution(Basis::Editorial, Some(&key()), None)
                .unwrap_err()
                .0,
            "source"
        );
        assert_eq!(
            check_attribution(Basis::Editorial, None, Some(&at()))
                .unwrap_err()
                .0,
            "locator"
        );
    }
}
