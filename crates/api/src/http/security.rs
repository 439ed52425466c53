//! Headers that keep browsers from misreading what the service sends: no
//! content sniffing anywhere, and on Swagger UI (the one HTML the service
//! serves) a content security policy that allows only its own files, and no
//! framing by other sites.

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
    }
}
