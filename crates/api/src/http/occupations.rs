//! Imported wage data: `/occupations`, `/occupations/{soc}` and its wages by
//! area, `/areas`, and `/meta` (which data the service holds).

use super::{
    ApiError, Code, LookupErrors, QueryErrors, ServiceErrors,
    params::{Params, next_page},
    respond,
};
use crate::storage::{
    self, StorageError,
    occupations::{OccupationFilter, WageFilter, areas, wages},
};
use crate::views::{
    AreaList, AreaRef, KnowledgeBaseMeta, Meta, OccupationDetail, OccupationList, OccupationRef,
    WageList,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::{InvalidValue, SocCode, search::SearchQuery};
use serde::Deserialize;
use utoipa::IntoParams;

pub const TAG: &str = "wages";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_occupations)
        .service(get_occupation)
        .service(get_occupation_wages)
        .service(list_areas)
        .service(get_area)
        .service(get_meta);
}

/// Reads one of a fixed set of words.
fn one_of(allowed: &'static [&'static str]) -> impl Fn(&str) -> Result<&'static str, InvalidValue> {
    move |raw| {
        allowed
            .iter()
            .copied()
            .find(|value| *value == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "unknown_value",
                    format!("`{raw}` is not one of: {}", allowed.join(", ")),
                )
            })
    }
}

const GROUPS: &[&str] = &["total", "major", "minor", "broad", "detailed"];
const AREA_KINDS: &[&str] = &["nation", "state", "metro"];

fn area_code(raw: &str) -> Result<String, InvalidValue> {
    if raw.len() == 7 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw.to_owned())
    } else {
        Err(InvalidValue::new(
            "invalid_area",
            format!("`{raw}` is not a 7-digit BLS area code, like 0000000 for the nation"),
        ))
    }
}

fn soc_path(raw: &str) -> Result<SocCode, ApiError> {
    SocCode::parse(raw)
        .map_err(|error| ApiError::invalid_field("path.soc", error.code, error.message))
}

fn occupation_not_found(code: &SocCode) -> ApiError {
    ApiError::new(
        Code::OccupationNotFound,
        format!("no occupation has the SOC code `{code}`"),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct OccupationsQuery {
    /// Only occupations a search for this text finds (as `GET /search` does;
    /// the list keeps its code order): 1 to 200 characters once trimmed.
    #[param(example = "software developers")]
    q: Option<String>,
    /// Only occupations of this SOC group.
    #[param(value_type = Option<String>, pattern = "^(total|major|minor|broad|detailed)$", example = "detailed")]
    group: Option<String>,
    /// Only the occupations directly under this one.
    #[param(example = "15-1250", pattern = "^[0-9]{2}-[0-9]{4}$")]
    parent: Option<String>,
    /// Occupations per page, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20, example = 20)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page, as it was given.
    cursor: Option<String>,
}

/// List occupations
///
/// SOC occupations in code order, a page at a time, filtered by group,
/// parent or text (`q`); `GET /search?type=occupation` ranks them by relevance.
#[utoipa::path(
    tag = TAG,
    params(OccupationsQuery),
    responses((status = 200, description = "A page of occupations", body = OccupationList), QueryErrors)
)]
#[get("/occupations")]
async fn list_occupations(
    pool: web::Data<Pool>,
    documents: web::Data<crate::documents::RoleDocuments>,
    query: web::Query<OccupationsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let search = params.read("q", query.q.as_deref(), SearchQuery::parse);
    let mut filter = OccupationFilter {
        group: params.read("group", query.group.as_deref(), one_of(GROUPS)),
        parent: params
            .read("parent", query.parent.as_deref(), SocCode::parse)
            .map(|code| code.as_str().to_owned()),
        codes: None,
    };
    let page = params.page(query.limit.as_deref(), query.cursor.as_deref());
    params.finish()?;
    let client = pool.get().await.map_err(StorageError::from)?;
    if let Some(search) = &search {
        filter.codes = Some(
            match super::search::prepare(&client, &documents, search).await? {
                Some((terms, _)) => {
                    storage::search::matching_occupation_codes(&client, &terms).await?
                }
                None => Vec::new(),
            },
        );
    }
    let (items, more) = storage::occupations::list(&*client, &filter, &page).await?;
    let (next_cursor, mut response) =
        next_page(&request, more, items.last().map(|item| item.code.as_str()));
    Ok(response.json(OccupationList { items, next_cursor }))
}

/// Get an occupation
///
/// Its place in the SOC hierarchy, the roles that fall under it, and its
/// national wages in the newest release.
#[utoipa::path(
    tag = TAG,
    params(("soc" = String, Path, description = "The SOC 2018 code", example = "15-1252", pattern = "^[0-9]{2}-[0-9]{4}$")),
    responses((status = 200, description = "The occupation", body = OccupationDetail), LookupErrors)
)]
#[get("/occupations/{soc}")]
async fn get_occupation(
    pool: web::Data<Pool>,
    soc: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = soc_path(&soc)?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let (occupation, parent_occupation, children, roles) =
        storage::occupations::find(&*client, code.as_str())
            .await?
            .ok_or_else(|| occupation_not_found(&code))?;
    let national_wages = wages(
        &*client,
        code.as_str(),
        &WageFilter {
            area_kind: Some("nation"),
            ..WageFilter::default()
        },
    )
    .await?;
    Ok(respond(
        &OccupationDetail {
            occupation,
            parent_occupation,
            children,
            roles,
            national_wages,
        },
        None,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct WagesQuery {
    /// Only this area (a 7-digit BLS code; `0000000` is the nation).
    #[param(example = "0000000", pattern = "^[0-9]{7}$")]
    area: Option<String>,
    /// Only areas of this kind.
    #[param(value_type = Option<String>, pattern = "^(nation|state|metro)$", example = "state")]
    area_kind: Option<String>,
    /// The OEWS release; the newest imported by default.
    #[param(example = "2025A01", pattern = "^[0-9]{4}A01$")]
    release: Option<String>,
    /// Sort by the annual median, the annual mean or employment (absent figures last).
    #[param(value_type = Option<String>, pattern = "^(median|mean|employment)$", example = "median")]
    sort: Option<String>,
    /// `desc` (the default with `sort`) or `asc`.
    #[param(value_type = Option<String>, pattern = "^(asc|desc)$", example = "desc")]
    order: Option<String>,
}

/// An occupation's wages by area
///
/// Every area's figures for the occupation in one release, so "which states
/// pay a Software Developer most" is one call:
/// `?area_kind=state&sort=median`.
#[utoipa::path(
    tag = TAG,
    params(("soc" = String, Path, description = "The SOC 2018 code", example = "15-1252", pattern = "^[0-9]{2}-[0-9]{4}$"), WagesQuery),
    responses((status = 200, description = "The wages, one entry per area", body = WageList), LookupErrors, QueryErrors)
)]
#[get("/occupations/{soc}/wages")]
async fn get_occupation_wages(
    pool: web::Data<Pool>,
    soc: web::Path<String>,
    query: web::Query<WagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let code = soc_path(&soc)?;
    let mut params = Params::new();
    let filter = WageFilter {
        area: params.read("area", query.area.as_deref(), area_code),
        area_kind: params.read("area_kind", query.area_kind.as_deref(), one_of(AREA_KINDS)),
        release: params.read("release", query.release.as_deref(), |raw| {
            crate::oews::Release::parse(raw, None).map(|release| release.code)
        }),
        sort: params.read(
            "sort",
            query.sort.as_deref(),
            one_of(&["median", "mean", "employment"]),
        ),
        descending: params
            .read("order", query.order.as_deref(), one_of(&["asc", "desc"]))
            .is_none_or(|order| order == "desc"),
    };
    params.finish()?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let (occupation, ..) = storage::occupations::find(&*client, code.as_str())
        .await?
        .ok_or_else(|| occupation_not_found(&code))?;
    let items = wages(&*client, code.as_str(), &filter).await?;
    Ok(respond(
        &WageList {
            occupation: OccupationRef {
                code: occupation.code,
                title: occupation.title,
            },
            items,
        },
        None,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AreasQuery {
    /// Only areas of this kind.
    #[param(value_type = Option<String>, pattern = "^(nation|state|metro)$", example = "state")]
    kind: Option<String>,
    /// Only areas of this state (2-digit FIPS code).
    #[param(example = "06", pattern = "^[0-9]{2}$")]
    state: Option<String>,
    /// Areas per page, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20, example = 20)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page, as it was given.
    cursor: Option<String>,
}

/// List areas
///
/// The areas wage imports have described: the nation, states and
/// territories, metropolitan areas.
#[utoipa::path(
    tag = TAG,
    params(AreasQuery),
    responses((status = 200, description = "A page of areas", body = AreaList), QueryErrors)
)]
#[get("/areas")]
async fn list_areas(
    pool: web::Data<Pool>,
    query: web::Query<AreasQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let kind = params.read("kind", query.kind.as_deref(), one_of(AREA_KINDS));
    let state = params.read("state", query.state.as_deref(), |raw| {
        (raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_digit()))
            .then(|| raw.to_owned())
            .ok_or_else(|| {
                InvalidValue::new(
                    "invalid_state",
                    format!("`{raw}` is not a 2-digit FIPS state code"),
                )
            })
    });
    let page = params.page(query.limit.as_deref(), query.cursor.as_deref());
    params.finish()?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let (items, more) = areas(&*client, kind, state.as_deref(), &page).await?;
    let (next_cursor, mut response) =
        next_page(&request, more, items.last().map(|item| item.code.as_str()));
    Ok(response.json(AreaList { items, next_cursor }))
}

/// Get an area
#[utoipa::path(
    tag = TAG,
    params(("code" = String, Path, description = "The 7-digit BLS area code", example = "0000000", pattern = "^[0-9]{7}$")),
    responses((status = 200, description = "The area", body = AreaRef), LookupErrors)
)]
#[get("/areas/{code}")]
async fn get_area(
    pool: web::Data<Pool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = area_code(&code)
        .map_err(|error| ApiError::invalid_field("path.code", error.code, error.message))?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let area = storage::occupations::area_by_code(&*client, &code)
        .await?
        .ok_or_else(|| {
            ApiError::new(Code::AreaNotFound, format!("no area has the code `{code}`"))
        })?;
    Ok(respond(&area, None))
}

/// What data the service holds
///
/// The knowledge base (its version and digest, counts, when it was loaded
/// and last changed), each
/// imported OEWS release (when, how many rows, which kinds of area), and the
/// schema version: how fresh the figures are.
#[utoipa::path(
    tag = TAG,
    responses((status = 200, description = "The service's data", body = Meta), ServiceErrors)
)]
#[get("/meta")]
async fn get_meta(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let digest = storage::knowledge_base::export(&mut client).await?.digest();
    let row = client
        .query_one(
            "SELECT (SELECT COALESCE(max(version), 0) FROM refinery_schema_history),
                    (SELECT count(*) FROM roles), (SELECT count(*) FROM skills),
                    (SELECT count(*) FROM sources),
                    (SELECT max(changed_at) FROM changes WHERE kind = 'knowledge_base.loaded'),
                    (SELECT max(changed_at) FROM changes WHERE kind <> 'dataset.imported'),
                    (SELECT COALESCE(max(position), 0) FROM changes WHERE kind <> 'dataset.imported')",
            &[],
        )
        .await
        .map_err(StorageError::from)?;
    let oews = storage::occupations::releases(&*client).await?;
    Ok(respond(
        &Meta {
            schema_version: row.get(0),
            knowledge_base: KnowledgeBaseMeta {
                version: row.get(6),
                digest,
                roles: row.get(1),
                skills: row.get(2),
                sources: row.get(3),
                loaded_at: row.get(4),
                changed_at: row.get(5),
            },
            oews,
        },
        None,
    ))
}
