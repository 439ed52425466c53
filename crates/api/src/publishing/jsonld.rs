//! A role as a schema.org `Occupation`, the structured data search engines
//! read from a job board's pages. Figures the role does not have are left
//! out, never written as zero.

use super::{AreaWages, NATION, Posting, PostingArea};
use crate::views::{RequirementView, SalaryView, SourceView, WageFigures};
use rolebase_domain::{
    Money, RequirementKind, RequirementLevel, SalaryPeriod,
    posting::{credential_category, months_of_experience, posting_title},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a JSON-LD document.
pub const JSON_LD: &str = "application/ld+json";

/// A role as a schema.org `Occupation` (https://schema.org/Occupation).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OccupationDocument {
    /// Always `https://schema.org`.
    #[serde(rename = "@context")]
    #[schema(example = "https://schema.org")]
    pub context: &'static str,
    /// Always `Occupation`.
    #[serde(rename = "@type")]
    #[schema(example = "Occupation")]
    pub kind: &'static str,
    /// The role's UUID.
    pub identifier: String,
    #[schema(example = "Technical Lead")]
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternate_name: Vec<String>,
    pub description: String,
    /// The role's SOC 2018 and ISCO-08 codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occupational_category: Vec<CategoryCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<DefinedTerm>,
    /// Certifications, licenses, training, and what is preferred rather than required.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifications: Vec<Credential>,
    /// The education the role requires.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub education_requirements: Vec<Credential>,
    /// The experience the role requires.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub experience_requirements: Vec<ExperienceRequirement>,
    /// Pay in the area: the imported wage distribution of the role's first
    /// occupation with wages there, or else the curated figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub estimated_salary: Vec<Salary>,
    /// The area the pay describes: the nation unless `area` names another.
    pub occupation_location: Vec<Place>,
    /// The sources of the role's facts, and the wage dataset when it is used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citation: Vec<Citation>,
}

/// A code in a published classification.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategoryCode {
    /// Always `CategoryCode`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[schema(example = "15-1252")]
    pub code_value: String,
    /// The occupation's title, once wage data naming it is imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub in_code_set: CodeSet,
}

/// The classification a code belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeSet {
    /// Always `CategoryCodeSet`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[schema(example = "SOC 2018")]
    pub name: &'static str,
    pub url: &'static str,
}

impl CodeSet {
    const SOC: Self = Self {
        kind: "CategoryCodeSet",
        name: "SOC 2018",
        url: "https://www.bls.gov/soc/2018/",
    };
    const ISCO: Self = Self {
        kind: "CategoryCodeSet",
        name: "ISCO-08",
        url: "https://isco.ilo.org/en/isco-08/",
    };
}

/// A skill, by name.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DefinedTerm {
    /// Always `DefinedTerm`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The skill's slug (`GET /skills/{slug}`).
    pub term_code: String,
    pub name: String,
    pub description: String,
}

/// A degree, certificate, license or course.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// `EducationalOccupationalCredential`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// `high school`, `associate degree`, `bachelor degree`, `postgraduate
    /// degree`, `professional certificate`, `license` or `training`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_category: Option<&'static str>,
    pub description: String,
}

/// Years in the field, counted in months.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExperienceRequirement {
    /// Always `OccupationalExperienceRequirements`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months_of_experience: Option<i32>,
    pub description: String,
}

/// Pay: a distribution of wages (`MonetaryAmountDistribution`), or a single
/// curated figure or range (`MonetaryAmount`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Salary {
    /// `MonetaryAmountDistribution` or `MonetaryAmount`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// What the figures describe, and where they come from.
    pub name: String,
    #[schema(example = "USD")]
    pub currency: String,
    /// The period paid for: `P1Y` a year, `PT1H` an hour (distributions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub percentile10: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub percentile25: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub median: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub percentile75: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub percentile90: Option<Money>,
    /// A single curated figure (its mean), for a `MonetaryAmount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub value: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub min_value: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub max_value: Option<Money>,
}

/// The nation (`Country`), a state (`State`) or a metropolitan area
/// (`AdministrativeArea`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Place {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[schema(example = "United States")]
    pub name: String,
    /// BLS's area code.
    #[schema(example = "0000000")]
    pub identifier: String,
}

/// A source of the role's facts (`CreativeWork`), or the wage dataset (`Dataset`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Citation {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
}

/// Who published a source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    /// Always `Organization`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

impl Organization {
    fn named(name: &str) -> Self {
        Self {
            kind: "Organization",
            name: name.to_owned(),
        }
    }
}

/// The `Occupation` a posting describes.
pub fn occupation(posting: &Posting) -> OccupationDocument {
    let role = &posting.role;
    let (education, experience, qualifications) = requirements(&posting.requirements);
    let estimated_salary = match &posting.wages {
        Some(wages) => wage_distributions(wages, posting.area.name()),
        None => posting
            .curated_salaries
            .iter()
            .map(curated_salary)
            .collect(),
    };
    let mut citation: Vec<Citation> = role.sources.iter().map(source_citation).collect();
    if let Some(wages) = &posting.wages {
        citation.push(dataset_citation(wages));
    }
    OccupationDocument {
        context: "https://schema.org",
        kind: "Occupation",
        identifier: role.overview.id.to_string(),
        name: posting_title(&role.overview.title, posting.seniority),
        alternate_name: role.overview.alternative_titles.clone(),
        description: role.overview.summary.clone(),
        occupational_category: categories(posting),
        responsibilities: posting
            .responsibilities
            .iter()
            .map(|item| item.description.clone())
            .collect(),
        skills: posting
            .skills
            .iter()
            .map(|skill| DefinedTerm {
                kind: "DefinedTerm",
                term_code: skill.slug.clone(),
                name: skill.name.clone(),
                description: skill.description.clone(),
            })
            .collect(),
        qualifications,
        education_requirements: education,
        experience_requirements: experience,
        estimated_salary,
        occupation_location: vec![place(&posting.area)],
        citation,
    }
}

fn categories(posting: &Posting) -> Vec<CategoryCode> {
    let soc = posting
        .role
        .overview
        .soc_codes
        .iter()
        .map(|code| CategoryCode {
            kind: "CategoryCode",
            code_value: code.clone(),
            name: posting.occupation_titles.get(code).cloned(),
            in_code_set: CodeSet::SOC,
        });
    let isco = posting.role.isco_code.iter().map(|code| CategoryCode {
        kind: "CategoryCode",
        code_value: code.clone(),
        name: None,
        in_code_set: CodeSet::ISCO,
    });
    soc.chain(isco).collect()
}

/// Required education and experience go where schema.org asks for them;
/// everything else a candidate may bring (certificates, licenses, training,
/// and what is only preferred) is a qualification.
fn requirements(
    items: &[RequirementView],
) -> (Vec<Credential>, Vec<ExperienceRequirement>, Vec<Credential>) {
    let (mut education, mut experience, mut qualifications) = (vec![], vec![], vec![]);
    for item in items {
        let required = item.level == RequirementLevel::Required;
        match item.kind {
            RequirementKind::Education if required => education.push(credential(item)),
            RequirementKind::Experience if required => experience.push(ExperienceRequirement {
                kind: "OccupationalExperienceRequirements",
                months_of_experience: item.min_years.map(months_of_experience),
                description: item.description.clone(),
            }),
            _ => qualifications.push(credential(item)),
        }
    }
    (education, experience, qualifications)
}

fn credential(item: &RequirementView) -> Credential {
    let category = match item.kind {
        RequirementKind::Education => item.education_level.map(credential_category),
        RequirementKind::Certification => Some("professional certificate"),
        RequirementKind::License => Some("license"),
        RequirementKind::Training => Some("training"),
        RequirementKind::Experience | RequirementKind::Skill => None,
    };
    Credential {
        kind: "EducationalOccupationalCredential",
        credential_category: category,
        description: item.description.clone(),
    }
}

/// The five points of a distribution, lowest first: p10, p25, median, p75, p90.
type Percentiles = [Option<Money>; 5];

fn period_word(period: SalaryPeriod) -> &'static str {
    match period {
        SalaryPeriod::Annual => "Annual",
        SalaryPeriod::Hourly => "Hourly",
    }
}

impl Salary {
    /// Pay over `period` as its percentiles.
    fn distribution(
        name: String,
        currency: String,
        period: SalaryPeriod,
        percentiles: Percentiles,
    ) -> Self {
        let [p10, p25, median, p75, p90] = percentiles;
        Self {
            kind: "MonetaryAmountDistribution",
            name,
            currency,
            duration: Some(match period {
                SalaryPeriod::Annual => "P1Y",
                SalaryPeriod::Hourly => "PT1H",
            }),
            percentile10: p10,
            percentile25: p25,
            median,
            percentile75: p75,
            percentile90: p90,
            value: None,
            min_value: None,
            max_value: None,
        }
    }
}

/// The annual and the hourly distribution, each when BLS gives any of it.
fn wage_distributions(wages: &AreaWages, area: &str) -> Vec<Salary> {
    let release = &wages.wage.release_title;
    let occupation = &wages.occupation.title;
    let percentiles = |figures: &WageFigures| {
        [
            figures.p10,
            figures.p25,
            figures.median,
            figures.p75,
            figures.p90,
        ]
    };
    [
        (percentiles(&wages.wage.annual), SalaryPeriod::Annual),
        (percentiles(&wages.wage.hourly), SalaryPeriod::Hourly),
    ]
    .into_iter()
    .filter(|(points, _)| points.iter().any(Option::is_some))
    .map(|(points, period)| {
        let name = format!(
            "{} wages of {occupation} in {area} (BLS OEWS, {release})",
            period_word(period)
        );
        Salary::distribution(name, "USD".into(), period, points)
    })
    .collect()
}

/// A curated range: a distribution when it has percentiles, otherwise the
/// figure (its mean) or the range (min to max) it gives.
fn curated_salary(salary: &SalaryView) -> Salary {
    let area = salary
        .area
        .as_ref()
        .map_or_else(String::new, |area| format!(" in {}", area.name));
    let source = salary
        .attribution
        .source
        .as_ref()
        .map_or_else(|| "editorial".to_owned(), |source| source.title.clone());
    let name = |figure: &str| format!("{} {figure}{area} ({source})", period_word(salary.period));
    let points = [
        salary.p10,
        salary.p25,
        salary.median,
        salary.p75,
        salary.p90,
    ];
    if points.iter().any(Option::is_some) {
        return Salary::distribution(name("pay"), salary.currency.clone(), salary.period, points);
    }
    Salary {
        kind: "MonetaryAmount",
        name: name(if salary.mean.is_some() {
            "mean pay"
        } else {
            "pay range"
        }),
        currency: salary.currency.clone(),
        duration: None,
        percentile10: None,
        percentile25: None,
        median: None,
        percentile75: None,
        percentile90: None,
        value: salary.mean,
        min_value: salary.min,
        max_value: salary.max,
    }
}

fn place(area: &PostingArea) -> Place {
    match area {
        PostingArea::Nation => Place {
            kind: "Country",
            name: "United States".into(),
            identifier: NATION.into(),
        },
        PostingArea::Area(area) => Place {
            kind: if area.kind == "state" {
                "State"
            } else {
                "AdministrativeArea"
            },
            name: area.title.clone(),
            identifier: area.code.clone(),
        },
    }
}

fn source_citation(source: &SourceView) -> Citation {
    Citation {
        kind: "CreativeWork",
        name: source.title.clone(),
        url: source.url.clone(),
        publisher: source.publisher.as_deref().map(Organization::named),
        date_published: source.published.map(|date| date.to_string()),
    }
}

fn dataset_citation(wages: &AreaWages) -> Citation {
    let source = crate::views::DatasetSource::OEWS;
    Citation {
        kind: "Dataset",
        name: format!("{}, {}", source.title, wages.wage.release_title),
        url: Some(source.url.to_owned()),
        publisher: Some(Organization::named(source.publisher)),
        date_published: None,
    }
}
