//! Rolebase's domain model.
//!
//! Every type here is parsed, not validated: once a value exists it is valid, so the
//! storage and HTTP layers never re-check it. Nothing in this crate does I/O.

mod basis;
pub mod career;
pub mod compare;
mod error;
mod identifiers;
mod kinds;
pub mod posting;
mod requirement;
mod role;
mod salary;
pub mod search;
mod text;
pub mod titles;

pub use basis::{Locator, check_attribution, field_pointer};
pub use error::InvalidValue;
pub use identifiers::{CurrencyCode, IscoCode, RoleRef, Slug, SocCode};
pub use kinds::{
    AreaKind, Basis, CareerStepKind, ComparisonAspect, EducationLevel, Family, MatchedField,
    PostingSeniority, RequirementKind, RequirementLevel, ResponsibilityCategory, SalaryPeriod,
    SearchKind, Seniority, SkillImportance, SkillKind, Track,
};
pub use requirement::{ExperienceYears, Requirement, RequirementDetail, UncheckedRequirement};
pub use role::{
    AlternativeTitles, Area, CareerStep, ComparisonNote, ComparisonNotes, Distinct, Keyed,
    Responsibility, RoleContent, RoleSkill, SalaryRange, Skill, Source, UncheckedSalaryRange,
};
pub use salary::{Money, SalaryFigures, UncheckedFigures};
pub use text::{Text, Title};
