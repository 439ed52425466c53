//! A role's children: responsibilities, requirements, skills, salaries and
//! career steps, each in the role's own order and filtered as asked.

use super::{StorageError, roles::parse};
use crate::views::{
    AreaView, CareerStepView, CareerSteps, RequirementView, ResponsibilityView, RoleLink,
    RoleSkillView, SalaryView, SourceLink,
};
use rolebase_domain::{
    CurrencyCode, RequirementKind, RequirementLevel, ResponsibilityCategory, SalaryPeriod,
    SkillImportance,
};
use tokio_postgres::{GenericClient, Row};
use uuid::Uuid;

#[tracing::instrument(skip(client))]
pub async fn responsibilities(
    client: &impl GenericClient,
    role_id: Uuid,
    category: Option<ResponsibilityCategory>,
) -> Result<Vec<ResponsibilityView>, StorageError> {
    let rows = client
        .query(
            "SELECT id, title, description, category FROM responsibilities
             WHERE role_id = $1 AND ($2::text IS NULL OR category = $2) ORDER BY position",
            &[&role_id, &category.map(ResponsibilityCategory::as_str)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ResponsibilityView {
                id: row.get(0),
                title: row.get(1),
                description: row.get(2),
                category: parse(row, 3)?,
            })
        })
        .collect()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RequirementFilter {
    pub kind: Option<RequirementKind>,
    pub level: Option<RequirementLevel>,
}

#[tracing::instrument(skip(client))]
pub async fn requirements(
    client: &impl GenericClient,
    role_id: Uuid,
    filter: RequirementFilter,
) -> Result<Vec<RequirementView>, StorageError> {
    let rows = client
        .query(
            "SELECT id, kind, level, description, education_level, fields_of_study, min_years, max_years, certifications
             FROM requirements
             WHERE role_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR level = $3)
             ORDER BY position",
            &[&role_id, &filter.kind.map(RequirementKind::as_str), &filter.level.map(RequirementLevel::as_str)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(RequirementView {
                id: row.get(0),
                kind: parse(row, 1)?,
                level: parse(row, 2)?,
                description: row.get(3),
                education_level: row.get::<_, Option<&str>>(4).map(str::parse).transpose()?,
                fields_of_study: row.get(5),
                min_years: row.get(6),
                max_years: row.get(7),
                certifications: row.get(8),
            })
        })
        .collect()
}

#[tracing::instrument(skip(client))]
pub async fn skills(
    client: &impl GenericClient,
    role_id: Uuid,
    importance: Option<SkillImportance>,
) -> Result<Vec<RoleSkillView>, StorageError> {
    let rows = client
        .query(
            "SELECT s.id, s.slug, s.name, s.kind, s.description, rs.importance
             FROM role_skills rs JOIN skills s ON s.id = rs.skill_id
             WHERE rs.role_id = $1 AND ($2::text IS NULL OR rs.importance = $2)
             ORDER BY rs.position",
            &[&role_id, &importance.map(SkillImportance::as_str)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(RoleSkillView {
                id: row.get(0),
                slug: row.get(1),
                name: row.get(2),
                kind: parse(row, 3)?,
                description: row.get(4),
                importance: parse(row, 5)?,
            })
        })
        .collect()
}

#[derive(Debug, Default, Clone)]
pub struct SalaryFilter {
    pub area: Option<String>,
    pub currency: Option<CurrencyCode>,
    pub period: Option<SalaryPeriod>,
}

#[tracing::instrument(skip(client))]
pub async fn salaries(
    client: &impl GenericClient,
    role_id: Uuid,
    filter: &SalaryFilter,
) -> Result<Vec<SalaryView>, StorageError> {
    let rows = client
        .query(
            "SELECT r.id, r.currency, r.period, r.min, r.max, r.mean, r.p10, r.p25, r.median, r.p75, r.p90,
                    r.area_code, r.area_name, r.area_kind, r.as_of, s.key, s.title, r.soc_code
             FROM salary_ranges r JOIN sources s ON s.id = r.source_id
             WHERE r.role_id = $1
               AND ($2::text IS NULL OR r.area_code = $2)
               AND ($3::text IS NULL OR r.currency = $3)
               AND ($4::text IS NULL OR r.period = $4)
             ORDER BY r.position",
            &[&role_id, &filter.area.as_deref(), &filter.currency.as_ref().map(CurrencyCode::as_str), &filter.period.map(SalaryPeriod::as_str)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(SalaryView {
                id: row.get(0),
                currency: row.get(1),
                period: parse(row, 2)?,
                min: row.get(3),
                max: row.get(4),
                mean: row.get(5),
                p10: row.get(6),
                p25: row.get(7),
                median: row.get(8),
                p75: row.get(9),
                p90: row.get(10),
                area: AreaView {
                    code: row.get(11),
                    name: row.get(12),
                    kind: parse(row, 13)?,
                },
                as_of: row.get(14),
                source: SourceLink {
                    key: row.get(15),
                    title: row.get(16),
                },
                soc_code: row.get(17),
            })
        })
        .collect()
}

/// The steps leading from the role (`next`) and to it (`previous`).
#[tracing::instrument(skip(client))]
pub async fn career_steps(
    client: &impl GenericClient,
    role_id: Uuid,
) -> Result<CareerSteps, StorageError> {
    let query = |direction: &str| {
        let (mine, other) = if direction == "next" {
            ("from_role_id", "to_role_id")
        } else {
            ("to_role_id", "from_role_id")
        };
        format!(
            "SELECT o.id, o.slug, o.title, c.kind, c.typical_years, c.note, s.key, s.title
             FROM career_steps c
             JOIN roles o ON o.id = c.{other}
             LEFT JOIN sources s ON s.id = c.source_id
             WHERE c.{mine} = $1
             ORDER BY o.slug"
        )
    };
    let next = client.query(&query("next"), &[&role_id]).await?;
    let previous = client.query(&query("previous"), &[&role_id]).await?;
    Ok(CareerSteps {
        next: next.iter().map(step).collect::<Result<_, _>>()?,
        previous: previous.iter().map(step).collect::<Result<_, _>>()?,
    })
}

fn step(row: &Row) -> Result<CareerStepView, StorageError> {
    Ok(CareerStepView {
        role: RoleLink {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
        },
        kind: parse(row, 3)?,
        typical_years: row.get(4),
        note: row.get(5),
        source: row.get::<_, Option<String>>(6).map(|key| SourceLink {
            key,
            title: row.get(7),
        }),
    })
}
