//! `/normalize/titles` and `/normalize/title`: which role a job posting's
//! title names, with the seniority it states, its occupation, what did not
//! count, and a confidence; below the threshold, no role and why.
//!
//! The matching runs in memory (`rolebase_domain::titles`) over the roles'
//! names, the occupations and the search synonyms, read once and kept until
//! the next change (the change notifications move `RoleDocuments`' epoch).

use super::{ApiError, FieldError, QueryErrors, params::Params, respond};
use crate::documents::RoleDocuments;
use crate::storage::{self, StorageError, titles::RoleNamesRow};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use deadpool_postgres::Pool;
use rolebase_domain::titles::{IgnoredText, RoleNames, TitleIndex, TitleSeniority};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub const TAG: &str = "normalize";

/// Below this confidence a title names no role: a wrong confident answer
/// is worse than "unknown".
pub const ROLE_THRESHOLD: f64 = 0.6;
/// Below this, an occupation is not named either.
pub const OCCUPATION_THRESHOLD: f64 = 0.6;
/// Alternatives shown at most, and the least confidence worth showing.
const ALTERNATIVES: usize = 3;
const ALTERNATIVE_THRESHOLD: f64 = 0.3;

pub const MAX_TITLES: usize = 500;
pub const MAX_TITLE_CHARS: usize = 200;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(normalize_titles).service(normalize_title);
}

/// A role a title may name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TitleRole {
    pub id: Uuid,
    #[schema(example = "technical-lead")]
    pub slug: String,
    #[schema(example = "Technical Lead")]
    pub title: String,
    /// From 0 to 1: how much of the title and of the role's closest name agree.
    #[schema(example = 0.86)]
    pub confidence: f64,
}

/// A SOC 2018 occupation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TitleOccupation {
    #[schema(example = "15-1252")]
    pub code: String,
    /// Its BLS title; absent when the occupation's wages are not imported.
    #[schema(example = "Software Developers")]
    pub title: Option<String>,
}

/// What a title says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormalizedTitle {
    /// The title as sent.
    #[schema(example = "Sr. Java Tech Lead (Remote, EU)")]
    pub input: String,
    /// The role it names; `null` when none is confident enough (see `reason`).
    pub role: Option<TitleRole>,
    /// Why `role` is `null`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(null))]
    pub reason: Option<String>,
    /// Up to 3 other roles it may name, best first.
    pub alternatives: Vec<TitleRole>,
    /// The occupation: the role's, or when no role fits, the imported
    /// occupation whose title fits best (`null` when none does).
    pub occupation: Option<TitleOccupation>,
    /// The seniority the title's words state: a grade word (junior, senior,
    /// staff, principal) first, then a level numeral (II → mid), then a
    /// position word (lead, head, director, VP, chief). `null` when none does.
    pub seniority: Option<TitleSeniority>,
    /// The words that did not count, with why.
    pub ignored: Vec<IgnoredText>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NormalizedTitles {
    /// One result per title, in the order sent.
    pub results: Vec<NormalizedTitle>,
}

/// Titles to normalize.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
struct TitlesBody {
    /// 1 to 500 titles, each 1 to 200 characters once trimmed.
    #[schema(example = json!(["Sr. Java Tech Lead (Remote, EU)", "Eng Mgr II", "Technical Director – Live Broadcast", "Registered Nurse"]), min_items = 1, max_items = 500)]
    titles: Vec<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct TitleParams {
    /// A job title as a posting has it; 1 to 200 characters once trimmed.
    #[param(required = true, example = "Staff SWE, Payments (Remote - US)")]
    q: Option<String>,
}

/// The index, and what its keys stand for.
struct Catalogue {
    index: TitleIndex,
    roles: Vec<RoleNamesRow>,
    occupations: Vec<(String, String)>,
}

/// The catalogue, kept until the next change.
#[derive(Default)]
pub struct TitleCatalogue {
    kept: Mutex<Option<(u64, Arc<Catalogue>)>>,
}

impl TitleCatalogue {
    async fn current(
        &self,
        pool: &Pool,
        documents: &RoleDocuments,
    ) -> Result<Arc<Catalogue>, StorageError> {
        let epoch = documents.epoch();
        if documents.is_live()
            && let Some((kept_epoch, catalogue)) =
                self.kept.lock().ok().and_then(|kept| kept.clone())
            && kept_epoch == epoch
        {
            return Ok(catalogue);
        }
        let client = pool.get().await?;
        let (roles, occupations, synonyms) = tokio::try_join!(
            storage::titles::role_names(&client),
            storage::titles::occupations(&client),
            storage::search::synonyms(&client),
        )?;
        let index = TitleIndex::new(
            roles
                .iter()
                .enumerate()
                .map(|(key, role)| RoleNames {
                    key,
                    titles: std::iter::once(role.title.as_str())
                        .chain(role.alternative_titles.iter().map(String::as_str))
                        .collect(),
                    production: role.family == "media-production",
                    seniority: role.seniority.parse().ok(),
                })
                .collect(),
            occupations
                .iter()
                .enumerate()
                .map(|(key, (_, title))| (key, title.as_str()))
                .collect(),
            &synonyms,
        );
        let catalogue = Arc::new(Catalogue {
            index,
            roles,
            occupations,
        });
        // Kept only if nothing changed while it was read.
        if documents.is_live()
            && documents.epoch() == epoch
            && let Ok(mut kept) = self.kept.lock()
        {
            *kept = Some((epoch, catalogue.clone()));
        }
        Ok(catalogue)
    }
}

impl Catalogue {
    fn normalize(&self, input: &str) -> NormalizedTitle {
        let found = self.index.match_title(input);
        let role_of = |scored: &rolebase_domain::titles::Scored| {
            let role = &self.roles[scored.key];
            TitleRole {
                id: role.id,
                slug: role.slug.clone(),
                title: role.title.clone(),
                confidence: (scored.confidence * 100.0).round() / 100.0,
            }
        };
        let best = found
            .roles
            .first()
            .filter(|best| best.confidence >= ROLE_THRESHOLD);
        let reason = match (best, found.roles.first()) {
            (Some(_), _) => None,
            (None, Some(closest)) => Some(format!(
                "no role matches well enough: the closest, {}, scores {:.2}, under the threshold of {ROLE_THRESHOLD}",
                self.roles[closest.key].title, closest.confidence
            )),
            (None, None) => Some("no role shares a word with this title".to_owned()),
        };
        let occupation = match best {
            Some(best) => self.roles[best.key]
                .soc_code
                .as_ref()
                .map(|code| TitleOccupation {
                    code: code.clone(),
                    title: self
                        .occupations
                        .iter()
                        .find(|(known, _)| known == code)
                        .map(|(_, title)| title.clone()),
                }),
            None => self
                .index
                .best_occupation(&found.read)
                .filter(|occupation| occupation.confidence >= OCCUPATION_THRESHOLD)
                .map(|occupation| {
                    let (code, title) = &self.occupations[occupation.key];
                    TitleOccupation {
                        code: code.clone(),
                        title: Some(title.clone()),
                    }
                }),
        };
        NormalizedTitle {
            input: input.to_owned(),
            role: best.map(role_of),
            reason,
            alternatives: found
                .roles
                .iter()
                .skip(usize::from(best.is_some()))
                .filter(|scored| scored.confidence >= ALTERNATIVE_THRESHOLD)
                .take(ALTERNATIVES)
                .map(role_of)
                .collect(),
            occupation,
            seniority: found.read.seniority,
            ignored: found.read.ignored,
        }
    }
}

/// A title as sent, checked: 1 to 200 characters once trimmed.
fn check_title(title: &str) -> Result<&str, (&'static str, String)> {
    let trimmed = title.trim();
    let length = trimmed.chars().count();
    if length == 0 {
        return Err(("empty", "must not be empty or only spaces".to_owned()));
    }
    if length > MAX_TITLE_CHARS {
        return Err((
            "too_long",
            format!("must be at most {MAX_TITLE_CHARS} characters once trimmed, got {length}"),
        ));
    }
    Ok(trimmed)
}

/// The titles of a body, or every reason it is refused, each by JSON pointer.
fn read_titles(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<String>, ApiError> {
    let refuse = super::body::invalid_body;
    if let Some(unknown) = object.keys().find(|key| *key != "titles") {
        return Err(refuse(vec![FieldError::new(
            format!("/{unknown}"),
            "unknown_field",
            format!("unknown field `{unknown}`: the body has only `titles`"),
        )]));
    }
    let Some(titles) = object.get("titles") else {
        return Err(refuse(vec![FieldError::new(
            "/titles",
            "required",
            "titles is required: a list of 1 to 500 job titles",
        )]));
    };
    let Some(titles) = titles.as_array() else {
        return Err(refuse(vec![FieldError::new(
            "/titles",
            "invalid_type",
            "titles must be a list of strings",
        )]));
    };
    if titles.is_empty() || titles.len() > MAX_TITLES {
        return Err(refuse(vec![FieldError::new(
            "/titles",
            if titles.is_empty() {
                "too_few"
            } else {
                "too_many"
            },
            format!(
                "titles must hold 1 to {MAX_TITLES} titles, got {}",
                titles.len()
            ),
        )]));
    }
    let mut errors = Vec::new();
    let mut read = Vec::with_capacity(titles.len());
    for (at, title) in titles.iter().enumerate() {
        let field = format!("/titles/{at}");
        match title.as_str().map(check_title) {
            Some(Ok(title)) => read.push(title.to_owned()),
            Some(Err((code, message))) => errors.push(FieldError::new(field, code, message)),
            None => errors.push(FieldError::new(field, "invalid_type", "must be a string")),
        }
    }
    if errors.is_empty() {
        Ok(read)
    } else {
        Err(refuse(errors))
    }
}

/// Normalize job titles
///
/// For each title, in order: the role it names with a confidence (0 to 1;
/// `null` below 0.6, with the reason), up to 3 alternatives, the SOC
/// occupation (the role's, or the imported occupation that fits best when
/// no role does), the seniority its words state, and the words that did not
/// count with why (location, work arrangement, employment type, level,
/// requisition number, department, gender notation). Uses the search's
/// abbreviations (`sr`, `swe`, `mgr`, …) and forgives a typo per word.
/// Needs no API key.
#[utoipa::path(
    tag = TAG,
    request_body(content = TitlesBody, description = "1 to 500 titles"),
    responses(
        (status = 200, description = "One result per title, in order", body = NormalizedTitles),
        (status = 400, description = "The body is not JSON", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A title is refused; `errors` names each by its index (`/titles/3`)", body = super::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database cannot be reached", body = super::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/normalize/titles")]
async fn normalize_titles(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    catalogue: web::Data<TitleCatalogue>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Read as every body is: JSON only, at most 256 KiB (413 and 415 as documented).
    let sent = super::body::read_json(&request, payload, super::body::JSON).await?;
    // `read_json` refused anything but an object.
    let empty = serde_json::Map::new();
    let titles = read_titles(sent.value.as_object().unwrap_or(&empty))?;
    let catalogue = catalogue.current(&pool, &documents).await?;
    let results = titles
        .iter()
        .map(|title| catalogue.normalize(title))
        .collect();
    Ok(HttpResponse::Ok().json(NormalizedTitles { results }))
}

/// Normalize one job title
///
/// What `POST /normalize/titles` says of one title, as a read: it carries
/// an `ETag` like every read.
#[utoipa::path(
    tag = TAG,
    params(TitleParams),
    responses((status = 200, description = "What the title says", body = NormalizedTitle), QueryErrors)
)]
#[get("/normalize/title")]
async fn normalize_title(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    catalogue: web::Data<TitleCatalogue>,
    query: web::Query<TitleParams>,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let title = params.required("q", query.q.as_deref(), |raw| {
        check_title(raw)
            .map(str::to_owned)
            .map_err(|(code, message)| rolebase_domain::InvalidValue::new(code, message))
    });
    params.finish()?;
    let Some(title) = title else {
        unreachable!("finish() refuses a missing q")
    };
    let catalogue = catalogue.current(&pool, &documents).await?;
    Ok(respond(&catalogue.normalize(&title), None))
}
