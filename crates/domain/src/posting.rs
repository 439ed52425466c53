//! What a job posting says of a role: its title at the advertised level, and
//! its requirements in the words search engines read (schema.org's credential
//! categories, months of experience).

use crate::{EducationLevel, PostingSeniority};

impl PostingSeniority {
    /// The word a title starts with at this level.
    pub fn title_word(self) -> &'static str {
        match self {
            Self::Junior => "Junior",
            Self::Mid => "Mid-level",
            Self::Senior => "Senior",
            Self::Staff => "Staff",
            Self::Principal => "Principal",
            Self::Lead => "Lead",
        }
    }
}

/// A role's title as a posting at `seniority` would read: "Senior Data
/// Engineer". A title that already starts with the level's word keeps it
/// once ("Lead Developer" stays as it is).
pub fn posting_title(title: &str, seniority: Option<PostingSeniority>) -> String {
    let Some(seniority) = seniority else {
        return title.to_owned();
    };
    let word = seniority.title_word();
    let first = title.split_whitespace().next().unwrap_or_default();
    if first.eq_ignore_ascii_case(word) {
        title.to_owned()
    } else {
        format!("{word} {title}")
    }
}

/// The credential category schema.org's readers expect for an education
/// level (the values search engines document for `credentialCategory`).
pub fn credential_category(level: EducationLevel) -> &'static str {
    match level {
        EducationLevel::HighSchool => "high school",
        EducationLevel::Associate => "associate degree",
        EducationLevel::Bachelor => "bachelor degree",
        EducationLevel::Master | EducationLevel::Doctorate => "postgraduate degree",
    }
}

/// Years of experience as schema.org counts them, in months.
pub fn months_of_experience(years: i16) -> i32 {
    i32::from(years) * 12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_word_leads_the_title() {
        assert_eq!(
            posting_title("Data Engineer", Some(PostingSeniority::Senior)),
            "Senior Data Engineer"
        );
        assert_eq!(
            posting_title("Software Architect", Some(PostingSeniority::Mid)),
            "Mid-level Software Architect"
        );
        assert_eq!(posting_title("Data Engineer", None), "Data Engineer");
    }

    #[test]
    fn a_title_that_has_the_word_keeps_it_once() {
        assert_eq!(
            posting_title("Lead Developer", Some(PostingSeniority::Lead)),
            "Lead Developer"
        );
        assert_eq!(
            posting_title("lead developer", Some(PostingSeniority::Lead)),
            "lead developer"
        );
        assert_eq!(
            posting_title("Staff Engineer", Some(PostingSeniority::Senior)),
            "Senior Staff Engineer",
            "another level's word is a different title"
        );
    }

    #[test]
    fn every_level_has_a_distinct_word() {
        let words: std::collections::BTreeSet<_> = PostingSeniority::ALL
            .iter()
            .map(|level| level.title_word())
            .collect();
        assert_eq!(words.len(), PostingSeniority::ALL.len());
    }

    #[test]
    fn degrees_map_to_the_documented_categories() {
        assert_eq!(
            credential_category(EducationLevel::HighSchool),
            "high school"
        );
        assert_eq!(
            credential_category(EducationLevel::Associate),
            "associate degree"
        );
        assert_eq!(
            credential_category(EducationLevel::Bachelor),
            "bachelor degree"
        );
        assert_eq!(
            credential_category(EducationLevel::Master),
            "postgraduate degree"
        );
        assert_eq!(
            credential_category(EducationLevel::Doctorate),
            "postgraduate degree"
        );
    }

    #[test]
    fn years_are_counted_in_months() {
        assert_eq!(months_of_experience(0), 0);
        assert_eq!(months_of_experience(5), 60);
    }
}
