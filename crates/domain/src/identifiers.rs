//! Identifiers with a fixed shape: slugs, occupation codes, currency codes.

use crate::InvalidValue;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The conversions every string newtype here shares: serde through `parse`,
/// `AsRef<str>`, `Display`, and back into a `String`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $name {
            type Error = InvalidValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

/// A lowercase kebab-case key such as `technical-lead`: 1–100 characters of
/// `a-z` and `0-9` in words joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);
string_newtype!(Slug);

impl Slug {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let well_formed = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidValue::new(
                "invalid_slug",
                format!(
                    "`{}` is not a slug: use 1–{} lowercase letters and digits in words joined by single hyphens, like `technical-lead`",
                    abbreviate(raw),
                    Self::MAX_LEN
                ),
            ))
        }
    }
}

/// A 2018 Standard Occupational Classification code, `NN-NNNN` (e.g. `15-1252`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SocCode(String);
string_newtype!(SocCode);

impl SocCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let bytes = raw.as_bytes();
        let well_formed = bytes.len() == 7
            && bytes[2] == b'-'
            && bytes[..2].iter().chain(&bytes[3..]).all(u8::is_ascii_digit);
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidValue::new(
                "invalid_soc_code",
                format!(
                    "`{}` is not a SOC 2018 code: expected NN-NNNN, like `15-1252`",
                    abbreviate(raw)
                ),
            ))
        }
    }
}

/// An ISCO-08 unit group code: four digits (e.g. `2512`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IscoCode(String);
string_newtype!(IscoCode);

impl IscoCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        if raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidValue::new(
                "invalid_isco_code",
                format!(
                    "`{}` is not an ISCO-08 code: expected four digits, like `2512`",
                    abbreviate(raw)
                ),
            ))
        }
    }
}

/// An active ISO 4217 currency code, such as `USD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(String);
string_newtype!(CurrencyCode);

impl CurrencyCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match iso_currency::Currency::from_code(raw) {
            Some(currency) => Ok(Self(currency.code().to_owned())),
            None => Err(InvalidValue::new(
                "invalid_currency",
                format!(
                    "`{}` is not an ISO 4217 currency code, like `USD`",
                    abbreviate(raw)
                ),
            )),
        }
    }
}

impl CurrencyCode {
    /// US dollars: the currency of imported U.S. wages.
    pub fn usd() -> Self {
        Self("USD".to_owned())
    }

    /// Every active ISO 4217 code, sorted.
    pub fn all() -> Vec<&'static str> {
        use iso_currency::IntoEnumIterator;
        let mut codes: Vec<&'static str> = iso_currency::Currency::iter()
            .map(|currency| currency.code())
            .collect();
        codes.sort_unstable();
        codes
    }
}

/// How a caller names a role in a path: its UUID or its slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleRef {
    Id(Uuid),
    Slug(Slug),
}

impl RoleRef {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        // A slug never has the 8-4-4-4-12 shape of a hyphenated UUID with hex
        // letters, but `Uuid::parse_str` also takes other spellings; only the
        // canonical hyphenated form is read as an id.
        if raw.len() == 36
            && let Ok(id) = Uuid::try_parse(raw)
        {
            return Ok(Self::Id(id));
        }
        Slug::parse(raw).map(Self::Slug).map_err(|_| {
            InvalidValue::new(
                "invalid_role_id",
                format!(
                    "`{}` is neither a role UUID nor a role slug (lowercase words joined by hyphens, like `technical-lead`)",
                    abbreviate(raw)
                ),
            )
        })
    }
}

impl fmt::Display for RoleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => id.fmt(f),
            Self::Slug(slug) => slug.fmt(f),
        }
    }
}

/// Echoes a refused value in a message without letting a huge input through.
fn abbreviate(raw: &str) -> String {
    const SHOWN: usize = 60;
    if raw.chars().count() <= SHOWN {
        raw.to_owned()
    } else {
        let head: String = raw.chars().take(SHOWN).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_lowercase_kebab_case() {
        for good in [
            "technical-lead",
            "a",
            "staff-engineer-2",
            "technical-director-film-tv",
        ] {
            assert!(Slug::parse(good).is_ok(), "{good} should be a slug");
        }
        for bad in [
            "",
            "Technical-Lead",
            "technical lead",
            "-lead",
            "lead-",
            "tech--lead",
            "tech_lead",
            "café",
            &"a".repeat(101),
        ] {
            assert_eq!(
                Slug::parse(bad).unwrap_err().code,
                "invalid_slug",
                "{bad:?} should not be a slug"
            );
        }
    }

    #[test]
    fn soc_codes_have_the_nn_nnnn_shape() {
        assert_eq!(SocCode::parse("15-1252").unwrap().as_str(), "15-1252");
        for bad in [
            "151252", "15-125", "15-12520", "1a-1252", "15_1252", " 15-1252", "",
        ] {
            assert!(
                SocCode::parse(bad).is_err(),
                "{bad:?} should not be a SOC code"
            );
        }
    }

    #[test]
    fn isco_codes_are_four_digits() {
        assert!(IscoCode::parse("2512").is_ok());
        for bad in ["251", "25120", "25a2", ""] {
            assert!(
                IscoCode::parse(bad).is_err(),
                "{bad:?} should not be an ISCO code"
            );
        }
    }

    #[test]
    fn currency_codes_must_exist_in_iso_4217() {
        assert_eq!(CurrencyCode::parse("USD").unwrap().as_str(), "USD");
        assert!(CurrencyCode::parse("EUR").is_ok());
        for bad in ["usd", "US", "XYZ", "DOLLAR", ""] {
            assert!(
                CurrencyCode::parse(bad).is_err(),
                "{bad:?} should not be a currency"
            );
        }
    }

    #[test]
    fn every_listed_currency_code_parses() {
        let all = CurrencyCode::all();
        assert!(all.len() > 150 && all.contains(&"USD") && all.contains(&"EUR"));
        assert!(all.iter().all(|code| CurrencyCode::parse(code).is_ok()));
    }

    #[test]
    fn a_role_is_named_by_uuid_or_slug() {
        let id = "6f1c2a52-1c1e-4f61-9d5c-2f0d6d3f8a10";
        assert_eq!(
            RoleRef::parse(id).unwrap(),
            RoleRef::Id(id.parse().unwrap())
        );
        assert_eq!(
            RoleRef::parse("technical-lead").unwrap(),
            RoleRef::Slug(Slug::parse("technical-lead").unwrap())
        );
        for bad in [
            "Technical Lead",
            "x y",
            "{6f1c2a52-1c1e-4f61-9d5c-2f0d6d3f8a10}",
            "",
        ] {
            assert_eq!(
                RoleRef::parse(bad).unwrap_err().code,
                "invalid_role_id",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn long_refused_values_are_abbreviated_in_messages() {
        let message = Slug::parse(&"X".repeat(5000)).unwrap_err().message;
        assert!(message.len() < 400, "{message}");
    }

    proptest! {
        #[test]
        fn every_parsed_slug_round_trips_through_serde(raw in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,4}") {
            let slug = Slug::parse(&raw).unwrap();
            let json = serde_json::to_string(&slug).unwrap();
            prop_assert_eq!(serde_json::from_str::<Slug>(&json).unwrap(), slug);
        }

        // Drawn from the slug alphabet, so about half are slugs and half
        // break a hyphen rule: both sides of the rule are exercised.
        #[test]
        fn a_slug_is_lowercase_words_joined_by_single_hyphens(raw in "[a-z0-9-]{0,12}") {
            let expected = !raw.is_empty()
                && !raw.starts_with('-')
                && !raw.ends_with('-')
                && !raw.contains("--");
            prop_assert_eq!(Slug::parse(&raw).is_ok(), expected, "{:?}", raw);
        }

        #[test]
        fn a_slug_never_holds_an_uppercase_letter_space_or_underscore(
            head in "[a-z0-9]{1,6}",
            odd in "[A-Z _.]",
            tail in "[a-z0-9]{0,6}",
        ) {
            let raw = format!("{head}{odd}{tail}");
            prop_assert!(Slug::parse(&raw).is_err(), "{:?}", raw);
        }
    }
}
