//! A role's children one at a time: `/roles/{id}/responsibilities/{child}`,
//! `/requirements/{child}`, `/salaries/{child}` and `/skills/{skill}`.
//!
//! Each change is a change of the role: it goes through the role aggregate
//! with the role's `If-Match`, raises the role's version and leaves a
//! revision and a change-feed entry. Children keep their ids through every
//! later change, so these addresses stay valid.

use super::{
    ApiError, Code, PreconditionErrors, RoleErrors, WriteErrors,
    auth::{Authorized, Write},
    body::{self, JSON},
    role_input::{self, RequirementInput, ResponsibilityInput, RoleSkillInput, SalaryInput},
    role_writes::live_role,
    roles::TAG,
    writes::{self, Answer, Begun, ChangeHeaders, Outcome, current_etag, role_write_error},
};
use crate::storage::Reads;
use crate::storage::{
    self, StorageError,
    children::{RequirementFilter, SalaryFilter},
    role_aggregate::{self, Author, ChildIds},
};
use crate::views::{RequirementView, ResponsibilityView, RoleSkillView, SalaryView};
use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, post, put, web};
use deadpool_postgres::Pool;
use rolebase_domain::{RoleContent, Slug};
use tokio_postgres::Transaction;
use uuid::Uuid;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(get_responsibility)
        .service(add_responsibility)
        .service(replace_responsibility)
        .service(remove_responsibility)
        .service(get_requirement)
        .service(add_requirement)
        .service(replace_requirement)
        .service(remove_requirement)
        .service(get_salary)
        .service(add_salary)
        .service(replace_salary)
        .service(remove_salary)
        .service(add_skill_link)
        .service(get_skill_link)
        .service(put_skill_link)
        .service(remove_skill_link);
}

/// A child, by its list and its key.
#[derive(Debug, Clone)]
enum Child {
    Responsibility(Uuid),
    Requirement(Uuid),
    Salary(Uuid),
    Skill(Slug),
}

impl Child {
    fn location(&self, role_id: Uuid) -> String {
        match self {
            Self::Responsibility(id) => format!("/roles/{role_id}/responsibilities/{id}"),
            Self::Requirement(id) => format!("/roles/{role_id}/requirements/{id}"),
            Self::Salary(id) => format!("/roles/{role_id}/salaries/{id}"),
            Self::Skill(slug) => format!("/roles/{role_id}/skills/{slug}"),
        }
    }

    /// The child as its list shows it, if the role has it.
    async fn view(
        &self,
        client: &impl Reads,
        role_id: Uuid,
    ) -> Result<Option<serde_json::Value>, StorageError> {
        use storage::children;
        fn json(view: &impl serde::Serialize) -> serde_json::Value {
            serde_json::to_value(view).expect("views serialize")
        }
        Ok(match self {
            Self::Responsibility(id) => children::responsibilities(client, role_id, None)
                .await?
                .iter()
                .find(|item| item.id == *id)
                .map(json),
            Self::Requirement(id) => {
                children::requirements(client, role_id, RequirementFilter::default())
                    .await?
                    .iter()
                    .find(|item| item.id == *id)
                    .map(json)
            }
            Self::Salary(id) => children::salaries(client, role_id, &SalaryFilter::default())
                .await?
                .iter()
                .find(|item| item.id == *id)
                .map(json),
            Self::Skill(slug) => children::skills(client, role_id, None)
                .await?
                .iter()
                .find(|item| item.slug == slug.as_str())
                .map(json),
        })
    }

    fn not_found(&self) -> ApiError {
        let what = match self {
            Self::Responsibility(id) => format!("responsibility {id}"),
            Self::Requirement(id) => format!("requirement {id}"),
            Self::Salary(id) => format!("salary range {id}"),
            Self::Skill(slug) => format!("link to skill `{slug}`"),
        };
        ApiError::new(Code::ChildNotFound, format!("the role has no {what}"))
    }
}

/// What an edit did: the child to answer with (none for a removal), and
/// where that child sits in the role's document, so that a refusal of one of
/// its fields can be named by its pointer in the child's own body.
struct Edited {
    child: Option<Child>,
    place: Option<String>,
    /// The child is new: 201 rather than the operation's usual status.
    created: bool,
}

type Edit = Box<dyn FnOnce(&mut RoleContent, &mut ChildIds) -> Result<Edited, ApiError>>;

/// Applies one edit to a role's document under its `If-Match`, as a change
/// of the role, and answers with the child (`status`) or with 204.
async fn change(
    auth: &Authorized<Write>,
    pool: &Pool,
    request: &HttpRequest,
    raw_id: &str,
    sent: &[u8],
    status: StatusCode,
    edit: Edit,
) -> Result<HttpResponse, ApiError> {
    let role_id = live_role(pool, raw_id).await?;
    let expected = writes::expected_version(request, role_id)?;
    let run = match writes::begin(pool, &auth.holder, request, sent).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = apply(&tx, auth, role_id, expected, status, edit).await;
    run.settle(pool, tx, outcome).await
}

async fn apply(
    tx: &Transaction<'_>,
    auth: &Authorized<Write>,
    role_id: Uuid,
    expected: role_aggregate::Expected,
    status: StatusCode,
    edit: Edit,
) -> Result<Outcome, ApiError> {
    // The precondition first: a stale editor hears 412, whatever the edit.
    if let Err(error) = role_aggregate::check_version(tx, role_id, expected).await {
        return Err(role_write_error(tx, role_id, error).await);
    }
    let mut content = role_aggregate::document(tx, role_id)
        .await?
        .ok_or_else(|| ApiError::role_not_found(role_id))?;
    let mut ids = role_aggregate::child_ids(tx, role_id).await?;
    let edited = edit(&mut content, &mut ids)?;
    let author = Author {
        actor: auth.actor(),
        seed_digest: None,
        notes: serde_json::json!({}),
    };
    let mut changes = Vec::new();
    let written = role_aggregate::replace(
        tx,
        role_id,
        expected,
        &content,
        Some(&ids),
        &author,
        &mut changes,
    )
    .await;
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            let mut error = role_write_error(tx, role_id, error).await;
            if let Some(place) = &edited.place {
                for field in &mut error.errors {
                    if let Some(rest) = field.field.strip_prefix(place.as_str()) {
                        field.field = rest.to_owned();
                    }
                }
            }
            return Err(error);
        }
    };
    let etag = current_etag(tx, role_id, written.version).await?;
    let answer = match edited.child {
        Some(child) => {
            let view = child
                .view(tx, role_id)
                .await?
                .ok_or_else(|| child.not_found())?;
            let status = if edited.created {
                StatusCode::CREATED
            } else {
                status
            };
            Answer::json(status, &view)
                .header("location", child.location(role_id))
                .header("etag", etag)
        }
        None => Answer::no_content().header("etag", etag),
    };
    Ok(Outcome { answer, changes })
}

/// Reads one child, tagged with its role's version like the role's lists.
async fn read(
    pool: &Pool,
    request: &HttpRequest,
    raw_id: &str,
    child: Child,
) -> Result<HttpResponse, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    let state = super::roles::found_role(&*client, raw_id).await?;
    let representation = child.location(state.link.id);
    super::roles::uncached_role_read(request, &state, &representation, async {
        child
            .view(&*client, state.link.id)
            .await?
            .ok_or_else(|| child.not_found())
    })
    .await
}

fn child_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(raw).map_err(|_| {
        ApiError::invalid_field(
            "path.child",
            "invalid_child_id",
            format!("`{raw}` is not a child's id (a UUID from the role's list)"),
        )
    })
}

fn place_of(ids: &[Uuid], child: Child) -> Result<usize, ApiError> {
    let id = match &child {
        Child::Responsibility(id) | Child::Requirement(id) | Child::Salary(id) => *id,
        Child::Skill(_) => return Err(child.not_found()),
    };
    ids.iter()
        .position(|known| *known == id)
        .ok_or_else(|| child.not_found())
}

/// The four operations on a list of children that have ids of their own.
macro_rules! child_list {
    (
        list: $list:ident, variant: $variant:ident, input: $input:ty, read: $read:path, view: $view:ty,
        noun: $noun:literal,
        get: ($get:ident, $get_path:literal),
        add: ($add:ident, $add_path:literal),
        replace: ($replace:ident, $replace_path:literal),
        remove: ($remove:ident, $remove_path:literal) $(,)?
    ) => {
        #[doc = concat!("Get one ", $noun, " of a role")]
        #[utoipa::path(
            tag = TAG,
            params(
                ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
                ("child" = String, Path, description = "The child's id, from the role's list", format = Uuid)
            ),
            responses((status = 200, description = "The child", body = $view), RoleErrors)
        )]
        #[get($get_path)]
        async fn $get(
            pool: web::Data<Pool>,
            path: web::Path<(String, String)>,
            request: HttpRequest,
        ) -> Result<HttpResponse, ApiError> {
            let id = child_id(&path.1)?;
            read(&pool, &request, &path.0, Child::$variant(id)).await
        }

        #[doc = concat!("Add a ", $noun, " to a role")]
        #[doc = ""]
        #[doc = "Appends it to the role's list. A change of the role: needs `If-Match` with the role's current ETag, raises its version and leaves a revision."]
        #[utoipa::path(
            tag = TAG,
            params(
                ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
            ),
            request_body(content = $input, content_type = "application/json"),
            responses(
                (status = 201, description = "The child as the role's list shows it", body = $view,
                 headers(("Location" = String, description = "The child's address"), ("ETag" = String, description = "The role's new ETag"))),
                PreconditionErrors,
                WriteErrors
            ),
            security(("bearerAuth" = []))
        )]
        #[post($add_path)]
        async fn $add(
            auth: Authorized<Write>,
            pool: web::Data<Pool>,
            id: web::Path<String>,
            request: HttpRequest,
            payload: web::Payload,
        ) -> Result<HttpResponse, ApiError> {
            let sent = body::read_json(&request, payload, JSON).await?;
            let item = $read(body::decode::<$input>(sent.value)?)?;
            let edit: Edit = Box::new(move |content, ids| {
                let place = content.$list.len();
                let child = Uuid::new_v4();
                content.$list.push(item);
                ids.$list.push(child);
                Ok(Edited {
                    child: Some(Child::$variant(child)),
                    place: Some(format!(concat!("/", stringify!($list), "/{}"), place)),
                    created: true,
                })
            });
            change(&auth, &pool, &request, &id, &sent.bytes, StatusCode::CREATED, edit).await
        }

        #[doc = concat!("Replace a ", $noun, " of a role")]
        #[doc = ""]
        #[doc = "Keeps its place and id. A change of the role: needs `If-Match` with the role's current ETag."]
        #[utoipa::path(
            tag = TAG,
            params(
                ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
                ("child" = String, Path, description = "The child's id, from the role's list", format = Uuid),
        ChangeHeaders
            ),
            request_body(content = $input, content_type = "application/json"),
            responses(
                (status = 200, description = "The child as it is now", body = $view,
                 headers(("ETag" = String, description = "The role's new ETag"))),
                PreconditionErrors,
                WriteErrors
            ),
            security(("bearerAuth" = []))
        )]
        #[put($replace_path)]
        async fn $replace(
            auth: Authorized<Write>,
            pool: web::Data<Pool>,
            path: web::Path<(String, String)>,
            request: HttpRequest,
            payload: web::Payload,
        ) -> Result<HttpResponse, ApiError> {
            let child = child_id(&path.1)?;
            let sent = body::read_json(&request, payload, JSON).await?;
            let item = $read(body::decode::<$input>(sent.value)?)?;
            let edit: Edit = Box::new(move |content, ids| {
                let place = place_of(&ids.$list, Child::$variant(child))?;
                content.$list[place] = item;
                Ok(Edited {
                    child: Some(Child::$variant(child)),
                    place: Some(format!(concat!("/", stringify!($list), "/{}"), place)),
                    created: false,
                })
            });
            change(&auth, &pool, &request, &path.0, &sent.bytes, StatusCode::OK, edit).await
        }

        #[doc = concat!("Remove a ", $noun, " from a role")]
        #[doc = ""]
        #[doc = "The others keep their ids. A change of the role: needs `If-Match` with the role's current ETag."]
        #[utoipa::path(
            tag = TAG,
            params(
                ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
                ("child" = String, Path, description = "The child's id, from the role's list", format = Uuid),
        ChangeHeaders
            ),
            responses(
                (status = 204, description = "Removed", headers(("ETag" = String, description = "The role's new ETag"))),
                PreconditionErrors,
                WriteErrors
            ),
            security(("bearerAuth" = []))
        )]
        #[delete($remove_path)]
        async fn $remove(
            auth: Authorized<Write>,
            pool: web::Data<Pool>,
            path: web::Path<(String, String)>,
            request: HttpRequest,
        ) -> Result<HttpResponse, ApiError> {
            let child = child_id(&path.1)?;
            let edit: Edit = Box::new(move |content, ids| {
                let place = place_of(&ids.$list, Child::$variant(child))?;
                content.$list.remove(place);
                ids.$list.remove(place);
                Ok(Edited { child: None, place: None, created: false })
            });
            change(&auth, &pool, &request, &path.0, b"", StatusCode::NO_CONTENT, edit).await
        }
    };
}

child_list! {
    list: responsibilities, variant: Responsibility, input: ResponsibilityInput,
    read: role_input::responsibility, view: ResponsibilityView, noun: "responsibility",
    get: (get_responsibility, "/roles/{id}/responsibilities/{child}"),
    add: (add_responsibility, "/roles/{id}/responsibilities"),
    replace: (replace_responsibility, "/roles/{id}/responsibilities/{child}"),
    remove: (remove_responsibility, "/roles/{id}/responsibilities/{child}"),
}

child_list! {
    list: requirements, variant: Requirement, input: RequirementInput,
    read: role_input::requirement, view: RequirementView, noun: "requirement",
    get: (get_requirement, "/roles/{id}/requirements/{child}"),
    add: (add_requirement, "/roles/{id}/requirements"),
    replace: (replace_requirement, "/roles/{id}/requirements/{child}"),
    remove: (remove_requirement, "/roles/{id}/requirements/{child}"),
}

child_list! {
    list: salaries, variant: Salary, input: SalaryInput,
    read: role_input::salary, view: SalaryView, noun: "salary range",
    get: (get_salary, "/roles/{id}/salaries/{child}"),
    add: (add_salary, "/roles/{id}/salaries"),
    replace: (replace_salary, "/roles/{id}/salaries/{child}"),
    remove: (remove_salary, "/roles/{id}/salaries/{child}"),
}

fn skill_slug(raw: &str) -> Result<Slug, ApiError> {
    Slug::parse(raw)
        .map_err(|error| ApiError::invalid_field("path.skill", error.code, error.message))
}

/// Get one skill link of a role
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("skill" = String, Path, description = "The skill's slug", example = "mentoring")
    ),
    responses((status = 200, description = "The skill as the role needs it", body = RoleSkillView), RoleErrors)
)]
#[get("/roles/{id}/skills/{skill}")]
async fn get_skill_link(
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let skill = skill_slug(&path.1)?;
    read(&pool, &request, &path.0, Child::Skill(skill)).await
}

/// Link a skill to a role
///
/// Appends the link; 409 when the role links the skill already (change it
/// with `PUT` at its address). A change of the role: needs `If-Match` with the
/// role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    request_body(content = RoleSkillInput, content_type = "application/json"),
    responses(
        (status = 201, description = "The skill was linked", body = RoleSkillView,
         headers(("Location" = String, description = "The link's address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/roles/{id}/skills")]
async fn add_skill_link(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let link = role_input::skill_link(body::decode::<RoleSkillInput>(sent.value)?)?;
    let edit: Edit = Box::new(move |content, _| {
        let child = Child::Skill(link.skill.clone());
        if content.skills.iter().any(|l| l.skill == link.skill) {
            return Err(ApiError::new(
                Code::ChildExists,
                format!(
                    "the role already links skill `{}`: change it with PUT at its address",
                    link.skill
                ),
            ));
        }
        let mut links: Vec<_> = content.skills.iter().cloned().collect();
        links.push(link);
        let place = links.len() - 1;
        content.skills =
            rolebase_domain::Distinct::new(links).expect("the skill was not linked yet");
        Ok(Edited {
            child: Some(child),
            place: Some(format!("/skills/{place}")),
            created: true,
        })
    });
    change(
        &auth,
        &pool,
        &request,
        &id,
        &sent.bytes,
        StatusCode::CREATED,
        edit,
    )
    .await
}

/// Link a skill to a role, or change how much it needs it
///
/// Adds the link (201) or replaces it (200, keeping its place). The body's
/// `skill` must be the path's. A change of the role: needs `If-Match` with the
/// role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("skill" = String, Path, description = "The skill's slug", example = "mentoring"),
        ChangeHeaders
    ),
    request_body(content = RoleSkillInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The link was replaced", body = RoleSkillView,
         headers(("ETag" = String, description = "The role's new ETag"))),
        (status = 201, description = "The skill was linked", body = RoleSkillView,
         headers(("Location" = String, description = "The link's address"), ("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[put("/roles/{id}/skills/{skill}")]
async fn put_skill_link(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let skill = skill_slug(&path.1)?;
    let sent = body::read_json(&request, payload, JSON).await?;
    let link = role_input::skill_link(body::decode::<RoleSkillInput>(sent.value)?)?;
    if link.skill != skill {
        return Err(body::invalid_body(vec![super::FieldError::new(
            "/skill",
            "mismatch",
            format!(
                "the body's skill `{}` is not the path's `{skill}`",
                link.skill
            ),
        )]));
    }
    let edit: Edit = Box::new(move |content, _| {
        let mut links: Vec<_> = content.skills.iter().cloned().collect();
        let existing = links.iter().position(|l| l.skill == link.skill);
        let place = match existing {
            Some(place) => {
                links[place] = link.clone();
                place
            }
            None => {
                links.push(link.clone());
                links.len() - 1
            }
        };
        content.skills = rolebase_domain::Distinct::new(links)
            .expect("one link per skill: an existing link was replaced in place");
        Ok(Edited {
            child: Some(Child::Skill(link.skill)),
            place: Some(format!("/skills/{place}")),
            created: existing.is_none(),
        })
    });
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        &sent.bytes,
        StatusCode::OK,
        edit,
    )
    .await
}

/// Unlink a skill from a role
///
/// A change of the role: needs `If-Match` with the role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("skill" = String, Path, description = "The skill's slug", example = "mentoring"),
        ChangeHeaders
    ),
    responses(
        (status = 204, description = "Unlinked", headers(("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[delete("/roles/{id}/skills/{skill}")]
async fn remove_skill_link(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let skill = skill_slug(&path.1)?;
    let edit: Edit = Box::new(move |content, _| {
        let links: Vec<_> = content
            .skills
            .iter()
            .filter(|l| l.skill != skill)
            .cloned()
            .collect();
        if links.len() == content.skills.len() {
            return Err(Child::Skill(skill).not_found());
        }
        content.skills =
            rolebase_domain::Distinct::new(links).expect("a subset of distinct links is distinct");
        Ok(Edited {
            child: None,
            place: None,
            created: false,
        })
    });
    change(
        &auth,
        &pool,
        &request,
        &path.0,
        b"",
        StatusCode::NO_CONTENT,
        edit,
    )
    .await
}
