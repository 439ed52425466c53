//! The curated knowledge base: TOML files (see `data/README.md`), read and
//! checked as a whole before anything is written.

mod document;
mod files;

pub use document::{Document, FORMAT, FORMAT_VERSION};
pub use files::{KnowledgeBaseSource, read_files};

use rolebase_domain::{CareerStep, ComparisonNotes, RoleContent, Skill, Slug, Source};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// Everything in the knowledge base, parsed and cross-checked.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub sources: Vec<Source>,
    pub skills: Vec<Skill>,
    pub roles: Vec<LoadedRole>,
    pub career_steps: Vec<CareerStep>,
    pub comparisons: Vec<ComparisonNotes>,
    /// Search abbreviations: term → the words it stands for.
    pub synonyms: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct LoadedRole {
    pub content: RoleContent,
    /// Digest of the entry's content (not its layout or comments): an
    /// unchanged entry is not written again.
    pub digest: String,
    pub file: String,
}

/// One thing wrong with the files: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub entry: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(entry) = &self.entry {
            write!(f, ": {entry}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("the knowledge base was refused and nothing was written:\n{}", list(.problems))]
pub struct KnowledgeBaseError {
    pub problems: Vec<Problem>,
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| format!("  - {problem}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const SOURCES_FILE: &str = "sources.toml";
const SKILLS_FILE: &str = "skills.toml";
const CAREER_STEPS_FILE: &str = "career_steps.toml";
const COMPARISONS_FILE: &str = "comparisons.toml";
const SYNONYMS_FILE: &str = "synonyms.toml";
const ROLES_DIR: &str = "roles/";

/// Where each part of the knowledge base is, for naming it in problems: a
/// file of the folder, or a list of an exported document.
struct Places {
    sources: String,
    skills: String,
    roles: String,
    career_steps: String,
    comparisons: String,
    synonyms: String,
}

impl Places {
    fn files() -> Self {
        Self {
            sources: SOURCES_FILE.into(),
            skills: SKILLS_FILE.into(),
            roles: ROLES_DIR.into(),
            career_steps: CAREER_STEPS_FILE.into(),
            comparisons: COMPARISONS_FILE.into(),
            synonyms: SYNONYMS_FILE.into(),
        }
    }

    fn document(name: &str) -> Self {
        let list = |list: &str| format!("{name}: {list}");
        Self {
            sources: list("sources"),
            skills: list("skills"),
            roles: list("roles"),
            career_steps: list("career_steps"),
            comparisons: list("comparisons"),
            synonyms: list("synonyms"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkillsFile {
    #[serde(default)]
    skill: Vec<Skill>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CareerStepsFile {
    #[serde(default)]
    step: Vec<CareerStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    #[serde(default)]
    synonyms: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonsFile {
    #[serde(default)]
    comparison: Vec<ComparisonNotes>,
}

impl KnowledgeBase {
    /// Parses and checks a set of files, given as (path relative to the
    /// knowledge-base folder, content). Every problem is reported, not just the first.
    pub fn parse(files: &[(String, String)]) -> Result<Self, KnowledgeBaseError> {
        let mut problems = Vec::new();
        let mut kb = KnowledgeBase {
            sources: vec![],
            skills: vec![],
            roles: vec![],
            career_steps: vec![],
            comparisons: vec![],
            synonyms: BTreeMap::new(),
        };
        let mut seen = HashSet::new();
        for (path, text) in files {
            seen.insert(path.as_str());
            let outcome = match path.as_str() {
                SOURCES_FILE => {
                    parse_file::<SourcesFile>(path, text).map(|(file, _)| kb.sources = file.source)
                }
                SKILLS_FILE => {
                    parse_file::<SkillsFile>(path, text).map(|(file, _)| kb.skills = file.skill)
                }
                CAREER_STEPS_FILE => parse_file::<CareerStepsFile>(path, text)
                    .map(|(file, _)| kb.career_steps = file.step),
                COMPARISONS_FILE => parse_file::<ComparisonsFile>(path, text)
                    .map(|(file, _)| kb.comparisons = file.comparison),
                SYNONYMS_FILE => parse_file::<SynonymsFile>(path, text)
                    .map(|(file, _)| kb.synonyms = file.synonyms),
                role if role.starts_with(ROLES_DIR) && role.ends_with(".toml") => {
                    parse_file::<RoleContent>(path, text).map(|(content, digest)| {
                        kb.roles.push(LoadedRole {
                            content,
                            digest,
                            file: path.clone(),
                        })
                    })
                }
                other => Err(problem(
                    other,
                    None,
                    None,
                    format!(
                        "unexpected file: the knowledge base holds {SOURCES_FILE}, {SKILLS_FILE}, {CAREER_STEPS_FILE}, {COMPARISONS_FILE}, {SYNONYMS_FILE} and {ROLES_DIR}<slug>.toml"
                    ),
                )),
            };
            if let Err(found) = outcome {
                problems.push(found);
            }
        }
        for required in [SOURCES_FILE, SKILLS_FILE] {
            if !seen.contains(required) {
                problems.push(problem(required, None, None, "the file is missing".into()));
            }
        }
        for role in &kb.roles {
            let expected_file = format!("{ROLES_DIR}{}.toml", role.content.slug);
            if role.file != expected_file {
                problems.push(problem(
                    &role.file,
                    Some(format!("role `{}`", role.content.slug)),
                    Some("slug".into()),
                    format!(
                        "the slug must match the file name: put role `{}` in {expected_file}",
                        role.content.slug
                    ),
                ));
            }
        }
        kb.checked(&Places::files(), problems)
    }

    /// The knowledge base if the rules that span entries hold, else every
    /// problem found.
    fn checked(
        self,
        places: &Places,
        mut problems: Vec<Problem>,
    ) -> Result<Self, KnowledgeBaseError> {
        if problems.is_empty() {
            self.check_references(places, &mut problems);
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(KnowledgeBaseError { problems })
        }
    }

    /// The rules that span entries and files: unique keys, and every reference
    /// naming something that exists.
    fn check_references(&self, places: &Places, problems: &mut Vec<Problem>) {
        self.check_synonyms(places, problems);
        let sources = unique_keys(
            &places.sources,
            "source",
            self.sources.iter().map(|s| &s.key),
            problems,
        );
        let skills = unique_keys(
            &places.skills,
            "skill",
            self.skills.iter().map(|s| &s.slug),
            problems,
        );
        for (index, source) in self.sources.iter().enumerate() {
            if let Err((field, error)) = source.check() {
                problems.push(problem(
                    &places.sources,
                    Some(format!("source[{index}] `{}`", source.key)),
                    Some(field.into()),
                    error.message,
                ));
            }
        }
        let mut roles = HashMap::new();
        for role in &self.roles {
            let content = &role.content;
            let entry = Some(format!("role `{}`", content.slug));
            let report = |field: String, message: String, problems: &mut Vec<Problem>| {
                problems.push(problem(&role.file, entry.clone(), Some(field), message));
            };
            if let Some(other) = roles.insert(&content.slug, &role.file) {
                report(
                    "slug".into(),
                    format!("`{}` is also the slug of {other}", content.slug),
                    problems,
                );
            }
            if let Err((field, error)) = content.check() {
                report(field, error.message, problems);
            }
            for (field, key) in content.named_sources() {
                if !sources.contains(key) {
                    report(field, unknown("source", key, &places.sources), problems);
                }
            }
            for (index, link) in content.skills.iter().enumerate() {
                if !skills.contains(&link.skill) {
                    report(
                        format!("skills[{index}].skill"),
                        unknown("skill", &link.skill, &places.skills),
                        problems,
                    );
                }
            }
        }
        let known_role = |slug: &Slug| roles.contains_key(slug);
        let mut steps = HashSet::new();
        for (index, step) in self.career_steps.iter().enumerate() {
            let entry = Some(format!("step[{index}] `{}` → `{}`", step.from, step.to));
            for (field, slug) in [("from", &step.from), ("to", &step.to)] {
                if !known_role(slug) {
                    problems.push(problem(
                        &places.career_steps,
                        entry.clone(),
                        Some(field.into()),
                        unknown("role", slug, &places.roles),
                    ));
                }
            }
            if let Some(key) = step.source.as_ref().filter(|key| !sources.contains(*key)) {
                problems.push(problem(
                    &places.career_steps,
                    entry.clone(),
                    Some("source".into()),
                    unknown("source", key, &places.sources),
                ));
            }
            if !steps.insert((&step.from, &step.to)) {
                problems.push(problem(
                    &places.career_steps,
                    entry,
                    None,
                    "this step is listed twice".into(),
                ));
            }
        }
        let mut pairs = HashSet::new();
        for (index, comparison) in self.comparisons.iter().enumerate() {
            let (a, b) = &comparison.roles;
            let entry = Some(format!("comparison[{index}] `{a}` vs `{b}`"));
            for (position, slug) in [a, b].into_iter().enumerate() {
                if !known_role(slug) {
                    problems.push(problem(
                        &places.comparisons,
                        entry.clone(),
                        Some(format!("roles[{position}]")),
                        unknown("role", slug, &places.roles),
                    ));
                }
            }
            for (aspect, note) in &comparison.notes {
                if let Some(key) = note.source.as_ref().filter(|key| !sources.contains(*key)) {
                    problems.push(problem(
                        &places.comparisons,
                        entry.clone(),
                        Some(format!("notes.{aspect}.source")),
                        unknown("source", key, &places.sources),
                    ));
                }
            }
            if !pairs.insert(if a < b { (a, b) } else { (b, a) }) {
                problems.push(problem(
                    &places.comparisons,
                    entry,
                    Some("roles".into()),
                    "this pair is compared twice: keep one entry per pair".into(),
                ));
            }
        }
    }
}

impl KnowledgeBase {
    /// A term is one lowercase word; it stands for one or more lowercase words.
    fn check_synonyms(&self, places: &Places, problems: &mut Vec<Problem>) {
        let word = |text: &str| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        for (term, expansion) in &self.synonyms {
            let field = Some(format!("synonyms.{term}"));
            if !word(term) || term.len() > 40 {
                problems.push(problem(
                    &places.synonyms,
                    None,
                    field.clone(),
                    format!("`{term}` must be one word of 1–40 lowercase letters and digits"),
                ));
            }
            if expansion.len() > 120 || !expansion.split(' ').all(word) {
                problems.push(problem(&places.synonyms, None, field, format!("`{expansion}` must be lowercase words separated by single spaces, at most 120 characters")));
            }
        }
    }
}

fn problem(file: &str, entry: Option<String>, field: Option<String>, message: String) -> Problem {
    Problem {
        file: file.to_owned(),
        entry,
        field,
        message,
    }
}

fn unknown(what: &str, key: &Slug, place: &str) -> String {
    format!("unknown {what} `{key}`: it is not in {place}")
}

fn unique_keys<'a>(
    file: &str,
    what: &str,
    keys: impl Iterator<Item = &'a Slug>,
    problems: &mut Vec<Problem>,
) -> HashSet<&'a Slug> {
    let mut seen = HashSet::new();
    for (index, key) in keys.enumerate() {
        if !seen.insert(key) {
            problems.push(problem(
                file,
                Some(format!("{what}[{index}] `{key}`")),
                None,
                format!("`{key}` is listed twice"),
            ));
        }
    }
    seen
}

/// Parses one TOML file into `T`, and digests its content. Errors name the
/// entry and field by their path (`requirements[1].min_years`).
fn parse_file<T: DeserializeOwned>(path: &str, text: &str) -> Result<(T, String), Problem> {
    let mut value: toml::Value = toml::from_str::<toml::Table>(text)
        .map(toml::Value::Table)
        .map_err(|error| problem(path, None, None, error.to_string().trim_end().to_owned()))?;
    dates_to_strings(&mut value);
    let digest = hex::encode(Sha256::digest(
        serde_json::to_vec(&value).unwrap_or_default(),
    ));
    let parsed = serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|error| {
        let field = error.path().to_string();
        let entry = describe_entry(&value, &field);
        // The error's own text ends with the key path again ("in `requirements`").
        let message = error
            .into_inner()
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        problem(path, entry, (field != ".").then_some(field), message)
    })?;
    Ok((parsed, digest))
}

/// Names the entry a path points into: the role of a role file, or the list
/// entry (`skill[3]`) by its key, if it has one.
fn describe_entry(root: &toml::Value, path: &str) -> Option<String> {
    if let Some(slug) = root.get("slug").and_then(|slug| slug.as_str()) {
        return Some(format!("role `{slug}`"));
    }
    let (list, rest) = path.split_once('[')?;
    let index: usize = rest.split_once(']')?.0.parse().ok()?;
    let entry = root.get(list)?.get(index)?;
    let key = ["key", "slug"]
        .iter()
        .find_map(|name| entry.get(*name)?.as_str());
    Some(match key {
        Some(key) => format!("{list}[{index}] `{key}`"),
        None => format!("{list}[{index}]"),
    })
}

/// TOML has a date type; the domain reads dates as ISO 8601 strings.
fn dates_to_strings(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(datetime) => *value = toml::Value::String(datetime.to_string()),
        toml::Value::Array(items) => items.iter_mut().for_each(dates_to_strings),
        toml::Value::Table(table) => table
            .iter_mut()
            .for_each(|(_, value)| dates_to_strings(value)),
        _ => {}
    }
}
