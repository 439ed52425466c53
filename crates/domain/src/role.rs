//! A role and everything curated about it, as one aggregate, plus the shared
//! catalogue entries (skills, sources) and the relations between roles (career
//! steps, comparison notes). These are the shapes the knowledge-base files and
//! the write API are read into.

use crate::{
    AreaKind, Basis, CareerStepKind, ComparisonAspect, CurrencyCode, Family, InvalidValue,
    IscoCode, Locator, Requirement, ResponsibilityCategory, SalaryFigures, SalaryPeriod, Seniority,
    SkillImportance, SkillKind, Slug, SocCode, Text, Title, Track, UncheckedFigures,
    check_attribution, salary::Money,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, collections::HashSet, hash::Hash};

/// Something with a key that must be unique within its list.
pub trait Keyed {
    type Key: Eq + Hash;
    fn key(&self) -> Self::Key;
    fn describe(&self) -> String;
}

/// A list whose entries have distinct keys: a role cannot list a skill twice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    try_from = "Vec<T>",
    bound(deserialize = "T: Deserialize<'de> + Keyed")
)]
pub struct Distinct<T>(Vec<T>);

impl<T: Keyed> Distinct<T> {
    pub fn new(items: Vec<T>) -> Result<Self, InvalidValue> {
        let mut seen = HashSet::new();
        for item in &items {
            if !seen.insert(item.key()) {
                return Err(InvalidValue::new(
                    "duplicate",
                    format!("{} is listed twice", item.describe()),
                ));
            }
        }
        Ok(Self(items))
    }
}

impl<T> Distinct<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Serialize> Serialize for Distinct<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<T> Default for Distinct<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Keyed> TryFrom<Vec<T>> for Distinct<T> {
    type Error = InvalidValue;
    fn try_from(items: Vec<T>) -> Result<Self, Self::Error> {
        Self::new(items)
    }
}

impl<'a, T> IntoIterator for &'a Distinct<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Keyed for Slug {
    type Key = Slug;
    fn key(&self) -> Slug {
        self.clone()
    }
    fn describe(&self) -> String {
        format!("`{self}`")
    }
}

impl Keyed for SocCode {
    type Key = SocCode;
    fn key(&self) -> SocCode {
        self.clone()
    }
    fn describe(&self) -> String {
        format!("`{self}`")
    }
}

impl Keyed for Title {
    type Key = String;
    /// Titles differing only in case are the same title.
    fn key(&self) -> String {
        self.as_str().to_lowercase()
    }
    fn describe(&self) -> String {
        format!("`{}`", self.as_str())
    }
}

/// Other names a role goes by, at most 20, each distinct ignoring case.
pub type AlternativeTitles = Distinct<Title>;

/// A role with all its curated children: the role document that the
/// knowledge-base files hold, the write API takes and revisions record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleContent {
    pub slug: Slug,
    pub title: Title,
    #[serde(default)]
    pub alternative_titles: AlternativeTitles,
    pub summary: Text<280>,
    /// How the summary is known (see `Basis`).
    pub summary_basis: Basis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_source: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_locator: Option<Locator>,
    pub description: Text<20000>,
    pub family: Family,
    pub track: Track,
    pub seniority: Seniority,
    #[serde(default)]
    pub soc_codes: Distinct<SocCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isco_code: Option<IscoCode>,
    /// Keys of the sources the role's text draws on.
    #[serde(default)]
    pub sources: Distinct<Slug>,
    #[serde(default)]
    pub responsibilities: Vec<Responsibility>,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[serde(default)]
    pub skills: Distinct<RoleSkill>,
    #[serde(default)]
    pub salaries: Vec<SalaryRange>,
}

impl RoleContent {
    /// Slugs that name fixed paths under `/roles` (`GET /roles/compare`).
    pub const RESERVED_SLUGS: &'static [&'static str] = &["compare"];
    pub const MAX_ALTERNATIVE_TITLES: usize = 20;

    /// Every source key the role names, by the path of the field that names
    /// it (`sources[0]`, `summary_source`, `responsibilities[2].source`).
    pub fn named_sources(&self) -> Vec<(String, &Slug)> {
        let mut named: Vec<(String, &Slug)> = self
            .sources
            .iter()
            .enumerate()
            .map(|(index, key)| (format!("sources[{index}]"), key))
            .collect();
        named.extend(
            self.summary_source
                .iter()
                .map(|key| ("summary_source".to_owned(), key)),
        );
        let facts: [(&str, Vec<Option<&Slug>>); 4] = [
            (
                "responsibilities",
                self.responsibilities
                    .iter()
                    .map(|f| f.source.as_ref())
                    .collect(),
            ),
            (
                "requirements",
                self.requirements
                    .iter()
                    .map(|f| f.source.as_ref())
                    .collect(),
            ),
            (
                "skills",
                self.skills.iter().map(|f| f.source.as_ref()).collect(),
            ),
            (
                "salaries",
                self.salaries.iter().map(|f| f.source.as_ref()).collect(),
            ),
        ];
        for (list, sources) in facts {
            for (index, key) in sources.into_iter().enumerate() {
                if let Some(key) = key {
                    named.push((format!("{list}[{index}].source"), key));
                }
            }
        }
        named
    }

    /// The rules that span several fields; `Deserialize` has checked the
    /// rest. On failure, the path of the field at fault
    /// (`responsibilities[2].locator`).
    pub fn check(&self) -> Result<(), (String, InvalidValue)> {
        if Self::RESERVED_SLUGS.contains(&self.slug.as_str()) {
            return Err((
                "slug".to_owned(),
                InvalidValue::new(
                    "reserved_slug",
                    format!(
                        "`{}` is a path of the API (`/roles/{}`), so no role can be read by it: choose another slug",
                        self.slug.as_str(),
                        self.slug.as_str()
                    ),
                ),
            ));
        }
        let at = |list: &'static str, index: usize| {
            move |(field, error): (&str, InvalidValue)| (format!("{list}[{index}].{field}"), error)
        };
        check_attribution(
            self.summary_basis,
            self.summary_source.as_ref(),
            self.summary_locator.as_ref(),
        )
        .map_err(|(field, error)| (format!("summary_{field}"), error))?;
        for (index, fact) in self.responsibilities.iter().enumerate() {
            check_attribution(fact.basis, fact.source.as_ref(), fact.locator.as_ref())
                .map_err(at("responsibilities", index))?;
        }
        for (index, fact) in self.requirements.iter().enumerate() {
            check_attribution(fact.basis, fact.source.as_ref(), fact.locator.as_ref())
                .map_err(at("requirements", index))?;
        }
        for (index, fact) in self.skills.iter().enumerate() {
            check_attribution(fact.basis, fact.source.as_ref(), fact.locator.as_ref())
                .map_err(at("skills", index))?;
        }
        for (index, fact) in self.salaries.iter().enumerate() {
            check_attribution(fact.basis, fact.source.as_ref(), fact.locator.as_ref())
                .map_err(at("salaries", index))?;
        }
        if self.alternative_titles.len() > Self::MAX_ALTERNATIVE_TITLES {
            return Err((
                "alternative_titles".to_owned(),
                InvalidValue::new(
                    "too_many",
                    format!(
                        "at most {} alternative titles, got {}",
                        Self::MAX_ALTERNATIVE_TITLES,
                        self.alternative_titles.len()
                    ),
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responsibility {
    pub title: Title,
    pub category: ResponsibilityCategory,
    pub description: Text<1000>,
    /// How the fact is known: `stated`, `dataset` or `editorial`.
    pub basis: Basis,
    /// The key of the source that says it (`stated`) or its dataset (`dataset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    /// Where the source says it: a section or heading (`stated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

/// A role's link to a shared skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSkill {
    pub skill: Slug,
    pub importance: SkillImportance,
    /// How the fact is known: `stated`, `dataset` or `editorial`.
    pub basis: Basis,
    /// The key of the source that says it (`stated`) or its dataset (`dataset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    /// Where the source says it: a section or heading (`stated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

impl Keyed for RoleSkill {
    type Key = Slug;
    fn key(&self) -> Slug {
        self.skill.clone()
    }
    fn describe(&self) -> String {
        format!("skill `{}`", self.skill)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// A short code: `US` for the nation, a state code, a metro area code.
    pub code: Text<20>,
    pub name: Title,
    pub kind: AreaKind,
}

/// Pay for a role in one area and currency, on a date, from a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedSalaryRange", into = "UncheckedSalaryRange")]
pub struct SalaryRange {
    pub currency: CurrencyCode,
    pub period: SalaryPeriod,
    pub figures: SalaryFigures,
    /// Where the figures apply; absent when the source does not say.
    pub area: Option<Area>,
    /// The date the figures describe; absent when the source gives none.
    pub as_of: Option<NaiveDate>,
    pub soc_code: Option<SocCode>,
    pub basis: Basis,
    pub source: Option<Slug>,
    pub locator: Option<Locator>,
}

/// A salary range in its flat wire form: the figures beside the other fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedSalaryRange {
    pub currency: CurrencyCode,
    pub period: SalaryPeriod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p10: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p25: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p75: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p90: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soc_code: Option<SocCode>,
    /// How the fact is known: `stated`, `dataset` or `editorial`.
    pub basis: Basis,
    /// The key of the source that says it (`stated`) or its dataset (`dataset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    /// Where the source says it: a section or heading (`stated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

impl From<SalaryRange> for UncheckedSalaryRange {
    fn from(range: SalaryRange) -> Self {
        let figures = &range.figures;
        Self {
            currency: range.currency,
            period: range.period,
            min: figures.min(),
            max: figures.max(),
            mean: figures.mean(),
            p10: figures.p10(),
            p25: figures.p25(),
            median: figures.median(),
            p75: figures.p75(),
            p90: figures.p90(),
            area: range.area,
            as_of: range.as_of,
            soc_code: range.soc_code,
            basis: range.basis,
            source: range.source,
            locator: range.locator,
        }
    }
}

impl TryFrom<UncheckedSalaryRange> for SalaryRange {
    type Error = InvalidValue;
    fn try_from(raw: UncheckedSalaryRange) -> Result<Self, Self::Error> {
        let figures = SalaryFigures::new(UncheckedFigures {
            min: raw.min,
            max: raw.max,
            mean: raw.mean,
            p10: raw.p10,
            p25: raw.p25,
            median: raw.median,
            p75: raw.p75,
            p90: raw.p90,
        })?;
        Ok(Self {
            currency: raw.currency,
            period: raw.period,
            figures,
            area: raw.area,
            as_of: raw.as_of,
            soc_code: raw.soc_code,
            basis: raw.basis,
            source: raw.source,
            locator: raw.locator,
        })
    }
}

/// A skill in the shared catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub slug: Slug,
    pub name: Text<80>,
    pub kind: SkillKind,
    pub description: Text<500>,
}

/// Where a curated fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub key: Slug,
    pub title: Text<300>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text<200>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Text<2000>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// When the source was last revised, if it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<NaiveDate>,
}

impl Source {
    pub fn check(&self) -> Result<(), (&'static str, InvalidValue)> {
        if let Some(url) = &self.url {
            let url = url.as_str();
            let address = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            if address.is_none_or(str::is_empty) || url.contains(char::is_whitespace) {
                return Err((
                    "url",
                    InvalidValue::new("invalid_url", format!("`{url}` is not an http(s) address")),
                ));
            }
        }
        Ok(())
    }
}

/// A move from one role to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedCareerStep")]
pub struct CareerStep {
    pub from: Slug,
    pub to: Slug,
    pub kind: CareerStepKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typical_years: Option<u8>,
    pub note: Text<1000>,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedCareerStep {
    pub from: Slug,
    pub to: Slug,
    pub kind: CareerStepKind,
    pub typical_years: Option<u8>,
    pub note: Text<1000>,
    pub basis: Basis,
    pub source: Option<Slug>,
    pub locator: Option<Locator>,
}

impl CareerStep {
    pub const MOST_TYPICAL_YEARS: u8 = 40;
}

impl TryFrom<UncheckedCareerStep> for CareerStep {
    type Error = InvalidValue;
    fn try_from(raw: UncheckedCareerStep) -> Result<Self, Self::Error> {
        if raw.from == raw.to {
            return Err(InvalidValue::new(
                "same_role",
                format!(
                    "a career step must lead to another role, but from and to are both `{}`",
                    raw.from
                ),
            ));
        }
        if raw
            .typical_years
            .is_some_and(|years| years > Self::MOST_TYPICAL_YEARS)
        {
            return Err(InvalidValue::new(
                "out_of_range",
                format!(
                    "typical_years must be between 0 and {}",
                    Self::MOST_TYPICAL_YEARS
                ),
            ));
        }
        check_attribution(raw.basis, raw.source.as_ref(), raw.locator.as_ref()).map_err(
            |(field, error)| InvalidValue::new(error.code, format!("{field}: {}", error.message)),
        )?;
        Ok(Self {
            from: raw.from,
            to: raw.to,
            kind: raw.kind,
            typical_years: raw.typical_years,
            note: raw.note,
            basis: raw.basis,
            source: raw.source,
            locator: raw.locator,
        })
    }
}

/// Curated notes on how two roles differ, per aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedComparisonNotes")]
pub struct ComparisonNotes {
    pub roles: (Slug, Slug),
    pub notes: BTreeMap<ComparisonAspect, ComparisonNote>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedComparisonNotes {
    pub roles: (Slug, Slug),
    pub notes: BTreeMap<ComparisonAspect, ComparisonNote>,
}

/// One aspect's note, with how it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedComparisonNote")]
pub struct ComparisonNote {
    pub note: Text<2000>,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Slug>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<Locator>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedComparisonNote {
    pub note: Text<2000>,
    pub basis: Basis,
    pub source: Option<Slug>,
    pub locator: Option<Locator>,
}

impl TryFrom<UncheckedComparisonNote> for ComparisonNote {
    type Error = InvalidValue;
    fn try_from(raw: UncheckedComparisonNote) -> Result<Self, Self::Error> {
        check_attribution(raw.basis, raw.source.as_ref(), raw.locator.as_ref()).map_err(
            |(field, error)| InvalidValue::new(error.code, format!("{field}: {}", error.message)),
        )?;
        Ok(Self {
            note: raw.note,
            basis: raw.basis,
            source: raw.source,
            locator: raw.locator,
        })
    }
}

impl TryFrom<UncheckedComparisonNotes> for ComparisonNotes {
    type Error = InvalidValue;
    fn try_from(raw: UncheckedComparisonNotes) -> Result<Self, Self::Error> {
        if raw.roles.0 == raw.roles.1 {
            return Err(InvalidValue::new(
                "same_role",
                format!(
                    "a comparison needs two different roles, got `{}` twice",
                    raw.roles.0
                ),
            ));
        }
        if raw.notes.is_empty() {
            return Err(InvalidValue::new(
                "empty",
                "give a note for at least one aspect",
            ));
        }
        Ok(Self {
            roles: raw.roles,
            notes: raw.notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_cannot_link_the_same_skill_twice() {
        let skills = vec![
            RoleSkill {
                skill: Slug::parse("mentoring").unwrap(),
                importance: SkillImportance::Essential,
                basis: Basis::Editorial,
                source: None,
                locator: None,
            },
            RoleSkill {
                skill: Slug::parse("mentoring").unwrap(),
                importance: SkillImportance::Optional,
                basis: Basis::Editorial,
                source: None,
                locator: None,
            },
        ];
        let error = Distinct::new(skills).unwrap_err();
        assert_eq!(error.code, "duplicate");
        assert!(error.message.contains("mentoring"));
    }

    #[test]
    fn alternative_titles_differing_in_case_are_duplicates() {
        let titles = vec![
            Title::parse("Tech Lead").unwrap(),
            Title::parse("tech lead").unwrap(),
        ];
        assert!(AlternativeTitles::new(titles).is_err());
    }

    #[test]
    fn more_than_twenty_alternative_titles_are_refused() {
        let titles: Vec<Title> = (0..21)
            .map(|n| Title::parse(&format!("Title {n}")).unwrap())
            .collect();
        let role = RoleContent {
            slug: Slug::parse("x").unwrap(),
            title: Title::parse("X").unwrap(),
            alternative_titles: AlternativeTitles::new(titles).unwrap(),
            summary: Text::parse("s").unwrap(),
            summary_basis: Basis::Editorial,
            summary_source: None,
            summary_locator: None,
            description: Text::parse("d").unwrap(),
            family: Family::Architecture,
            track: Track::Hybrid,
            seniority: Seniority::Lead,
            soc_codes: Distinct::default(),
            isco_code: None,
            sources: Distinct::default(),
            responsibilities: vec![],
            requirements: vec![],
            skills: Distinct::default(),
            salaries: vec![],
        };
        assert_eq!(role.check().unwrap_err().0, "alternative_titles");
    }

    #[test]
    fn a_career_step_must_lead_elsewhere() {
        let json = r#"{"from":"team-lead","to":"team-lead","kind":"lateral","note":"n","basis":"editorial"}"#;
        let error = serde_json::from_str::<CareerStep>(json).unwrap_err();
        assert!(error.to_string().contains("team-lead"), "{error}");
        let far = r#"{"from":"a","to":"b","kind":"lateral","note":"n","basis":"editorial","typical_years":41}"#;
        assert!(serde_json::from_str::<CareerStep>(far).is_err());
        let unlocated =
            r#"{"from":"a","to":"b","kind":"lateral","note":"n","basis":"stated","source":"s"}"#;
        let error = serde_json::from_str::<CareerStep>(unlocated).unwrap_err();
        assert!(error.to_string().contains("locator"), "{error}");
    }

    #[test]
    fn a_comparison_needs_two_roles_and_a_note() {
        let note = r#"{"note":"x","basis":"editorial"}"#;
        let same = format!(r#"{{"roles":["a","a"],"notes":{{"duties":{note}}}}}"#);
        assert!(serde_json::from_str::<ComparisonNotes>(&same).is_err());
        let empty = r#"{"roles":["a","b"],"notes":{}}"#;
        assert!(serde_json::from_str::<ComparisonNotes>(empty).is_err());
        let unknown_aspect = format!(r#"{{"roles":["a","b"],"notes":{{"vibes":{note}}}}}"#);
        assert!(serde_json::from_str::<ComparisonNotes>(&unknown_aspect).is_err());
        let sourced_editorial = r#"{"roles":["a","b"],"notes":{"duties":{"note":"x","basis":"editorial","source":"s"}}}"#;
        assert!(serde_json::from_str::<ComparisonNotes>(sourced_editorial).is_err());
        let good = format!(r#"{{"roles":["a","b"],"notes":{{"duties":{note},"scope":{note}}}}}"#);
        assert_eq!(
            serde_json::from_str::<ComparisonNotes>(&good)
                .unwrap()
                .notes
                .len(),
            2
        );
    }

    #[test]
    fn a_source_url_must_be_a_web_address() {
        let source = |url: &str| Source {
            key: Slug::parse("s").unwrap(),
            title: Text::parse("t").unwrap(),
            publisher: None,
            url: Some(Text::parse(url).unwrap()),
            published: None,
            updated: None,
            retrieved: None,
        };
        assert!(source("https://example.org/a").check().is_ok());
        assert_eq!(source("ftp://example.org").check().unwrap_err().0, "url");
        assert_eq!(source("https://exa mple.org").check().unwrap_err().0, "url");
        assert_eq!(
            source("https://").check().unwrap_err().0,
            "url",
            "no address"
        );
    }

    #[test]
    fn a_role_document_reads_back_as_it_was_written() {
        let json = serde_json::json!({
            "slug": "platform-lead", "title": "Platform Lead", "alternative_titles": ["Platform Team Lead"],
            "summary": "Leads a platform team.", "summary_basis": "editorial", "description": "Sets direction.",
            "family": "software-engineering", "track": "hybrid", "seniority": "lead",
            "soc_codes": ["15-1252"], "isco_code": "2512", "sources": ["a-source"],
            "responsibilities": [{"title": "Plan", "category": "delivery", "description": "Plans work.",
                                  "basis": "stated", "source": "a-source", "locator": "Planning"}],
            "requirements": [
                {"kind": "experience", "level": "required", "description": "Years.", "min_years": 5, "max_years": 8, "basis": "editorial"},
                {"kind": "education", "level": "preferred", "description": "Degree.", "education_level": "bachelor", "fields_of_study": ["Computer science"], "basis": "editorial"},
                {"kind": "certification", "level": "preferred", "description": "Cert.", "certifications": ["CKA"], "basis": "editorial"}
            ],
            "skills": [{"skill": "mentoring", "importance": "essential", "basis": "editorial"}],
            "salaries": [{"currency": "USD", "period": "annual", "p10": 100000.0, "median": 150000.5, "p90": 200000.0,
                          "area": {"code": "US", "name": "United States", "kind": "nation"},
                          "as_of": "2025-05-01", "source": "a-source", "locator": "Pay", "basis": "stated", "soc_code": "15-1252"},
                         {"currency": "USD", "period": "annual", "mean": 118295.0, "basis": "stated",
                          "source": "a-source", "locator": "Salary"}]
        });
        let role: RoleContent = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&role).unwrap(), json);
    }

    #[test]
    fn unknown_salary_keys_are_refused_by_name() {
        let json = r#"{"currency":"USD","period":"annual","meen":1,"area":{"code":"US","name":"United States","kind":"nation"},"as_of":"2024-01-01","source":"s"}"#;
        let error = serde_json::from_str::<SalaryRange>(json).unwrap_err();
        assert!(error.to_string().contains("meen"), "{error}");
    }
}
