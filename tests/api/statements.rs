//! Reads go through each connection's prepared statements: every distinct
//! statement is parsed and planned once per connection, not on every call.

use crate::helpers::spawn_on_one_connection;

/// What the reads below touch: a role with every child, each child list,
/// the list, a filtered list, search, compare, career paths, the catalogue.
fn reads(slug: &str, other: &str) -> Vec<String> {
    vec![
        format!("/roles/{slug}?include=responsibilities,requirements,skills,salaries,career"),
        format!("/roles/{slug}/responsibilities"),
        format!("/roles/{slug}/requirements"),
        format!("/roles/{slug}/skills"),
        format!("/roles/{slug}/salaries"),
        format!("/roles/{slug}/career-paths"),
        format!("/roles/compare?roles={slug},{other}"),
        "/roles?limit=5".to_owned(),
        "/roles?q=lead".to_owned(),
        "/search?q=tech%20lead&type=role&type=skill&type=occupation".to_owned(),
        "/skills".to_owned(),
    ]
}

#[tokio::test]
async fn reads_prepare_each_statement_once_per_connection() {
    let app = spawn_on_one_connection().await;
    let prepared = || async {
        // The pool's only connection: the one every read above went through.
        let client = app.pool.get().await.unwrap();
        let rows = client
            .query(
                "SELECT statement FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'",
                &[],
            )
            .await
            .unwrap();
        let mut statements: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        statements.sort();
        statements
    };

    for path in reads("technical-lead", "engineering-manager") {
        assert_eq!(app.get(&path).await.status(), 200, "{path}");
    }
    let first = prepared().await;
    assert!(
        first.len() >= 12,
        "the reads keep their statements prepared: {first:#?}"
    );
    assert!(
        first
            .iter()
            .any(|statement| statement.contains("FROM search_synonyms")),
        "search's synonyms statement is among them"
    );

    // Other roles, the same statements: nothing more is prepared.
    for path in reads("software-architect", "technical-director") {
        assert_eq!(app.get(&path).await.status(), 200, "{path}");
    }
    assert_eq!(prepared().await, first);
}
