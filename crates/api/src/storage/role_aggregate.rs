//! The role aggregate: a role with all its children, created, replaced and
//! deleted as one, inside the caller's transaction (which has taken its turn
//! with `changes::begin_writing` and ends with `changes::append`). The knowledge-base loader
//! and the write API both write roles through here, so every change gets the
//! same checks, the same version bump and the same revision.

use super::{
    Reads, StorageError, bump_shared_generation,
    changes::{Change, ChangeKind},
    curated_id, violated_unique_constraint,
};
use rolebase_domain::{RequirementDetail, RoleContent, RoleRef, Slug, field_pointer};
use std::collections::HashMap;
use tokio_postgres::{GenericClient, Transaction};
use uuid::Uuid;

/// Who makes a change, and what the revision should note about it.
#[derive(Debug, Clone)]
pub struct Author<'a> {
    /// An API key's name, or `knowledge-base` for a load.
    pub actor: &'a str,
    /// The knowledge-base entry's digest when a load writes the role; API
    /// writes leave the last loaded digest alone, so that `rolebase seed`
    /// rewrites a role only when its file changed.
    pub seed_digest: Option<&'a str>,
    /// Free-form notes for the revision, e.g. the file a load read.
    pub notes: serde_json::Value,
}

/// The version a change expects the role to be at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `If-Match: *`, or a load: whatever the current version is.
    Any,
    Version(i32),
}

/// A role after a write: what the response needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The role's new version; for a deletion, the number of its last revision.
    pub version: i32,
}

/// A name in the document that names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReference {
    /// JSON pointer into the role document: `/skills/0/skill`.
    pub pointer: String,
    /// `skill_not_found` or `source_not_found`.
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("no role has this id")]
    NotFound,
    #[error("the role is at version {current}")]
    StaleVersion { current: i32 },
    #[error("the slug `{0}` is taken by another role")]
    DuplicateSlug(String),
    #[error("the document names {} skills or sources that do not exist", .0.len())]
    UnknownReferences(Vec<UnknownReference>),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<tokio_postgres::Error> for WriteError {
    fn from(error: tokio_postgres::Error) -> Self {
        Self::Storage(error.into())
    }
}

/// The ids of a role's identified children, in the role's order:
/// responsibilities, requirements and salary ranges. (Skill links are known
/// by their skill.) A child keeps its id through every later change of the
/// role, so that `/roles/{id}/responsibilities/{child}` stays its address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildIds {
    pub responsibilities: Vec<Uuid>,
    pub requirements: Vec<Uuid>,
    pub salaries: Vec<Uuid>,
}

impl ChildIds {
    /// Ids for `content`: the child at each place keeps the id the child at
    /// that place had (`previous`), and a child at a new place gets one made
    /// from the role, its new version and the place, so that a load makes
    /// the same ids on every machine.
    fn by_place(previous: &ChildIds, content: &RoleContent, role_id: Uuid, version: i32) -> Self {
        let ids = |kind: &str, kept: &[Uuid], count: usize| -> Vec<Uuid> {
            (0..count)
                .map(|place| {
                    kept.get(place).copied().unwrap_or_else(|| {
                        curated_id(kind, &format!("{role_id}/{version}/{place}"))
                    })
                })
                .collect()
        };
        Self {
            responsibilities: ids(
                "responsibility",
                &previous.responsibilities,
                content.responsibilities.len(),
            ),
            requirements: ids(
                "requirement",
                &previous.requirements,
                content.requirements.len(),
            ),
            salaries: ids("salary", &previous.salaries, content.salaries.len()),
        }
    }

    fn fits(&self, content: &RoleContent) -> bool {
        self.responsibilities.len() == content.responsibilities.len()
            && self.requirements.len() == content.requirements.len()
            && self.salaries.len() == content.salaries.len()
    }
}

/// The role's child ids as they stand.
pub async fn child_ids(
    client: &impl GenericClient,
    role_id: Uuid,
) -> Result<ChildIds, StorageError> {
    let row = client
        .query_one(
            "SELECT
                 ARRAY(SELECT id FROM responsibilities WHERE role_id = $1 ORDER BY position),
                 ARRAY(SELECT id FROM requirements WHERE role_id = $1 ORDER BY position),
                 ARRAY(SELECT id FROM salary_ranges WHERE role_id = $1 ORDER BY position)",
            &[&role_id],
        )
        .await?;
    Ok(ChildIds {
        responsibilities: row.get(0),
        requirements: row.get(1),
        salaries: row.get(2),
    })
}

/// What a role id or slug names now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Live {
        id: Uuid,
    },
    /// Deleted; its revisions remain.
    Deleted {
        id: Uuid,
        slug: String,
    },
    Missing,
}

/// Finds a live role by id or slug, or else the most recent deleted one.
pub async fn lookup(client: &impl Reads, role: &RoleRef) -> Result<Lookup, StorageError> {
    let (id, slug) = match role {
        RoleRef::Id(id) => (Some(*id), None),
        RoleRef::Slug(slug) => (None, Some(slug.as_str())),
    };
    let live = client
        .row(
            "SELECT id FROM roles WHERE id = $1 OR slug = $2",
            &[&id, &slug],
        )
        .await?;
    if let Some(row) = live {
        return Ok(Lookup::Live { id: row.get(0) });
    }
    let deleted = client
        .row(
            "SELECT role_id, role_slug FROM revisions
             WHERE (role_id = $1 OR role_slug = $2) AND action = 'delete'
             ORDER BY id DESC LIMIT 1",
            &[&id, &slug],
        )
        .await?;
    Ok(match deleted {
        Some(row) => Lookup::Deleted {
            id: row.get(0),
            slug: row.get(1),
        },
        None => Lookup::Missing,
    })
}

/// The role's document as it stands: the shape a `PUT` takes.
pub async fn document(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<RoleContent>, StorageError> {
    Ok(read_state(client, id).await?.map(|(content, _)| content))
}

/// What a revision records of a role: its document, plus the career steps
/// that lead from it and the comparison notes that name it, which change
/// under the role too.
pub async fn snapshot(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<serde_json::Value>, StorageError> {
    Ok(read_state(client, id).await?.map(|(content, relations)| {
        let mut json = serde_json::to_value(&content).expect("a role document serializes");
        if let (Some(json), serde_json::Value::Object(relations)) =
            (json.as_object_mut(), relations)
        {
            json.extend(relations);
        }
        json
    }))
}

/// The document and the relations, read in one statement: one consistent state.
async fn read_state(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<(RoleContent, serde_json::Value)>, StorageError> {
    let row = client
        .query_opt(
            "SELECT jsonb_strip_nulls(jsonb_build_object(
                 'slug', r.slug, 'title', r.title, 'summary', r.summary,
                 'summary_basis', r.summary_basis,
                 'summary_source', (SELECT key FROM sources WHERE id = r.summary_source_id),
                 'summary_locator', r.summary_locator, 'description', r.description,
                 'family', r.family, 'track', r.track, 'seniority', r.seniority, 'isco_code', r.isco_code,
                 'alternative_titles', COALESCE((SELECT jsonb_agg(t.title ORDER BY t.position)
                     FROM role_alternative_titles t WHERE t.role_id = r.id), '[]'),
                 'soc_codes', COALESCE((SELECT jsonb_agg(c.soc_code ORDER BY c.position)
                     FROM role_soc_codes c WHERE c.role_id = r.id), '[]'),
                 'sources', COALESCE((SELECT jsonb_agg(s.key ORDER BY rs.position)
                     FROM role_sources rs JOIN sources s ON s.id = rs.source_id WHERE rs.role_id = r.id), '[]'),
                 'responsibilities', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                         'title', x.title, 'category', x.category, 'description', x.description,
                         'basis', x.basis, 'source', s.key, 'locator', x.locator) ORDER BY x.position)
                     FROM responsibilities x LEFT JOIN sources s ON s.id = x.source_id
                     WHERE x.role_id = r.id), '[]'),
                 'requirements', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                         'kind', q.kind, 'level', q.level, 'description', q.description,
                         'education_level', q.education_level, 'fields_of_study', to_jsonb(q.fields_of_study),
                         'min_years', q.min_years, 'max_years', q.max_years,
                         'certifications', to_jsonb(q.certifications),
                         'basis', q.basis, 'source', s.key, 'locator', q.locator) ORDER BY q.position)
                     FROM requirements q LEFT JOIN sources s ON s.id = q.source_id
                     WHERE q.role_id = r.id), '[]'),
                 'skills', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                         'skill', k.slug, 'importance', rk.importance,
                         'basis', rk.basis, 'source', s.key, 'locator', rk.locator) ORDER BY rk.position)
                     FROM role_skills rk JOIN skills k ON k.id = rk.skill_id
                     LEFT JOIN sources s ON s.id = rk.source_id
                     WHERE rk.role_id = r.id), '[]'),
                 'salaries', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                         'currency', y.currency, 'period', y.period, 'min', y.min, 'max', y.max, 'mean', y.mean,
                         'p10', y.p10, 'p25', y.p25, 'median', y.median, 'p75', y.p75, 'p90', y.p90,
                         'area', CASE WHEN y.area_code IS NOT NULL THEN
                             jsonb_build_object('code', y.area_code, 'name', y.area_name, 'kind', y.area_kind) END,
                         'as_of', y.as_of, 'soc_code', y.soc_code,
                         'basis', y.basis, 'source', s.key, 'locator', y.locator) ORDER BY y.position)
                     FROM salary_ranges y LEFT JOIN sources s ON s.id = y.source_id WHERE y.role_id = r.id), '[]')
             )),
             jsonb_build_object(
                 'career_steps', COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                         'to', t.slug, 'kind', c.kind, 'typical_years', c.typical_years, 'note', c.note,
                         'basis', c.basis, 'source', s.key, 'locator', c.locator)) ORDER BY t.slug)
                     FROM career_steps c JOIN roles t ON t.id = c.to_role_id
                     LEFT JOIN sources s ON s.id = c.source_id
                     WHERE c.from_role_id = r.id), '[]'),
                 'comparison_notes', COALESCE((SELECT jsonb_agg(pair.entry ORDER BY pair.other)
                     FROM (SELECT o.slug AS other, jsonb_strip_nulls(jsonb_build_object(
                                 'with', o.slug, 'notes', jsonb_object_agg(n.aspect, jsonb_strip_nulls(
                                     jsonb_build_object('note', n.note, 'basis', n.basis,
                                         'source', s.key, 'locator', n.locator))))) AS entry
                           FROM comparison_notes n
                           JOIN roles o ON o.id = CASE WHEN n.role_a_id = r.id THEN n.role_b_id ELSE n.role_a_id END
                           LEFT JOIN sources s ON s.id = n.source_id
                           WHERE r.id IN (n.role_a_id, n.role_b_id)
                           GROUP BY o.slug) pair), '[]')
             )
             FROM roles r WHERE r.id = $1",
            &[&id],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let json: serde_json::Value = row.get(0);
    let content = serde_json::from_value(json).map_err(|error| {
        StorageError::Corrupt(rolebase_domain::InvalidValue::new(
            "invalid_document",
            format!("role {id}: {error}"),
        ))
    })?;
    Ok(Some((content, row.get(1))))
}

/// Creates a role with its children; `id` is the one to give it (a load
/// derives it from the slug, the API draws a new one).
pub async fn create(
    tx: &Transaction<'_>,
    id: Uuid,
    content: &RoleContent,
    author: &Author<'_>,
    changes: &mut Vec<Change>,
) -> Result<Written, WriteError> {
    let references = resolve_references(tx, content).await?;
    let inserted = tx
        .execute(
            "INSERT INTO roles (id, slug, title, summary, description, family, track, seniority, isco_code, seed_digest,
                 summary_basis, summary_source_id, summary_locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &id,
                &content.slug.as_str(),
                &content.title.as_str(),
                &content.summary.as_str(),
                &content.description.as_str(),
                &content.family.as_str(),
                &content.track.as_str(),
                &content.seniority.as_str(),
                &content.isco_code.as_ref().map(|c| c.as_str()),
                &author.seed_digest,
                &content.summary_basis.as_str(),
                &references.source(content.summary_source.as_ref()),
                &content.summary_locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await;
    if let Err(error) = inserted {
        return Err(slug_conflict(error, &content.slug));
    }
    let ids = ChildIds::by_place(&ChildIds::default(), content, id, 1);
    insert_children(tx, id, content, &references, &ids).await?;
    record(tx, id, &content.slug, 1, "create", None, author).await?;
    changes.push(role_change(ChangeKind::RoleCreated, id, 1, author));
    Ok(Written { version: 1 })
}

/// Replaces a role and all its children with `content`, if the role is at the
/// expected version. `ids` names the children's ids when the caller knows
/// which child is which (a change to one child); without it each place keeps
/// the id it had.
pub async fn replace(
    tx: &Transaction<'_>,
    id: Uuid,
    expected: Expected,
    content: &RoleContent,
    ids: Option<&ChildIds>,
    author: &Author<'_>,
    changes: &mut Vec<Change>,
) -> Result<Written, WriteError> {
    let current = lock(tx, id, expected).await?;
    let before = snapshot(tx, id).await?;
    let ids = match ids {
        Some(ids) if ids.fits(content) => ids.clone(),
        Some(_) => {
            return Err(StorageError::Corrupt(rolebase_domain::InvalidValue::new(
                "child_ids",
                "the child ids do not match the children",
            ))
            .into());
        }
        None => ChildIds::by_place(&child_ids(tx, id).await?, content, id, current + 1),
    };
    let references = resolve_references(tx, content).await?;
    let version = current + 1;
    let renamed = tx
        .query_one(
            "SELECT slug <> $2 OR title <> $3 FROM roles WHERE id = $1",
            &[&id, &content.slug.as_str(), &content.title.as_str()],
        )
        .await?
        .get::<_, bool>(0);
    let updated = tx
        .execute(
            "UPDATE roles SET slug = $2, title = $3, summary = $4, description = $5, family = $6, track = $7,
                 seniority = $8, isco_code = $9, seed_digest = COALESCE($10, seed_digest),
                 version = $11, updated_at = now(),
                 summary_basis = $12, summary_source_id = $13, summary_locator = $14
             WHERE id = $1",
            &[
                &id,
                &content.slug.as_str(),
                &content.title.as_str(),
                &content.summary.as_str(),
                &content.description.as_str(),
                &content.family.as_str(),
                &content.track.as_str(),
                &content.seniority.as_str(),
                &content.isco_code.as_ref().map(|c| c.as_str()),
                &author.seed_digest,
                &version,
                &content.summary_basis.as_str(),
                &references.source(content.summary_source.as_ref()),
                &content.summary_locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await;
    if let Err(error) = updated {
        return Err(slug_conflict(error, &content.slug));
    }
    delete_children(tx, id).await?;
    insert_children(tx, id, content, &references, &ids).await?;
    if renamed {
        // Neighbours show this role's slug and title in their career steps.
        bump_shared_generation(tx).await?;
    }
    record(tx, id, &content.slug, version, "update", before, author).await?;
    changes.push(role_change(ChangeKind::RoleUpdated, id, version, author));
    Ok(Written { version })
}

/// Deletes a role, its children and the career steps and comparison notes
/// that name it; its revisions stay.
pub async fn delete(
    tx: &Transaction<'_>,
    id: Uuid,
    expected: Expected,
    author: &Author<'_>,
    changes: &mut Vec<Change>,
) -> Result<Written, WriteError> {
    let current = lock(tx, id, expected).await?;
    let before = snapshot(tx, id).await?.ok_or(WriteError::NotFound)?;
    let slug =
        Slug::parse(before["slug"].as_str().unwrap_or_default()).map_err(StorageError::from)?;
    tx.execute("DELETE FROM roles WHERE id = $1", &[&id])
        .await?;
    bump_shared_generation(tx).await?;
    let number = current + 1;
    record(tx, id, &slug, number, "delete", Some(before), author).await?;
    changes.push(role_change(ChangeKind::RoleDeleted, id, number, author));
    Ok(Written { version: number })
}

/// Records a change to what lies under the role but outside its document
/// (the career steps that lead from it, the comparison notes that name it):
/// the role's version goes up, and a revision records the state `before`
/// (taken after [`check_version`]) and after.
pub async fn touch(
    tx: &Transaction<'_>,
    id: Uuid,
    before: serde_json::Value,
    author: &Author<'_>,
    changes: &mut Vec<Change>,
) -> Result<Written, WriteError> {
    let row = tx
        .query_one(
            "UPDATE roles SET version = version + 1, updated_at = now() WHERE id = $1
             RETURNING version, slug",
            &[&id],
        )
        .await?;
    let version: i32 = row.get(0);
    let slug = Slug::parse(row.get(1)).map_err(StorageError::from)?;
    // The other role of a step or a comparison shows it too.
    bump_shared_generation(tx).await?;
    record(tx, id, &slug, version, "update", Some(before), author).await?;
    changes.push(role_change(ChangeKind::RoleUpdated, id, version, author));
    Ok(Written { version })
}

fn role_change(kind: ChangeKind, id: Uuid, version: i32, author: &Author<'_>) -> Change {
    Change {
        kind,
        resource: format!("/roles/{id}"),
        role: Some((id, version)),
        actor: author.actor.to_owned(),
    }
}

/// Checks that the role is at the expected version, and holds it there until
/// the transaction ends; its current version.
pub async fn check_version(
    tx: &Transaction<'_>,
    id: Uuid,
    expected: Expected,
) -> Result<i32, WriteError> {
    lock(tx, id, expected).await
}

/// Locks the role's row until the transaction ends and checks its version:
/// of two editors sending the same version, the second waits here, then
/// finds the version moved on.
async fn lock(tx: &Transaction<'_>, id: Uuid, expected: Expected) -> Result<i32, WriteError> {
    let row = tx
        .query_opt("SELECT version FROM roles WHERE id = $1 FOR UPDATE", &[&id])
        .await?
        .ok_or(WriteError::NotFound)?;
    let current: i32 = row.get(0);
    match expected {
        Expected::Version(version) if version != current => {
            Err(WriteError::StaleVersion { current })
        }
        _ => Ok(current),
    }
}

fn slug_conflict(error: tokio_postgres::Error, slug: &Slug) -> WriteError {
    match violated_unique_constraint(&error) {
        Some("roles_slug_key") => WriteError::DuplicateSlug(slug.to_string()),
        _ => error.into(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &Transaction<'_>,
    id: Uuid,
    slug: &Slug,
    number: i32,
    action: &str,
    before: Option<serde_json::Value>,
    author: &Author<'_>,
) -> Result<(), StorageError> {
    // The state after is read back: what was written, relations included.
    let after = match action {
        "delete" => None,
        _ => snapshot(tx, id).await?,
    };
    tx.execute(
        "INSERT INTO revisions (role_id, role_slug, version, action, actor, changes, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &id,
            &slug.as_str(),
            &number,
            &action,
            &author.actor,
            &author.notes,
            &before,
            &after,
        ],
    )
    .await?;
    Ok(())
}

/// The ids of the skills and sources a document names.
struct References {
    skills: HashMap<String, Uuid>,
    sources: HashMap<String, Uuid>,
}

impl References {
    /// The id of a fact's source; resolving checked that it exists.
    fn source(&self, key: Option<&Slug>) -> Option<Uuid> {
        key.and_then(|key| self.sources.get(key.as_str()).copied())
    }
}

/// Looks up every skill and source the document names; any that does not
/// exist is reported with its place in the document.
async fn resolve_references(
    client: &impl GenericClient,
    content: &RoleContent,
) -> Result<References, WriteError> {
    let skill_slugs: Vec<&str> = content.skills.iter().map(|l| l.skill.as_str()).collect();
    let named: Vec<(String, &Slug)> = content
        .named_sources()
        .into_iter()
        .map(|(path, key)| (field_pointer(&path), key))
        .collect();
    let source_keys: Vec<&str> = named.iter().map(|(_, key)| key.as_str()).collect();
    let ids = |rows: Vec<tokio_postgres::Row>| -> HashMap<String, Uuid> {
        rows.iter().map(|row| (row.get(0), row.get(1))).collect()
    };
    let skills = ids(client
        .query(
            "SELECT slug, id FROM skills WHERE slug = ANY($1)",
            &[&skill_slugs],
        )
        .await?);
    let sources = ids(client
        .query(
            "SELECT key, id FROM sources WHERE key = ANY($1)",
            &[&source_keys],
        )
        .await?);
    let mut unknown = Vec::new();
    for (index, link) in content.skills.iter().enumerate() {
        if !skills.contains_key(link.skill.as_str()) {
            unknown.push(UnknownReference {
                pointer: format!("/skills/{index}/skill"),
                code: "skill_not_found",
                message: format!("no skill has the slug `{}`", link.skill),
            });
        }
    }
    let missing_source = |pointer: String, key: &Slug| UnknownReference {
        pointer,
        code: "source_not_found",
        message: format!("no source has the key `{key}`"),
    };
    for (pointer, key) in named {
        if !sources.contains_key(key.as_str()) {
            unknown.push(missing_source(pointer, key));
        }
    }
    if unknown.is_empty() {
        Ok(References { skills, sources })
    } else {
        Err(WriteError::UnknownReferences(unknown))
    }
}

async fn delete_children(tx: &Transaction<'_>, id: Uuid) -> Result<(), StorageError> {
    for table in [
        "role_alternative_titles",
        "role_soc_codes",
        "role_sources",
        "responsibilities",
        "requirements",
        "role_skills",
        "salary_ranges",
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE role_id = $1"), &[&id])
            .await?;
    }
    Ok(())
}

async fn insert_children(
    tx: &Transaction<'_>,
    role_id: Uuid,
    content: &RoleContent,
    references: &References,
    ids: &ChildIds,
) -> Result<(), StorageError> {
    for (position, title) in content.alternative_titles.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_alternative_titles (role_id, position, title) VALUES ($1, $2, $3)",
            &[&role_id, &(position as i16), &title.as_str()],
        )
        .await?;
    }
    for (position, code) in content.soc_codes.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_soc_codes (role_id, position, soc_code) VALUES ($1, $2, $3)",
            &[&role_id, &(position as i16), &code.as_str()],
        )
        .await?;
    }
    for (position, key) in content.sources.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_sources (role_id, source_id, position) VALUES ($1, $2, $3)",
            &[
                &role_id,
                &references.sources[key.as_str()],
                &(position as i16),
            ],
        )
        .await?;
    }
    for (position, item) in content.responsibilities.iter().enumerate() {
        tx.execute(
            "INSERT INTO responsibilities (id, role_id, position, title, description, category, basis, source_id, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &ids.responsibilities[position],
                &role_id,
                &(position as i16),
                &item.title.as_str(),
                &item.description.as_str(),
                &item.category.as_str(),
                &item.basis.as_str(),
                &references.source(item.source.as_ref()),
                &item.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    }
    for (position, requirement) in content.requirements.iter().enumerate() {
        let (education_level, fields, min_years, max_years, certifications) = match &requirement
            .detail
        {
            RequirementDetail::Education {
                level,
                fields_of_study,
            } => (
                Some(level.as_str()),
                texts(fields_of_study),
                None,
                None,
                vec![],
            ),
            RequirementDetail::Experience(years) => (
                None,
                vec![],
                Some(i16::from(years.min())),
                years.max().map(i16::from),
                vec![],
            ),
            RequirementDetail::Certification { names } => (None, vec![], None, None, texts(names)),
            RequirementDetail::Training | RequirementDetail::License | RequirementDetail::Skill => {
                (None, vec![], None, None, vec![])
            }
        };
        tx.execute(
            "INSERT INTO requirements (id, role_id, position, kind, level, description, education_level,
                 fields_of_study, min_years, max_years, certifications, basis, source_id, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[
                &ids.requirements[position],
                &role_id,
                &(position as i16),
                &requirement.kind().as_str(),
                &requirement.level.as_str(),
                &requirement.description.as_str(),
                &education_level,
                &fields,
                &min_years,
                &max_years,
                &certifications,
                &requirement.basis.as_str(),
                &references.source(requirement.source.as_ref()),
                &requirement.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    }
    for (position, link) in content.skills.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_skills (role_id, skill_id, position, importance, basis, source_id, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &role_id,
                &references.skills[link.skill.as_str()],
                &(position as i16),
                &link.importance.as_str(),
                &link.basis.as_str(),
                &references.source(link.source.as_ref()),
                &link.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    }
    for (position, salary) in content.salaries.iter().enumerate() {
        let figures = &salary.figures;
        tx.execute(
            "INSERT INTO salary_ranges (id, role_id, position, currency, period, min, max, mean, p10, p25,
                 median, p75, p90, area_code, area_name, area_kind, as_of, source_id, soc_code, basis, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
            &[
                &ids.salaries[position],
                &role_id,
                &(position as i16),
                &salary.currency.as_str(),
                &salary.period.as_str(),
                &figures.min(),
                &figures.max(),
                &figures.mean(),
                &figures.p10(),
                &figures.p25(),
                &figures.median(),
                &figures.p75(),
                &figures.p90(),
                &salary.area.as_ref().map(|area| area.code.as_str()),
                &salary.area.as_ref().map(|area| area.name.as_str()),
                &salary.area.as_ref().map(|area| area.kind.as_str()),
                &salary.as_of,
                &references.source(salary.source.as_ref()),
                &salary.soc_code.as_ref().map(|c| c.as_str()),
                &salary.basis.as_str(),
                &salary.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    }
    Ok(())
}

fn texts<const N: usize>(items: &[rolebase_domain::Text<N>]) -> Vec<&str> {
    items.iter().map(|item| item.as_str()).collect()
}
