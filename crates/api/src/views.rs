//! What the API answers with: the JSON shapes of roles and their children,
//! documented for the OpenAPI document where they are defined.

use chrono::{DateTime, NaiveDate, Utc};
use rolebase_domain::{
    AreaKind, Basis, CareerStepKind, ComparisonAspect, EducationLevel, Family, MatchedField, Money,
    RequirementKind, RequirementLevel, ResponsibilityCategory, SalaryPeriod, SearchKind, Seniority,
    SkillImportance, SkillKind, Track, compare::RoleDiff,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A role as a list shows it: enough for a card on a job board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleSummary {
    /// Stable identifier.
    #[schema(example = "0b8e7a3c-4d2f-5e1a-9c6b-7f8e9d0a1b2c")]
    pub id: Uuid,
    /// Readable key, usable wherever an id is.
    #[schema(example = "technical-lead")]
    pub slug: String,
    #[schema(example = "Technical Lead")]
    pub title: String,
    /// Other names the role goes by.
    #[schema(example = json!(["Tech Lead", "Lead Developer"]))]
    pub alternative_titles: Vec<String>,
    /// At most 280 characters of plain text.
    #[schema(
        example = "An experienced engineer who sets the technical direction for one team or project, keeps writing code, reviews the team's work, mentors developers and explains technical trade-offs to managers and clients."
    )]
    pub summary: String,
    pub family: Family,
    pub track: Track,
    pub seniority: Seniority,
    /// SOC 2018 codes of the occupations the role falls under.
    #[schema(example = json!(["15-1252"]))]
    pub soc_codes: Vec<String>,
    /// Goes up by one with every change.
    #[schema(example = 1)]
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A page of roles.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleSummary>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A role in full: its summary's fields, and the rest.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleDetail {
    #[serde(flatten)]
    pub overview: RoleSummary,
    /// How the summary is known.
    pub summary_attribution: Attribution,
    /// Markdown.
    pub description: String,
    /// ISCO-08 unit group, four digits.
    #[schema(example = "2512")]
    pub isco_code: Option<String>,
    /// Where the role's content comes from.
    pub sources: Vec<SourceView>,
    pub created_at: DateTime<Utc>,
}

/// An article or dataset that curated facts come from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    #[schema(example = "indeed-what-does-a-technical-lead-do")]
    pub key: String,
    #[schema(example = "What Does a Technical Lead Do? (With Specific Requirements)")]
    pub title: String,
    #[schema(example = "Indeed Editorial Team")]
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    /// When the source was last revised, if it says so.
    pub updated: Option<NaiveDate>,
    pub retrieved: Option<NaiveDate>,
}

/// Which role a list of children belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleLink {
    pub id: Uuid,
    #[schema(example = "technical-lead")]
    pub slug: String,
    #[schema(example = "Technical Lead")]
    pub title: String,
}

/// One requirement. The fields after `description` are set by kind:
/// `education_level` and `fields_of_study` for education, `min_years` and
/// `max_years` for experience, `certifications` for certification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementView {
    pub id: Uuid,
    pub kind: RequirementKind,
    pub level: RequirementLevel,
    #[schema(example = "A bachelor's degree is the usual minimum.")]
    pub description: String,
    #[schema(example = "bachelor")]
    pub education_level: Option<EducationLevel>,
    #[schema(example = json!(["computer science", "software engineering"]))]
    pub fields_of_study: Vec<String>,
    #[schema(example = 3)]
    pub min_years: Option<i16>,
    #[schema(example = 5)]
    pub max_years: Option<i16>,
    #[schema(example = json!([]))]
    pub certifications: Vec<String>,
    #[serde(flatten)]
    pub attribution: Attribution,
}

/// A role's requirements, in the order the role lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementList {
    pub role: RoleLink,
    pub items: Vec<RequirementView>,
}

/// A role in full with the children asked for through `include=`; a child
/// list not asked for is left out of the response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleWithChildren {
    #[serde(flatten)]
    pub role: RoleDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsibilities: Option<Vec<ResponsibilityView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Vec<RequirementView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<RoleSkillView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salaries: Option<Vec<SalaryView>>,
    /// With `include=salaries`: the imported national wages of the role's
    /// occupations (newest release).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_salaries: Option<Vec<ImportedSalaryView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub career: Option<CareerSteps>,
}

/// One thing the role is responsible for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponsibilityView {
    pub id: Uuid,
    #[schema(example = "Guard code quality")]
    pub title: String,
    #[schema(example = "Define coding standards and review pull requests.")]
    pub description: String,
    pub category: ResponsibilityCategory,
    #[serde(flatten)]
    pub attribution: Attribution,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponsibilityList {
    pub role: RoleLink,
    pub items: Vec<ResponsibilityView>,
}

/// A skill the role needs, and how much.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleSkillView {
    /// The skill's id in the catalogue.
    pub id: Uuid,
    #[schema(example = "code-review")]
    pub slug: String,
    #[schema(example = "Code review")]
    pub name: String,
    pub kind: SkillKind,
    pub description: String,
    pub importance: SkillImportance,
    /// How the role's need for the skill is known.
    #[serde(flatten)]
    pub attribution: Attribution,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleSkillList {
    pub role: RoleLink,
    pub items: Vec<RoleSkillView>,
}

/// The area a salary figure describes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaView {
    #[schema(example = "US")]
    pub code: String,
    #[schema(example = "United States")]
    pub name: String,
    pub kind: AreaKind,
}

/// How a fact is known: `stated` (the source says it, at `locator`),
/// `dataset` (figures from the named dataset) or `editorial` (the editors'
/// own judgement: no source is named, and none is claimed).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attribution {
    pub basis: Basis,
    /// The source that says it, or the dataset; `null` for an editorial fact.
    pub source: Option<SourceLink>,
    /// Where the source says it: its section or heading; `null` unless stated.
    #[schema(example = "Technical lead requirements")]
    pub locator: Option<String>,
}

/// Where a fact comes from, in short.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceLink {
    #[schema(example = "technical-director-vs-technical-lead")]
    pub key: String,
    #[schema(example = "Technical Director vs. Technical Lead: What Are the Differences?")]
    pub title: String,
}

/// Pay for the role in one area and currency. Amounts are in currency units
/// (dollars, not cents); a figure the source does not give is `null`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalaryView {
    pub id: Uuid,
    #[schema(example = "USD")]
    pub currency: String,
    pub period: SalaryPeriod,
    #[schema(value_type = Option<f64>)]
    pub min: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub max: Option<Money>,
    #[schema(value_type = Option<f64>, example = 118295)]
    pub mean: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p10: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p25: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub median: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p75: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p90: Option<Money>,
    /// Where the figures apply; `null` when the source does not say.
    pub area: Option<AreaView>,
    /// The date the figures describe; `null` when the source gives none.
    pub as_of: Option<NaiveDate>,
    #[schema(example = "15-1252")]
    pub soc_code: Option<String>,
    /// Why `area` or `as_of` is `null`: `area_not_stated`, `undated`.
    #[schema(value_type = Object, example = json!({"as_of": "undated", "area": "area_not_stated"}))]
    pub absent: serde_json::Value,
    #[serde(flatten)]
    pub attribution: Attribution,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalaryList {
    pub role: RoleLink,
    /// The curated ranges.
    pub items: Vec<SalaryView>,
    /// The imported wages of each of the role's SOC occupations: the nation's
    /// and, with `area=` a BLS area code, that area's.
    pub imported: Vec<ImportedSalaryView>,
}

/// An occupation's pay from an imported wage release, shown beside a role's
/// curated ranges. Amounts are U.S. dollars.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportedSalaryView {
    /// The role's occupation the figures describe.
    pub occupation: OccupationRef,
    pub source: DatasetSource,
    #[serde(flatten)]
    pub wage: WageView,
}

/// The dataset imported figures come from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetSource {
    /// `bls_oews`: the U.S. Bureau of Labor Statistics' Occupational
    /// Employment and Wage Statistics.
    #[schema(example = "bls_oews")]
    pub dataset: &'static str,
    #[schema(example = "Occupational Employment and Wage Statistics")]
    pub title: &'static str,
    #[schema(example = "U.S. Bureau of Labor Statistics")]
    pub publisher: &'static str,
    #[schema(example = "https://www.bls.gov/oes/")]
    pub url: &'static str,
}

impl DatasetSource {
    pub const OEWS: Self = Self {
        dataset: "bls_oews",
        title: "Occupational Employment and Wage Statistics",
        publisher: "U.S. Bureau of Labor Statistics",
        url: "https://www.bls.gov/oes/",
    };
}

/// A move to (or from) another role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareerStepView {
    /// The other role: where the step leads, or where it comes from.
    pub role: RoleLink,
    pub kind: CareerStepKind,
    /// Years usually spent in the first role before the step.
    #[schema(example = 3)]
    pub typical_years: Option<i16>,
    pub note: String,
    #[serde(flatten)]
    pub attribution: Attribution,
}

/// Where a role leads, and where people come to it from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareerSteps {
    pub next: Vec<CareerStepView>,
    pub previous: Vec<CareerStepView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareerPathList {
    pub role: RoleLink,
    #[serde(flatten)]
    pub steps: CareerSteps,
}

/// One step of a route.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteStep {
    pub from: RoleLink,
    pub to: RoleLink,
    pub kind: CareerStepKind,
    #[schema(example = 3)]
    pub typical_years: Option<i16>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Route {
    pub steps: Vec<RouteStep>,
    /// Sum of the steps' typical years, when every step gives them.
    #[schema(example = 7)]
    pub typical_years: Option<i64>,
}

/// The shortest routes from one role to another; empty when there is none.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteList {
    pub from: RoleLink,
    pub to: RoleLink,
    pub routes: Vec<Route>,
}

/// A curated note on how two roles differ in one aspect.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComparisonNoteView {
    /// The two roles the note compares, in the order it was written.
    #[schema(example = json!(["technical-lead", "engineering-manager"]))]
    pub roles: Vec<String>,
    pub aspect: ComparisonAspect,
    pub note: String,
    #[serde(flatten)]
    pub attribution: Attribution,
}

/// Roles side by side: the curated notes and the computed differences.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comparison {
    pub roles: Vec<RoleSummary>,
    /// Curated notes for every pair of the compared roles that has some.
    pub notes: Vec<ComparisonNoteView>,
    pub diff: RoleDiff,
}

/// A skill in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillView {
    pub id: Uuid,
    #[schema(example = "code-review")]
    pub slug: String,
    #[schema(example = "Code review")]
    pub name: String,
    pub kind: SkillKind,
    pub description: String,
    /// How many roles link the skill.
    #[schema(example = 6)]
    pub role_count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillList {
    pub items: Vec<SkillView>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A role that needs a skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkilledRole {
    pub role: RoleLink,
    pub importance: SkillImportance,
}

/// A skill and the roles that need it, essential first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillDetail {
    #[serde(flatten)]
    pub skill: SkillView,
    pub roles: Vec<SkilledRole>,
}

/// A job family and how many roles it holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FamilyView {
    pub family: Family,
    #[schema(example = "Software engineering")]
    pub name: String,
    #[schema(example = 5)]
    pub role_count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FamilyList {
    pub items: Vec<FamilyView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceList {
    pub items: Vec<SourceView>,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The role's or skill's id; `null` for an occupation.
    pub id: Option<Uuid>,
    /// The role's or skill's slug; `null` for an occupation.
    #[schema(example = "technical-lead")]
    pub slug: Option<String>,
    /// The occupation's SOC 2018 code; `null` for a role or skill.
    #[schema(example = json!(null))]
    pub code: Option<String>,
    #[schema(example = "Technical Lead")]
    pub title: String,
    /// Where the hit is read in full: `/roles/{slug}`, `/skills/{slug}` or
    /// `/occupations/{code}`.
    #[schema(example = "/roles/technical-lead")]
    pub href: String,
    /// Relevance: higher is better; comparable within one response.
    #[schema(example = 0.91)]
    pub score: f64,
    pub matched_field: MatchedField,
    /// The matching text, HTML-escaped, with `<mark>` around the matched words.
    #[schema(example = "<mark>Tech</mark> <mark>Lead</mark>")]
    pub snippet: String,
}

/// Search hits, best first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// The query as understood: trimmed, spaces collapsed.
    #[schema(example = "tech lead")]
    pub query: String,
    pub items: Vec<SearchHit>,
}

/// One change to a role: who made it, when, and what it was.
/// One change to a role, as a list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionSummary {
    /// The role's version after the change: 1 for the creation, one more for
    /// each change since; a deletion takes the number after the last.
    #[schema(example = 1)]
    pub number: i32,
    pub operation: RevisionOperation,
    /// Who made the change: an API key's name, or `knowledge-base` for a load.
    #[schema(example = "knowledge-base")]
    pub actor: String,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisionOperation {
    Create,
    Update,
    Delete,
}

/// A role's revisions, newest first, a page at a time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionList {
    pub role: RoleLink,
    pub items: Vec<RevisionSummary>,
    /// Pass as `cursor` to get older revisions; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One change to a role, with the role's document before and after it (the
/// shape `PUT /roles/{id}` takes).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Revision {
    #[serde(flatten)]
    pub summary: RevisionSummary,
    pub role: RoleLink,
    /// The document before the change; `null` for a creation.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The document after the change; `null` for a deletion.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// One committed change, as the change feed lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeView {
    /// This entry's place in the feed: pass it as `since` to read what came after.
    #[schema(example = "000000000000000c")]
    pub cursor: String,
    /// What happened: `role.created`, `role.updated`, `role.deleted`,
    /// `skill.created`, `skill.updated`, `source.created`, `knowledge_base.loaded`,
    /// `dataset.imported` (a wage release: its `resource` names it).
    #[schema(example = "role.updated")]
    pub kind: String,
    /// The changed resource's path.
    #[schema(example = "/roles/0b8e7a3c-4d2f-5e1a-9c6b-7f8e9d0a1b2c")]
    pub resource: String,
    /// The `ETag` that `GET` on the resource gave right after the change
    /// (`null` for deletions and resources without one).
    pub etag: Option<String>,
    /// The role's version after the change; `null` when the resource is not a role.
    pub version: Option<i32>,
    /// An API key's name, or `knowledge-base` for a load.
    #[schema(example = "editor")]
    pub actor: String,
    pub changed_at: DateTime<Utc>,
}

/// A page of the change feed, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeList {
    pub items: Vec<ChangeView>,
    /// Where to resume: pass it as `since` next time. Never `null`: on an
    /// empty page it is the `since` that was given.
    #[schema(example = "000000000000000c")]
    pub next_cursor: String,
}

/// A SOC occupation as a list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccupationSummary {
    /// SOC 2018 code.
    #[schema(example = "15-1252")]
    pub code: String,
    #[schema(example = "Software Developers")]
    pub title: String,
    /// `total`, `major`, `minor`, `broad` or `detailed`; `null` for an
    /// occupation no wage import has described yet.
    #[schema(example = "detailed")]
    pub group: Option<String>,
    /// The nearest broader occupation the data has.
    #[schema(example = "15-1250")]
    pub parent: Option<String>,
}

/// An occupation named by another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccupationRef {
    #[schema(example = "15-1250")]
    pub code: String,
    #[schema(example = "Software and Web Developers, Programmers, and Testers")]
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccupationList {
    pub items: Vec<OccupationSummary>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// An occupation, where it sits in the SOC hierarchy, the roles that fall
/// under it, and its national wages in the newest release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccupationDetail {
    #[serde(flatten)]
    pub occupation: OccupationSummary,
    pub parent_occupation: Option<OccupationRef>,
    pub children: Vec<OccupationRef>,
    pub roles: Vec<RoleLink>,
    /// National figures of the newest release; empty before any import.
    pub national_wages: Vec<WageView>,
}

/// A BLS area: the nation, a state or territory, a metropolitan area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaRef {
    /// BLS's 7-digit area code; `0000000` is the nation.
    #[schema(example = "0000000")]
    pub code: String,
    #[schema(example = "National")]
    pub title: String,
    /// `nation`, `state` or `metro`.
    #[schema(example = "nation")]
    pub kind: String,
    /// FIPS code of the (primary) state; `00` for the nation.
    #[schema(example = "00")]
    pub state_fips: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaList {
    pub items: Vec<AreaRef>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Mean and percentile wages, in US dollars.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WageFigures {
    #[schema(value_type = Option<f64>, example = 148100)]
    pub mean: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p10: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p25: Option<Money>,
    #[schema(value_type = Option<f64>, example = 135980)]
    pub median: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p75: Option<Money>,
    #[schema(value_type = Option<f64>)]
    pub p90: Option<Money>,
}

/// An occupation's wages in one area and release, as BLS OEWS gives them.
/// A figure BLS does not give is `null`, and `absent` says why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WageView {
    /// The OEWS release, e.g. `2025A01`.
    #[schema(example = "2025A01")]
    pub release: String,
    #[schema(example = "May 2025")]
    pub release_title: String,
    pub area: AreaRef,
    /// Jobs (excluding the self-employed).
    #[schema(example = 1654440)]
    pub employment: Option<i64>,
    /// Relative standard error of `employment`, in percent.
    #[schema(value_type = Option<f64>, example = 0.9)]
    pub employment_rse: Option<Money>,
    /// Relative standard error of the mean wages, in percent.
    #[schema(value_type = Option<f64>, example = 0.4)]
    pub mean_rse: Option<Money>,
    pub hourly: WageFigures,
    pub annual: WageFigures,
    /// Jobs in the occupation per 1,000 jobs in the area.
    #[schema(value_type = Option<f64>)]
    pub jobs_per_1000: Option<Money>,
    /// The occupation's share of the area's jobs over its national share.
    #[schema(value_type = Option<f64>)]
    pub location_quotient: Option<Money>,
    /// Why each absent figure is absent, by the figure's name:
    /// `not_applicable` (BLS's `**`: e.g. per-1,000 figures for the nation),
    /// `annual_only` (BLS gives no hourly wage for occupations it reports by
    /// the year) or `not_released` (BLS's `-`: suppressed, or top-coded at
    /// $115.00/hour or $239,200/year and above).
    #[schema(value_type = Object, example = json!({"jobs_per_1000": "not_applicable", "location_quotient": "not_applicable"}))]
    pub absent: serde_json::Value,
    /// `percentiles_collapsed`: two adjacent percentiles are equal.
    #[schema(example = json!([]))]
    pub flags: Vec<String>,
}

/// An occupation's wages by area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WageList {
    pub occupation: OccupationRef,
    pub items: Vec<WageView>,
}

/// An imported OEWS release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseView {
    #[schema(example = "2025A01")]
    pub release: String,
    #[schema(example = "May 2025")]
    pub title: String,
    pub imported_at: DateTime<Utc>,
    #[schema(example = 38512)]
    pub row_count: i32,
    #[schema(example = json!(["nation", "state"]))]
    pub area_kinds: Vec<String>,
}

/// What data the service holds, and how fresh it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// The newest database migration applied.
    #[schema(example = 4)]
    pub schema_version: i32,
    pub knowledge_base: KnowledgeBaseMeta,
    /// Imported BLS OEWS releases, newest first.
    pub oews: Vec<ReleaseView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KnowledgeBaseMeta {
    /// The change-feed position of its last change (`GET /changes`): it only
    /// grows, so a mirror can tell whether it is behind.
    #[schema(example = 42)]
    pub version: i64,
    /// SHA-256 of the document `rolebase export` prints for it: two services
    /// with the same digest hold the same curated knowledge base.
    #[schema(example = "9f2c5e0d4b7a8c1e3f6a2b9d0c4e7f1a5b8c2d6e9f3a7b0c4d8e1f5a9b2c6d0e")]
    pub digest: String,
    #[schema(example = 12)]
    pub roles: i64,
    #[schema(example = 44)]
    pub skills: i64,
    #[schema(example = 6)]
    pub sources: i64,
    /// When the knowledge-base files were last loaded.
    pub loaded_at: Option<DateTime<Utc>>,
    /// When anything in it last changed (a load or a write).
    pub changed_at: Option<DateTime<Utc>>,
}
