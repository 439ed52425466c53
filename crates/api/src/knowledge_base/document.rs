//! The knowledge base as one JSON document: what `rolebase export` prints and
//! `rolebase import kb` reads. `openapi/knowledge-base.schema.json` describes it.

use super::{KnowledgeBase, KnowledgeBaseError, LoadedRole, Places, problem};
use rolebase_domain::{CareerStep, ComparisonNotes, RoleContent, Skill, Source};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What the document's `format` says it is.
pub const FORMAT: &str = "rolebase-knowledge-base";
/// The shape's version: it changes only when a reader of the old shape
/// could no longer read the new one.
pub const FORMAT_VERSION: u64 = 1;

/// The whole curated knowledge base (not the imported wage tables), in a
/// stable order: sources and skills by key, roles by slug, steps and
/// comparisons by their roles' slugs, synonyms by term.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub format_version: u64,
    pub sources: Vec<Source>,
    pub skills: Vec<Skill>,
    pub roles: Vec<RoleContent>,
    pub career_steps: Vec<CareerStep>,
    pub comparisons: Vec<ComparisonNotes>,
    pub synonyms: BTreeMap<String, String>,
}

impl Document {
    pub fn new(
        sources: Vec<Source>,
        skills: Vec<Skill>,
        roles: Vec<RoleContent>,
        career_steps: Vec<CareerStep>,
        comparisons: Vec<ComparisonNotes>,
        synonyms: BTreeMap<String, String>,
    ) -> Self {
        Self {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            sources,
            skills,
            roles,
            career_steps,
            comparisons,
            synonyms,
        }
    }
}

impl Document {
    /// The document as `rolebase export` prints it: indented JSON, one
    /// trailing newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a document serializes");
        json.push('\n');
        json
    }

    /// SHA-256 of `to_json`, in hex: what `sha256sum` says of an export.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.to_json()))
    }
}

impl KnowledgeBase {
    /// Parses and checks an exported document; `name` (its file name) is how
    /// problems refer to it. Every problem the checks find is reported; a
    /// document that is not well-formed is reported at its first fault.
    pub fn from_document(name: &str, text: &str) -> Result<Self, KnowledgeBaseError> {
        let refuse = |field: Option<String>, message: String| KnowledgeBaseError {
            problems: vec![problem(name, None, field, message)],
        };
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| refuse(None, format!("not a JSON document: {error}")))?;
        // The format first: a document of another kind or version would
        // otherwise be refused for its first unexpected field.
        match value.get("format").and_then(|format| format.as_str()) {
            Some(FORMAT) => {}
            other => {
                return Err(refuse(
                    Some("format".into()),
                    format!(
                        "expected \"{FORMAT}\", found {}: this is not an exported Rolebase knowledge base",
                        other.map_or_else(|| "nothing".to_owned(), |f| format!("\"{f}\""))
                    ),
                ));
            }
        }
        match value.get("format_version").and_then(|v| v.as_u64()) {
            Some(FORMAT_VERSION) => {}
            other => {
                return Err(refuse(
                    Some("format_version".into()),
                    format!(
                        "this rolebase reads format version {FORMAT_VERSION}, the document has {}",
                        other.map_or_else(|| "none".to_owned(), |v| v.to_string())
                    ),
                ));
            }
        }
        let document: Document = serde_path_to_error::deserialize(&value).map_err(|error| {
            let field = error.path().to_string();
            let message = error.into_inner().to_string();
            refuse((field != ".").then_some(field), message)
        })?;
        let roles = document
            .roles
            .into_iter()
            .enumerate()
            .map(|(index, content)| LoadedRole {
                digest: hex::encode(Sha256::digest(
                    serde_json::to_vec(&content).unwrap_or_default(),
                )),
                file: format!("{name}: roles[{index}]"),
                content,
            })
            .collect();
        let kb = KnowledgeBase {
            sources: document.sources,
            skills: document.skills,
            roles,
            career_steps: document.career_steps,
            comparisons: document.comparisons,
            synonyms: document.synonyms,
        };
        kb.checked(&Places::document(name), Vec::new())
    }
}
