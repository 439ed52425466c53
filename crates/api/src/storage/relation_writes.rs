//! Writing the relations between roles: career steps and comparison notes.
//! Each is a change under a role (see `role_aggregate::touch`); these only
//! write the rows.

use super::{
    StorageError,
    role_aggregate::{UnknownReference, WriteError},
};
use rolebase_domain::{Basis, CareerStepKind, ComparisonAspect, Locator, Slug, Text};
use std::collections::BTreeMap;
use tokio_postgres::{GenericClient, Transaction};
use uuid::Uuid;

/// A step from one role to another, as a write gives it.
#[derive(Debug, Clone)]
pub struct StepFields {
    pub kind: CareerStepKind,
    pub typical_years: Option<u8>,
    pub note: Text<1000>,
    pub attribution: Attribution,
}

/// How a written fact is known: its basis, source and locator, checked.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub basis: Basis,
    pub source: Option<Slug>,
    pub locator: Option<Locator>,
}

/// The id of the named source; a name that names none is an unknown reference.
async fn source_id(
    client: &impl GenericClient,
    key: Option<&Slug>,
) -> Result<Option<Uuid>, WriteError> {
    let Some(key) = key else { return Ok(None) };
    let row = client
        .query_opt("SELECT id FROM sources WHERE key = $1", &[&key.as_str()])
        .await?;
    match row {
        Some(row) => Ok(Some(row.get(0))),
        None => Err(WriteError::UnknownReferences(vec![UnknownReference {
            pointer: "/source".to_owned(),
            code: "source_not_found",
            message: format!("no source has the key `{key}`"),
        }])),
    }
}

/// Creates or replaces the step from `from` to `to`; true when created.
pub async fn put_career_step(
    tx: &Transaction<'_>,
    from: Uuid,
    to: Uuid,
    step: &StepFields,
) -> Result<bool, WriteError> {
    let attribution = &step.attribution;
    let source = source_id(tx, attribution.source.as_ref()).await?;
    let row = tx
        .query_one(
            "INSERT INTO career_steps (id, from_role_id, to_role_id, kind, typical_years, note, source_id,
                 basis, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (from_role_id, to_role_id) DO UPDATE SET
                 kind = EXCLUDED.kind, typical_years = EXCLUDED.typical_years,
                 note = EXCLUDED.note, source_id = EXCLUDED.source_id,
                 basis = EXCLUDED.basis, locator = EXCLUDED.locator
             RETURNING (xmax = 0)",
            &[
                &Uuid::new_v4(),
                &from,
                &to,
                &step.kind.as_str(),
                &step.typical_years.map(i16::from),
                &step.note.as_str(),
                &source,
                &attribution.basis.as_str(),
                &attribution.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    Ok(row.get(0))
}

/// Removes the step from `from` to `to`; false when there was none.
pub async fn delete_career_step(
    tx: &Transaction<'_>,
    from: Uuid,
    to: Uuid,
) -> Result<bool, StorageError> {
    let removed = tx
        .execute(
            "DELETE FROM career_steps WHERE from_role_id = $1 AND to_role_id = $2",
            &[&from, &to],
        )
        .await?;
    Ok(removed > 0)
}

/// Replaces every note on the pair with `notes`; true when the pair had none.
pub async fn put_comparison(
    tx: &Transaction<'_>,
    role: Uuid,
    other: Uuid,
    notes: &BTreeMap<ComparisonAspect, Text<2000>>,
    attribution: &Attribution,
) -> Result<bool, WriteError> {
    let source = source_id(tx, attribution.source.as_ref()).await?;
    let removed = delete_comparison_rows(tx, role, other).await?;
    for (aspect, note) in notes {
        tx.execute(
            "INSERT INTO comparison_notes (id, role_a_id, role_b_id, aspect, note, source_id, basis, locator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &Uuid::new_v4(),
                &role,
                &other,
                &aspect.as_str(),
                &note.as_str(),
                &source,
                &attribution.basis.as_str(),
                &attribution.locator.as_ref().map(|l| l.as_str()),
            ],
        )
        .await?;
    }
    Ok(removed == 0)
}

/// Removes every note on the pair; false when there was none.
pub async fn delete_comparison(
    tx: &Transaction<'_>,
    role: Uuid,
    other: Uuid,
) -> Result<bool, StorageError> {
    Ok(delete_comparison_rows(tx, role, other).await? > 0)
}

async fn delete_comparison_rows(
    tx: &Transaction<'_>,
    role: Uuid,
    other: Uuid,
) -> Result<u64, StorageError> {
    // Either way round: a pair has one set of notes.
    Ok(tx
        .execute(
            "DELETE FROM comparison_notes
             WHERE (role_a_id = $1 AND role_b_id = $2) OR (role_a_id = $2 AND role_b_id = $1)",
            &[&role, &other],
        )
        .await?)
}
