//! `/career-paths`: the shortest routes from one role to another.

use super::{ApiError, Problem, QueryErrors, params::Params, respond, roles::named_role};
use crate::storage::{self, StorageError};
use crate::views::{RoleLink, Route, RouteList, RouteStep};
use actix_web::{HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::{RoleRef, career::shortest_routes};
use serde::Deserialize;
use utoipa::IntoParams;

pub const TAG: &str = "career";

pub const DEFAULT_MAX_STEPS: i64 = 5;
pub const MOST_STEPS: i64 = 10;
/// Enough to show the alternatives without flooding a page.
const MOST_ROUTES: usize = 20;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(find_routes);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RoutesQuery {
    /// The role to start from, by slug or UUID.
    #[param(required = true, example = "senior-software-developer")]
    from: Option<String>,
    /// The role to reach, by slug or UUID. A role has no route to itself.
    #[param(required = true, example = "engineering-manager")]
    to: Option<String>,
    /// The longest route to look for, in steps (1 to 10).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 10, default = 5, example = 5)]
    max_steps: Option<String>,
}

/// Find career routes
///
/// The shortest routes from one role to another over the curated career
/// steps: every route tied for shortest (up to 20), none when the target is out
/// of reach within `max_steps`.
#[utoipa::path(
    tag = TAG,
    params(RoutesQuery),
    responses(
        (status = 200, description = "The shortest routes; an empty list when there is none", body = RouteList),
        (status = 404, description = "`from` or `to` names no role", body = Problem, content_type = "application/problem+json"),
        QueryErrors
    )
)]
#[get("/career-paths")]
async fn find_routes(
    pool: web::Data<Pool>,
    query: web::Query<RoutesQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let from = params.required("from", query.from.as_deref(), RoleRef::parse);
    let to = params.required("to", query.to.as_deref(), RoleRef::parse);
    let max_steps = params.whole_number(
        "max_steps",
        query.max_steps.as_deref(),
        1,
        MOST_STEPS,
        DEFAULT_MAX_STEPS,
    ) as usize;
    params.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        unreachable!("finish() refuses missing parameters");
    };
    let client = pool.get().await.map_err(StorageError::from)?;
    let from = named_role(&*client, "from", &from).await?;
    let to = named_role(&*client, "to", &to).await?;
    let (edges, links) = storage::relations::career_graph(&*client).await?;
    // The graph knows roles by slug; a role deleted meanwhile has no route.
    let key = |role: &RoleLink| {
        links
            .iter()
            .find(|(_, link)| link.id == role.id)
            .map(|(slug, _)| slug)
    };
    let (Some(from_key), Some(to_key)) = (key(&from), key(&to)) else {
        return Ok(respond(
            &RouteList {
                from,
                to,
                routes: Vec::new(),
            },
            None,
        ));
    };
    let routes = shortest_routes(&edges, from_key, to_key, max_steps, MOST_ROUTES)
        .into_iter()
        .map(|route| {
            let steps: Vec<RouteStep> = route
                .iter()
                .map(|&index| {
                    let edge = &edges[index];
                    RouteStep {
                        from: links[&edge.from].clone(),
                        to: links[&edge.to].clone(),
                        kind: edge.data.0,
                        typical_years: edge.data.1,
                    }
                })
                .collect();
            let typical_years = steps
                .iter()
                .map(|step| step.typical_years.map(i64::from))
                .sum();
            Route {
                steps,
                typical_years,
            }
        })
        .collect();
    Ok(respond(&RouteList { from, to, routes }, None))
}
