//! What job boards publish: a role as schema.org JSON-LD, and a ready-to-post
//! job description in Markdown and HTML, escaped, per area and level.

use crate::helpers::{TestApp, error_fields, expect_problem, header, new_role_document, spawn_app};
use crate::occupations::import;
use serde_json::{Value, json};

async fn get_with(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.request(reqwest::Method::GET, path)
        .header("Accept", accept)
        .send()
        .await
        .expect("the request reaches the service")
}

/// A successful read of `path`: its content type and body.
async fn text(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    let content_type = header(&response, "content-type").expect("a content type");
    (content_type, response.text().await.expect("a text body"))
}

async fn jsonld(app: &TestApp, path: &str) -> Value {
    let (content_type, body) = text(app, path).await;
    assert_eq!(content_type, "application/ld+json", "GET {path}");
    serde_json::from_str(&body).expect("JSON-LD is JSON")
}

/// Every number anywhere in `value`, with where it is.
fn numbers(value: &Value, at: String, found: &mut Vec<(String, f64)>) {
    match value {
        Value::Number(number) => found.push((at, number.as_f64().unwrap())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                numbers(item, format!("{at}/{index}"), found);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                numbers(item, format!("{at}/{key}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_role_is_a_schema_org_occupation_with_its_own_facts() {
    let app = spawn_app().await;
    let slugs = app.role_slugs().await;
    assert!(slugs.len() >= 40, "the whole catalogue: {}", slugs.len());

    for slug in &slugs {
        let role = app
            .get_json(
                &format!("/roles/{slug}?include=responsibilities,requirements,skills"),
                200,
            )
            .await;
        let document = jsonld(&app, &format!("/roles/{slug}/jsonld")).await;

        assert_eq!(document["@context"], "https://schema.org", "{slug}");
        assert_eq!(document["@type"], "Occupation", "{slug}");
        assert_eq!(document["identifier"], role["id"], "{slug}");
        assert_eq!(document["name"], role["title"], "{slug}");
        assert_eq!(document["description"], role["summary"], "{slug}");
        let mut codes: Vec<Value> = role["soc_codes"].as_array().unwrap().clone();
        codes.extend(role["isco_code"].as_str().map(Value::from));
        let categories = document["occupationalCategory"].as_array().unwrap();
        let category_codes: Vec<Value> = categories
            .iter()
            .map(|code| code["codeValue"].clone())
            .collect();
        assert_eq!(category_codes, codes, "{slug}: SOC codes, then ISCO");
        for category in categories {
            assert_eq!(category["@type"], "CategoryCode", "{slug}");
            let set = category["inCodeSet"]["name"].as_str().unwrap();
            assert!(set == "SOC 2018" || set == "ISCO-08", "{slug}: {set}");
        }
        let responsibilities = role["responsibilities"].as_array().unwrap();
        assert_eq!(
            document["responsibilities"].as_array().map(Vec::len),
            Some(responsibilities.len()),
            "{slug}: every responsibility"
        );
        let skills = document["skills"].as_array().unwrap();
        assert_eq!(
            skills.len(),
            role["skills"].as_array().unwrap().len(),
            "{slug}"
        );
        assert!(skills.iter().all(|skill| skill["@type"] == "DefinedTerm"));
        let requirement_count = [
            "educationRequirements",
            "experienceRequirements",
            "qualifications",
        ]
        .iter()
        .map(|key| {
            document
                .get(*key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .sum::<usize>();
        assert_eq!(
            requirement_count,
            role["requirements"].as_array().unwrap().len(),
            "{slug}: each requirement in one place"
        );
        assert_eq!(
            document["occupationLocation"],
            json!([{"@type": "Country", "name": "United States", "identifier": "0000000"}]),
            "{slug}: the nation unless an area is named"
        );
        let sources = role["sources"].as_array().unwrap().len();
        let citations = document
            .get("citation")
            .map(|list| list.as_array().unwrap().len());
        assert_eq!(
            citations,
            (sources > 0).then_some(sources),
            "{slug}: one citation per source, no dataset before an import"
        );
        let required_years: Vec<Value> = role["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["kind"] == "experience" && item["level"] == "required")
            .map(|item| json!(item["min_years"].as_i64().map(|years| years * 12)))
            .collect();
        let months: Vec<Value> = document
            .get("experienceRequirements")
            .map_or(vec![], |list| list.as_array().unwrap().clone())
            .iter()
            .map(|item| {
                item.get("monthsOfExperience")
                    .cloned()
                    .unwrap_or(Value::Null)
            })
            .collect();
        assert_eq!(months, required_years, "{slug}: stated years, in months");
        let mut found = Vec::new();
        numbers(&document, String::new(), &mut found);
        assert!(
            found
                .iter()
                .all(|(at, number)| *number > 0.0 || at.ends_with("/monthsOfExperience")),
            "{slug}: a figure the role lacks is left out, never zero: {found:?}"
        );
    }
}

#[tokio::test]
async fn an_areas_imported_wages_are_the_estimated_salary() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;

    let document = jsonld(&app, "/roles/technical-lead/jsonld?area=0600000").await;
    let salaries = app
        .get_json("/roles/technical-lead/salaries?area=0600000", 200)
        .await;
    let california = salaries["imported"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["area"]["code"] == "0600000")
        .expect("the role's occupation has wages in California");

    let estimated = document["estimatedSalary"].as_array().unwrap();
    assert_eq!(estimated.len(), 2, "a year's and an hour's: {estimated:?}");
    let annual = &estimated[0];
    assert_eq!(annual["@type"], "MonetaryAmountDistribution");
    assert_eq!(annual["currency"], "USD");
    assert_eq!(annual["duration"], "P1Y");
    assert_eq!(annual["percentile10"], california["annual"]["p10"]);
    assert_eq!(annual["percentile25"], california["annual"]["p25"]);
    assert_eq!(annual["median"], california["annual"]["median"]);
    assert_eq!(annual["percentile75"], california["annual"]["p75"]);
    assert_eq!(annual["percentile90"], california["annual"]["p90"]);
    assert_eq!(estimated[1]["duration"], "PT1H");
    assert_eq!(estimated[1]["median"], california["hourly"]["median"]);
    assert_eq!(
        document["occupationLocation"],
        json!([{"@type": "State", "name": "California", "identifier": "0600000"}])
    );
    assert_eq!(
        document["occupationalCategory"][0]["name"],
        "Software Developers"
    );
    let dataset = document["citation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|citation| citation["@type"] == "Dataset")
        .expect("the wage dataset is cited");
    assert_eq!(
        dataset["name"],
        "Occupational Employment and Wage Statistics, May 2025"
    );

    let national = jsonld(&app, "/roles/technical-lead/jsonld").await;
    let nation = &salaries["imported"][0];
    assert_eq!(nation["area"]["code"], "0000000");
    assert_eq!(
        national["estimatedSalary"][0]["median"],
        nation["annual"]["median"]
    );
    assert_ne!(national["estimatedSalary"][0]["median"], annual["median"]);
}

#[tokio::test]
async fn without_wage_data_the_curated_figures_are_given() {
    let app = spawn_app().await;

    let lead = jsonld(&app, "/roles/technical-lead/jsonld").await;
    let curated = app.get_json("/roles/technical-lead/salaries", 200).await;
    let mean = &curated["items"][0]["mean"];
    assert!(mean.is_number(), "the curated range has a mean: {curated}");
    let estimated = lead["estimatedSalary"].as_array().unwrap();
    assert_eq!(estimated.len(), 1);
    assert_eq!(estimated[0]["@type"], "MonetaryAmount");
    assert_eq!(&estimated[0]["value"], mean);
    assert!(
        estimated[0].get("median").is_none() && estimated[0].get("duration").is_none(),
        "a mean is not a distribution: {estimated:?}"
    );

    let architect = jsonld(&app, "/roles/software-architect/jsonld").await;
    assert!(
        architect.get("estimatedSalary").is_none(),
        "no wages and no curated figure: no salary at all, not a zero"
    );
}

#[tokio::test]
async fn requirements_and_percentiles_go_where_schema_org_reads_them() {
    let app = spawn_app().await;
    let key = app.writer().await;
    app.create_role(&key, &new_role_document("platform-lead"))
        .await;

    let document = jsonld(&app, "/roles/platform-lead/jsonld").await;

    assert_eq!(
        document["experienceRequirements"],
        json!([{
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": 60,
            "description": "Five or more years building and running production systems."
        }])
    );
    assert!(
        document.get("educationRequirements").is_none(),
        "the only education is preferred"
    );
    assert_eq!(
        document["qualifications"],
        json!([{
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "bachelor degree",
            "description": "A bachelor's degree in a computing subject."
        }])
    );
    let salary = &document["estimatedSalary"][0];
    assert_eq!(salary["@type"], "MonetaryAmountDistribution");
    assert_eq!(salary["duration"], "P1Y");
    assert_eq!(salary["percentile10"], 100000.0);
    assert_eq!(salary["median"], 150000.0);
    assert_eq!(salary["percentile90"], 200000.0);
    for absent in ["percentile25", "percentile75", "value"] {
        assert!(
            salary.get(absent).is_none(),
            "{absent} is left out: {salary}"
        );
    }
    assert_eq!(document["alternateName"], json!(["Platform Team Lead"]));
    assert_eq!(document["skills"][0]["termCode"], "mentoring");
}

#[tokio::test]
async fn accept_ld_json_on_a_role_gives_its_occupation() {
    let app = spawn_app().await;

    let response = get_with(&app, "/roles/technical-lead", "application/ld+json").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/ld+json")
    );
    assert!(header(&response, "vary").unwrap().contains("accept"));
    let ld_tag = header(&response, "etag").unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, jsonld(&app, "/roles/technical-lead/jsonld").await);

    let response = get_with(&app, "/roles/technical-lead", "text/html,*/*;q=0.8").await;
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json"),
        "a browser still gets the role as JSON"
    );
    assert!(header(&response, "vary").unwrap().contains("accept"));
    let json_tag = header(&response, "etag").unwrap();
    assert_ne!(json_tag, ld_tag, "two representations, two tags");
    let role: Value = response.json().await.unwrap();
    assert_eq!(role["slug"], "technical-lead");
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_them() {
    let app = spawn_app().await;
    for (path, field) in [
        ("/roles/technical-lead/jsonld?area=CA", "query.area"),
        ("/roles/technical-lead/jsonld?area=06000001", "query.area"),
        (
            "/roles/technical-lead/job-description?format=pdf",
            "query.format",
        ),
        (
            "/roles/technical-lead/job-description?seniority=boss",
            "query.seniority",
        ),
        ("/roles/technical-lead/job-description?area=x", "query.area"),
    ] {
        let problem = expect_problem(app.get(path).await, 422, "invalid_parameters").await;
        assert_eq!(error_fields(&problem), [field], "{path}");
    }
    let problem = expect_problem(
        app.get("/roles/technical-lead/job-description?colour=red")
            .await,
        400,
        "bad_request",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("`colour`"),
        "{problem}"
    );
    expect_problem(
        app.get("/roles/technical-lead/jsonld?area=9999999").await,
        404,
        "area_not_found",
    )
    .await;
    expect_problem(
        app.get("/roles/no-such-role/job-description").await,
        404,
        "role_not_found",
    )
    .await;
}

#[tokio::test]
async fn every_role_has_a_job_description_in_both_formats() {
    let app = spawn_app().await;
    for slug in app.role_slugs().await {
        let role = app
            .get_json(
                &format!("/roles/{slug}?include=responsibilities,requirements"),
                200,
            )
            .await;
        let title = role["title"].as_str().unwrap();

        let (content_type, markdown) = text(&app, &format!("/roles/{slug}/job-description")).await;
        assert_eq!(content_type, "text/markdown; charset=utf-8", "{slug}");
        assert!(
            markdown.starts_with(&format!("# {title}\n")),
            "{slug}: {markdown}"
        );
        let has_duties = !role["responsibilities"].as_array().unwrap().is_empty();
        assert_eq!(
            markdown.contains("\n## What you will do\n"),
            has_duties,
            "{slug}"
        );
        let required = role["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["level"] == "required");
        if required {
            assert!(markdown.contains("\n## What you bring\n"), "{slug}");
        }
        let has_sources = !role["sources"].as_array().unwrap().is_empty();
        assert_eq!(markdown.contains("\n## Sources\n"), has_sources, "{slug}");

        let (content_type, html) =
            text(&app, &format!("/roles/{slug}/job-description?format=html")).await;
        assert_eq!(content_type, "text/html; charset=utf-8", "{slug}");
        assert!(html.starts_with("<!doctype html>"), "{slug}");
        assert!(html.contains("<h1>"), "{slug}");
        assert_eq!(
            html.contains("<section id=\"what-you-will-do\">"),
            has_duties,
            "{slug}"
        );
        assert_eq!(
            html.contains("<section id=\"sources\">"),
            has_sources,
            "{slug}"
        );
        assert!(html.trim_end().ends_with("</html>"), "{slug}");
    }
}

#[tokio::test]
async fn a_description_names_the_level_and_the_areas_pay() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;

    let (_, markdown) = text(
        &app,
        "/roles/technical-lead/job-description?area=0600000&seniority=senior",
    )
    .await;
    assert!(
        markdown.starts_with("# Senior Technical Lead\n"),
        "{markdown}"
    );
    let salaries = app
        .get_json("/roles/technical-lead/salaries?area=0600000", 200)
        .await;
    let california = &salaries["imported"][1]["annual"];
    let dollars = |value: &Value| {
        let whole = value.as_f64().unwrap().round() as u64;
        format!("${},{:03}", whole / 1000, whole % 1000)
    };
    let pay = format!(
        "In California, the median pay of Software Developers (SOC 15-1252) is {} a year; the middle half earn {} to {}.",
        dollars(&california["median"]),
        dollars(&california["p25"]),
        dollars(&california["p75"]),
    );
    assert!(markdown.contains(&pay), "{pay}\n\n{markdown}");
    assert!(markdown.contains(
        "Source: Occupational Employment and Wage Statistics, U.S. Bureau of Labor Statistics, May 2025."
    ));

    let key = app.writer().await;
    let mut document = new_role_document("lead-platform-engineer");
    document["title"] = json!("Lead Platform Engineer");
    app.create_role(&key, &document).await;
    let (_, lead) = text(
        &app,
        "/roles/lead-platform-engineer/job-description?seniority=lead",
    )
    .await;
    assert!(
        lead.starts_with("# Lead Platform Engineer\n"),
        "a title keeps its level word once: {lead}"
    );
}

#[tokio::test]
async fn accept_chooses_the_format_unless_it_is_named() {
    let app = spawn_app().await;
    let path = "/roles/technical-lead/job-description";

    let browser = get_with(&app, path, "text/html,application/xhtml+xml,*/*;q=0.8").await;
    assert_eq!(
        header(&browser, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(header(&browser, "vary").unwrap().contains("accept"));
    let policy = header(&browser, "content-security-policy").expect("a page has a policy");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let html_tag = header(&browser, "etag").unwrap();

    let markdown = get_with(&app, path, "text/markdown").await;
    assert_eq!(
        header(&markdown, "content-type").as_deref(),
        Some("text/markdown; charset=utf-8")
    );
    assert_ne!(header(&markdown, "etag").unwrap(), html_tag);

    let named = get_with(&app, &format!("{path}?format=markdown"), "text/html").await;
    assert_eq!(
        header(&named, "content-type").as_deref(),
        Some("text/markdown; charset=utf-8"),
        "format= wins over Accept"
    );

    let again = app
        .request(reqwest::Method::GET, path)
        .header("Accept", "text/html")
        .header("If-None-Match", &html_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(header(&again, "etag").as_deref(), Some(html_tag.as_str()));

    let compressed = app
        .request(reqwest::Method::GET, path)
        .header("Accept", "text/html")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&compressed, "content-encoding").as_deref(),
        Some("gzip")
    );
}

#[tokio::test]
async fn text_from_the_database_never_reaches_a_page_as_markup() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let mut document = new_role_document("injected-lead");
    document["summary"] =
        json!("Leads <script>alert('x')</script> teams & writes *bold* [links](javascript:x).");
    document["responsibilities"][0]["title"] = json!("Ship <img src=x onerror=alert(1)>");
    document["responsibilities"][0]["description"] =
        json!("# not a heading\n- not a list </script><script>alert(2)</script>");
    app.create_role(&key, &document).await;

    let (_, html) = text(&app, "/roles/injected-lead/job-description?format=html").await;
    for markup in ["<script>alert", "<img", "</script><script>"] {
        assert!(!html.contains(markup), "{markup} reached the page:\n{html}");
    }
    assert!(html.contains(
        "Leads &lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2f;script&gt; teams &amp; writes"
    ));
    assert!(html.contains("Ship &lt;img src=x onerror=alert(1)&gt;"));
    let head = html.split("</head>").next().unwrap();
    assert_eq!(
        head.matches("</script>").count(),
        1,
        "the JSON-LD cannot close its script element early:\n{head}"
    );
    assert!(head.contains("\\u003cscript\\u003e"), "{head}");

    let (_, markdown) = text(&app, "/roles/injected-lead/job-description").await;
    assert!(markdown.contains(
        "Leads \\<script\\>alert('x')\\</script\\> teams \\& writes \\*bold\\* \\[links\\](javascript:x)."
    ), "{markdown}");
    assert!(
        markdown.contains(
            "- **Ship \\<img src=x onerror=alert(1)\\>**: \\# not a heading\n\\- not a list"
        ),
        "{markdown}"
    );
}

#[tokio::test]
async fn a_change_to_the_role_changes_its_published_documents() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let path = "/roles/platform-lead/job-description?format=html";
    let before = app.get(path).await;
    let before_tag = header(&before, "etag").unwrap();
    let ld_before = jsonld(&app, "/roles/platform-lead/jsonld").await;

    let response = app
        .patch_role(
            &key,
            &id,
            &etag,
            &json!({"title": "Platform Engineering Lead"}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    app.caught_up().await;

    let after = app.get(path).await;
    assert_ne!(header(&after, "etag").unwrap(), before_tag);
    let html = after.text().await.unwrap();
    assert!(
        html.contains("<h1>Platform Engineering Lead</h1>"),
        "{html}"
    );
    let ld_after = jsonld(&app, "/roles/platform-lead/jsonld").await;
    assert_eq!(ld_before["name"], "Platform Lead");
    assert_eq!(ld_after["name"], "Platform Engineering Lead");
}
