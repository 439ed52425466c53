//! What job boards put on their pages: a role as schema.org JSON-LD
//! (`/roles/{id}/jsonld`, or `Accept: application/ld+json` on the role) and a
//! ready-to-post job description in Markdown or HTML. Both are role
//! documents: tagged with the role's version, kept by the role cache.

use super::negotiation::{add_vary, preferred};
use super::roles::{Body, TAG, area_not_found, is_bls_area, representation_of, role_document};
use super::{ApiError, Code, RoleErrors, params::Params};
use crate::documents::RoleDocuments;
use crate::publishing::{
    AreaWages, NATION, Posting, PostingArea,
    job_description::{self, Format},
    jsonld::{self, JSON_LD, OccupationDocument},
};
use crate::storage::{
    self, Reads,
    children::{RequirementFilter, SalaryFilter},
    roles::RoleState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use deadpool_postgres::{Object, Pool};
use rolebase_domain::{InvalidValue, PostingSeniority, RoleRef};
use serde::Deserialize;
use utoipa::IntoParams;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(get_role_jsonld).service(get_job_description);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct JsonLdQuery {
    /// The BLS area (7 digits) whose wages `estimatedSalary` gives and
    /// `occupationLocation` names: `0600000` is California; the nation
    /// (`0000000`) unless given. See `GET /areas`.
    #[param(example = "0600000", pattern = "^[0-9]{7}$")]
    area: Option<String>,
}

/// Get a role as schema.org JSON-LD
///
/// The role as a schema.org `Occupation`, ready to embed in a page (`<script
/// type="application/ld+json">`): names, description, SOC 2018 and ISCO-08
/// codes as `CategoryCode`s, responsibilities, skills, education and
/// experience requirements, the area's wage distribution as
/// `estimatedSalary` (the curated figures when no imported wages cover the
/// area), the area as `occupationLocation`, and the sources as `citation`.
/// Figures the role lacks are left out, never zero. `GET /roles/{id}` with
/// `Accept: application/ld+json` gives the same document for the nation.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), JsonLdQuery),
    responses(
        (status = 200, description = "The role as a schema.org Occupation",
         content((OccupationDocument = "application/ld+json", example = json!(jsonld_example()))),
         headers(("Last-Modified" = String, description = "When the role last changed"))),
        (status = 404, description = "No role has this id, or no imported area this code", body = super::Problem, content_type = "application/problem+json"),
        RoleErrors
    )
)]
#[get("/roles/{id}/jsonld")]
async fn get_role_jsonld(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<JsonLdQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let area = params.read("area", query.area.as_deref(), parse_bls_area);
    let representation = representation_of(&request, "jsonld");
    occupation_document(
        &request,
        &documents,
        &pool,
        &id,
        &representation,
        area,
        params,
    )
    .await
}

/// The role as JSON-LD for `area`, for this path and for `GET /roles/{id}`
/// asked for `application/ld+json`.
pub(super) async fn occupation_document(
    request: &HttpRequest,
    documents: &RoleDocuments,
    pool: &Pool,
    raw_id: &str,
    representation: &str,
    area: Option<String>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let render = |client: Object, state: RoleState| async move {
        let posting = gather(&*client, state, area.as_deref(), None).await?;
        Body::serialized(JSON_LD, &jsonld::occupation(&posting))
    };
    role_document(
        request,
        documents,
        pool,
        raw_id,
        representation,
        params,
        render,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct JobDescriptionQuery {
    /// `markdown` or `html`; without it, `Accept` decides (`text/html` or
    /// `text/markdown`), and Markdown is the default.
    #[param(value_type = Option<String>, pattern = "^(markdown|html)$", example = "markdown")]
    format: Option<String>,
    /// The BLS area (7 digits) whose pay the description gives: `0600000` is
    /// California; the nation (`0000000`) unless given.
    #[param(example = "0600000", pattern = "^[0-9]{7}$")]
    area: Option<String>,
    /// The level the title advertises: `senior` makes "Senior Data Engineer".
    #[param(value_type = Option<PostingSeniority>)]
    seniority: Option<String>,
}

/// Get a job description for a role
///
/// A ready-to-post description of the role: its title (at the requested
/// `seniority`), summary, "What you will do" (responsibilities), "What you
/// bring" (required requirements, essential skills), "Nice to have"
/// (preferred requirements, optional skills), the area's pay (median and the
/// middle half, with the dataset and release; the curated figure when no
/// imported wages cover the area) and the sources. Every text is escaped for
/// its format. The HTML page carries the role's JSON-LD in its head.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), JobDescriptionQuery),
    responses(
        (status = 200, description = "The job description",
         content(
            (String = "text/markdown", example = json!(MARKDOWN_EXAMPLE)),
            (String = "text/html", example = json!(HTML_EXAMPLE))
         ),
         headers(("Last-Modified" = String, description = "When the role last changed"))),
        (status = 404, description = "No role has this id, or no imported area this code", body = super::Problem, content_type = "application/problem+json"),
        RoleErrors
    )
)]
#[get("/roles/{id}/job-description")]
async fn get_job_description(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    id: web::Path<String>,
    query: web::Query<JobDescriptionQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let format = params
        .read("format", query.format.as_deref(), parse_format)
        .unwrap_or_else(|| {
            match preferred(&request, &[Format::MARKDOWN_TYPE, Format::HTML_TYPE]) {
                Format::HTML_TYPE => Format::Html,
                _ => Format::Markdown,
            }
        });
    let area = params.read("area", query.area.as_deref(), parse_bls_area);
    let seniority = params.choice("seniority", query.seniority.as_deref());
    let representation = representation_of(&request, &format!("job-description.{}", format.name()));
    let render = |client: Object, state: RoleState| async move {
        let posting = gather(&*client, state, area.as_deref(), seniority).await?;
        let text = job_description::render(&posting, format).map_err(|error| {
            ApiError::new(
                Code::InternalError,
                format!("a job description did not render: {error}"),
            )
        })?;
        Ok(Body {
            content_type: format.content_type(),
            bytes: text.into_bytes(),
        })
    };
    let response = role_document(
        &request,
        &documents,
        &pool,
        &id,
        &representation,
        params,
        render,
    )
    .await?;
    Ok(varies_by_accept(response))
}

/// Marks an answer chosen by `Accept`, so caches keep one per media type.
pub(super) fn varies_by_accept(mut response: HttpResponse) -> HttpResponse {
    add_vary(response.headers_mut(), "accept");
    response
}

fn parse_format(raw: &str) -> Result<Format, InvalidValue> {
    match raw {
        "markdown" => Ok(Format::Markdown),
        "html" => Ok(Format::Html),
        other => Err(InvalidValue::new(
            "unknown_value",
            format!("`{other}` is not one of: markdown, html"),
        )),
    }
}

/// A BLS area code: 7 digits (`0000000`, the nation, is always known).
fn parse_bls_area(raw: &str) -> Result<String, InvalidValue> {
    if is_bls_area(raw) {
        Ok(raw.to_owned())
    } else {
        Err(InvalidValue::new(
            "invalid_area",
            format!("`{raw}` is not a BLS area code: 7 digits, like `0600000`"),
        ))
    }
}

/// Everything the role's published documents say, for `area`: every
/// statement goes out at once on the one connection, one round trip.
async fn gather(
    client: &impl Reads,
    state: RoleState,
    area: Option<&str>,
    seniority: Option<PostingSeniority>,
) -> Result<Posting, ApiError> {
    let area = area.filter(|code| *code != NATION);
    let id = state.link.id;
    let (role_id, all_salaries) = (RoleRef::Id(id), SalaryFilter::default());
    let named_area = async {
        match area {
            Some(code) => storage::occupations::area_by_code(client, code).await,
            None => Ok(None),
        }
    };
    let (
        named_area,
        role,
        responsibilities,
        requirements,
        skills,
        curated_salaries,
        wages,
        occupation_titles,
    ) = tokio::try_join!(
        named_area,
        storage::roles::find(client, &role_id),
        storage::children::responsibilities(client, id, None),
        storage::children::requirements(client, id, RequirementFilter::default()),
        storage::children::skills(client, id, None),
        storage::children::salaries(client, id, &all_salaries),
        storage::occupations::role_wages(client, id, area, None),
        storage::occupations::role_occupation_titles(client, id),
    )?;
    let place = match (area, named_area) {
        (None, _) => PostingArea::Nation,
        (Some(_), Some(found)) => PostingArea::Area(found),
        (Some(code), None) => return Err(area_not_found(code)),
    };
    let role = role.ok_or_else(|| ApiError::role_not_found(RoleRef::Id(id)))?;
    let wanted = area.unwrap_or(NATION);
    let wages = wages
        .into_iter()
        .find(|item| item.wage.area.code == wanted)
        .map(|item| AreaWages {
            occupation: item.occupation,
            wage: item.wage,
        });
    Ok(Posting {
        role,
        responsibilities,
        requirements,
        skills,
        curated_salaries,
        wages,
        area: place,
        occupation_titles,
        seniority,
    })
}

/// The OpenAPI document's example of a role's JSON-LD.
fn jsonld_example() -> serde_json::Value {
    serde_json::from_str(include_str!("examples/software-architect.jsonld"))
        .expect("the JSON-LD example is JSON")
}

const MARKDOWN_EXAMPLE: &str = include_str!("examples/software-architect.md");
const HTML_EXAMPLE: &str = include_str!("examples/software-architect.html");
