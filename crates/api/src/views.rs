//! What the API answers with: the JSON shapes of roles and their children,
//! documented for the OpenAPI document where they are defined.

use chrono::{DateTime, NaiveDate, Utc};
use rolebase_domain::{
    EducationLevel, Family, RequirementKind, RequirementLevel, Seniority, Track,
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

/// A role in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleDetail {
    #[schema(example = "0b8e7a3c-4d2f-5e1a-9c6b-7f8e9d0a1b2c")]
    pub id: Uuid,
    #[schema(example = "technical-lead")]
    pub slug: String,
    #[schema(example = "Technical Lead")]
    pub title: String,
    #[schema(example = json!(["Tech Lead", "Lead Developer"]))]
    pub alternative_titles: Vec<String>,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub family: Family,
    pub track: Track,
    pub seniority: Seniority,
    #[schema(example = json!(["15-1252"]))]
    pub soc_codes: Vec<String>,
    /// ISCO-08 unit group, four digits.
    #[schema(example = "2512")]
    pub isco_code: Option<String>,
    /// Where the role's content comes from.
    pub sources: Vec<SourceView>,
    #[schema(example = 1)]
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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
}

/// A role's requirements, in the order the role lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementList {
    pub role: RoleLink,
    pub items: Vec<RequirementView>,
}
