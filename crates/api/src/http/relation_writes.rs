//! The relations under a role: the career steps that lead from it
//! (`/roles/{id}/career-paths/{to}`) and its comparison notes with another
//! role (`/roles/{id}/comparisons/{other}`).
//!
//! Each change is a change of the role in the path: its `If-Match`, a new
//! version, a revision whose state shows the relation before and after. A
//! comparison belongs to both roles alike, so it leaves a revision on each.

use super::role_input::read_attribution;
use super::{
    ApiError, Code, FieldError, PreconditionErrors, RoleErrors, WriteErrors,
    auth::{Authorized, Write},
    body::{self, JSON},
    role_input::Refusals,
    role_writes::live_role,
    roles::{TAG, found_role, uncached_role_read},
    writes::{self, Answer, Begun, ChangeHeaders, Outcome, current_etag, role_write_error},
};
use crate::storage::Reads;
use crate::storage::relation_writes::Attribution;
use crate::storage::{
    self, StorageError,
    relation_writes::{self, StepFields},
    role_aggregate::{self, Author, Expected},
};
use crate::views::{CareerStepView, ComparisonNoteView, RoleLink};
use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, post, put, web};
use deadpool_postgres::Pool;
use rolebase_domain::{ComparisonAspect, InvalidValue, RoleRef, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tokio_postgres::Transaction;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(add_career_step)
        .service(get_career_step)
        .service(put_career_step)
        .service(delete_career_step)
        .service(add_comparison)
        .service(get_comparison)
        .service(put_comparison)
        .service(delete_comparison);
}

/// A step from the role in the path to the one in `{to}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareerStepInput {
    #[schema(value_type = rolebase_domain::CareerStepKind)]
    pub kind: String,
    /// Years usually spent in the first role before the step, 0 to 40.
    #[schema(minimum = 0, maximum = 40, example = 4)]
    pub typical_years: Option<u8>,
    #[schema(
        example = "Leads who enjoy growing people often take on a team of their own.",
        min_length = 1,
        max_length = 1000
    )]
    pub note: String,
    /// How it is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (no source). By default `stated` when a
    /// `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of a source that says so.
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// A new step from the role in the path to the role in `to`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCareerStepInput {
    /// The UUID or slug of the role the step leads to.
    #[schema(example = "engineering-manager")]
    pub to: String,
    #[schema(value_type = rolebase_domain::CareerStepKind)]
    pub kind: String,
    /// Years usually spent in the first role before the step, 0 to 40.
    #[schema(minimum = 0, maximum = 40, example = 4)]
    pub typical_years: Option<u8>,
    #[schema(
        example = "Leads who enjoy growing people often take on a team of their own.",
        min_length = 1,
        max_length = 1000
    )]
    pub note: String,
    /// How it is known: `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (no source). By default `stated` when a
    /// `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of a source that says so.
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// New notes on how the role in the path differs from the role in `with`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComparisonInput {
    /// The other role's UUID or slug.
    #[schema(example = "engineering-manager")]
    pub with: String,
    /// A note per aspect (`duties`, `requirements`, `skills`, `environment`,
    /// `salary`, `focus`, `scope`), each 1 to 2000 characters; at least one.
    #[schema(value_type = Object, example = json!({"scope": "A lead guides one team; a manager answers for several."}))]
    pub notes: BTreeMap<String, String>,
    /// How the notes are known (every note of this write): `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (no source). By default `stated` when a
    /// `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of a source that says so.
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// The notes on how two roles differ, per aspect: every note of the pair.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComparisonInput {
    /// A note per aspect (`duties`, `requirements`, `skills`, `environment`,
    /// `salary`, `focus`, `scope`), each 1 to 2000 characters; at least one.
    #[schema(value_type = Object, example = json!({"scope": "A lead guides one team; a manager answers for several."}))]
    pub notes: BTreeMap<String, String>,
    /// How the notes are known (every note of this write): `stated` (the source says it, at `locator`),
    /// `dataset`, or `editorial` (no source). By default `stated` when a
    /// `source` is given, else `editorial`.
    #[schema(value_type = Option<rolebase_domain::Basis>)]
    pub basis: Option<String>,
    /// The key of a source that says so.
    pub source: Option<String>,
    /// Where the source says it: its section or heading (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub locator: Option<String>,
}

/// The notes on one pair of roles.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairNotes {
    pub role: RoleLink,
    pub with: RoleLink,
    pub items: Vec<ComparisonNoteView>,
}

fn attribution(
    r: &mut Refusals,
    basis: Option<&str>,
    source: Option<&str>,
    locator: Option<&str>,
) -> Option<Attribution> {
    read_attribution(r, "/", basis, source, locator).map(|(basis, source, locator)| Attribution {
        basis,
        source,
        locator,
    })
}

impl CareerStepInput {
    fn into_fields(self) -> Result<StepFields, ApiError> {
        let mut r = Refusals::default();
        let kind = r.parse("/kind", &self.kind);
        let typical_years = r.take(
            "/typical_years",
            match self.typical_years {
                Some(years) if years > 40 => Err(InvalidValue::new(
                    "out_of_range",
                    "typical_years must be between 0 and 40",
                )),
                years => Ok(years),
            },
        );
        let note = r.take("/note", Text::parse(&self.note));
        let attribution = attribution(
            &mut r,
            self.basis.as_deref(),
            self.source.as_deref(),
            self.locator.as_deref(),
        );
        r.finish()?;
        Ok(StepFields {
            kind: kind.expect("checked"),
            typical_years: typical_years.expect("checked"),
            note: note.expect("checked"),
            attribution: attribution.expect("checked"),
        })
    }
}

type Notes = BTreeMap<ComparisonAspect, Text<2000>>;

impl ComparisonInput {
    fn into_notes(self) -> Result<(Notes, Attribution), ApiError> {
        let mut r = Refusals::default();
        if self.notes.is_empty() {
            r.take::<()>(
                "/notes",
                Err(InvalidValue::new(
                    "empty",
                    "give a note for at least one aspect",
                )),
            );
        }
        let mut notes = BTreeMap::new();
        for (aspect, note) in &self.notes {
            let pointer = format!("/notes/{aspect}");
            let aspect = r.parse::<ComparisonAspect>(pointer.clone(), aspect);
            let note = r.take(pointer, Text::parse(note));
            if let (Some(aspect), Some(note)) = (aspect, note) {
                notes.insert(aspect, note);
            }
        }
        let attribution = attribution(
            &mut r,
            self.basis.as_deref(),
            self.source.as_deref(),
            self.locator.as_deref(),
        );
        r.finish()?;
        Ok((notes, attribution.expect("checked")))
    }
}

/// The other role a path names: it must exist, and for a write differ from the first.
async fn other_role(
    client: &impl Reads,
    role_id: Uuid,
    field: &str,
    raw: &str,
    writing: bool,
) -> Result<RoleLink, ApiError> {
    let other = RoleRef::parse(raw).map_err(|error| {
        // A role named in a path is malformed (400); one named in a body, refused (422).
        match field.starts_with('/') {
            true => body::invalid_body(vec![FieldError::new(field, error.code, error.message)]),
            false => ApiError::invalid_field(field, error.code, error.message),
        }
    })?;
    let link = match super::roles::named_role(client, field, &other).await {
        // A body that names a role that does not exist is refused, naming it.
        Err(error) if field.starts_with('/') && error.code == Code::RoleNotFound => {
            return Err(ApiError::with_errors(
                Code::UnknownReference,
                format!("the body names a role that does not exist: `{other}`"),
                vec![FieldError::new(
                    field,
                    "role_not_found",
                    format!("no role has the id or slug `{other}`"),
                )],
            ));
        }
        found => found?,
    };
    if writing && link.id == role_id {
        return Err(body::invalid_body(vec![FieldError::new(
            field,
            "same_role",
            "a role cannot relate to itself",
        )]));
    }
    Ok(link)
}

/// A change to a relation under a role.
enum Relation {
    /// `only_new`: a POST, refused when the step is already there.
    PutStep {
        to: RoleLink,
        fields: StepFields,
        only_new: bool,
    },
    DeleteStep {
        to: RoleLink,
    },
    PutComparison {
        with: RoleLink,
        notes: Notes,
        attribution: Attribution,
        only_new: bool,
    },
    DeleteComparison {
        with: RoleLink,
    },
}

impl Relation {
    fn other(&self) -> &RoleLink {
        match self {
            Self::PutStep { to, .. } | Self::DeleteStep { to } => to,
            Self::PutComparison { with, .. } | Self::DeleteComparison { with } => with,
        }
    }
}

/// Applies one relation change under the role in the path, with its
/// `If-Match`, idempotency key and revision.
async fn change(
    auth: &Authorized<Write>,
    pool: &Pool,
    request: &HttpRequest,
    raw_id: &str,
    raw_other: (&str, &str),
    sent: &[u8],
    relation: impl FnOnce(RoleLink) -> Result<Relation, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let role_id = live_role(pool, raw_id).await?;
    let expected = writes::expected_version(request, role_id)?;
    let other = {
        let client = pool.get().await.map_err(StorageError::from)?;
        other_role(&*client, role_id, raw_other.0, raw_other.1, true).await?
    };
    let relation = relation(other)?;
    let run = match writes::begin(pool, &auth.holder, request, sent).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = apply(&tx, auth, role_id, expected, relation).await;
    run.settle(pool, tx, outcome).await
}

async fn apply(
    tx: &Transaction<'_>,
    auth: &Authorized<Write>,
    role_id: Uuid,
    expected: Expected,
    relation: Relation,
) -> Result<Outcome, ApiError> {
    if let Err(error) = role_aggregate::check_version(tx, role_id, expected).await {
        return Err(role_write_error(tx, role_id, error).await);
    }
    let other = relation.other().clone();
    let before = role_aggregate::snapshot(tx, role_id)
        .await?
        .ok_or_else(|| ApiError::role_not_found(role_id))?;
    // Comparison notes belong to both roles: the other's state is recorded too.
    let comparison = matches!(
        relation,
        Relation::PutComparison { .. } | Relation::DeleteComparison { .. }
    );
    let other_before = match comparison {
        true => role_aggregate::snapshot(tx, other.id).await?,
        false => None,
    };
    let location = format!("/roles/{role_id}/{}/{}", segment(&relation), other.id);
    if let Relation::PutStep { only_new: true, .. }
    | Relation::PutComparison { only_new: true, .. } = &relation
    {
        let exists = match &relation {
            Relation::PutStep { to, .. } => step_view(tx, role_id, to.id).await?.is_some(),
            _ => !storage::relations::comparison_notes(tx, &[role_id, other.id])
                .await?
                .is_empty(),
        };
        if exists {
            return Err(ApiError::new(
                Code::ChildExists,
                format!(
                    "the role already has {} `{}`: change it with PUT at {location}",
                    noun(&relation),
                    other.slug
                ),
            )
            .with_header(actix_web::http::header::LOCATION, &location));
        }
    }
    let written = match &relation {
        Relation::PutStep { to, fields, .. } => {
            relation_writes::put_career_step(tx, role_id, to.id, fields).await
        }
        Relation::PutComparison {
            with,
            notes,
            attribution,
            ..
        } => relation_writes::put_comparison(tx, role_id, with.id, notes, attribution).await,
        Relation::DeleteStep { to } => relation_writes::delete_career_step(tx, role_id, to.id)
            .await
            .map_err(Into::into),
        Relation::DeleteComparison { with } => {
            relation_writes::delete_comparison(tx, role_id, with.id)
                .await
                .map_err(Into::into)
        }
    };
    let changed_existing_or_created = match written {
        Ok(flag) => flag,
        Err(error) => return Err(role_write_error(tx, role_id, error).await),
    };
    let deleting = matches!(
        relation,
        Relation::DeleteStep { .. } | Relation::DeleteComparison { .. }
    );
    if deleting && !changed_existing_or_created {
        return Err(ApiError::new(
            Code::ChildNotFound,
            format!("the role has no {} `{}`", noun(&relation), other.slug),
        ));
    }
    let author = Author {
        actor: auth.actor(),
        seed_digest: None,
        notes: serde_json::json!({}),
    };
    let mut changes = Vec::new();
    let touched = match role_aggregate::touch(tx, role_id, before, &author, &mut changes).await {
        Ok(touched) => touched,
        Err(error) => return Err(role_write_error(tx, role_id, error).await),
    };
    if let Some(other_before) = other_before {
        let other_touched =
            role_aggregate::touch(tx, other.id, other_before, &author, &mut changes).await;
        if let Err(error) = other_touched {
            return Err(role_write_error(tx, other.id, error).await);
        }
    }
    let etag = current_etag(tx, role_id, touched.version).await?;
    let answer = if deleting {
        Answer::no_content().header("etag", etag)
    } else {
        let status = if changed_existing_or_created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let view = match &relation {
            Relation::PutStep { to, .. } => step_view(tx, role_id, to.id)
                .await?
                .map(|view| serde_json::to_value(view).expect("views serialize")),
            _ => Some(
                serde_json::to_value(pair_view(tx, role_id, &other).await?)
                    .expect("views serialize"),
            ),
        };
        let view = view.ok_or_else(|| ApiError::role_not_found(other.id))?;
        Answer::json(status, &view)
            .header("location", location)
            .header("etag", etag)
    };
    Ok(Outcome { answer, changes })
}

fn noun(relation: &Relation) -> &'static str {
    match relation {
        Relation::PutStep { .. } | Relation::DeleteStep { .. } => "career step to",
        _ => "comparison notes with",
    }
}

fn segment(relation: &Relation) -> &'static str {
    match relation {
        Relation::PutStep { .. } | Relation::DeleteStep { .. } => "career-paths",
        _ => "comparisons",
    }
}

async fn step_view(
    client: &impl Reads,
    from: Uuid,
    to: Uuid,
) -> Result<Option<CareerStepView>, StorageError> {
    Ok(storage::children::career_steps(client, from)
        .await?
        .next
        .into_iter()
        .find(|step| step.role.id == to))
}

async fn pair_view(
    client: &impl Reads,
    role: Uuid,
    other: &RoleLink,
) -> Result<PairNotes, ApiError> {
    let items = storage::relations::comparison_notes(client, &[role, other.id]).await?;
    let role = storage::roles::state(client, &RoleRef::Id(role))
        .await?
        .ok_or_else(|| ApiError::role_not_found(role))?
        .link;
    Ok(PairNotes {
        role,
        with: other.clone(),
        items,
    })
}

/// Get the career step from one role to another
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("to" = String, Path, description = "The UUID or slug of the role the step leads to", example = "engineering-manager")
    ),
    responses((status = 200, description = "The step", body = CareerStepView), RoleErrors)
)]
#[get("/roles/{id}/career-paths/{to}")]
async fn get_career_step(
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    let state = found_role(&*client, &path.0).await?;
    let to = other_role(&*client, state.link.id, "path.to", &path.1, false).await?;
    let representation = format!("career-paths/{}", to.id);
    uncached_role_read(&request, &state, &representation, async {
        step_view(&*client, state.link.id, to.id)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    Code::ChildNotFound,
                    format!("the role has no career step to `{}`", to.slug),
                )
            })
    })
    .await
}

/// Add or replace a career step
///
/// The step from the role to the one in `{to}`: created (201) or replaced
/// (200). A change of the role: needs its `If-Match`, raises its version and
/// leaves a revision.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("to" = String, Path, description = "The UUID or slug of the role the step leads to", example = "engineering-manager"),
        ChangeHeaders
    ),
    request_body(content = CareerStepInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The step was replaced", body = CareerStepView,
         headers(("ETag" = String, description = "The role's new ETag"))),
        (status = 201, description = "The step was added", body = CareerStepView,
         headers(("Location" = String, description = "The step's address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[put("/roles/{id}/career-paths/{to}")]
async fn put_career_step(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let fields = body::decode::<CareerStepInput>(sent.value)?.into_fields()?;
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        ("path.to", &path.1),
        &sent.bytes,
        |to| {
            Ok(Relation::PutStep {
                to,
                fields,
                only_new: false,
            })
        },
    )
    .await
}

/// Add a career step
///
/// A step from the role to the one in `to`; 409 when there is one already
/// (change it with `PUT` at its address). A change of the role: needs its
/// `If-Match`, raises its version and leaves a revision.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    request_body(content = NewCareerStepInput, content_type = "application/json"),
    responses(
        (status = 201, description = "The step was added", body = CareerStepView,
         headers(("Location" = String, description = "The step's address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/roles/{id}/career-paths")]
async fn add_career_step(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let input = body::decode::<NewCareerStepInput>(sent.value)?;
    let fields = CareerStepInput {
        kind: input.kind,
        typical_years: input.typical_years,
        note: input.note,
        basis: input.basis,
        source: input.source,
        locator: input.locator,
    }
    .into_fields()?;
    change(
        &auth,
        &pool,
        &request,
        &id,
        ("/to", &input.to),
        &sent.bytes,
        |to| {
            Ok(Relation::PutStep {
                to,
                fields,
                only_new: true,
            })
        },
    )
    .await
}

/// Remove a career step
///
/// A change of the role: needs its `If-Match`.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("to" = String, Path, description = "The UUID or slug of the role the step leads to", example = "engineering-manager"),
        ChangeHeaders
    ),
    responses(
        (status = 204, description = "Removed", headers(("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[delete("/roles/{id}/career-paths/{to}")]
async fn delete_career_step(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        ("path.to", &path.1),
        b"",
        |to| Ok(Relation::DeleteStep { to }),
    )
    .await
}

/// Get the comparison notes on two roles
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("other" = String, Path, description = "The other role's UUID or slug", example = "engineering-manager")
    ),
    responses((status = 200, description = "The notes, per aspect", body = PairNotes), RoleErrors)
)]
#[get("/roles/{id}/comparisons/{other}")]
async fn get_comparison(
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    let state = found_role(&*client, &path.0).await?;
    let other = other_role(&*client, state.link.id, "path.other", &path.1, false).await?;
    let representation = format!("comparisons/{}", other.id);
    uncached_role_read(&request, &state, &representation, async {
        let pair = pair_view(&*client, state.link.id, &other).await?;
        if pair.items.is_empty() {
            return Err(ApiError::new(
                Code::ChildNotFound,
                format!("the role has no comparison notes with `{}`", other.slug),
            ));
        }
        Ok(pair)
    })
    .await
}

/// Set the comparison notes on two roles
///
/// Replaces every note on the pair (201 when it had none). The notes belong
/// to both roles: both get a new version and a revision; `If-Match` is the
/// path's first role's.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("other" = String, Path, description = "The other role's UUID or slug", example = "engineering-manager"),
        ChangeHeaders
    ),
    request_body(content = ComparisonInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The notes were replaced", body = PairNotes,
         headers(("ETag" = String, description = "The role's new ETag"))),
        (status = 201, description = "The notes were added", body = PairNotes,
         headers(("Location" = String, description = "The notes' address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[put("/roles/{id}/comparisons/{other}")]
async fn put_comparison(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let (notes, attribution) = body::decode::<ComparisonInput>(sent.value)?.into_notes()?;
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        ("path.other", &path.1),
        &sent.bytes,
        |with| {
            Ok(Relation::PutComparison {
                with,
                notes,
                attribution,
                only_new: false,
            })
        },
    )
    .await
}

/// Add comparison notes on two roles
///
/// Notes on how the role differs from the one in `with`; 409 when the pair
/// has notes already (change them with `PUT` at their address). Both roles
/// get a new version and a revision; `If-Match` is the path's role's.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    request_body(content = NewComparisonInput, content_type = "application/json"),
    responses(
        (status = 201, description = "The notes were added", body = PairNotes,
         headers(("Location" = String, description = "The notes' address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/roles/{id}/comparisons")]
async fn add_comparison(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let input = body::decode::<NewComparisonInput>(sent.value)?;
    let (notes, attribution) = ComparisonInput {
        notes: input.notes,
        basis: input.basis,
        source: input.source,
        locator: input.locator,
    }
    .into_notes()?;
    change(
        &auth,
        &pool,
        &request,
        &id,
        ("/with", &input.with),
        &sent.bytes,
        |with| {
            Ok(Relation::PutComparison {
                with,
                notes,
                attribution,
                only_new: true,
            })
        },
    )
    .await
}

/// Remove the comparison notes on two roles
///
/// Both roles get a new version and a revision; `If-Match` is the path's
/// first role's.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("other" = String, Path, description = "The other role's UUID or slug", example = "engineering-manager"),
        ChangeHeaders
    ),
    responses(
        (status = 204, description = "Removed", headers(("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[delete("/roles/{id}/comparisons/{other}")]
async fn delete_comparison(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        ("path.other", &path.1),
        b"",
        |with| Ok(Relation::DeleteComparison { with }),
    )
    .await
}
