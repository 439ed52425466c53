//! Headers that keep browsers from misreading answers: no sniffing anywhere;
//! Swagger UI under a policy that runs only its own files, never framed.

use crate::helpers::{header, spawn_app};

#[tokio::test]
async fn no_answer_may_be_sniffed() {
    let app = spawn_app().await;
    for path in [
        "/roles/technical-lead",
        "/roles/chief-wizard",
        "/openapi.json",
        "/swagger-ui/",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            header(&response, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
    }
    assert_eq!(
        header(&app.get("/roles/technical-lead").await, "x-frame-options"),
        None,
        "JSON is not framed anyway"
    );
}

#[tokio::test]
async fn swagger_ui_runs_only_its_own_files_and_is_never_framed() {
    let app = spawn_app().await;
    let page = app.get("/swagger-ui/").await;
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "x-frame-options").as_deref(), Some("DENY"));
    let policy = header(&page, "content-security-policy").unwrap();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    // The policy allows no inline script: the page must have none.
    let html = page.text().await.unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page loads its scripts");
    for script in scripts {
        let tag = &script[..script.find('>').unwrap()];
        assert!(
            tag.contains("src="),
            "an inline script would be blocked: <script{tag}>"
        );
    }
}
