//! `/skills`, `/families`, `/sources`: the catalogue roles draw on.

use super::{
    ApiError, Code, LookupErrors, QueryErrors, ServiceErrors,
    params::{Params, next_page},
    respond,
};
use crate::storage::{self, StorageError};
use crate::views::{FamilyList, SkillDetail, SkillList, SourceList};
use actix_web::{HttpRequest, HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::{SkillKind, Slug};
use serde::Deserialize;
use utoipa::IntoParams;

pub const TAG: &str = "catalogue";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_skills)
        .service(get_skill)
        .service(list_families)
        .service(list_sources);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SkillsQuery {
    /// Only skills of this kind.
    #[param(value_type = Option<SkillKind>)]
    kind: Option<String>,
    /// Skills per page, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20, example = 20)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page, as it was given.
    cursor: Option<String>,
}

/// List skills
///
/// The shared skill catalogue, ordered by slug, a page at a time, each with the
/// number of roles that need it.
#[utoipa::path(
    tag = TAG,
    params(SkillsQuery),
    responses(
        (status = 200, description = "A page of skills", body = SkillList,
         headers(("Link" = String, description = "The next page, as `<…>; rel=\"next\"`; absent on the last page"))),
        QueryErrors
    )
)]
#[get("/skills")]
async fn list_skills(
    pool: web::Data<Pool>,
    query: web::Query<SkillsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let kind = params.choice("kind", query.kind.as_deref());
    let page = params.page(query.limit.as_deref(), query.cursor.as_deref());
    params.finish()?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let (items, more) = storage::catalogue::skills(&*client, kind, &page).await?;
    let (next_cursor, mut response) = next_page(
        &request,
        more,
        items.last().map(|skill| skill.slug.as_str()),
    );
    Ok(response.json(SkillList { items, next_cursor }))
}

/// Get a skill
///
/// The skill and the roles that need it, essential first.
#[utoipa::path(
    tag = TAG,
    params(("slug" = String, Path, description = "The skill's slug", example = "mentoring")),
    responses((status = 200, description = "The skill", body = SkillDetail), LookupErrors)
)]
#[get("/skills/{slug}")]
async fn get_skill(
    pool: web::Data<Pool>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = Slug::parse(&slug)
        .map_err(|error| ApiError::invalid_field("path.slug", error.code, error.message))?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let skill = storage::catalogue::skill(&*client, &slug).await?;
    let skill = skill.ok_or_else(|| {
        ApiError::new(
            Code::SkillNotFound,
            format!("no skill has the slug `{slug}`"),
        )
    })?;
    Ok(respond(&skill, None))
}

/// List job families
///
/// Every job family, with how many roles it holds.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The families", body = FamilyList), ServiceErrors))]
#[get("/families")]
async fn list_families(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    Ok(respond(
        &FamilyList {
            items: storage::catalogue::families(&*client).await?,
        },
        None,
    ))
}

/// List sources
///
/// The articles and datasets the knowledge base's facts come from.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The sources", body = SourceList), ServiceErrors))]
#[get("/sources")]
async fn list_sources(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    Ok(respond(
        &SourceList {
            items: storage::catalogue::sources(&*client).await?,
        },
        None,
    ))
}
