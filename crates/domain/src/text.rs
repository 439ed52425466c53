//! Bounded text: trimmed, never empty, never longer than its bound.

use crate::InvalidValue;
use serde::{Deserialize, Serialize};

/// Text of 1 to `MAX` characters (Unicode scalar values), trimmed. NUL is refused
/// because PostgreSQL cannot store it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MAX: usize>(String);

/// A title or a name shown in a heading.
pub type Title = Text<120>;

impl<const MAX: usize> Text<MAX> {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        if length == 0 {
            return Err(InvalidValue::new("empty", "must not be empty"));
        }
        if length > MAX {
            return Err(InvalidValue::new(
                "too_long",
                format!("must be at most {MAX} characters, got {length}"),
            ));
        }
        if trimmed.contains('\0') {
            return Err(InvalidValue::new(
                "invalid_character",
                "must not contain the NUL character",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> AsRef<str> for Text<MAX> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for Text<MAX> {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl<const MAX: usize> From<Text<MAX>> for String {
    fn from(value: Text<MAX>) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_trimmed() {
        assert_eq!(Text::<10>::parse("  lead \n").unwrap().as_str(), "lead");
    }

    #[test]
    fn empty_and_blank_text_is_refused() {
        assert_eq!(Text::<10>::parse("").unwrap_err().code, "empty");
        assert_eq!(Text::<10>::parse(" \t\n").unwrap_err().code, "empty");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(Text::<3>::parse("äöü").is_ok());
        assert_eq!(Text::<3>::parse("äöüß").unwrap_err().code, "too_long");
    }

    #[test]
    fn nul_is_refused() {
        assert_eq!(
            Text::<10>::parse("a\0b").unwrap_err().code,
            "invalid_character"
        );
    }

    proptest! {
        #[test]
        fn parsed_text_respects_its_bound(raw in "\\PC{0,40}") {
            if let Ok(text) = Text::<20>::parse(&raw) {
                let length = text.as_str().chars().count();
                prop_assert!((1..=20).contains(&length));
                prop_assert_eq!(text.as_str(), text.as_str().trim());
            }
        }
    }
}
