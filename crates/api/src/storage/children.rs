//! A role's children: responsibilities, requirements, skills, salaries and
//! career steps, each in the role's own order and filtered as asked.

use super::{
    Reads, StorageError,
    roles::{ATTRIBUTION_COLUMNS, attribution, parse},
};
use crate::views::{
    AreaView, CareerStepView, CareerSteps, RequirementView, ResponsibilityView, RoleLink,
    RoleSkillView, SalaryView,
};
use rolebase_domain::{
    CurrencyCode, RequirementKind, RequirementLevel, ResponsibilityCategory, SalaryPeriod,
    SkillImportance,
};
use tokio_postgres::{Row, types::ToSql};
use uuid::Uuid;

#[tracing::instrument(skip(client))]
pub async fn responsibilities(
    client: &impl Reads,
    role_id: Uuid,
    category: Option<ResponsibilityCategory>,
) -> Result<Vec<ResponsibilityView>, StorageError> {
    let rows = client
        .rows(
            &format!(
                "SELECT x.id, x.title, x.description, x.category, {ATTRIBUTION_COLUMNS}
                 FROM responsibilities x LEFT JOIN sources src ON src.id = x.source_id
                 WHERE x.role_id = $1 AND ($2::text IS NULL OR x.category = $2) ORDER BY x.position"
            ),
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
                attribution: attribution(row)?,
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
    client: &impl Reads,
    role_id: Uuid,
    filter: RequirementFilter,
) -> Result<Vec<RequirementView>, StorageError> {
    let rows = client.rows(
            &format!(
                "SELECT x.id, x.kind, x.level, x.description, x.education_level, x.fields_of_study,
                        x.min_years, x.max_years, x.certifications, {ATTRIBUTION_COLUMNS}
                 FROM requirements x LEFT JOIN sources src ON src.id = x.source_id
                 WHERE x.role_id = $1 AND ($2::text IS NULL OR x.kind = $2) AND ($3::text IS NULL OR x.level = $3)
                 ORDER BY x.position"
            ),
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
                attribution: attribution(row)?,
            })
        })
        .collect()
}

#[tracing::instrument(skip(client))]
pub async fn skills(
    client: &impl Reads,
    role_id: Uuid,
    importance: Option<SkillImportance>,
) -> Result<Vec<RoleSkillView>, StorageError> {
    let rows = client.rows(
            &format!(
                "SELECT s.id, s.slug, s.name, s.kind, s.description, x.importance, {ATTRIBUTION_COLUMNS}
                 FROM role_skills x JOIN skills s ON s.id = x.skill_id
                 LEFT JOIN sources src ON src.id = x.source_id
                 WHERE x.role_id = $1 AND ($2::text IS NULL OR x.importance = $2)
                 ORDER BY x.position"
            ),
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
                attribution: attribution(row)?,
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
    client: &impl Reads,
    role_id: Uuid,
    filter: &SalaryFilter,
) -> Result<Vec<SalaryView>, StorageError> {
    let rows = client.rows(
            &format!(
                "SELECT x.id, x.currency, x.period, x.min, x.max, x.mean, x.p10, x.p25, x.median, x.p75, x.p90,
                        x.area_code, x.area_name, x.area_kind, x.as_of, x.soc_code, {ATTRIBUTION_COLUMNS}
                 FROM salary_ranges x LEFT JOIN sources src ON src.id = x.source_id
                 WHERE x.role_id = $1
                   AND ($2::text IS NULL OR x.area_code = $2)
                   AND ($3::text IS NULL OR x.currency = $3)
                   AND ($4::text IS NULL OR x.period = $4)
                 ORDER BY x.position"
            ),
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
                area: match row.get::<_, Option<String>>(11) {
                    Some(code) => Some(AreaView {
                        code,
                        name: row.get(12),
                        kind: parse(row, 13)?,
                    }),
                    None => None,
                },
                as_of: row.get(14),
                soc_code: row.get(15),
                absent: salary_absences(
                    row.get::<_, Option<String>>(11).is_none(),
                    row.get::<_, Option<chrono::NaiveDate>>(14).is_none(),
                ),
                attribution: attribution(row)?,
            })
        })
        .collect()
}

/// Why a curated range leaves out its area or date: its source does not say.
fn salary_absences(no_area: bool, undated: bool) -> serde_json::Value {
    let mut absent = serde_json::Map::new();
    if no_area {
        absent.insert("area".into(), "area_not_stated".into());
    }
    if undated {
        absent.insert("as_of".into(), "undated".into());
    }
    absent.into()
}

/// The steps leading from the role (`next`) and to it (`previous`).
#[tracing::instrument(skip(client))]
pub async fn career_steps(client: &impl Reads, role_id: Uuid) -> Result<CareerSteps, StorageError> {
    let query = |direction: &str| {
        let (mine, other) = if direction == "next" {
            ("from_role_id", "to_role_id")
        } else {
            ("to_role_id", "from_role_id")
        };
        format!(
            "SELECT o.id, o.slug, o.title, x.kind, x.typical_years, x.note, {ATTRIBUTION_COLUMNS}
             FROM career_steps x
             JOIN roles o ON o.id = x.{other}
             LEFT JOIN sources src ON src.id = x.source_id
             WHERE x.{mine} = $1
             ORDER BY o.slug"
        )
    };
    let (next_sql, previous_sql) = (query("next"), query("previous"));
    let params: &[&(dyn ToSql + Sync)] = &[&role_id];
    let (next, previous) = tokio::try_join!(
        client.rows(&next_sql, params),
        client.rows(&previous_sql, params),
    )?;
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
        attribution: attribution(row)?,
    })
}
