//! What spans roles: the facts a comparison reads, curated comparison notes,
//! and the career graph.

use super::{
    Pooled, Reads, StorageError,
    roles::{ATTRIBUTION_COLUMNS, attribution, parse},
};
use crate::views::{ComparisonNoteView, RoleLink};
use rolebase_domain::{
    CareerStepKind, ComparisonAspect, CurrencyCode, EducationLevel, Slug,
    career::Edge,
    compare::{NationalMedian, RoleFacts, SalaryFact},
};
use std::collections::HashMap;
use uuid::Uuid;

/// The comparison facts of each role, in the order of `ids`.
#[tracing::instrument(skip(client))]
pub async fn facts(client: &Pooled, ids: &[Uuid]) -> Result<Vec<RoleFacts>, StorageError> {
    let roles = client
        .rows(
            "SELECT id, slug, track, seniority FROM roles WHERE id = ANY($1)",
            &[&ids],
        )
        .await?;
    let responsibilities = client.rows("SELECT role_id, category, title FROM responsibilities WHERE role_id = ANY($1) ORDER BY position", &[&ids])
        .await?;
    let skills = client.rows("SELECT rs.role_id, s.slug, rs.importance FROM role_skills rs JOIN skills s ON s.id = rs.skill_id
             WHERE rs.role_id = ANY($1) ORDER BY rs.position",
            &[&ids],
        )
        .await?;
    let requirements = client.rows("SELECT role_id, education_level, min_years, max_years FROM requirements
             WHERE role_id = ANY($1) AND level = 'required' AND kind IN ('education', 'experience')",
            &[&ids],
        )
        .await?;
    let salaries = client.rows("SELECT role_id, currency, period, median, mean FROM salary_ranges WHERE role_id = ANY($1) ORDER BY position", &[&ids])
        .await?;
    let national_medians = client
        .rows(
            "SELECT c.role_id, w.annual_median, w.release
             FROM role_soc_codes c
             JOIN wages w ON w.soc_code = c.soc_code
             JOIN areas a ON a.code = w.area_code AND a.kind = 'nation'
             WHERE c.role_id = ANY($1) AND w.annual_median IS NOT NULL
               AND w.release = (SELECT max(code) FROM oews_releases)
             ORDER BY c.position",
            &[&ids],
        )
        .await?;

    let mut facts: HashMap<Uuid, RoleFacts> = HashMap::new();
    for row in &roles {
        let fact = RoleFacts {
            slug: Slug::parse(row.get(1))?,
            track: parse(row, 2)?,
            seniority: parse(row, 3)?,
            responsibilities: vec![],
            skills: vec![],
            required_education: vec![],
            required_experience: vec![],
            salaries: vec![],
            national_medians: vec![],
        };
        facts.insert(row.get(0), fact);
    }
    // Each child row belongs to a role fetched above: the foreign keys say so.
    let role_of = |row: &tokio_postgres::Row| row.get::<_, Uuid>(0);
    for row in &responsibilities {
        if let Some(fact) = facts.get_mut(&role_of(row)) {
            fact.responsibilities.push((parse(row, 1)?, row.get(2)));
        }
    }
    for row in &skills {
        if let Some(fact) = facts.get_mut(&role_of(row)) {
            fact.skills.push((Slug::parse(row.get(1))?, parse(row, 2)?));
        }
    }
    for row in &requirements {
        if let Some(fact) = facts.get_mut(&role_of(row)) {
            if let Some(level) = row.get::<_, Option<&str>>(1) {
                fact.required_education
                    .push(level.parse::<EducationLevel>()?);
            }
            if let Some(min) = row.get::<_, Option<i16>>(2) {
                let max = row.get::<_, Option<i16>>(3);
                fact.required_experience.push((years(min), max.map(years)));
            }
        }
    }
    for row in &salaries {
        if let Some(fact) = facts.get_mut(&role_of(row)) {
            fact.salaries.push(SalaryFact {
                currency: CurrencyCode::parse(row.get(1))?,
                period: parse(row, 2)?,
                median: row.get(3),
                mean: row.get(4),
            });
        }
    }
    for row in &national_medians {
        if let Some(fact) = facts.get_mut(&role_of(row)) {
            fact.national_medians.push(NationalMedian {
                amount: row.get(1),
                release: row.get(2),
            });
        }
    }
    Ok(ids.iter().filter_map(|id| facts.remove(id)).collect())
}

/// The schema bounds years to 0–60.
fn years(value: i16) -> u8 {
    u8::try_from(value).unwrap_or(0)
}

/// The curated notes between any two of the roles, pair by pair, aspects in
/// their fixed order.
#[tracing::instrument(skip(client))]
pub async fn comparison_notes(
    client: &impl Reads,
    ids: &[Uuid],
) -> Result<Vec<ComparisonNoteView>, StorageError> {
    let rows = client
        .rows(
            &format!(
                "SELECT a.slug, b.slug, x.aspect, x.note, {ATTRIBUTION_COLUMNS},
                        array_position($1::uuid[], x.role_a_id) AS a_position,
                        array_position($1::uuid[], x.role_b_id) AS b_position
                 FROM comparison_notes x
                 JOIN roles a ON a.id = x.role_a_id
                 JOIN roles b ON b.id = x.role_b_id
                 LEFT JOIN sources src ON src.id = x.source_id
                 WHERE x.role_a_id = ANY($1) AND x.role_b_id = ANY($1)"
            ),
            &[&ids],
        )
        .await?;
    let mut notes = rows
        .iter()
        .map(|row| {
            let aspect: ComparisonAspect = parse(row, 2)?;
            let (a, b): (i32, i32) = (row.get("a_position"), row.get("b_position"));
            let order = (a.min(b), a.max(b), aspect);
            let note = ComparisonNoteView {
                roles: vec![row.get(0), row.get(1)],
                aspect,
                note: row.get(3),
                attribution: attribution(row)?,
            };
            Ok((order, note))
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    notes.sort_by_key(|(order, _)| *order);
    Ok(notes.into_iter().map(|(_, note)| note).collect())
}

/// A career step as an edge of the career graph: its kind and typical years.
pub type CareerEdge = Edge<(CareerStepKind, Option<i16>)>;

/// Every career step, as edges of the career graph, and every role by slug.
#[tracing::instrument(skip(client))]
pub async fn career_graph(
    client: &impl Reads,
) -> Result<(Vec<CareerEdge>, HashMap<Slug, RoleLink>), StorageError> {
    let steps = client.rows(
            "SELECT f.slug, t.slug, c.kind, c.typical_years
             FROM career_steps c JOIN roles f ON f.id = c.from_role_id JOIN roles t ON t.id = c.to_role_id
             ORDER BY f.slug, t.slug",
            &[],
        )
        .await?;
    let edges = steps
        .iter()
        .map(|row| {
            Ok(Edge {
                from: Slug::parse(row.get(0))?,
                to: Slug::parse(row.get(1))?,
                data: (parse(row, 2)?, row.get(3)),
            })
        })
        .collect::<Result<_, StorageError>>()?;
    let roles = client
        .rows("SELECT id, slug, title FROM roles", &[])
        .await?;
    let links = roles
        .iter()
        .map(|row| {
            Ok((
                Slug::parse(row.get(1))?,
                RoleLink {
                    id: row.get(0),
                    slug: row.get(1),
                    title: row.get(2),
                },
            ))
        })
        .collect::<Result<_, StorageError>>()?;
    Ok((edges, links))
}
