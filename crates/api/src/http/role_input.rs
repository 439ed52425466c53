//! The role document as a write sends it. `validator` checks its shape
//! (lengths, counts, ranges), then the domain types its meaning; every refused
//! field is reported at once, each by its JSON pointer.

use super::{ApiError, FieldError, body::invalid_body};
use rolebase_domain::{
    AlternativeTitles, Area, Basis, Distinct, InvalidValue, IscoCode, Locator, Money, Requirement,
    Responsibility, RoleContent, RoleSkill, SalaryRange, Slug, SocCode, Text, UncheckedRequirement,
    UncheckedSalaryRange, check_attribution, field_pointer,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use utoipa::ToSchema;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

/// A role with all its children: the body of `POST /roles` and
/// `PUT /roles/{id}`, and the document revisions record. Only `slug`,
/// `title`, `summary`, `description`, `family`, `track` and `seniority` are
/// required; a role may start with no children.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    /// Lowercase words joined by hyphens; unique among roles.
    #[validate(length(min = 1, max = 100))]
    #[schema(
        example = "platform-lead",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 100
    )]
    pub slug: String,
    #[validate(length(min = 1, max = 120))]
    #[schema(example = "Platform Lead", min_length = 1, max_length = 120)]
    pub title: String,
    /// Other names the role goes by: at most 20, distinct ignoring case.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(example = json!(["Platform Team Lead"]), max_items = 20)]
    pub alternative_titles: Vec<String>,
    /// Plain text for a card: at most 280 characters.
    #[validate(length(min = 1, max = 280))]
    #[schema(
        example = "Leads the team that runs the internal developer platform.",
        min_length = 1,
        max_length = 280
    )]
    pub summary: String,
    /// How the summary is known (see a fact's `basis`).
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub summary_basis: Option<String>,
    #[schema(example = json!(null))]
    pub summary_source: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(example = json!(null), min_length = 1, max_length = 200)]
    pub summary_locator: Option<String>,
    /// Markdown.
    #[validate(length(min = 1, max = 20000))]
    #[schema(
        example = "A Platform Lead sets the direction of the platform team.",
        min_length = 1,
        max_length = 20000
    )]
    pub description: String,
    #[schema(value_type = rolebase_domain::Family)]
    pub family: String,
    #[schema(value_type = rolebase_domain::Track)]
    pub track: String,
    #[schema(value_type = rolebase_domain::Seniority)]
    pub seniority: String,
    /// SOC 2018 codes, `NN-NNNN`.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(example = json!(["15-1252"]), max_items = 20)]
    pub soc_codes: Vec<String>,
    /// ISCO-08 unit group, four digits.
    #[schema(example = "2512", pattern = "^[0-9]{4}$")]
    pub isco_code: Option<String>,
    /// Keys of the sources the role's text draws on (see `GET /sources`).
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub sources: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub responsibilities: Vec<ResponsibilityInput>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub requirements: Vec<RequirementInput>,
    /// Links to skills of the shared catalogue (see `GET /skills`), each once.
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub skills: Vec<RoleSkillInput>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub salaries: Vec<SalaryInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityInput {
    #[validate(length(min = 1, max = 120))]
    #[schema(
        example = "Plan the platform's roadmap",
        min_length = 1,
        max_length = 120
    )]
    pub title: String,
    #[schema(value_type = rolebase_domain::ResponsibilityCategory)]
    pub category: String,
    #[validate(length(min = 1, max = 1000))]
    #[schema(
        example = "Agrees with product teams what the platform offers next.",
        min_length = 1,
        max_length = 1000
    )]
    pub description: String,
    /// How the fact is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (the editors' judgement, no source). By
    /// default `stated` when a `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of the source that says it (see `GET /sources`).
    #[schema(example = json!(null))]
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = json!(null), min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// A requirement: the fields after `description` go with its kind
/// (`education_level` and `fields_of_study` for education, `min_years` and
/// `max_years` for experience, `certifications` for certification).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementInput {
    #[schema(value_type = rolebase_domain::RequirementKind)]
    pub kind: String,
    #[schema(value_type = rolebase_domain::RequirementLevel)]
    pub level: String,
    #[validate(length(min = 1, max = 1000))]
    #[schema(
        example = "Five or more years of building software.",
        min_length = 1,
        max_length = 1000
    )]
    pub description: String,
    #[schema(value_type = Option<rolebase_domain::EducationLevel>)]
    pub education_level: Option<String>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub fields_of_study: Vec<String>,
    #[validate(range(max = 60))]
    #[schema(minimum = 0, maximum = 60, example = 5)]
    pub min_years: Option<u8>,
    #[validate(range(max = 60))]
    #[schema(minimum = 0, maximum = 60)]
    pub max_years: Option<u8>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub certifications: Vec<String>,
    /// How the fact is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (the editors' judgement, no source). By
    /// default `stated` when a `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of the source that says it (see `GET /sources`).
    #[schema(example = json!(null))]
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = json!(null), min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSkillInput {
    /// A skill's slug.
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "mentoring")]
    pub skill: String,
    #[schema(value_type = rolebase_domain::SkillImportance)]
    pub importance: String,
    /// How the fact is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (the editors' judgement, no source). By
    /// default `stated` when a `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of the source that says it (see `GET /sources`).
    #[schema(example = json!(null))]
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = json!(null), min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// Pay in one area, currency and period: at least one figure, none negative,
/// percentiles in order, min and max around the rest.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SalaryInput {
    /// ISO 4217.
    #[schema(example = "USD", pattern = "^[A-Z]{3}$")]
    pub currency: String,
    #[schema(value_type = rolebase_domain::SalaryPeriod)]
    pub period: String,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub min: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub max: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub mean: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub p10: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub p25: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0, example = 150000)]
    pub median: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub p75: Option<Money>,
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub p90: Option<Money>,
    /// Where the figures apply; leave it out when the source does not say.
    #[validate(nested)]
    pub area: Option<AreaInput>,
    /// The date the figures describe; leave it out when the source gives none.
    #[schema(value_type = Option<String>, format = Date, example = "2025-05-01")]
    pub as_of: Option<String>,
    #[schema(example = "15-1252", pattern = "^[0-9]{2}-[0-9]{4}$")]
    pub soc_code: Option<String>,
    /// How the fact is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (the editors' judgement, no source). By
    /// default `stated` when a `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of the source that says it (see `GET /sources`).
    #[schema(example = json!(null))]
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = json!(null), min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaInput {
    /// `US` for the nation, a state code, a metro area code.
    #[validate(length(min = 1, max = 20))]
    #[schema(example = "US", min_length = 1, max_length = 20)]
    pub code: String,
    #[validate(length(min = 1, max = 120))]
    #[schema(example = "United States", min_length = 1, max_length = 120)]
    pub name: String,
    #[schema(value_type = rolebase_domain::AreaKind)]
    pub kind: String,
}

/// Refused fields by pointer: the first reason given for a field is kept.
#[derive(Default)]
pub(super) struct Refusals(BTreeMap<String, FieldError>);

impl Refusals {
    fn refuse(&mut self, pointer: String, error: InvalidValue) {
        self.0.entry(pointer.clone()).or_insert(FieldError::new(
            pointer,
            error.code,
            error.message,
        ));
    }

    /// The value, or `None` with the reason noted at `pointer`.
    pub(super) fn take<T>(
        &mut self,
        pointer: impl Into<String>,
        result: Result<T, InvalidValue>,
    ) -> Option<T> {
        result
            .map_err(|error| self.refuse(pointer.into(), error))
            .ok()
    }

    pub(super) fn parse<T: FromStr<Err = InvalidValue>>(
        &mut self,
        pointer: impl Into<String>,
        raw: &str,
    ) -> Option<T> {
        self.take(pointer, raw.parse())
    }

    /// Each item read by `read`, or `None` if any was refused.
    fn each<I, T>(
        &mut self,
        pointer: &str,
        items: Vec<I>,
        mut read: impl FnMut(&mut Self, String, I) -> Option<T>,
    ) -> Option<Vec<T>> {
        let read: Vec<Option<T>> = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| read(self, format!("{pointer}/{index}"), item))
            .collect();
        read.into_iter().collect()
    }

    /// The 422 naming every refused field, if any was.
    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(invalid_body(self.0.into_values().collect()))
        }
    }

    fn add_validation(&mut self, prefix: &str, errors: &ValidationErrors) {
        for (field, kind) in errors.errors() {
            let pointer = format!("{prefix}/{field}");
            match kind {
                ValidationErrorsKind::Field(list) => {
                    for error in list {
                        let message = validation_message(error);
                        self.refuse(
                            pointer.clone(),
                            InvalidValue::new(validation_code(error), message),
                        );
                    }
                }
                ValidationErrorsKind::Struct(inner) => self.add_validation(&pointer, inner),
                ValidationErrorsKind::List(items) => {
                    for (index, inner) in items {
                        self.add_validation(&format!("{pointer}/{index}"), inner);
                    }
                }
            }
        }
    }
}

fn validation_code(error: &validator::ValidationError) -> &'static str {
    match error.code.as_ref() {
        "length" => "out_of_bounds",
        "range" => "out_of_range",
        _ => "invalid",
    }
}

fn validation_message(error: &validator::ValidationError) -> String {
    let bound = |name: &str| error.params.get(name).map(|value| value.to_string());
    match (error.code.as_ref(), bound("min"), bound("max")) {
        ("length", Some(min), Some(max)) => format!("must have {min} to {max} characters or items"),
        ("length", None, Some(max)) => format!("must have at most {max} characters or items"),
        ("range", _, Some(max)) => format!("must be between 0 and {max}"),
        (code, _, _) => format!("is refused ({code})"),
    }
}

impl RoleInput {
    /// The document as the domain's role, or every refused field.
    pub fn into_content(self) -> Result<RoleContent, ApiError> {
        let mut refusals = Refusals::default();
        if let Err(errors) = self.validate() {
            refusals.add_validation("", &errors);
        }
        let r = &mut refusals;
        let slug = r.take("/slug", Slug::parse(&self.slug));
        let title = r.take("/title", Text::parse(&self.title));
        let alternative_titles = r
            .each(
                "/alternative_titles",
                self.alternative_titles,
                |r, at, raw| r.take(at, Text::parse(&raw)),
            )
            .and_then(|titles| r.take("/alternative_titles", AlternativeTitles::new(titles)));
        let summary = r.take("/summary", Text::parse(&self.summary));
        let summary_attribution = read_attribution(
            r,
            "/summary_",
            self.summary_basis.as_deref(),
            self.summary_source.as_deref(),
            self.summary_locator.as_deref(),
        );
        let description = r.take("/description", Text::parse(&self.description));
        let family = r.parse("/family", &self.family);
        let track = r.parse("/track", &self.track);
        let seniority = r.parse("/seniority", &self.seniority);
        let soc_codes = r
            .each("/soc_codes", self.soc_codes, |r, at, raw| {
                r.take(at, SocCode::parse(&raw))
            })
            .and_then(|codes| r.take("/soc_codes", Distinct::new(codes)));
        let isco_code = match &self.isco_code {
            None => Some(None),
            Some(raw) => r.take("/isco_code", IscoCode::parse(raw)).map(Some),
        };
        let sources = r
            .each("/sources", self.sources, |r, at, raw| {
                r.take(at, Slug::parse(&raw))
            })
            .and_then(|keys| r.take("/sources", Distinct::new(keys)));
        let responsibilities = r.each(
            "/responsibilities",
            self.responsibilities,
            read_responsibility,
        );
        let requirements = r.each("/requirements", self.requirements, read_requirement);
        let skills = r
            .each("/skills", self.skills, read_skill_link)
            .and_then(|links| r.take("/skills", Distinct::new(links)));
        let salaries = r.each("/salaries", self.salaries, read_salary);
        let (
            Some(slug),
            Some(title),
            Some(alternative_titles),
            Some(summary),
            Some((summary_basis, summary_source, summary_locator)),
            Some(description),
            Some(family),
            Some(track),
            Some(seniority),
            Some(soc_codes),
            Some(isco_code),
            Some(sources),
            Some(responsibilities),
            Some(requirements),
            Some(skills),
            Some(salaries),
        ) = (
            slug,
            title,
            alternative_titles,
            summary,
            summary_attribution,
            description,
            family,
            track,
            seniority,
            soc_codes,
            isco_code,
            sources,
            responsibilities,
            requirements,
            skills,
            salaries,
        )
        else {
            return Err(invalid_body(refusals.0.into_values().collect()));
        };
        if !refusals.0.is_empty() {
            return Err(invalid_body(refusals.0.into_values().collect()));
        }
        let content = RoleContent {
            slug,
            title,
            alternative_titles,
            summary,
            summary_basis,
            summary_source,
            summary_locator,
            description,
            family,
            track,
            seniority,
            soc_codes,
            isco_code,
            sources,
            responsibilities,
            requirements,
            skills,
            salaries,
        };
        if let Err((field, error)) = content.check() {
            return Err(invalid_body(vec![FieldError::new(
                field_pointer(&field),
                error.code,
                error.message,
            )]));
        }
        Ok(content)
    }
}

fn read_responsibility(
    r: &mut Refusals,
    at: String,
    item: ResponsibilityInput,
) -> Option<Responsibility> {
    let title = r.take(format!("{at}/title"), Text::parse(&item.title));
    let category = r.parse(format!("{at}/category"), &item.category);
    let description = r.take(format!("{at}/description"), Text::parse(&item.description));
    let (basis, source, locator) = read_attribution(
        r,
        &format!("{at}/"),
        item.basis.as_deref(),
        item.source.as_deref(),
        item.locator.as_deref(),
    )?;
    Some(Responsibility {
        title: title?,
        category: category?,
        description: description?,
        basis,
        source,
        locator,
    })
}

fn read_skill_link(r: &mut Refusals, at: String, link: RoleSkillInput) -> Option<RoleSkill> {
    let skill = r.take(format!("{at}/skill"), Slug::parse(&link.skill));
    let importance = r.parse(format!("{at}/importance"), &link.importance);
    let (basis, source, locator) = read_attribution(
        r,
        &format!("{at}/"),
        link.basis.as_deref(),
        link.source.as_deref(),
        link.locator.as_deref(),
    )?;
    Some(RoleSkill {
        skill: skill?,
        importance: importance?,
        basis,
        source,
        locator,
    })
}

/// One child sent on its own (`POST /roles/{id}/responsibilities`, …): its
/// shape checked by `validator`, its meaning by the domain type, every refused
/// field named by its pointer in the child's body.
fn read_child<I: Validate, T>(
    input: I,
    read: fn(&mut Refusals, String, I) -> Option<T>,
) -> Result<T, ApiError> {
    let mut refusals = Refusals::default();
    if let Err(errors) = input.validate() {
        refusals.add_validation("", &errors);
    }
    let value = read(&mut refusals, String::new(), input);
    refusals.finish()?;
    value.ok_or_else(|| invalid_body(vec![]))
}

pub(super) fn responsibility(input: ResponsibilityInput) -> Result<Responsibility, ApiError> {
    read_child(input, read_responsibility)
}

pub(super) fn requirement(input: RequirementInput) -> Result<Requirement, ApiError> {
    read_child(input, read_requirement)
}

pub(super) fn salary(input: SalaryInput) -> Result<SalaryRange, ApiError> {
    read_child(input, read_salary)
}

pub(super) fn skill_link(input: RoleSkillInput) -> Result<RoleSkill, ApiError> {
    read_child(input, read_skill_link)
}

/// A calendar date of the years facts are about: 1900 to 2100.
pub(super) fn date(raw: &str) -> Result<chrono::NaiveDate, InvalidValue> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|date| (1900..=2100).contains(&date.year()))
        .ok_or_else(|| {
            InvalidValue::new(
                "invalid_date",
                format!("`{raw}` is not a date from 1900 to 2100 like 2025-05-01"),
            )
        })
}

fn read_requirement(r: &mut Refusals, at: String, item: RequirementInput) -> Option<Requirement> {
    let kind = r.parse(format!("{at}/kind"), &item.kind);
    let level = r.parse(format!("{at}/level"), &item.level);
    let description = r.take(format!("{at}/description"), Text::parse(&item.description));
    let education_level = match &item.education_level {
        None => Some(None),
        Some(raw) => r.parse(format!("{at}/education_level"), raw).map(Some),
    };
    let fields_of_study = r.each(
        &format!("{at}/fields_of_study"),
        item.fields_of_study,
        |r, at, raw| r.take(at, Text::parse(&raw)),
    );
    let certifications = r.each(
        &format!("{at}/certifications"),
        item.certifications,
        |r, at, raw| r.take(at, Text::parse(&raw)),
    );
    let attribution = read_attribution(
        r,
        &format!("{at}/"),
        item.basis.as_deref(),
        item.source.as_deref(),
        item.locator.as_deref(),
    );
    let (basis, source, locator) = attribution?;
    let unchecked = UncheckedRequirement {
        kind: kind?,
        level: level?,
        description: description?,
        education_level: education_level?,
        fields_of_study: fields_of_study?,
        min_years: item.min_years,
        max_years: item.max_years,
        certifications: certifications?,
        basis,
        source,
        locator,
    };
    r.take(at, Requirement::try_from(unchecked))
}

/// A fact's basis, source and locator: the basis defaults to `stated` when
/// a source is named, else `editorial`; each basis gets what it demands.
/// `prefix` ends where the field names begin (`/responsibilities/0/`).
pub(super) fn read_attribution(
    r: &mut Refusals,
    prefix: &str,
    basis: Option<&str>,
    source: Option<&str>,
    locator: Option<&str>,
) -> Option<(Basis, Option<Slug>, Option<Locator>)> {
    let basis = match basis {
        Some(raw) => r.parse(format!("{prefix}basis"), raw),
        None if source.is_some() => Some(Basis::Stated),
        None => Some(Basis::Editorial),
    };
    let source = match source {
        None => Some(None),
        Some(raw) => r
            .take(format!("{prefix}source"), Slug::parse(raw))
            .map(Some),
    };
    let locator = match locator {
        None => Some(None),
        Some(raw) => r
            .take(format!("{prefix}locator"), Locator::parse(raw))
            .map(Some),
    };
    let (basis, source, locator) = (basis?, source?, locator?);
    match check_attribution(basis, source.as_ref(), locator.as_ref()) {
        Ok(()) => Some((basis, source, locator)),
        Err((field, error)) => {
            r.refuse(format!("{prefix}{field}"), error);
            None
        }
    }
}

fn read_salary(r: &mut Refusals, at: String, item: SalaryInput) -> Option<SalaryRange> {
    let currency = r.take(
        format!("{at}/currency"),
        rolebase_domain::CurrencyCode::parse(&item.currency),
    );
    let period = r.parse(format!("{at}/period"), &item.period);
    let area = match &item.area {
        None => Some(None),
        Some(area) => {
            let code = r.take(format!("{at}/area/code"), Text::parse(&area.code));
            let name = r.take(format!("{at}/area/name"), Text::parse(&area.name));
            let kind = r.parse(format!("{at}/area/kind"), &area.kind);
            Some(Some(Area {
                code: code?,
                name: name?,
                kind: kind?,
            }))
        }
    };
    let as_of = match &item.as_of {
        None => Some(None),
        Some(raw) => r.take(format!("{at}/as_of"), date(raw)).map(Some),
    };
    let attribution = read_attribution(
        r,
        &format!("{at}/"),
        item.basis.as_deref(),
        item.source.as_deref(),
        item.locator.as_deref(),
    );
    let soc_code = match &item.soc_code {
        None => Some(None),
        Some(raw) => r
            .take(format!("{at}/soc_code"), SocCode::parse(raw))
            .map(Some),
    };
    let (basis, source, locator) = attribution?;
    let unchecked = UncheckedSalaryRange {
        currency: currency?,
        period: period?,
        min: item.min,
        max: item.max,
        mean: item.mean,
        p10: item.p10,
        p25: item.p25,
        median: item.median,
        p75: item.p75,
        p90: item.p90,
        area: area?,
        as_of: as_of?,
        soc_code: soc_code?,
        basis,
        source,
        locator,
    };
    r.take(at, SalaryRange::try_from(unchecked))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(overrides: serde_json::Value) -> serde_json::Value {
        let mut base = serde_json::json!({
            "slug": "platform-lead", "title": "Platform Lead", "summary": "Leads.",
            "description": "Leads the platform.", "family": "software-engineering",
            "track": "hybrid", "seniority": "lead"
        });
        json_patch::merge(&mut base, &overrides);
        base
    }

    fn refused(json: serde_json::Value) -> Vec<String> {
        let input: RoleInput = serde_json::from_value(json).unwrap();
        let error = input.into_content().unwrap_err();
        error.errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn every_refused_field_is_named_at_once() {
        let fields = refused(role(serde_json::json!({
            "slug": "Not A Slug",
            "family": "wizardry",
            "responsibilities": [
                {"title": "ok", "category": "delivery", "description": "ok"},
                {"title": "", "category": "vibes", "description": "ok"}
            ],
            "requirements": [{"kind": "experience", "level": "required", "description": "d", "min_years": 9, "max_years": 3}],
            "salaries": [{"currency": "USD", "period": "annual", "p10": 200, "p90": 100,
                          "area": {"code": "US", "name": "United States", "kind": "nation"},
                          "as_of": "May 2025", "source": "s"}]
        })));
        for expected in [
            "/slug",
            "/family",
            "/responsibilities/1/title",
            "/responsibilities/1/category",
            "/requirements/0",
            "/salaries/0/as_of",
        ] {
            assert!(
                fields.contains(&expected.to_owned()),
                "{expected} missing from {fields:?}"
            );
        }
    }

    #[test]
    fn order_rules_are_refused_where_they_apply() {
        let fields = refused(role(serde_json::json!({
            "salaries": [{"currency": "USD", "period": "annual", "p10": 200, "p90": 100,
                          "area": {"code": "US", "name": "United States", "kind": "nation"},
                          "as_of": "2025-05-01", "source": "s", "locator": "Pay"}],
            "skills": [{"skill": "a", "importance": "essential"}, {"skill": "a", "importance": "optional"}]
        })));
        assert_eq!(fields, vec!["/salaries/0".to_owned(), "/skills".to_owned()]);
    }

    #[test]
    fn a_valid_document_becomes_a_role() {
        let input: RoleInput = serde_json::from_value(role(serde_json::json!({}))).unwrap();
        let content = input.into_content().unwrap();
        assert_eq!(content.slug.as_str(), "platform-lead");
        assert!(content.responsibilities.is_empty());
    }
}
