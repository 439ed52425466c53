//! Requirements: what a role asks of a candidate, structured by kind so that an
//! HR tool never has to parse prose.

use crate::{
    Basis, EducationLevel, InvalidValue, Locator, RequirementKind, RequirementLevel, Slug, Text,
    Title,
};
use serde::{Deserialize, Serialize};

/// Years of experience: `min` up to an optional `max`, with `min ≤ max ≤ 60`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExperienceYears {
    min: u8,
    max: Option<u8>,
}

impl ExperienceYears {
    pub const MOST: u8 = 60;

    pub fn new(min: u8, max: Option<u8>) -> Result<Self, InvalidValue> {
        let most = Self::MOST;
        if min > most || max.is_some_and(|max| max > most) {
            return Err(InvalidValue::new(
                "out_of_range",
                format!("years of experience must be between 0 and {most}"),
            ));
        }
        if let Some(max) = max
            && min > max
        {
            return Err(InvalidValue::new(
                "out_of_order",
                format!("min_years ({min}) must not exceed max_years ({max})"),
            ));
        }
        Ok(Self { min, max })
    }

    pub fn min(self) -> u8 {
        self.min
    }

    pub fn max(self) -> Option<u8> {
        self.max
    }
}

/// What is asked, by kind. Each kind carries exactly the fields it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementDetail {
    Education {
        level: EducationLevel,
        fields_of_study: Vec<Title>,
    },
    Experience(ExperienceYears),
    Certification {
        names: Vec<Title>,
    },
    Training,
    License,
    Skill,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedRequirement", into = "UncheckedRequirement")]
pub struct Requirement {
    pub detail: RequirementDetail,
    pub level: RequirementLevel,
    pub description: Text<1000>,
    pub basis: Basis,
    pub source: Option<Slug>,
    pub locator: Option<Locator>,
}

impl Requirement {
    pub fn kind(&self) -> RequirementKind {
        match self.detail {
            RequirementDetail::Education { .. } => RequirementKind::Education,
            RequirementDetail::Experience(_) => RequirementKind::Experience,
            RequirementDetail::Certification { .. } => RequirementKind::Certification,
            RequirementDetail::Training => RequirementKind::Training,
            RequirementDetail::License => RequirementKind::License,
            RequirementDetail::Skill => RequirementKind::Skill,
        }
    }
}

/// A requirement in its flat wire form (the data files, and later the write API),
/// before the fields are checked against its kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedRequirement {
    pub kind: RequirementKind,
    pub level: RequirementLevel,
    pub description: Text<1000>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub education_level: Option<EducationLevel>,
    #[serde(default, alias = "fields", skip_serializing_if = "Vec::is_empty")]
    pub fields_of_study: Vec<Title>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_years: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_years: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<Title>,
    /// How the requirement is known (see `Basis`).
    pub basis: Basis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

/// The flat wire form again, for the role document that revisions record.
impl From<Requirement> for UncheckedRequirement {
    fn from(requirement: Requirement) -> Self {
        let kind = requirement.kind();
        let mut flat = Self {
            kind,
            level: requirement.level,
            description: requirement.description,
            education_level: None,
            fields_of_study: vec![],
            min_years: None,
            max_years: None,
            certifications: vec![],
            basis: requirement.basis,
            source: requirement.source,
            locator: requirement.locator,
        };
        match requirement.detail {
            RequirementDetail::Education {
                level,
                fields_of_study,
            } => {
                flat.education_level = Some(level);
                flat.fields_of_study = fields_of_study;
            }
            RequirementDetail::Experience(years) => {
                flat.min_years = Some(years.min());
                flat.max_years = years.max();
            }
            RequirementDetail::Certification { names } => flat.certifications = names,
            RequirementDetail::Training | RequirementDetail::License | RequirementDetail::Skill => {
            }
        }
        flat
    }
}

impl TryFrom<UncheckedRequirement> for Requirement {
    type Error = InvalidValue;

    fn try_from(raw: UncheckedRequirement) -> Result<Self, Self::Error> {
        let kind = raw.kind;
        let misplaced = |field: &str| {
            InvalidValue::new(
                "not_allowed",
                format!("{field} does not apply to a requirement of kind `{kind}`"),
            )
        };
        let missing = |field: &str| {
            InvalidValue::new(
                "missing",
                format!("{field} is required for a requirement of kind `{kind}`"),
            )
        };
        if kind != RequirementKind::Education {
            if raw.education_level.is_some() {
                return Err(misplaced("education_level"));
            }
            if !raw.fields_of_study.is_empty() {
                return Err(misplaced("fields_of_study"));
            }
        }
        if kind != RequirementKind::Experience {
            if raw.min_years.is_some() {
                return Err(misplaced("min_years"));
            }
            if raw.max_years.is_some() {
                return Err(misplaced("max_years"));
            }
        }
        if kind != RequirementKind::Certification && !raw.certifications.is_empty() {
            return Err(misplaced("certifications"));
        }
        let detail = match kind {
            RequirementKind::Education => RequirementDetail::Education {
                level: raw
                    .education_level
                    .ok_or_else(|| missing("education_level"))?,
                fields_of_study: raw.fields_of_study,
            },
            RequirementKind::Experience => RequirementDetail::Experience(ExperienceYears::new(
                raw.min_years.ok_or_else(|| missing("min_years"))?,
                raw.max_years,
            )?),
            RequirementKind::Certification if raw.certifications.is_empty() => {
                return Err(missing("certifications"));
            }
            RequirementKind::Certification => RequirementDetail::Certification {
                names: raw.certifications,
            },
            RequirementKind::Training => RequirementDetail::Training,
            RequirementKind::License => RequirementDetail::License,
            RequirementKind::Skill => RequirementDetail::Skill,
        };
        Ok(Self {
            detail,
            level: raw.level,
            description: raw.description,
            basis: raw.basis,
            source: raw.source,
            locator: raw.locator,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(json: &str) -> Result<Requirement, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn an_education_requirement_carries_its_level_and_fields() {
        let requirement = parse(
            r#"{"kind":"education","basis":"editorial","level":"required","description":"A degree.","education_level":"bachelor","fields":["Computer science"]}"#,
        )
        .unwrap();
        assert_eq!(requirement.kind(), RequirementKind::Education);
        let RequirementDetail::Education {
            level,
            fields_of_study,
        } = requirement.detail
        else {
            panic!("expected an education requirement");
        };
        assert_eq!(level, EducationLevel::Bachelor);
        assert_eq!(fields_of_study[0].as_str(), "Computer science");
    }

    #[test]
    fn each_kind_needs_its_own_fields() {
        let cases = [
            (
                r#"{"kind":"education","basis":"editorial","level":"required","description":"d"}"#,
                "education_level",
            ),
            (
                r#"{"kind":"experience","basis":"editorial","level":"required","description":"d"}"#,
                "min_years",
            ),
            (
                r#"{"kind":"certification","basis":"editorial","level":"preferred","description":"d"}"#,
                "certifications",
            ),
        ];
        for (json, field) in cases {
            let error = parse(json).unwrap_err();
            assert!(error.contains(field), "{json}: {error}");
        }
    }

    #[test]
    fn fields_of_another_kind_are_refused() {
        let cases = [
            (
                r#"{"kind":"training","basis":"editorial","level":"required","description":"d","min_years":2}"#,
                "min_years",
            ),
            (
                r#"{"kind":"experience","basis":"editorial","level":"required","description":"d","min_years":2,"education_level":"master"}"#,
                "education_level",
            ),
            (
                r#"{"kind":"education","basis":"editorial","level":"required","description":"d","education_level":"master","certifications":["PMP"]}"#,
                "certifications",
            ),
        ];
        for (json, field) in cases {
            let error = parse(json).unwrap_err();
            assert!(error.contains(field), "{json}: {error}");
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(
            parse(r#"{"kind":"training","basis":"editorial","level":"required","description":"d","years":2}"#).is_err()
        );
    }

    #[test]
    fn experience_years_are_bounded_and_ordered() {
        assert!(ExperienceYears::new(3, Some(5)).is_ok());
        assert!(ExperienceYears::new(3, None).is_ok());
        assert_eq!(
            ExperienceYears::new(6, Some(5)).unwrap_err().code,
            "out_of_order"
        );
        assert_eq!(
            ExperienceYears::new(61, None).unwrap_err().code,
            "out_of_range"
        );
    }

    proptest! {
        #[test]
        fn accepted_experience_is_ordered(min in 0u8..=255, max in proptest::option::of(0u8..=255)) {
            match ExperienceYears::new(min, max) {
                Ok(years) => {
                    prop_assert!(years.min() <= ExperienceYears::MOST);
                    if let Some(max) = years.max() { prop_assert!(years.min() <= max && max <= ExperienceYears::MOST); }
                }
                Err(_) => prop_assert!(min > ExperienceYears::MOST || max.is_some_and(|max| max < min || max > ExperienceYears::MOST)),
            }
        }
    }
}
