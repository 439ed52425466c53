//! `/search`: the role (or skill, or occupation) a person means, from what
//! they typed: ranked, tolerant of typos and abbreviations.

use super::{ApiError, QueryErrors, params::Params, respond};
use crate::documents::RoleDocuments;
use crate::storage::{
    self, Pooled, StorageError,
    search::{Kinds, Match, SearchTerms},
};
use crate::views::{SearchHit, SearchResults};
use actix_web::{HttpRequest, HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::{
    MatchedField, SearchKind,
    search::{SearchQuery, coverage, is_stop_word, snippet, tsquery},
};
use serde::Deserialize;
use std::sync::Arc;

use utoipa::IntoParams;

pub const TAG: &str = "search";

pub const DEFAULT_LIMIT: i64 = 10;
pub const MAX_LIMIT: i64 = 50;
const SNIPPET_CHARS: usize = 160;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(search);
}

/// Documents the parameters; they are read from the query string by hand,
/// since `type` may repeat.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SearchParams {
    /// What to look for: a title, an abbreviation, a skill; 1 to 200 characters
    /// once trimmed.
    #[param(required = true, example = "tech lead")]
    q: Option<String>,
    /// The kinds of hit wanted; repeat for several (`type=role&type=skill`),
    /// or separate them with commas. Without it: roles and skills.
    #[param(rename = "type", value_type = Option<Vec<SearchKind>>, style = Form, explode = true)]
    kind: Option<String>,
    /// Hits to return, 1 to 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 50, default = 10, example = 10)]
    limit: Option<String>,
}

/// Search
///
/// Ranked hits across role titles and alternative titles, summaries, skills
/// and descriptions (in that order of weight), skill names and occupation
/// titles. Misspellings and the field's usual abbreviations (`eng`, `mgr`,
/// `tl`, `sr`, …) still find what was meant; the last word matches as a prefix.
#[utoipa::path(
    tag = TAG,
    params(SearchParams),
    responses((status = 200, description = "The hits, best first", body = SearchResults), QueryErrors)
)]
#[get("/search")]
async fn search(
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(request.query_string())
        .map_err(|error| ApiError::invalid_field("query", "invalid_query", error.to_string()))?;
    let (mut q, mut kinds, mut limit) = (None, Vec::new(), None);
    for (name, value) in &pairs {
        match name.as_str() {
            "q" if q.is_none() => q = Some(value.as_str()),
            // Repeated, as documented, or separated by commas: both are lists.
            "type" => kinds.extend(value.split(',').map(str::trim)),
            "limit" if limit.is_none() => limit = Some(value.as_str()),
            "q" | "limit" => {
                return Err(ApiError::invalid_field(
                    format!("query.{name}"),
                    "repeated",
                    format!("{name} is given more than once"),
                ));
            }
            other => {
                return Err(ApiError::invalid_field(
                    format!("query.{other}"),
                    "unknown_parameter",
                    format!("unknown parameter `{other}`: use q, type, limit"),
                ));
            }
        }
    }
    let mut params = Params::new();
    let query = params.required("q", q, SearchQuery::parse);
    let mut wanted: Vec<SearchKind> = kinds
        .iter()
        .filter_map(|kind| params.choice("type", Some(kind)))
        .collect();
    let limit = params.whole_number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    params.finish()?;
    let Some(query) = query else {
        unreachable!("finish() refuses a missing q")
    };
    if wanted.is_empty() {
        wanted = vec![SearchKind::Role, SearchKind::Skill];
    }
    // `type=role&type=skill&type=role` asks for roles once.
    wanted.sort();
    wanted.dedup();
    let client = pool.get().await.map_err(StorageError::from)?;
    let items = find(&client, &documents, &query, &wanted, limit).await?;
    Ok(respond(
        &SearchResults {
            query: query.text().to_owned(),
            items,
        },
        None,
    ))
}

/// The prepared terms of a query, with its abbreviations expanded; `None`
/// when it has no word to look for (only punctuation).
pub async fn prepare(
    client: &Pooled,
    documents: &RoleDocuments,
    query: &SearchQuery,
) -> Result<Option<(SearchTerms, Vec<String>)>, StorageError> {
    let synonyms = match documents.synonyms() {
        Some(synonyms) => synonyms,
        None => {
            let epoch = documents.epoch();
            let synonyms = Arc::new(storage::search::synonyms(client).await?);
            documents.keep_synonyms(epoch, synonyms.clone());
            synonyms
        }
    };
    let expanded = query.expanded(&synonyms);
    if expanded.is_empty() {
        return Ok(None);
    }
    let terms = SearchTerms {
        all: tsquery(&expanded, true, ""),
        any: tsquery(&expanded, false, ""),
        headline: tsquery(&expanded, true, "AB"),
        fuzzy: expanded.join(" "),
    };
    let mut marks: Vec<String> = query
        .words()
        .iter()
        .chain(&expanded)
        .filter(|word| !is_stop_word(word))
        .map(|word| stem(word))
        .collect();
    marks.sort();
    marks.dedup();
    Ok(Some((terms, marks)))
}

/// A word cut back to what its other forms share, for marking matches:
/// `developers` marks `developer`, `managers` marks `manager`.
fn stem(word: &str) -> String {
    let length = word.chars().count();
    let keep = length.min(4.max(length.saturating_sub(2)));
    word.chars().take(keep).collect()
}

async fn find(
    client: &Pooled,
    documents: &RoleDocuments,
    query: &SearchQuery,
    kinds: &[SearchKind],
    limit: i64,
) -> Result<Vec<SearchHit>, StorageError> {
    let Some((terms, marks)) = prepare(client, documents, query).await? else {
        return Ok(Vec::new());
    };
    let wanted = Kinds {
        roles: kinds.contains(&SearchKind::Role),
        skills: kinds.contains(&SearchKind::Skill),
        occupations: kinds.contains(&SearchKind::Occupation),
    };
    let mut hits = Vec::new();
    for found in storage::search::find(client, &terms, wanted, limit).await? {
        hits.push(match found {
            Match::Role(role) => {
                let mut fields = vec![(MatchedField::Title, role.title.as_str())];
                fields.extend(
                    role.alternative_titles
                        .iter()
                        .map(|title| (MatchedField::AlternativeTitle, title.as_str())),
                );
                fields.extend([
                    (MatchedField::Summary, role.summary.as_str()),
                    (MatchedField::Skill, role.skills.as_str()),
                    (MatchedField::Description, role.description.as_str()),
                ]);
                let (matched_field, snippet) = best_field(&fields, &marks);
                SearchHit {
                    kind: SearchKind::Role,
                    id: Some(role.id),
                    href: format!("/roles/{}", role.slug),
                    slug: Some(role.slug),
                    code: None,
                    title: role.title,
                    score: role.score,
                    matched_field,
                    snippet,
                }
            }
            Match::Skill(skill) => {
                let fields = [
                    (MatchedField::Title, skill.name.as_str()),
                    (MatchedField::Description, skill.description.as_str()),
                ];
                let (matched_field, snippet) = best_field(&fields, &marks);
                SearchHit {
                    kind: SearchKind::Skill,
                    id: Some(skill.id),
                    href: format!("/skills/{}", skill.slug),
                    slug: Some(skill.slug),
                    code: None,
                    title: skill.name,
                    score: skill.score,
                    matched_field,
                    snippet,
                }
            }
            Match::Occupation(occupation) => {
                let (matched_field, snippet) =
                    best_field(&[(MatchedField::Title, occupation.title.as_str())], &marks);
                SearchHit {
                    kind: SearchKind::Occupation,
                    id: None,
                    slug: None,
                    href: format!("/occupations/{}", occupation.code),
                    code: Some(occupation.code),
                    title: occupation.title,
                    score: occupation.score,
                    matched_field,
                    snippet,
                }
            }
        });
    }
    for hit in &mut hits {
        hit.score = (hit.score * 10_000.0).round() / 10_000.0;
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.title.cmp(&b.title))
    });
    hits.truncate(limit as usize);
    Ok(hits)
}

/// The field that mentions the most query words (the weightier field on a
/// tie), with its snippet; a hit found only by similarity shows its title.
fn best_field(fields: &[(MatchedField, &str)], marks: &[String]) -> (MatchedField, String) {
    let mut best: Option<(usize, &(MatchedField, &str))> = None;
    for field in fields {
        let covered = coverage(field.1, marks);
        if covered > 0 && best.is_none_or(|(most, _)| covered > most) {
            best = Some((covered, field));
        }
    }
    match best {
        Some((_, (field, text))) => (*field, snippet(text, marks, SNIPPET_CHARS)),
        None => (
            MatchedField::Title,
            snippet(fields[0].1, &[], SNIPPET_CHARS),
        ),
    }
}
