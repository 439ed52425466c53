//! `/roles`: what each role is, does, requires, pays, and where it leads.

use super::caching::{CACHE_CONTROL, matches_any};
use super::negotiation::{names, preferred};
use super::postings;
use super::{
    ApiError, Code, Problem, QueryErrors, RoleErrors,
    params::{Params, next_page, split_list},
    respond,
};
use crate::documents::{Rendered, RoleDocuments};
use crate::etags::{PLAIN_ROLE, role_etag};
use crate::publishing::jsonld::{JSON_LD, OccupationDocument};
use crate::storage::Reads;
use crate::storage::{
    self, StorageError,
    children::{RequirementFilter, SalaryFilter},
    role_aggregate::{self, Lookup},
    roles::{RoleFilter, RoleState},
};
use crate::views::{
    CareerPathList, Comparison, RequirementList, ResponsibilityList, RoleLink, RoleList,
    RoleSkillList, RoleWithChildren, SalaryList,
};
use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use chrono::{DateTime, Utc};
use deadpool_postgres::{Object, Pool};
use rolebase_domain::{
    CurrencyCode, Family, InvalidValue, RequirementKind, RequirementLevel, ResponsibilityCategory,
    RoleRef, SalaryPeriod, Seniority, SkillImportance, Slug, SocCode, Track, compare,
    search::SearchQuery,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;
use uuid::Uuid;

pub const TAG: &str = "roles";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `compare` first: it would otherwise be read as a role's slug.
    config
        .service(list_roles)
        .service(compare_roles)
        .service(get_role)
        .service(get_responsibilities)
        .service(get_requirements)
        .service(get_skills)
        .service(get_salaries)
        .service(get_career_paths);
}

async fn connection(pool: &Pool) -> Result<Object, ApiError> {
    Ok(pool.get().await.map_err(StorageError::from)?)
}

/// Reads the `{id}` of a path: a role's UUID or its slug.
fn role_ref(raw: &str) -> Result<RoleRef, ApiError> {
    RoleRef::parse(raw)
        .map_err(|error| ApiError::invalid_field("path.id", error.code, error.message))
}

fn not_found(role: &RoleRef) -> ApiError {
    ApiError::role_not_found(role)
}

/// The role a path names, or the 400, 404 or 410 that explains why there is none.
pub(super) async fn found_role(client: &impl Reads, raw_id: &str) -> Result<RoleState, ApiError> {
    let role = role_ref(raw_id)?;
    if let Some(state) = storage::roles::state(client, &role).await? {
        return Ok(state);
    }
    match role_aggregate::lookup(client, &role).await? {
        Lookup::Deleted { id, slug } => Err(gone(id, &slug)),
        _ => Err(not_found(&role)),
    }
}

/// The 410 of a deleted role, pointing to its revisions.
pub(super) fn gone(id: Uuid, slug: &str) -> ApiError {
    ApiError::new(Code::RoleDeleted, format!("role `{slug}` was deleted")).with_header(
        header::LINK,
        &format!("</roles/{id}/revisions>; rel=\"version-history\""),
    )
}

/// Which body of a role a request asks for: its kind and the query that
/// shaped it (`skills?importance=essential`).
pub(super) fn representation_of(request: &HttpRequest, kind: &str) -> String {
    let query = request.query_string();
    if query.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}?{query}")
    }
}

/// A role read answered as JSON: see [`role_document`].
pub(super) async fn role_read<T, F, Fut>(
    request: &HttpRequest,
    documents: &RoleDocuments,
    pool: &Pool,
    raw_id: &str,
    kind: &str,
    params: Params,
    render: F,
) -> Result<HttpResponse, ApiError>
where
    T: serde::Serialize,
    F: FnOnce(Object, RoleState) -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let representation = representation_of(request, kind);
    let render = |client, state| async move { Body::json(&render(client, state).await?) };
    role_document(
        request,
        documents,
        pool,
        raw_id,
        &representation,
        params,
        render,
    )
    .await
}

/// A rendered body and its media type.
pub(super) struct Body {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Body {
    pub const JSON: &'static str = "application/json";

    pub fn json(value: &impl serde::Serialize) -> Result<Self, ApiError> {
        Self::serialized(Self::JSON, value)
    }

    /// `value` as JSON under another JSON media type (JSON-LD).
    pub fn serialized(
        content_type: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(value).map_err(|error| {
            ApiError::new(
                Code::InternalError,
                format!("a role document did not serialize: {error}"),
            )
        })?;
        Ok(Self {
            content_type,
            bytes,
        })
    }
}

/// A read of one `representation` of a role. A document in the cache answers
/// at once, 200 or 304, without the database. Otherwise the role is looked up
/// (404 and 410 first, then the refused `params`), a client whose copy is
/// current gets its 304 before anything is rendered, and the body that
/// `render` builds is answered and kept, tagged with the role's version.
pub(super) async fn role_document<F, Fut>(
    request: &HttpRequest,
    documents: &RoleDocuments,
    pool: &Pool,
    raw_id: &str,
    representation: &str,
    params: Params,
    render: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Object, RoleState) -> Fut,
    Fut: std::future::Future<Output = Result<Body, ApiError>>,
{
    if let Some(cached) = documents.get(raw_id, representation) {
        return Ok(answer(request, &cached));
    }
    let epoch = documents.epoch();
    let client = connection(pool).await?;
    let state = found_role(&*client, raw_id).await?;
    params.finish()?;
    let etag = role_etag(
        state.link.id,
        state.version,
        state.generation,
        representation,
    );
    if let Some(response) = not_modified(request, &etag, &state) {
        return Ok(response);
    }
    let (role_id, last_modified) = (state.link.id, state.updated_at);
    let body = render(client, state).await?;
    let rendered = Arc::new(Rendered {
        role_id,
        etag,
        last_modified,
        content_type: body.content_type,
        body: body.bytes.into(),
    });
    documents.insert(epoch, raw_id, representation, rendered.clone());
    Ok(answer(request, &rendered))
}

/// A read of something of a role that the cache does not hold (one child,
/// one step, one pair of notes): tagged with the role's version, 304 when the
/// client's copy is current, before anything is rendered.
pub(super) async fn uncached_role_read<T, F>(
    request: &HttpRequest,
    state: &RoleState,
    representation: &str,
    render: F,
) -> Result<HttpResponse, ApiError>
where
    T: serde::Serialize,
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    let etag = role_etag(
        state.link.id,
        state.version,
        state.generation,
        representation,
    );
    if let Some(response) = not_modified(request, &etag, state) {
        return Ok(response);
    }
    let body = render.await?;
    Ok(tagged(&etag, state.updated_at).json(body))
}

/// A rendered document as a response: 304 when the client's copy is it.
fn answer(request: &HttpRequest, rendered: &Rendered) -> HttpResponse {
    let current = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| matches_any(tags, &rendered.etag));
    let mut response = tagged(&rendered.etag, rendered.last_modified);
    if current {
        response.status(actix_web::http::StatusCode::NOT_MODIFIED);
        response.finish()
    } else {
        response
            .content_type(rendered.content_type)
            .body(rendered.body.clone())
    }
}

/// The 304 for a client whose copy is current: decided from the version
/// alone, before anything is rendered.
fn not_modified(request: &HttpRequest, etag: &str, state: &RoleState) -> Option<HttpResponse> {
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)?
        .to_str()
        .ok()?;
    matches_any(if_none_match, etag).then(|| {
        let mut response = tagged(etag, state.updated_at);
        response.status(actix_web::http::StatusCode::NOT_MODIFIED);
        response.finish()
    })
}

fn tagged(etag: &str, last_modified: DateTime<Utc>) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((
            header::LAST_MODIFIED,
            header::HttpDate::from(std::time::SystemTime::from(last_modified)),
        ));
    response
}

/// What `read` gives when the request wants it; nothing, unasked, otherwise.
async fn when<T>(
    wanted: bool,
    read: impl std::future::Future<Output = Result<T, StorageError>>,
) -> Result<Option<T>, StorageError> {
    if wanted {
        read.await.map(Some)
    } else {
        Ok(None)
    }
}

/// The role a query parameter names, or the 404 that names the parameter.
pub(super) async fn named_role(
    client: &impl Reads,
    parameter: &str,
    role: &RoleRef,
) -> Result<RoleLink, ApiError> {
    match storage::roles::state(client, role).await? {
        Some(state) => Ok(state.link),
        None => Err(unknown_role_named(parameter, role)),
    }
}

/// The 404 of a query parameter that names no role.
fn unknown_role_named(parameter: &str, role: &RoleRef) -> ApiError {
    ApiError::new(
        Code::RoleNotFound,
        format!("{parameter}: no role has the id or slug `{role}`"),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RolesQuery {
    /// Only roles a search for this text finds (as `GET /search` does; the
    /// list keeps its slug order): 1 to 200 characters once trimmed.
    #[param(example = "tech lead")]
    q: Option<String>,
    /// Only roles of this job family.
    #[param(value_type = Option<Family>)]
    family: Option<String>,
    /// Only roles on this track.
    #[param(value_type = Option<Track>)]
    track: Option<String>,
    /// Only roles of this seniority.
    #[param(value_type = Option<Seniority>)]
    seniority: Option<String>,
    /// Only roles that need this skill (its slug; see `GET /skills`).
    #[param(example = "mentoring")]
    skill: Option<String>,
    /// Only roles that fall under this SOC 2018 occupation code.
    #[param(example = "15-1252", pattern = "^[0-9]{2}-[0-9]{4}$")]
    soc: Option<String>,
    /// Roles per page, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20, example = 20)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page, as it was given.
    cursor: Option<String>,
}

/// List roles
///
/// Roles with their summaries, ordered by slug, a page at a time: follow
/// `next_cursor` (or the `Link` header's `rel="next"`) until it is `null`.
/// Filters combine: every one given must hold.
#[utoipa::path(
    tag = TAG,
    params(RolesQuery),
    responses(
        (status = 200, description = "A page of roles", body = RoleList,
         headers(("Link" = String, description = "The next page, as `<…>; rel=\"next\"` (RFC 8288); absent on the last page"))),
        QueryErrors
    )
)]
#[get("/roles")]
async fn list_roles(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    query: web::Query<RolesQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let mut filter = RoleFilter {
        family: params.choice("family", query.family.as_deref()),
        track: params.choice("track", query.track.as_deref()),
        seniority: params.choice("seniority", query.seniority.as_deref()),
        skill: params.read("skill", query.skill.as_deref(), Slug::parse),
        soc: params.read("soc", query.soc.as_deref(), SocCode::parse),
        ids: None,
    };
    let search = params.read("q", query.q.as_deref(), SearchQuery::parse);
    let page = params.page(query.limit.as_deref(), query.cursor.as_deref());
    params.finish()?;
    let client = connection(&pool).await?;
    if let Some(search) = &search {
        filter.ids = Some(
            match super::search::prepare(&client, &documents, search).await? {
                Some((terms, _)) => storage::search::matching_role_ids(&client, &terms).await?,
                None => Vec::new(),
            },
        );
    }
    let (items, more) = storage::roles::list(&client, &filter, &page).await?;
    let (next_cursor, mut response) =
        next_page(&request, more, items.last().map(|role| role.slug.as_str()));
    Ok(response.json(RoleList { items, next_cursor }))
}

/// What `include=` can embed in a role.
#[derive(Debug, Default, Clone, Copy)]
struct Includes {
    responsibilities: bool,
    requirements: bool,
    skills: bool,
    salaries: bool,
    career: bool,
}

const INCLUDABLE: &str = "responsibilities, requirements, skills, salaries, career";

fn parse_includes(raw: &str) -> Result<Includes, InvalidValue> {
    let mut includes = Includes::default();
    for item in split_list(raw)? {
        let flag = match item {
            "responsibilities" => &mut includes.responsibilities,
            "requirements" => &mut includes.requirements,
            "skills" => &mut includes.skills,
            "salaries" => &mut includes.salaries,
            "career" => &mut includes.career,
            other => {
                return Err(InvalidValue::new(
                    "unknown_value",
                    format!("`{other}` cannot be included: choose from {INCLUDABLE}"),
                ));
            }
        };
        *flag = true;
    }
    Ok(includes)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RoleQuery {
    /// Children to embed, separated by commas: responsibilities, requirements,
    /// skills, salaries, career (or the parameter repeated, one child each).
    #[param(
        example = "responsibilities,requirements,skills",
        pattern = "^(responsibilities|requirements|skills|salaries|career)(,(responsibilities|requirements|skills|salaries|career))*$"
    )]
    include: Option<String>,
}

/// Get a role
///
/// The role in full: description, alternative titles, occupation codes,
/// sources; with `include=`, its children too, in one response.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), RoleQuery),
    responses(
        (status = 200, description = "The role; with `Accept: application/ld+json`, the role as a schema.org Occupation (as `GET /roles/{id}/jsonld`)",
         content((RoleWithChildren = "application/json"), (OccupationDocument = "application/ld+json")),
         headers(("Last-Modified" = String, description = "When the role last changed"))),
        RoleErrors
    )
)]
#[get("/roles/{id}")]
async fn get_role(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<RoleQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let role = role_ref(&id)?;
    let mut params = Params::new();
    let includes = params
        .read("include", query.include.as_deref(), parse_includes)
        .unwrap_or_default();
    params.finish()?;
    // Only an `Accept` naming JSON-LD outright prefers it to JSON (wildcards
    // tie, and JSON comes first).
    if names(&request, "ld+json") && preferred(&request, &[Body::JSON, JSON_LD]) == JSON_LD {
        // The same document as `/roles/{id}/jsonld`: one cache entry, one tag.
        let document = postings::occupation_document(
            &request,
            &documents,
            &pool,
            &id,
            "jsonld",
            None,
            Params::new(),
        );
        return Ok(postings::varies_by_accept(document.await?));
    }
    let read = |client: Object, state: RoleState| async move {
        let id = state.link.id;
        let client = &*client;
        let (role_id, all_salaries) = (RoleRef::Id(id), SalaryFilter::default());
        // Every statement goes out at once on the one connection: a role with
        // all its children costs one round trip.
        let (detail, responsibilities, requirements, skills, salaries, imported, career) = tokio::try_join!(
            storage::roles::find(client, &role_id),
            when(
                includes.responsibilities,
                storage::children::responsibilities(client, id, None)
            ),
            when(
                includes.requirements,
                storage::children::requirements(client, id, RequirementFilter::default())
            ),
            when(includes.skills, storage::children::skills(client, id, None)),
            when(
                includes.salaries,
                storage::children::salaries(client, id, &all_salaries)
            ),
            when(
                includes.salaries,
                storage::occupations::role_wages(client, id, None, None)
            ),
            when(includes.career, storage::children::career_steps(client, id)),
        )?;
        Ok(RoleWithChildren {
            role: detail.ok_or_else(|| not_found(&role))?,
            responsibilities,
            requirements,
            skills,
            salaries,
            imported_salaries: imported,
            career,
        })
    };
    let response = role_read(
        &request,
        &documents,
        &pool,
        &id,
        PLAIN_ROLE,
        Params::new(),
        read,
    )
    .await?;
    Ok(postings::varies_by_accept(response))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ResponsibilitiesQuery {
    /// Only responsibilities of this category.
    #[param(value_type = Option<ResponsibilityCategory>)]
    category: Option<String>,
}

/// List a role's responsibilities
///
/// What the role does, in the role's order, each in a category.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), ResponsibilitiesQuery),
    responses((status = 200, description = "The role's responsibilities", body = ResponsibilityList), RoleErrors)
)]
#[get("/roles/{id}/responsibilities")]
async fn get_responsibilities(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<ResponsibilitiesQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let category = params.choice("category", query.category.as_deref());
    let read = |client: Object, state: RoleState| async move {
        let items = storage::children::responsibilities(&*client, state.link.id, category).await?;
        Ok(ResponsibilityList {
            role: state.link,
            items,
        })
    };
    role_read(
        &request,
        &documents,
        &pool,
        &id,
        "responsibilities",
        params,
        read,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RequirementsQuery {
    /// Only requirements of this kind.
    #[param(value_type = Option<RequirementKind>)]
    kind: Option<String>,
    /// Only required, or only preferred, requirements.
    #[param(value_type = Option<RequirementLevel>)]
    level: Option<String>,
}

/// List a role's requirements
///
/// Education, experience, certifications, training: structured by kind, each
/// marked required or preferred, in the role's order.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), RequirementsQuery),
    responses((status = 200, description = "The role's requirements", body = RequirementList), RoleErrors)
)]
#[get("/roles/{id}/requirements")]
async fn get_requirements(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<RequirementsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let filter = RequirementFilter {
        kind: params.choice("kind", query.kind.as_deref()),
        level: params.choice("level", query.level.as_deref()),
    };
    let read = |client: Object, state: RoleState| async move {
        let items = storage::children::requirements(&*client, state.link.id, filter).await?;
        Ok(RequirementList {
            role: state.link,
            items,
        })
    };
    role_read(
        &request,
        &documents,
        &pool,
        &id,
        "requirements",
        params,
        read,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SkillsQuery {
    /// Only essential, or only optional, skills.
    #[param(value_type = Option<SkillImportance>)]
    importance: Option<String>,
}

/// List a role's skills
///
/// The skills the role needs, each essential or optional, in the role's order.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), SkillsQuery),
    responses((status = 200, description = "The role's skills", body = RoleSkillList), RoleErrors)
)]
#[get("/roles/{id}/skills")]
async fn get_skills(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<SkillsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let importance = params.choice("importance", query.importance.as_deref());
    let read = |client: Object, state: RoleState| async move {
        let items = storage::children::skills(&*client, state.link.id, importance).await?;
        Ok(RoleSkillList {
            role: state.link,
            items,
        })
    };
    role_read(&request, &documents, &pool, &id, "skills", params, read).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SalariesQuery {
    /// Only curated figures for this area code (`US` for the United States).
    /// A 7-digit BLS area code (`0600000`, California) adds that area's
    /// imported wages to the nation's.
    #[param(example = "US", pattern = "^[A-Za-z0-9-]{1,20}$")]
    area: Option<String>,
    /// Only figures in this ISO 4217 currency.
    #[param(example = "USD")]
    currency: Option<String>,
    /// Only annual, or only hourly, figures.
    #[param(value_type = Option<SalaryPeriod>)]
    period: Option<String>,
}

/// List a role's salary ranges
///
/// The curated ranges by area, currency and period, each naming its source
/// and date; beside them, `imported`: the BLS OEWS wages of each of the
/// role's SOC occupations in the newest release, for the nation and for a
/// BLS `area`, with their quality flags.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), SalariesQuery),
    responses((status = 200, description = "The role's salary ranges", body = SalaryList), RoleErrors)
)]
#[get("/roles/{id}/salaries")]
async fn get_salaries(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<SalariesQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let filter = SalaryFilter {
        area: params.read("area", query.area.as_deref(), parse_area_code),
        currency: params.read("currency", query.currency.as_deref(), CurrencyCode::parse),
        period: params.choice("period", query.period.as_deref()),
    };
    let read = |client: Object, state: RoleState| async move {
        let wage_area = match filter.area.as_deref().filter(|area| is_bls_area(area)) {
            Some(code) => Some(
                storage::occupations::area_by_code(&*client, code)
                    .await?
                    .ok_or_else(|| area_not_found(code))?
                    .code,
            ),
            None => None,
        };
        let items = storage::children::salaries(&*client, state.link.id, &filter).await?;
        let dollars = filter
            .currency
            .as_ref()
            .is_none_or(|currency| *currency == CurrencyCode::usd());
        let imported = if dollars {
            storage::occupations::role_wages(&*client, state.link.id, wage_area.as_deref(), None)
                .await?
        } else {
            vec![]
        };
        Ok(SalaryList {
            role: state.link,
            items,
            imported,
        })
    };
    role_read(&request, &documents, &pool, &id, "salaries", params, read).await
}

/// List a role's career steps
///
/// Where the role leads (`next`) and where people come to it from (`previous`).
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead")),
    responses((status = 200, description = "The role's career steps", body = CareerPathList), RoleErrors)
)]
#[get("/roles/{id}/career-paths")]
async fn get_career_paths(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let read = |client: Object, state: RoleState| async move {
        let steps = storage::children::career_steps(&*client, state.link.id).await?;
        Ok(CareerPathList {
            role: state.link,
            steps,
        })
    };
    role_read(
        &request,
        &documents,
        &pool,
        &id,
        "career-paths",
        Params::new(),
        read,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct CompareQuery {
    /// Two to four different roles, by slug or UUID, separated by commas
    /// (`roles=a,b`); repeating the parameter (`roles=a&roles=b`) works too.
    #[param(required = true, style = Form, explode = false, example = "technical-lead,engineering-manager")]
    roles: Option<String>,
}

/// Compare roles
///
/// Two to four roles side by side: the curated notes on how they differ, per
/// aspect, and a computed diff of their responsibilities, skills, education,
/// experience, salaries, track and seniority.
#[utoipa::path(
    tag = TAG,
    params(CompareQuery),
    responses(
        (status = 200, description = "The roles compared", body = Comparison),
        (status = 404, description = "One of `roles` names no role", body = Problem, content_type = "application/problem+json"),
        QueryErrors
    )
)]
#[get("/roles/compare")]
async fn compare_roles(
    pool: web::Data<Pool>,
    query: web::Query<CompareQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let refs = params
        .required("roles", query.roles.as_deref(), parse_role_list)
        .unwrap_or_default();
    params.finish()?;
    let client = connection(&pool).await?;
    let links = storage::roles::links(&client, &refs).await?;
    let mut ids = Vec::new();
    let mut params = Params::new();
    for (role, link) in refs.iter().zip(links) {
        let link = link.ok_or_else(|| unknown_role_named("roles", role))?;
        if ids.contains(&link.id) {
            params.refuse(
                "roles",
                "duplicate",
                format!("roles: `{role}` names a role already listed"),
            );
        }
        ids.push(link.id);
    }
    params.finish()?;
    let summaries = storage::roles::summaries(&client, &ids).await?;
    let notes = storage::relations::comparison_notes(&*client, &ids).await?;
    let facts = storage::relations::facts(&client, &ids).await?;
    Ok(respond(
        &Comparison {
            roles: summaries,
            notes,
            diff: compare::compare(&facts),
        },
        None,
    ))
}

/// The 404 of an `area` that names no imported wage area.
pub(super) fn area_not_found(code: &str) -> ApiError {
    ApiError::new(
        Code::AreaNotFound,
        format!("area: no imported wage area has the code `{code}`"),
    )
}

/// Area codes are short: `US`, a state code, a metro area number.
/// BLS codes its wage areas with 7 digits; curated ranges use short codes like `US`.
pub(super) fn is_bls_area(code: &str) -> bool {
    code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit())
}

fn parse_area_code(raw: &str) -> Result<String, InvalidValue> {
    let well_formed = (1..=20).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if well_formed {
        Ok(raw.to_owned())
    } else {
        Err(InvalidValue::new(
            "invalid_area",
            format!("`{raw}` is not an area code: 1 to 20 letters, digits or hyphens, like `US`"),
        ))
    }
}

fn parse_role_list(raw: &str) -> Result<Vec<RoleRef>, InvalidValue> {
    let items = split_list(raw)?;
    if !(2..=4).contains(&items.len()) {
        return Err(InvalidValue::new(
            "wrong_count",
            format!("give 2 to 4 roles separated by commas, got {}", items.len()),
        ));
    }
    items.into_iter().map(RoleRef::parse).collect()
}
