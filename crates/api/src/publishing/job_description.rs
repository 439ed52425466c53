//! A ready-to-post job description for a role, in Markdown or HTML, from the
//! templates in `crates/api/templates`. Both escape every value by default:
//! HTML by minijinja's HTML escaping, Markdown by [`escape_markdown`], so no
//! text from the database reaches a page as markup.

use super::{Posting, dollars, jsonld};
use crate::views::{SalaryView, SourceView, WageFigures};
use minijinja::{
    AutoEscape, Environment, UndefinedBehavior, Value, escape_formatter, syntax::SyntaxConfig,
};
use rolebase_domain::{RequirementLevel, SalaryPeriod, SkillImportance, posting::posting_title};
use serde::Serialize;
use std::sync::OnceLock;

/// The formats a description comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl Format {
    pub const MARKDOWN: &'static str = "text/markdown; charset=utf-8";
    pub const HTML: &'static str = "text/html; charset=utf-8";
    /// The media types alone, as `Accept` names them.
    pub const MARKDOWN_TYPE: &'static str = "text/markdown";
    pub const HTML_TYPE: &'static str = "text/html";

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Markdown => Self::MARKDOWN,
            Self::Html => Self::HTML,
        }
    }

    /// Its name in `format=` and in cache keys.
    pub fn name(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
            Self::Html => "html",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Self::Markdown => "job-description.md",
            Self::Html => "job-description.html",
        }
    }
}

const MARKDOWN_ESCAPE: &str = "markdown";

fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut templates = Environment::new();
        templates.set_undefined_behavior(UndefinedBehavior::Strict);
        templates.set_syntax(
            SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("a valid syntax"),
        );
        templates.set_auto_escape_callback(|name| {
            if name.ends_with(".md") {
                AutoEscape::Custom(MARKDOWN_ESCAPE.into())
            } else {
                AutoEscape::Html
            }
        });
        templates.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN_ESCAPE) {
                let text = if value.is_safe() {
                    value.to_string()
                } else {
                    escape_markdown(&value.to_string())
                };
                return out.write_str(&text).map_err(minijinja::Error::from);
            }
            escape_formatter(out, state, value)
        });
        templates.add_filter("link_target", link_target);
        for (name, source) in [
            (
                "job-description.md",
                include_str!("../../templates/job-description.md"),
            ),
            (
                "job-description.html",
                include_str!("../../templates/job-description.html"),
            ),
        ] {
            templates
                .add_template(name, source)
                .expect("the job description templates are valid");
        }
        templates
    })
}

/// What the templates show.
#[derive(Debug, Serialize)]
struct Page<'a> {
    title: String,
    summary: &'a str,
    responsibilities: Vec<Duty<'a>>,
    required: Vec<&'a str>,
    essential_skills: Vec<&'a str>,
    preferred: Vec<&'a str>,
    optional_skills: Vec<&'a str>,
    pay: Option<Pay>,
    sources: Vec<SourceLine<'a>>,
    /// The same role as schema.org JSON-LD, for the HTML page's head.
    jsonld: Option<jsonld::OccupationDocument>,
}

#[derive(Debug, Serialize)]
struct Duty<'a> {
    title: &'a str,
    description: &'a str,
}

/// Pay in the posting's area: the imported wages, or a curated figure.
#[derive(Debug, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
enum Pay {
    Wages {
        area: String,
        occupation: String,
        code: String,
        per: &'static str,
        median: Option<String>,
        p25: Option<String>,
        p75: Option<String>,
        dataset: &'static str,
        publisher: &'static str,
        release: String,
    },
    Curated {
        per: &'static str,
        area: Option<String>,
        mean: Option<String>,
        min: Option<String>,
        max: Option<String>,
        currency: String,
        source: Option<String>,
    },
}

#[derive(Debug, Serialize)]
struct SourceLine<'a> {
    title: &'a str,
    /// Only web addresses become links.
    url: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<String>,
}

/// The description of `posting` in `format`.
pub fn render(posting: &Posting, format: Format) -> Result<String, minijinja::Error> {
    let page = page(posting, format);
    templates()
        .get_template(format.template())?
        .render(minijinja::value::Serde(&page))
}

fn page(posting: &Posting, format: Format) -> Page<'_> {
    let role = &posting.role;
    let by_level = |level: RequirementLevel| {
        posting
            .requirements
            .iter()
            .filter(move |item| item.level == level)
            .map(|item| item.description.as_str())
            .collect()
    };
    let by_importance = |importance: SkillImportance| {
        posting
            .skills
            .iter()
            .filter(move |skill| skill.importance == importance)
            .map(|skill| skill.name.as_str())
            .collect()
    };
    Page {
        title: posting_title(&role.overview.title, posting.seniority),
        summary: &role.overview.summary,
        responsibilities: posting
            .responsibilities
            .iter()
            .map(|item| Duty {
                title: &item.title,
                description: &item.description,
            })
            .collect(),
        required: by_level(RequirementLevel::Required),
        essential_skills: by_importance(SkillImportance::Essential),
        preferred: by_level(RequirementLevel::Preferred),
        optional_skills: by_importance(SkillImportance::Optional),
        pay: pay(posting),
        sources: role.sources.iter().map(source_line).collect(),
        jsonld: (format == Format::Html).then(|| jsonld::occupation(posting)),
    }
}

fn pay(posting: &Posting) -> Option<Pay> {
    if let Some(wages) = &posting.wages {
        let (figures, per, cents) = if any_figure(&wages.wage.annual) {
            (&wages.wage.annual, "year", false)
        } else {
            (&wages.wage.hourly, "hour", true)
        };
        let show = |amount: Option<rolebase_domain::Money>| amount.map(|a| dollars(a, cents));
        let source = crate::views::DatasetSource::OEWS;
        return Some(Pay::Wages {
            area: posting.area.name().to_owned(),
            occupation: wages.occupation.title.clone(),
            code: wages.occupation.code.clone(),
            per,
            median: show(figures.median),
            p25: show(figures.p25),
            p75: show(figures.p75),
            dataset: source.title,
            publisher: source.publisher,
            release: wages.wage.release_title.clone(),
        });
    }
    posting.curated_salaries.first().map(curated_pay)
}

fn any_figure(figures: &WageFigures) -> bool {
    [figures.median, figures.p25, figures.p75]
        .iter()
        .any(Option::is_some)
}

fn curated_pay(salary: &SalaryView) -> Pay {
    let (per, cents) = match salary.period {
        SalaryPeriod::Annual => ("year", false),
        SalaryPeriod::Hourly => ("hour", true),
    };
    let dollars_only = salary.currency == "USD";
    let show = |amount: Option<rolebase_domain::Money>| {
        amount.map(|a| {
            if dollars_only {
                dollars(a, cents)
            } else {
                a.to_string()
            }
        })
    };
    Pay::Curated {
        per,
        area: salary.area.as_ref().map(|area| area.name.clone()),
        mean: show(salary.mean),
        min: show(salary.min),
        max: show(salary.max),
        currency: salary.currency.clone(),
        source: salary
            .attribution
            .source
            .as_ref()
            .map(|source| source.title.clone()),
    }
}

fn source_line(source: &SourceView) -> SourceLine<'_> {
    SourceLine {
        title: &source.title,
        url: source
            .url
            .as_deref()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://")),
        publisher: source.publisher.as_deref(),
        published: source.published.map(|date| date.to_string()),
    }
}

/// A web address as the target of a Markdown link written `[text](<target>)`:
/// what could end the target (angle brackets, a line break) or escape out of
/// it (a backslash) is percent-encoded, as it would be in any address.
fn link_target(url: &str) -> Value {
    let mut target = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' | '>' | '\\' | ' ' | '\n' | '\r' => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    target.push_str(&format!("%{byte:02X}"));
                }
            }
            _ => target.push(c),
        }
    }
    Value::from_safe_string(target)
}

/// `text` as Markdown shows it, literally: the characters Markdown reads as
/// markup anywhere (emphasis, code, links, raw HTML, entities, tables) are
/// escaped with a backslash, and so is what would make a line a heading,
/// list item, quote or code block.
pub fn escape_markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            escaped.push('\n');
        }
        // Indentation would make a code block.
        let line = line.trim_start();
        let numbered = line
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&at| at > 0 && matches!(line.as_bytes()[at], b'.' | b')'));
        for (at, c) in line.char_indices() {
            let leads = at == 0 && matches!(c, '#' | '-' | '+' | '=' | '>');
            if leads || numbered == Some(at) || "\\`*_[]<>&|~".contains(c) {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape_markdown;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_markdown("<script>alert('x')</script>"),
            "\\<script\\>alert('x')\\</script\\>"
        );
        assert_eq!(
            escape_markdown("*bold* _it_ `code` [a](b) a|b ~x~ &amp; \\"),
            "\\*bold\\* \\_it\\_ \\`code\\` \\[a\\](b) a\\|b \\~x\\~ \\&amp; \\\\"
        );
    }

    #[test]
    fn a_line_cannot_start_a_block() {
        assert_eq!(escape_markdown("# Heading"), "\\# Heading");
        assert_eq!(escape_markdown("- item\n+ item"), "\\- item\n\\+ item");
        assert_eq!(escape_markdown("12. item"), "12\\. item");
        assert_eq!(escape_markdown("3) item"), "3\\) item");
        assert_eq!(escape_markdown("    code"), "code");
        assert_eq!(escape_markdown("==="), "\\===");
    }

    #[test]
    fn ordinary_text_reads_as_it_is() {
        assert_eq!(
            escape_markdown("Leads a team of 5-10 engineers, e.g. in C# or Go."),
            "Leads a team of 5-10 engineers, e.g. in C# or Go."
        );
        assert_eq!(escape_markdown("2024 was busy"), "2024 was busy");
    }
}
