use crate::helpers::{
    TestApp, built_in_knowledge_base, curated_role_count, header, knowledge_base_dir, spawn_app,
    spawn_empty_app,
};
use rolebase_api::{
    knowledge_base::{KnowledgeBase, KnowledgeBaseError, KnowledgeBaseSource, read_files},
    storage::knowledge_base::{LoadReport, load},
};
use std::path::Path;

/// A copy of the shipped knowledge base that a test may change.
pub fn copy_of_knowledge_base() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&knowledge_base_dir(), copy.path());
    copy
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Replaces the first `old` in a file of the copy; `old` must be there.
pub fn edit(root: &Path, file: &str, old: &str, new: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(old),
        "{file} no longer contains {old:?}: update the test"
    );
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

fn parse_folder(root: &Path) -> Result<KnowledgeBase, KnowledgeBaseError> {
    KnowledgeBase::parse(&read_files(&KnowledgeBaseSource::Folder(root.to_owned())).unwrap())
}

/// Loads the knowledge base in `folder` into the app's database, as
/// `rolebase seed --knowledge-base` does, and waits until the app has seen it.
pub async fn reload(app: &TestApp, folder: &Path) -> LoadReport {
    let mut client = app.pool.get().await.unwrap();
    let report = load(&mut client, &parse_folder(folder).unwrap())
        .await
        .unwrap();
    app.caught_up().await;
    report
}

#[tokio::test]
async fn loading_the_knowledge_base_twice_changes_nothing() {
    let app = spawn_app().await;
    let mut client = app.pool.get().await.unwrap();
    let revisions_before: i64 = client
        .query_one("SELECT count(*) FROM revisions", &[])
        .await
        .unwrap()
        .get(0);

    let report = load(&mut client, &built_in_knowledge_base()).await.unwrap();

    assert_eq!(
        report,
        LoadReport {
            roles_unchanged: curated_role_count() as u64,
            ..Default::default()
        }
    );
    let revisions_after: i64 = client
        .query_one("SELECT count(*) FROM revisions", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(revisions_before, revisions_after);
    let role = app.get_json("/roles/technical-lead", 200).await;
    assert_eq!(role["version"], 1);
}

#[tokio::test]
async fn an_empty_database_receives_the_whole_knowledge_base() {
    let app = spawn_empty_app().await;
    assert_eq!(
        app.get_json("/roles", 200).await["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let mut client = app.pool.get().await.unwrap();

    let report = load(&mut client, &built_in_knowledge_base()).await.unwrap();

    assert_eq!(report.roles_created, curated_role_count() as u64);
    let listed: usize = app
        .all_pages("/roles?limit=100")
        .await
        .iter()
        .map(|page| page["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, curated_role_count());
}

#[tokio::test]
async fn an_edited_role_is_updated_in_place_and_its_version_goes_up() {
    let app = spawn_app().await;
    let before = app.get_json("/roles/technical-lead", 200).await;
    let copy = copy_of_knowledge_base();
    edit(
        copy.path(),
        "roles/technical-lead.toml",
        "min_years = 3",
        "min_years = 4",
    );

    let report = reload(&app, copy.path()).await;

    assert_eq!(
        (
            report.roles_updated,
            report.roles_unchanged,
            report.roles_created
        ),
        (1, curated_role_count() as u64 - 1, 0)
    );
    let after = app.get_json("/roles/technical-lead", 200).await;
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["version"], 2);
    let requirements = app
        .get_json("/roles/technical-lead/requirements", 200)
        .await;
    let experience = requirements["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["kind"] == "experience")
        .unwrap()
        .clone();
    assert_eq!(experience["min_years"], 4);
    let curated = built_in_knowledge_base()
        .roles
        .into_iter()
        .find(|role| role.content.slug.as_str() == "technical-lead")
        .unwrap();
    assert_eq!(
        requirements["items"].as_array().unwrap().len(),
        curated.content.requirements.len(),
        "children are replaced, not added to"
    );
}

struct BadFile {
    why: &'static str,
    file: &'static str,
    old: &'static str,
    new: String,
    /// What the report must name: the file, then the entry and field when set.
    expect_file: &'static str,
    expect_field: Option<&'static str>,
    expect_message: &'static str,
}

fn bad_files() -> Vec<BadFile> {
    vec![
        BadFile {
            why: "experience whose minimum exceeds its maximum",
            file: "roles/technical-lead.toml",
            old: "max_years = 5",
            new: "max_years = 2".into(),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some("requirements["),
            expect_message: "min_years (3) must not exceed max_years (2)",
        },
        BadFile {
            why: "an unknown track",
            file: "roles/technical-lead.toml",
            old: "track = \"hybrid\"",
            new: "track = \"wizardry\"".into(),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some("track"),
            expect_message: "wizardry",
        },
        BadFile {
            why: "a link to a skill that does not exist",
            file: "roles/technical-lead.toml",
            old: "skill = \"mentoring\"",
            new: "skill = \"telepathy\"".into(),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some(".skill"),
            expect_message: "unknown skill `telepathy`",
        },
        BadFile {
            why: "a summary over 280 characters",
            file: "roles/technical-lead.toml",
            old: "summary = \"",
            new: format!("summary = \"{}", "x".repeat(280)),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some("summary"),
            expect_message: "at most 280 characters",
        },
        BadFile {
            why: "a malformed SOC code",
            file: "roles/technical-lead.toml",
            old: "soc_codes = [\"15-1252\"]",
            new: "soc_codes = [\"151252\"]".into(),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some("soc_codes[0]"),
            expect_message: "NN-NNNN",
        },
        BadFile {
            why: "a field the format does not have",
            file: "roles/team-lead.toml",
            old: "slug = \"team-lead\"",
            new: "slug = \"team-lead\"\nbonus = 5".into(),
            expect_file: "roles/team-lead.toml",
            expect_field: None,
            expect_message: "bonus",
        },
        BadFile {
            why: "broken TOML syntax",
            file: "skills.toml",
            old: "[[skill]]",
            new: "[[skill]".into(),
            expect_file: "skills.toml",
            expect_field: None,
            expect_message: "line",
        },
        BadFile {
            why: "a career step to a role that does not exist",
            file: "career_steps.toml",
            old: "to = \"technical-lead\"",
            new: "to = \"chief-wizard\"".into(),
            expect_file: "career_steps.toml",
            expect_field: Some("to"),
            expect_message: "unknown role `chief-wizard`",
        },
        BadFile {
            why: "a search abbreviation that is not one lowercase word",
            file: "synonyms.toml",
            old: "eng = \"engineering\"",
            new: "\"Eng Mgr\" = \"engineering manager\"".into(),
            expect_file: "synonyms.toml",
            expect_field: Some("synonyms.Eng Mgr"),
            expect_message: "must be one word",
        },
        BadFile {
            why: "a salary with percentiles out of order",
            file: "roles/technical-lead.toml",
            old: "mean = 118295",
            new: "p25 = 120000\nmedian = 110000".into(),
            expect_file: "roles/technical-lead.toml",
            expect_field: Some("salaries[0]"),
            expect_message: "p25 (120000) must not exceed median (110000)",
        },
    ]
}

#[tokio::test]
async fn a_bad_file_is_refused_with_file_entry_and_field_named() {
    for case in bad_files() {
        let copy = copy_of_knowledge_base();
        edit(copy.path(), case.file, case.old, &case.new);

        let error = parse_folder(copy.path()).expect_err(case.why);

        let problem = error
            .problems
            .iter()
            .find(|problem| problem.file == case.expect_file)
            .unwrap_or_else(|| panic!("{}: {error}", case.why));
        if let Some(field) = case.expect_field {
            let named = problem.field.as_deref().unwrap_or_default();
            assert!(
                named.contains(field),
                "{}: field {named:?} in {error}",
                case.why
            );
        }
        assert!(
            problem.to_string().contains(case.expect_message),
            "{}: {error}",
            case.why
        );
        if case.file.starts_with("roles/") {
            assert!(
                problem
                    .entry
                    .as_deref()
                    .unwrap_or_default()
                    .contains("role `"),
                "{}: {error}",
                case.why
            );
        }
    }
}

/// A load that fails half-way inside the database (here a trigger refuses
/// the second role it writes, after the first was written in the same
/// transaction) leaves everything as it was: roles, versions, revisions,
/// the change feed.
#[tokio::test]
async fn a_load_that_fails_inside_the_database_writes_nothing() {
    let app = spawn_app().await;
    let before = app.state().await;
    let copy = copy_of_knowledge_base();
    edit(
        copy.path(),
        "roles/chief-technology-officer.toml",
        "title = \"Chief Technology Officer\"",
        "title = \"Chief Technical Officer\"",
    );
    edit(
        copy.path(),
        "roles/technical-lead.toml",
        "min_years = 3",
        "min_years = 4",
    );
    let mut client = app.pool.get().await.unwrap();
    client
        .batch_execute(
            "CREATE SEQUENCE role_writes;
             CREATE FUNCTION refuse_technical_lead() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM nextval('role_writes');
                 IF NEW.slug = 'technical-lead' THEN
                     RAISE EXCEPTION 'the test refuses technical-lead';
                 END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER refuse_technical_lead BEFORE INSERT OR UPDATE ON roles
                 FOR EACH ROW EXECUTE FUNCTION refuse_technical_lead();",
        )
        .await
        .unwrap();

    let error = load(&mut client, &parse_folder(copy.path()).unwrap())
        .await
        .expect_err("the trigger refuses the load");

    assert!(
        format!("{error:?}").contains("the test refuses technical-lead"),
        "{error:?}"
    );
    let writes: i64 = client
        .query_one("SELECT last_value FROM role_writes", &[])
        .await
        .unwrap()
        .get(0);
    assert!(
        writes >= 2,
        "another role was written before the refused one: {writes}"
    );
    client
        .batch_execute("DROP TRIGGER refuse_technical_lead ON roles")
        .await
        .unwrap();
    app.caught_up().await;
    assert!(
        app.state().await == before,
        "a failed load left roles, versions, revisions or changes behind"
    );
    let cto = app.get_json("/roles/chief-technology-officer", 200).await;
    assert_eq!(cto["title"], "Chief Technology Officer");
    assert_eq!(cto["version"], 1);
}

#[test]
fn a_missing_file_and_a_misnamed_role_file_are_refused() {
    let copy = copy_of_knowledge_base();
    std::fs::remove_file(copy.path().join("sources.toml")).unwrap();
    std::fs::copy(
        copy.path().join("roles/team-lead.toml"),
        copy.path().join("roles/team-leader.toml"),
    )
    .unwrap();

    let error = parse_folder(copy.path()).unwrap_err().to_string();

    assert!(
        error.contains("sources.toml: the file is missing"),
        "{error}"
    );
    let copy = copy_of_knowledge_base();
    std::fs::copy(
        copy.path().join("roles/team-lead.toml"),
        copy.path().join("roles/team-leader.toml"),
    )
    .unwrap();
    let error = parse_folder(copy.path()).unwrap_err().to_string();
    assert!(
        error.contains("roles/team-leader.toml") && error.contains("must match the file name"),
        "{error}"
    );
}

#[test]
fn the_built_in_copy_is_the_repositorys_data_folder() {
    let built_in = built_in_knowledge_base();
    let folder = parse_folder(&knowledge_base_dir()).unwrap();
    let digests = |kb: &KnowledgeBase| {
        kb.roles
            .iter()
            .map(|role| role.digest.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(digests(&built_in), digests(&folder));
    assert_eq!(built_in.skills.len(), folder.skills.len());
}

#[tokio::test]
async fn a_reload_after_an_edit_shows_in_the_revisions_and_the_change_feed() {
    let app = spawn_app().await;
    let (_, feed_before) = app.changes_since(None).await;
    let copy = copy_of_knowledge_base();
    edit(
        copy.path(),
        "roles/technical-lead.toml",
        "min_years = 3",
        "min_years = 4",
    );

    reload(&app, copy.path()).await;

    let (etag, role) = app.role("technical-lead").await;
    let revisions = app.get_json("/roles/technical-lead/revisions", 200).await;
    let newest = &revisions["items"][0];
    assert_eq!(newest["number"], 2, "{revisions}");
    assert_eq!(newest["operation"], "update");
    assert_eq!(newest["actor"], "knowledge-base");
    let diff = app
        .get_json("/roles/technical-lead/revisions/2/diff", 200)
        .await;
    let operations = diff.as_array().expect("a JSON Patch is an array");
    assert_eq!(operations.len(), 1, "only the edited value changed: {diff}");
    assert_eq!(operations[0]["op"], "replace");
    assert!(
        operations[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("/min_years"),
        "{diff}"
    );
    assert_eq!(operations[0]["value"], 4);
    let (new_entries, _) = app.changes_since(Some(&feed_before)).await;
    let kinds: Vec<&str> = new_entries
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["role.updated", "knowledge_base.loaded"],
        "{new_entries:?}"
    );
    let update = &new_entries[0];
    assert_eq!(
        update["resource"],
        format!("/roles/{}", role["id"].as_str().unwrap())
    );
    assert_eq!(update["actor"], "knowledge-base");
    assert_eq!(update["version"], 2);
    assert_eq!(update["etag"], etag.as_str());
}

#[tokio::test]
async fn a_reload_of_unchanged_files_keeps_what_editors_changed_through_the_api() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, _) = app.role("technical-lead").await;
    let patched = app
        .patch_role(
            &key,
            "technical-lead",
            &etag,
            &serde_json::json!({"title": "Tech Lead"}),
        )
        .await;
    assert_eq!(patched.status().as_u16(), 200);
    let mut client = app.pool.get().await.unwrap();

    let report = load(&mut client, &built_in_knowledge_base()).await.unwrap();

    assert_eq!(
        report.roles_updated, 0,
        "the file did not change since the last load"
    );
    let (_, role) = app.role("technical-lead").await;
    assert_eq!(role["title"], "Tech Lead");
    assert_eq!(role["version"], 2);
}

#[tokio::test]
async fn a_role_renamed_in_its_file_is_found_by_its_new_title_after_a_reload() {
    let app = spawn_app().await;
    let etag_of = |response: &reqwest::Response| header(response, "etag").expect("an ETag");
    let list_before = etag_of(&app.get("/roles?limit=100").await);
    let search_before = etag_of(&app.get("/search?q=tech%20lead").await);
    let before = app.get_json("/search?q=quarterback", 200).await;
    assert_eq!(
        before["items"],
        serde_json::json!([]),
        "nothing is called that yet"
    );
    let copy = copy_of_knowledge_base();
    edit(
        copy.path(),
        "roles/technical-lead.toml",
        "title = \"Technical Lead\"",
        "title = \"Technical Quarterback\"",
    );

    reload(&app, copy.path()).await;

    let role = app.get_json("/roles/technical-lead", 200).await;
    assert_eq!(role["title"], "Technical Quarterback");
    assert_eq!(role["version"], 2);
    let found = app.get_json("/search?q=quarterback", 200).await;
    assert_eq!(found["items"][0]["slug"], "technical-lead", "{found}");
    assert_eq!(found["items"][0]["title"], "Technical Quarterback");
    let revisions = app.get_json("/roles/technical-lead/revisions", 200).await;
    let numbers: Vec<i64> = revisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|revision| revision["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1], "newest first");
    assert_eq!(revisions["items"][0]["actor"], "knowledge-base");
    assert_ne!(
        etag_of(&app.get("/roles?limit=100").await),
        list_before,
        "the list's tag moves with a reload"
    );
    assert_ne!(
        etag_of(&app.get("/search?q=tech%20lead").await),
        search_before,
        "so does a search's"
    );
}
