//! Who may write. A write handler takes [`Authorized<P>`] as its first
//! argument: the extractor refuses the request before the body is read, so no
//! handler can forget the check, and the policy `P` is part of its signature.

use super::{ApiError, Code};
use crate::storage::{
    StorageError,
    api_keys::{self, KeyHolder, Scope},
};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use deadpool_postgres::Pool;
use std::{future::Future, marker::PhantomData, pin::Pin};

/// The scope an operation needs.
pub trait Policy {
    const SCOPE: Scope;
}

/// Roles and their children.
pub struct Write;
impl Policy for Write {
    const SCOPE: Scope = Scope::Write;
}

/// The shared catalogue: skills and sources.
pub struct Admin;
impl Policy for Admin {
    const SCOPE: Scope = Scope::Admin;
}

/// A request whose API key allows policy `P`.
pub struct Authorized<P: Policy> {
    pub holder: KeyHolder,
    policy: PhantomData<P>,
}

impl<P: Policy> Authorized<P> {
    /// The actor the change is recorded under.
    pub fn actor(&self) -> &str {
        &self.holder.name
    }
}

const REALM: &str = "Bearer realm=\"rolebase\"";

fn unauthorized(code: Code, detail: &str) -> ApiError {
    let challenge = match code {
        Code::InvalidApiKey => format!("{REALM}, error=\"invalid_token\""),
        _ => REALM.to_owned(),
    };
    ApiError::new(code, detail).with_header(header::WWW_AUTHENTICATE, &challenge)
}

impl<P: Policy + 'static> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|value| value.to_str().unwrap_or("").to_owned());
        let pool = request.app_data::<web::Data<Pool>>().cloned();
        Box::pin(async move {
            let Some(header) = header else {
                return Err(unauthorized(
                    Code::MissingApiKey,
                    "this operation needs an API key: send Authorization: Bearer <key>",
                ));
            };
            let key = header
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, key)| key.trim())
                .filter(|key| !key.is_empty());
            let Some(key) = key else {
                return Err(unauthorized(
                    Code::InvalidApiKey,
                    "the Authorization header must read `Bearer <key>`",
                ));
            };
            let pool = pool.expect("the pool is registered with the app");
            let client = pool.get().await.map_err(StorageError::from)?;
            let Some(holder) = api_keys::authenticate(&*client, key).await? else {
                return Err(unauthorized(
                    Code::InvalidApiKey,
                    "the API key is unknown or revoked",
                ));
            };
            if !holder.scope.allows(P::SCOPE) {
                let needed = P::SCOPE.as_str();
                return Err(ApiError::new(
                    Code::InsufficientScope,
                    format!(
                        "this operation needs an API key with the {needed} scope; `{}` has {}",
                        holder.name,
                        holder.scope.as_str()
                    ),
                )
                .with_header(
                    header::WWW_AUTHENTICATE,
                    &format!("{REALM}, error=\"insufficient_scope\", scope=\"{needed}\""),
                ));
            }
            Ok(Self {
                holder,
                policy: PhantomData,
            })
        })
    }
}
