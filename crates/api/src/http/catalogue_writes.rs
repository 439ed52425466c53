//! Writing the shared catalogue: skills and sources. Every role that names
//! one shows it, so these need an API key with the `admin` scope.

use super::{
    ApiError, Code, FieldError, WriteErrors,
    auth::{Admin, Authorized},
    body::{self, JSON},
    catalogue::TAG,
    role_input::{Refusals, date},
    writes::{self, Answer, Begun, Outcome, RetryHeader},
};
use crate::storage::{
    StorageError,
    catalogue_writes::{self, CatalogueWriteError},
};
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, put, web};
use deadpool_postgres::Pool;
use rolebase_domain::{Skill, Slug, Source, Text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_skill)
        .service(put_skill)
        .service(create_source);
}

/// A skill of the shared catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillInput {
    #[schema(
        example = "platform-engineering",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 100
    )]
    pub slug: String,
    #[schema(example = "Platform engineering", min_length = 1, max_length = 80)]
    pub name: String,
    #[schema(value_type = rolebase_domain::SkillKind)]
    pub kind: String,
    #[schema(
        example = "Building the internal platform other teams ship on.",
        min_length = 1,
        max_length = 500
    )]
    pub description: String,
}

impl SkillInput {
    fn into_skill(self) -> Result<Skill, ApiError> {
        let mut r = Refusals::default();
        let slug = r.take("/slug", Slug::parse(&self.slug));
        let name = r.take("/name", Text::parse(&self.name));
        let kind = r.parse("/kind", &self.kind);
        let description = r.take("/description", Text::parse(&self.description));
        r.finish()?;
        Ok(Skill {
            slug: slug.expect("checked"),
            name: name.expect("checked"),
            kind: kind.expect("checked"),
            description: description.expect("checked"),
        })
    }
}

/// An article or dataset that curated facts come from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    #[schema(
        example = "bls-oews-2025",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 100
    )]
    pub key: String,
    #[schema(
        example = "Occupational Employment and Wage Statistics, May 2025",
        min_length = 1,
        max_length = 300
    )]
    pub title: String,
    #[schema(example = "U.S. Bureau of Labor Statistics", max_length = 200)]
    pub publisher: Option<String>,
    /// An http(s) address.
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub published: Option<String>,
    /// When the source was last revised, if it says so.
    #[schema(value_type = Option<String>, format = Date)]
    pub updated: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub retrieved: Option<String>,
}

impl SourceInput {
    fn into_source(self) -> Result<Source, ApiError> {
        let mut r = Refusals::default();
        let key = r.take("/key", Slug::parse(&self.key));
        let title = r.take("/title", Text::parse(&self.title));
        let publisher = self
            .publisher
            .as_deref()
            .map(|raw| r.take("/publisher", Text::parse(raw)));
        let url = self
            .url
            .as_deref()
            .map(|raw| r.take("/url", Text::parse(raw)));
        let published = self
            .published
            .as_deref()
            .map(|raw| r.take("/published", date(raw)));
        let updated = self
            .updated
            .as_deref()
            .map(|raw| r.take("/updated", date(raw)));
        let retrieved = self
            .retrieved
            .as_deref()
            .map(|raw| r.take("/retrieved", date(raw)));
        r.finish()?;
        let source = Source {
            key: key.expect("checked"),
            title: title.expect("checked"),
            publisher: publisher.flatten(),
            url: url.flatten(),
            published: published.flatten(),
            updated: updated.flatten(),
            retrieved: retrieved.flatten(),
        };
        if let Err((field, error)) = source.check() {
            return Err(body::invalid_body(vec![FieldError::new(
                format!("/{field}"),
                error.code,
                error.message,
            )]));
        }
        Ok(source)
    }
}

fn taken(error: CatalogueWriteError, what: &str, field: &str) -> ApiError {
    match error {
        CatalogueWriteError::Taken(key) => ApiError::with_errors(
            Code::DuplicateSlug,
            format!("the {field} `{key}` is taken by another {what}"),
            vec![FieldError::new(
                format!("/{field}"),
                "duplicate_slug",
                format!("`{key}` is taken"),
            )],
        ),
        CatalogueWriteError::Storage(error) => error.into(),
    }
}

/// Add a skill
///
/// Adds a skill to the shared catalogue, for roles to link. Needs an API key
/// with the `admin` scope.
#[utoipa::path(
    tag = TAG,
    request_body(content = SkillInput, content_type = "application/json"),
    params(RetryHeader),
    responses(
        (status = 201, description = "The skill was added", body = SkillInput,
         headers(("Location" = String, description = "The skill's address"))),
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/skills")]
async fn create_skill(
    auth: Authorized<Admin>,
    pool: web::Data<Pool>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let skill = body::decode::<SkillInput>(sent.value.clone())?.into_skill()?;
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let mut changes = Vec::new();
    let outcome = catalogue_writes::create_skill(&tx, &skill, auth.actor(), &mut changes)
        .await
        .map_err(|error| taken(error, "skill", "slug"))
        .map(|()| Outcome {
            answer: Answer::json(StatusCode::CREATED, &skill_body(&skill))
                .header("location", format!("/skills/{}", skill.slug)),
            changes,
        });
    run.settle(&pool, tx, outcome).await
}

fn skill_body(skill: &Skill) -> SkillInput {
    SkillInput {
        slug: skill.slug.to_string(),
        name: skill.name.as_str().to_owned(),
        kind: skill.kind.as_str().to_owned(),
        description: skill.description.as_str().to_owned(),
    }
}

/// Add or replace a skill
///
/// Replaces the skill with this slug, or adds it. Every role that links it
/// shows the change. Needs an API key with the `admin` scope.
#[utoipa::path(
    tag = TAG,
    params(
        ("slug" = String, Path, description = "The skill's slug", example = "mentoring"),
        RetryHeader
    ),
    request_body(content = SkillInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The skill was replaced", body = SkillInput),
        (status = 201, description = "The skill was added", body = SkillInput),
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[put("/skills/{slug}")]
async fn put_skill(
    auth: Authorized<Admin>,
    pool: web::Data<Pool>,
    slug: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let slug = Slug::parse(&slug)
        .map_err(|error| ApiError::invalid_field("path.slug", error.code, error.message))?;
    let sent = body::read_json(&request, payload, JSON).await?;
    let skill = body::decode::<SkillInput>(sent.value.clone())?.into_skill()?;
    if skill.slug != slug {
        return Err(body::invalid_body(vec![FieldError::new(
            "/slug",
            "mismatch",
            format!(
                "the body's slug `{}` is not the path's `{slug}`",
                skill.slug
            ),
        )]));
    }
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let mut changes = Vec::new();
    let outcome = catalogue_writes::put_skill(&tx, &skill, auth.actor(), &mut changes)
        .await
        .map_err(|error| taken(error, "skill", "slug"))
        .map(|created| {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Outcome {
                answer: Answer::json(status, &skill_body(&skill))
                    .header("location", format!("/skills/{}", skill.slug)),
                changes,
            }
        });
    run.settle(&pool, tx, outcome).await
}

/// Add a source
///
/// Adds an article or dataset that roles and figures can name. Needs an API
/// key with the `admin` scope.
#[utoipa::path(
    tag = TAG,
    request_body(content = SourceInput, content_type = "application/json"),
    params(RetryHeader),
    responses(
        (status = 201, description = "The source was added", body = SourceInput),
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/sources")]
async fn create_source(
    auth: Authorized<Admin>,
    pool: web::Data<Pool>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let input = body::decode::<SourceInput>(sent.value.clone())?;
    let source = input.clone().into_source()?;
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let mut changes = Vec::new();
    let outcome = catalogue_writes::create_source(&tx, &source, auth.actor(), &mut changes)
        .await
        .map_err(|error| taken(error, "source", "key"))
        .map(|()| Outcome {
            answer: Answer::json(StatusCode::CREATED, &input),
            changes,
        });
    run.settle(&pool, tx, outcome).await
}
