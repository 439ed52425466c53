//! Headers that keep browsers from misreading what the service sends: no
//! content sniffing anywhere; on Swagger UI a content security policy that
//! allows only its own files, and no framing by other sites; on every other
//! page (job descriptions) a policy that allows nothing to load or run.

use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderMap, HeaderValue},
    middleware::Next,
};

/// Swagger UI runs its own scripts and styles (inline styles included, which
/// its components set) and calls this service; nothing else.
const SWAGGER_UI_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A job description is text: nothing on it may load or run (its JSON-LD is
/// data, which no policy blocks). Job boards may frame it.
const PAGE_POLICY: &str = "default-src 'none'; base-uri 'none'; form-action 'none'";

pub async fn security_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let swagger_ui = request.path().starts_with("/swagger-ui");
    match next.call(request).await {
        Ok(mut response) => {
            secure(response.headers_mut(), swagger_ui);
            Ok(response.map_into_boxed_body())
        }
        // An answer still to be made from an error (a request past its deadline).
        Err(mut error) => {
            error.add_response_mapper(move |mut response| {
                secure(response.headers_mut(), swagger_ui);
                response
            });
            Err(error)
        }
    }
}

fn secure(headers: &mut HeaderMap, swagger_ui: bool) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if swagger_ui {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SWAGGER_UI_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    } else if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"))
    {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
    }
}
