//! The closed vocabularies of the model. Declaration order is meaningful where
//! the values are ranked (seniority, education level): `Ord` follows it.

use crate::InvalidValue;
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use utoipa::ToSchema;

/// Declares an enum whose wire form is a fixed string per variant, with `ALL`,
/// `as_str`, `FromStr` (naming the allowed values on failure) and `Display`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = InvalidValue;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|value| value.as_str() == raw).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|value| value.as_str()).collect();
                    InvalidValue::new(
                        "unknown_value",
                        format!("`{raw}` is not one of: {}", allowed.join(", ")),
                    )
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// The job family a role belongs to.
    Family {
        SoftwareEngineering => "software-engineering",
        EngineeringManagement => "engineering-management",
        Architecture => "architecture",
        ProjectManagement => "project-management",
        MediaProduction => "media-production",
        ProductManagement => "product-management",
        Infrastructure => "infrastructure",
        QualityAssurance => "quality-assurance",
        Security => "security",
        DataAndMl => "data-and-ml",
        HardwareEngineering => "hardware-engineering",
    }
);

string_enum!(
    /// How a curated fact is known.
    Basis {
        /// The named source says it, at the given locator.
        Stated => "stated",
        /// Figures taken from a dataset.
        Dataset => "dataset",
        /// The curators' own judgement; no source is named.
        Editorial => "editorial",
    }
);

string_enum!(
    /// Whether a role grows through its own work, through other people, or both.
    Track {
        IndividualContributor => "individual_contributor",
        Management => "management",
        Hybrid => "hybrid",
    }
);

string_enum!(
    /// How senior a role is, from entry level up.
    Seniority {
        Entry => "entry",
        Mid => "mid",
        Senior => "senior",
        Lead => "lead",
        Principal => "principal",
        Director => "director",
        Executive => "executive",
    }
);

string_enum!(
    /// The level a job posting advertises, as a word of its title.
    PostingSeniority {
        Junior => "junior",
        Mid => "mid",
        Senior => "senior",
        Staff => "staff",
        Principal => "principal",
        Lead => "lead",
    }
);

string_enum!(
    /// What area of work a responsibility belongs to.
    ResponsibilityCategory {
        Delivery => "delivery",
        Quality => "quality",
        Architecture => "architecture",
        People => "people",
        Stakeholders => "stakeholders",
        Operations => "operations",
        Strategy => "strategy",
        Security => "security",
    }
);

string_enum!(
    /// What a requirement asks for.
    RequirementKind {
        Education => "education",
        Experience => "experience",
        Certification => "certification",
        Training => "training",
        License => "license",
        Skill => "skill",
    }
);

string_enum!(
    /// Whether a requirement must be met or only counts in a candidate's favour.
    RequirementLevel {
        Required => "required",
        Preferred => "preferred",
    }
);

string_enum!(
    /// A level of formal education, lowest first.
    EducationLevel {
        HighSchool => "high_school",
        Associate => "associate",
        Bachelor => "bachelor",
        Master => "master",
        Doctorate => "doctorate",
    }
);

string_enum!(
    /// What sort of skill a skill is.
    SkillKind {
        Technical => "technical",
        Soft => "soft",
        Domain => "domain",
        Tool => "tool",
    }
);

string_enum!(
    /// How much a role needs a skill.
    SkillImportance {
        Essential => "essential",
        Optional => "optional",
    }
);

string_enum!(
    /// What sort of move a career step is.
    CareerStepKind {
        Promotion => "promotion",
        Lateral => "lateral",
        TrackChange => "track_change",
    }
);

string_enum!(
    /// The aspects along which two roles are compared.
    ComparisonAspect {
        Duties => "duties",
        Requirements => "requirements",
        Skills => "skills",
        Environment => "environment",
        Salary => "salary",
        Focus => "focus",
        Scope => "scope",
    }
);

string_enum!(
    /// The period a salary figure is paid for.
    SalaryPeriod {
        Annual => "annual",
        Hourly => "hourly",
    }
);

string_enum!(
    /// The kind of area a salary figure describes.
    AreaKind {
        Nation => "nation",
        State => "state",
        Metro => "metro",
    }
);

string_enum!(
    /// What a search hit is.
    SearchKind {
        Role => "role",
        Skill => "skill",
        Occupation => "occupation",
    }
);

string_enum!(
    /// Which field of a search hit matched the query.
    MatchedField {
        Title => "title",
        AlternativeTitle => "alternative_title",
        Summary => "summary",
        Skill => "skill",
        Description => "description",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_matches_serde_and_parses_back() {
        for track in Track::ALL {
            let json = serde_json::to_string(track).unwrap();
            assert_eq!(json, format!("\"{}\"", track.as_str()));
            assert_eq!(track.as_str().parse::<Track>().unwrap(), *track);
        }
        assert_eq!(Family::SoftwareEngineering.as_str(), "software-engineering");
        assert_eq!(EducationLevel::HighSchool.as_str(), "high_school");
        assert_eq!(CareerStepKind::TrackChange.as_str(), "track_change");
    }

    #[test]
    fn unknown_values_are_refused_with_the_allowed_ones_listed() {
        let error = "boss".parse::<Seniority>().unwrap_err();
        assert_eq!(error.code, "unknown_value");
        assert!(
            error.message.contains("entry, mid, senior"),
            "{}",
            error.message
        );
        assert!(
            "Lead".parse::<Seniority>().is_err(),
            "values are case-sensitive"
        );
    }

    #[test]
    fn ranked_vocabularies_order_lowest_first() {
        assert!(Seniority::Entry < Seniority::Senior);
        assert!(Seniority::Lead < Seniority::Director);
        assert!(EducationLevel::HighSchool < EducationLevel::Bachelor);
        assert!(EducationLevel::Master < EducationLevel::Doctorate);
    }
}
