//! Job titles as postings carry them ("Sr. Java Tech Lead (Remote, EU)"):
//! read into the words that name the job, the seniority they state, and the
//! words that do not count (a place, "remote", "full-time", "II", a
//! requisition number, a team), each with why; then matched against every
//! role's title and alternative titles, and the occupations' titles, with an
//! honest confidence.
//!
//! Matching weighs words: a word of the catalogue's titles counts fully, a
//! word no title has (a language, a product) counts a third, and a seniority
//! word the candidate lacks counts half, so "Senior Java Tech Lead" is still
//! a Technical Lead and "Senior Engineering Manager" its own role. Words are
//! compared after abbreviations are expanded (the search synonyms), plurals
//! folded, and one slip of the keyboard forgiven in words of five letters or
//! more.

use crate::Seniority;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// The seniority a title's words state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TitleSeniority {
    Intern,
    Junior,
    Mid,
    Senior,
    Staff,
    Principal,
    Lead,
    Head,
    Director,
    Vp,
    Executive,
}

impl TitleSeniority {
    /// Its rung on a role's ladder (entry 0 … executive 6).
    fn rung(self) -> i32 {
        match self {
            Self::Intern | Self::Junior => 0,
            Self::Mid => 1,
            Self::Senior => 2,
            Self::Staff | Self::Lead => 3,
            Self::Principal => 4,
            Self::Head | Self::Director => 5,
            Self::Vp | Self::Executive => 6,
        }
    }

    /// The grade word it stands for in matching, if any: a level numeral
    /// ("III") or an intern counts as the word a title would spell out.
    fn grade_word(self) -> Option<&'static str> {
        match self {
            Self::Intern | Self::Junior => Some("junior"),
            Self::Mid => Some("mid"),
            Self::Senior => Some("senior"),
            Self::Staff => Some("staff"),
            Self::Principal => Some("principal"),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intern => "intern",
            Self::Junior => "junior",
            Self::Mid => "mid",
            Self::Senior => "senior",
            Self::Staff => "staff",
            Self::Principal => "principal",
            Self::Lead => "lead",
            Self::Head => "head",
            Self::Director => "director",
            Self::Vp => "vp",
            Self::Executive => "executive",
        }
    }
}

/// Why a word of a title did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unmatched {
    /// A place: "London", "EU", "Remote - US"'s "US".
    Location,
    /// Remote, hybrid, on-site.
    WorkArrangement,
    /// Full-time, part-time, contract, permanent.
    EmploymentType,
    /// A level numeral or grade: "II", "L5".
    Level,
    /// A requisition or job number: "#48213", "REQ-20931".
    Requisition,
    /// The team or area after the title: "Payments" in "Staff SWE, Payments".
    Department,
    /// Gender notation required in some countries' postings: "(m/w/d)".
    GenderNotation,
}

/// A part of the title that did not count, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct IgnoredText {
    /// The text, as the title has it.
    #[schema(example = "Remote")]
    pub text: String,
    pub why: Unmatched,
}

/// A title, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTitle {
    /// The words that name the job, lowercase, abbreviations expanded, plurals folded.
    pub words: Vec<String>,
    /// Words the title implies without saying them ("software" for "Backend
    /// Engineer"): they count when a name has them, and cost nothing when not.
    pub implied: Vec<String>,
    pub seniority: Option<TitleSeniority>,
    pub ignored: Vec<IgnoredText>,
}

/// Role words of other languages that postings mix in, with their English.
const TRANSLATIONS: &[(&str, &str)] = &[
    ("softwareentwickler", "software developer"),
    ("softwareentwicklerin", "software developer"),
    ("entwickler", "developer"),
    ("entwicklerin", "developer"),
    ("softwareingenieur", "software engineer"),
    ("ingenieur", "engineer"),
    ("ingénieur", "engineer"),
    ("teamleiter", "team lead"),
    ("teamleiterin", "team lead"),
    ("projektleiter", "project manager"),
    ("projektleiterin", "project manager"),
    ("projektmanager", "project manager"),
    ("architekt", "architect"),
    ("développeur", "developer"),
    ("développeuse", "developer"),
    ("desarrollador", "developer"),
    ("desarrolladora", "developer"),
    ("sviluppatore", "developer"),
    ("programador", "programmer"),
    ("arquitecto", "architect"),
];

/// Words that name a software discipline or language: a title with one of
/// them is about software even when it does not say so ("Backend Engineer").
const SOFTWARE_WORDS: &[&str] = &[
    "backend",
    "back-end",
    "frontend",
    "front-end",
    "full-stack",
    "fullstack",
    "web",
    "mobile",
    "ios",
    "android",
    "java",
    "python",
    "golang",
    "go",
    "rust",
    "ruby",
    "php",
    "javascript",
    "typescript",
    "react",
    "node",
    "node.js",
    ".net",
    "c#",
    "c++",
    "scala",
    "kotlin",
    "swift",
    "rails",
    "django",
    "embedded",
    "firmware",
    "api",
];

/// Words that say what kind of job, not which: a title matched on these
/// alone ("Civil Engineer" against "Data Engineer") names no role.
const GENERIC_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "manager",
    "lead",
    "leader",
    "director",
    "architect",
    "specialist",
    "analyst",
    "consultant",
    "officer",
    "head",
    "team",
    "member",
    "associate",
    "professional",
    "expert",
];

/// Words of occupation titles that qualify rather than name a job
/// ("Dentists, General", "Managers, All Other").
const OCCUPATION_QUALIFIERS: &[&str] = &[
    "general",
    "other",
    "all",
    "miscellaneous",
    "worker",
    "occupation",
    "except",
];

/// Words that carry no meaning for matching.
const STOPWORDS: &[&str] = &[
    "of", "and", "the", "for", "in", "a", "an", "to", "with", "at",
];

const WORK_ARRANGEMENTS: &[&str] = &[
    "remote",
    "hybrid",
    "onsite",
    "on-site",
    "on site",
    "in-office",
    "in office",
    "office-based",
    "wfh",
    "work from home",
    "telecommute",
    "remote-first",
    "remote first",
    "flexible",
];

const EMPLOYMENT_TYPES: &[&str] = &[
    "full-time",
    "full time",
    "fulltime",
    "part-time",
    "part time",
    "parttime",
    "contract",
    "contractor",
    "contract-to-hire",
    "contract to hire",
    "c2h",
    "temporary",
    "temp",
    "permanent",
    "perm",
    "freelance",
    "fixed-term",
    "fixed term",
    "ftc",
    "w2",
    "1099",
    "seasonal",
];

/// Places postings name often enough to be worth knowing.
const LOCATIONS: &[&str] = &[
    "eu",
    "emea",
    "apac",
    "latam",
    "amer",
    "americas",
    "europe",
    "asia",
    "africa",
    "nordics",
    "dach",
    "benelux",
    "us",
    "usa",
    "u.s.",
    "uk",
    "u.k.",
    "north america",
    "united states",
    "united kingdom",
    "canada",
    "mexico",
    "brazil",
    "germany",
    "france",
    "spain",
    "italy",
    "netherlands",
    "ireland",
    "poland",
    "portugal",
    "sweden",
    "norway",
    "denmark",
    "finland",
    "switzerland",
    "austria",
    "belgium",
    "india",
    "china",
    "japan",
    "singapore",
    "australia",
    "new zealand",
    "israel",
    "uae",
    "worldwide",
    "global",
    "anywhere",
    "london",
    "manchester",
    "edinburgh",
    "dublin",
    "berlin",
    "munich",
    "hamburg",
    "frankfurt",
    "paris",
    "lyon",
    "amsterdam",
    "rotterdam",
    "madrid",
    "barcelona",
    "lisbon",
    "milan",
    "rome",
    "zurich",
    "geneva",
    "vienna",
    "stockholm",
    "oslo",
    "copenhagen",
    "helsinki",
    "warsaw",
    "krakow",
    "prague",
    "budapest",
    "bucharest",
    "new york",
    "nyc",
    "new york city",
    "san francisco",
    "sf",
    "bay area",
    "sf bay area",
    "los angeles",
    "la",
    "seattle",
    "austin",
    "boston",
    "chicago",
    "denver",
    "atlanta",
    "dallas",
    "houston",
    "miami",
    "washington",
    "dc",
    "washington dc",
    "portland",
    "san diego",
    "san jose",
    "toronto",
    "vancouver",
    "montreal",
    "sydney",
    "melbourne",
    "bangalore",
    "bengaluru",
    "hyderabad",
    "pune",
    "mumbai",
    "delhi",
    "chennai",
    "tokyo",
    "seoul",
    "hong kong",
    "shanghai",
    "beijing",
    "tel aviv",
    "dubai",
    "sao paulo",
    "ca",
    "ny",
    "tx",
    "wa",
    "ma",
    "ga",
    "fl",
    "nj",
    "va",
    "nc",
    "mn",
    "az",
    "ut",
];

/// Words of film, television and live production: "Technical Director"
/// among them is the production role, not the engineering one.
const PRODUCTION_CONTEXT: &[&str] = &[
    "broadcast",
    "broadcasting",
    "film",
    "tv",
    "television",
    "live",
    "production",
    "theatre",
    "theater",
    "stage",
    "studio",
    "post-production",
    "vfx",
    "animation",
    "newsroom",
    "news",
    "concert",
    "sport",
    "sports",
    "event",
    "events",
    "video",
    "media",
];

fn is_gender_notation(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            matches!(
                part.to_lowercase().as_str(),
                "m" | "w" | "d" | "f" | "h" | "x" | "n" | "i" | "k" | "div" | "all" | "gn"
            )
        })
}

fn is_requisition(word: &str) -> bool {
    let lower = word.to_lowercase();
    let digits_after = |prefix: &str| {
        lower.strip_prefix(prefix).is_some_and(|rest| {
            let rest = rest.trim_start_matches(['-', '_', '#', ':']);
            rest.len() >= 3 && rest.chars().all(|c| c.is_ascii_digit() || c == '-')
        })
    };
    (lower.len() >= 4 && lower.chars().all(|c| c.is_ascii_digit()))
        || [
            "#",
            "req",
            "r",
            "jr",
            "job",
            "id",
            "ref",
            "requisition",
            "vacancy",
        ]
        .iter()
        .any(|prefix| digits_after(prefix))
}

/// A level numeral or grade, and the seniority it implies.
fn level(word: &str) -> Option<Option<TitleSeniority>> {
    let lower = word.to_lowercase();
    let numeral = match lower.as_str() {
        "i" | "1" => Some(TitleSeniority::Junior),
        "ii" | "2" => Some(TitleSeniority::Mid),
        "iii" | "3" => Some(TitleSeniority::Senior),
        "iv" | "4" => Some(TitleSeniority::Staff),
        "v" | "5" => Some(TitleSeniority::Principal),
        _ => None,
    };
    if numeral.is_some() {
        return Some(numeral);
    }
    // Ladder grades: L5, E6, IC4, P3, M2.
    let grade = ["ic", "l", "e", "p", "m", "g"].iter().any(|prefix| {
        lower.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.len() <= 2 && rest.chars().all(|c| c.is_ascii_digit())
        })
    });
    grade.then_some(None)
}

/// The seniority a word states: a grade word, or a position word.
fn seniority_word(word: &str) -> Option<(TitleSeniority, bool)> {
    use TitleSeniority::*;
    let grade = |seniority| Some((seniority, true));
    let position = |seniority| Some((seniority, false));
    match word {
        "intern" | "internship" | "trainee" | "apprentice" => grade(Intern),
        "junior" | "jr" | "graduate" | "grad" | "entry" | "entry-level" | "associate" => {
            grade(Junior)
        }
        "mid" | "mid-level" | "midlevel" | "intermediate" => grade(Mid),
        "senior" | "sr" | "snr" => grade(Senior),
        "staff" => grade(Staff),
        "principal" | "distinguished" | "fellow" => grade(Principal),
        "lead" | "leader" => position(Lead),
        "head" => position(Head),
        "director" => position(Director),
        "vp" | "svp" | "evp" | "avp" => position(Vp),
        "chief" | "cto" | "cio" | "ciso" | "cpo" | "ceo" | "coo" => position(Executive),
        _ => None,
    }
}

fn fold_plural(word: &str) -> String {
    let keep = word.len() <= 3
        || word.ends_with("ss")
        || word.ends_with("us")
        || word.ends_with("is")
        || word.ends_with("ics")
        || word == "sales"
        || word == "ops"
        || word == "devops";
    if !keep && let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if !keep && let Some(stem) = word.strip_suffix('s') {
        return stem.to_owned();
    }
    word.to_owned()
}

/// Lowercase words of a text: letters, digits and inner hyphens, slashes split.
fn words_of(text: &str) -> Vec<String> {
    word_spans(text)
        .into_iter()
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect()
}

/// Where each word of `text` starts and ends, in bytes.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '+' || c == '#' || c == '.';
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word(c)) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                let word = &text[from..at];
                let trimmed = word.trim_start_matches(['-', '.']);
                let begin = from + (word.len() - trimmed.len());
                let end = begin + trimmed.trim_end_matches(['-', '.']).len();
                if end > begin {
                    spans.push((begin, end));
                }
                start = None;
            }
            _ => {}
        }
    }
    spans
}

/// Finds the longest phrase of `phrases` (in words) starting at `words[at]`.
fn phrase_at(words: &[String], at: usize, phrases: &[&str]) -> Option<usize> {
    (1..=4).rev().find(|&length| {
        at + length <= words.len() && phrases.contains(&words[at..at + length].join(" ").as_str())
    })
}

/// What the catalogue's titles say, prepared for reading and matching titles.
#[derive(Debug, Clone)]
pub struct TitleIndex {
    synonyms: HashMap<String, Vec<String>>,
    /// Every word of the roles' titles, folded.
    vocabulary: HashSet<String>,
    roles: Vec<RoleTitles>,
    /// Word → the roles (positions in `roles`) whose names have it.
    roles_by_word: HashMap<String, Vec<usize>>,
    occupations: Vec<OccupationTitle>,
    occupation_vocabulary: HashSet<String>,
    /// The two vocabularies by first letter and length: the only words a
    /// misspelt word is compared with (see `canonical`).
    spellings: Spellings,
    occupation_spellings: Spellings,
    /// Word → the occupations (positions) whose names have it, qualifiers aside.
    occupations_by_word: HashMap<String, Vec<usize>>,
}

/// Words by first letter and length in characters.
#[derive(Debug, Clone, Default)]
struct Spellings(HashMap<(char, usize), Vec<String>>);

impl Spellings {
    fn of(words: &HashSet<String>) -> Self {
        let mut spellings = Self::default();
        for word in words {
            if let Some(first) = word.chars().next() {
                let key = (first, word.chars().count());
                spellings.0.entry(key).or_default().push(word.clone());
            }
        }
        // A stable order, so that ties between equally near words resolve
        // the same way in every process.
        for words in spellings.0.values_mut() {
            words.sort();
        }
        spellings
    }
}

/// A role's names, as the index keeps them.
#[derive(Debug, Clone)]
struct RoleTitles {
    key: usize,
    titles: Vec<Vec<String>>,
    production: bool,
    seniority: Option<Seniority>,
}

#[derive(Debug, Clone)]
struct OccupationTitle {
    key: usize,
    /// The whole title, then each of the jobs it lists ("Plumbers,
    /// Pipefitters, and Steamfitters").
    names: Vec<Vec<String>>,
}

/// A role or occupation a title matched, by the key it was given, with how well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub key: usize,
    /// From 0 (nothing in common) to 1 (the same words).
    pub confidence: f64,
}

/// What the index says of a title.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleMatch {
    pub read: ReadTitle,
    /// Roles, best first, at most four.
    pub roles: Vec<Scored>,
}

/// A role to index: its key (the caller's index into its own list), its
/// title and alternative titles, and whether it is a production role (film,
/// television, live events).
pub struct RoleNames<'a> {
    pub key: usize,
    pub titles: Vec<&'a str>,
    pub production: bool,
    pub seniority: Option<Seniority>,
}

impl TitleIndex {
    /// `synonyms`: abbreviation → what it stands for (the search's).
    pub fn new(
        roles: Vec<RoleNames<'_>>,
        occupations: Vec<(usize, &str)>,
        synonyms: &HashMap<String, String>,
    ) -> Self {
        let synonyms: HashMap<String, Vec<String>> = synonyms
            .iter()
            .map(|(short, long)| (short.to_lowercase(), words_of(long)))
            .chain(
                TRANSLATIONS
                    .iter()
                    .map(|(word, english)| ((*word).to_owned(), words_of(english))),
            )
            .collect();
        let mut index = Self {
            synonyms,
            vocabulary: HashSet::new(),
            roles: Vec::new(),
            roles_by_word: HashMap::new(),
            occupations: Vec::new(),
            occupation_vocabulary: HashSet::new(),
            spellings: Spellings::default(),
            occupation_spellings: Spellings::default(),
            occupations_by_word: HashMap::new(),
        };
        index.roles = roles
            .into_iter()
            .map(|role| RoleTitles {
                key: role.key,
                titles: role
                    .titles
                    .into_iter()
                    .map(|title| index.name(title))
                    .collect(),
                production: role.production,
                seniority: role.seniority,
            })
            .collect();
        index.vocabulary = index
            .roles
            .iter()
            .flat_map(|role| role.titles.iter().flatten().cloned())
            .collect();
        index.occupations = occupations
            .into_iter()
            .map(|(key, title)| {
                let mut names = vec![index.name(title)];
                // Each job of a list, not its qualifiers ("Dentists, General",
                // "Managers, All Other", "Teachers, Except …").
                if title.contains(',') {
                    names.extend(
                        title
                            .split(',')
                            .map(|part| part.trim().trim_start_matches("and "))
                            .filter(|part| {
                                part.ends_with('s')
                                    && !part.starts_with("All ")
                                    && !part.starts_with("Except ")
                            })
                            .map(|part| index.name(part))
                            .filter(|name| !name.is_empty()),
                    );
                }
                OccupationTitle { key, names }
            })
            .collect();
        index.occupation_vocabulary = index
            .occupations
            .iter()
            .flat_map(|occupation| occupation.names[0].iter().cloned())
            .collect();
        index.spellings = Spellings::of(&index.vocabulary);
        index.occupation_spellings = Spellings::of(&index.occupation_vocabulary);
        for (at, role) in index.roles.iter().enumerate() {
            for word in role.titles.iter().flatten() {
                let roles = index.roles_by_word.entry(word.clone()).or_default();
                if roles.last() != Some(&at) {
                    roles.push(at);
                }
            }
        }
        for (at, occupation) in index.occupations.iter().enumerate() {
            for word in &occupation.names[0] {
                if OCCUPATION_QUALIFIERS.contains(&word.as_str()) || seniority_word(word).is_some()
                {
                    continue;
                }
                let occupations = index.occupations_by_word.entry(word.clone()).or_default();
                if occupations.last() != Some(&at) {
                    occupations.push(at);
                }
            }
        }
        index
    }

    /// The words of a catalogue title, as a read title's are: abbreviations
    /// expanded, level numerals as the grade they stand for, no repeats.
    fn name(&self, title: &str) -> Vec<String> {
        let raw = words_of(title);
        let mut words: Vec<String> = Vec::new();
        for (at, word) in raw.iter().enumerate() {
            let grade = if at > 0 {
                level(word).flatten().and_then(TitleSeniority::grade_word)
            } else {
                None
            };
            let expanded = match grade {
                Some(grade) => vec![grade.to_owned()],
                None => self.expand(std::slice::from_ref(word)),
            };
            for word in expanded {
                if !words.contains(&word) {
                    words.push(word);
                }
            }
        }
        words
    }

    /// Reads `title` into the words that count, its seniority and what does not count.
    pub fn read(&self, title: &str) -> ReadTitle {
        let mut ignored = Vec::new();
        let mut kept_text = String::new();
        // Bracketed parts: gender notation, or lists of qualifiers.
        let mut rest = title.replace(['–', '—'], " - ");
        while let Some(open) = rest.find(['(', '[']) {
            let close_char = if rest[open..].starts_with('(') {
                ')'
            } else {
                ']'
            };
            let Some(length) = rest[open..].find(close_char) else {
                break;
            };
            let inner = rest[open + 1..open + length].to_owned();
            kept_text.push_str(&rest[..open]);
            kept_text.push_str(" , ");
            if is_gender_notation(&inner) {
                ignored.push(IgnoredText {
                    text: rest[open..=open + length].to_owned(),
                    why: Unmatched::GenderNotation,
                });
            } else {
                for part in inner.split([',', ';']) {
                    kept_text.push_str(part);
                    kept_text.push_str(" , ");
                }
            }
            rest = rest[open + length + 1..].to_owned();
        }
        kept_text.push_str(&rest);

        // Segments: the title, then what follows a comma, a dash, a bar or a colon.
        let mut segments: Vec<&str> = Vec::new();
        for comma_part in kept_text.split([',', '|', ':', ';']) {
            segments.extend(comma_part.split(" - "));
        }
        let mut words = Vec::new();
        let mut grade = None;
        let mut position = None;
        let mut numeral = None;
        let mut first = true;
        for segment in segments {
            let spans = word_spans(segment);
            let raw_words: Vec<String> = spans
                .iter()
                .map(|&(start, end)| segment[start..end].to_lowercase())
                .collect();
            let original = |from: usize, length: usize| {
                segment[spans[from].0..spans[from + length - 1].1].to_owned()
            };
            if raw_words.is_empty() {
                continue;
            }
            let mut kept = Vec::new();
            let mut at = 0;
            while at < raw_words.len() {
                let word = &raw_words[at];
                let noise = phrase_at(&raw_words, at, WORK_ARRANGEMENTS)
                    .map(|length| (length, Unmatched::WorkArrangement))
                    .or_else(|| {
                        phrase_at(&raw_words, at, EMPLOYMENT_TYPES)
                            .map(|length| (length, Unmatched::EmploymentType))
                    })
                    .or_else(|| {
                        phrase_at(&raw_words, at, LOCATIONS)
                            // A place name that is also a title word ("lead") is a title word.
                            .filter(|_| first_is_not_title_word(self, word, at, &raw_words))
                            .map(|length| (length, Unmatched::Location))
                    })
                    .or_else(|| is_requisition(word).then_some((1, Unmatched::Requisition)));
                if let Some((length, why)) = noise {
                    ignored.push(IgnoredText {
                        text: original(at, length),
                        why,
                    });
                    at += length;
                    continue;
                }
                if let Some(implied) = level(word).filter(|_| !kept.is_empty() || !first) {
                    numeral = numeral.or(implied);
                    ignored.push(IgnoredText {
                        text: original(at, 1),
                        why: Unmatched::Level,
                    });
                    at += 1;
                    continue;
                }
                kept.push(word.clone());
                at += 1;
            }
            if kept.is_empty() {
                continue;
            }
            // After the title, a segment with no word of any title is a team or area.
            let expanded = self.expand(&kept);
            let names_a_job = expanded.iter().any(|word| {
                self.vocabulary.contains(word) || PRODUCTION_CONTEXT.contains(&word.as_str())
            });
            if !first && !names_a_job {
                ignored.push(IgnoredText {
                    text: segment.trim().to_owned(),
                    why: Unmatched::Department,
                });
                continue;
            }
            for (at, word) in expanded.iter().enumerate() {
                let next = expanded.get(at + 1).map(String::as_str);
                let stated = match (word.as_str(), next) {
                    ("vice", Some("president")) => Some((TitleSeniority::Vp, false)),
                    // "Senior Vice President" is a VP, not a senior grade.
                    ("senior" | "executive", Some("vice")) => None,
                    // "Associate Director" is a director.
                    ("associate", Some("director" | "vice" | "head")) => None,
                    _ => seniority_word(word),
                };
                match stated {
                    Some((seniority, true)) => grade = grade.or(Some(seniority)),
                    Some((seniority, false)) => {
                        position = Some(
                            position
                                .map_or(seniority, |known: TitleSeniority| known.max(seniority)),
                        )
                    }
                    None => {}
                }
            }
            words.extend(expanded);
            first = false;
        }
        let mut implied = Vec::new();
        if !words.iter().any(|word| word == "software")
            && words
                .iter()
                .any(|word| SOFTWARE_WORDS.contains(&word.as_str()))
        {
            implied.push("software".to_owned());
        }
        // A level numeral stands for its grade when no word states one.
        if grade.is_none()
            && let Some(word) = numeral.and_then(TitleSeniority::grade_word)
            && !words.iter().any(|known| known == word)
        {
            words.push(word.to_owned());
        }
        if grade == Some(TitleSeniority::Intern) && !words.iter().any(|known| known == "junior") {
            words.push("junior".to_owned());
        }
        ReadTitle {
            words,
            implied,
            seniority: grade.or(numeral).or(position),
            ignored,
        }
    }

    /// Abbreviations expanded, stopwords dropped, plurals folded.
    fn expand(&self, words: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for word in words {
            let bare = word.trim_end_matches('.');
            match self.synonyms.get(bare) {
                Some(long) => out.extend(long.iter().cloned()),
                None => out.push(bare.to_owned()),
            }
        }
        out.into_iter()
            .filter(|word| !STOPWORDS.contains(&word.as_str()))
            .map(|word| fold_plural(&word))
            .collect()
    }

    /// A word as the catalogue spells it: itself, or the one title word it
    /// is a slip away from. Only words of the same first letter and a
    /// length within the slip are compared, so a title of unknown words
    /// costs a few dozen comparisons a word, not the whole vocabulary.
    fn canonical(&self, word: &str, vocabulary: &HashSet<String>, spellings: &Spellings) -> String {
        let length = word.chars().count();
        if vocabulary.contains(word) || length < 5 {
            return word.to_owned();
        }
        let allowed = if length >= 12 { 2 } else { 1 };
        let Some(first) = word.chars().next() else {
            return word.to_owned();
        };
        (length - allowed..=length + allowed)
            .filter_map(|length| spellings.0.get(&(first, length)))
            .flatten()
            .map(|known| (strsim::damerau_levenshtein(word, known), known))
            .filter(|(distance, _)| *distance <= allowed)
            .min()
            .map_or_else(|| word.to_owned(), |(_, known)| known.clone())
    }

    /// Reads `title` and ranks the roles and occupations it may name.
    pub fn match_title(&self, title: &str) -> TitleMatch {
        let read = self.read(title);
        let mut words: Vec<String> = Vec::new();
        for word in &read.words {
            let word = self.canonical(word, &self.vocabulary, &self.spellings);
            if !words.contains(&word) {
                words.push(word);
            }
        }
        let production_context = words
            .iter()
            .any(|word| PRODUCTION_CONTEXT.contains(&word.as_str()));
        // Only roles that share a word with the title can match it.
        let mut candidates: Vec<usize> = words
            .iter()
            .chain(&read.implied)
            .filter_map(|word| self.roles_by_word.get(word))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut roles: Vec<Scored> = candidates
            .into_iter()
            .map(|at| &self.roles[at])
            .map(|role| {
                let best = role
                    .titles
                    .iter()
                    .map(|candidate| {
                        role_similarity(&words, &read.implied, candidate, &self.vocabulary)
                    })
                    .fold(0.0, f64::max);
                // The same words mean the production role among production
                // words, the engineering one elsewhere.
                let in_context = match (role.production, production_context) {
                    (true, true) => (best + 0.2).min(1.0),
                    (true, false) => best * 0.9,
                    (false, true) => best * 0.8,
                    (false, false) => best,
                };
                // A stated seniority leans towards roles of that level.
                let leaning = match (read.seniority, role.seniority) {
                    (Some(stated), Some(level)) => {
                        let distance = (stated.rung() - rung_of(level)).abs();
                        1.0 - 0.04 * f64::from(distance)
                    }
                    _ => 1.0,
                };
                Scored {
                    key: role.key,
                    confidence: in_context * leaning,
                }
            })
            .filter(|scored| scored.confidence > 0.0)
            .collect();
        roles.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.key.cmp(&b.key))
        });
        roles.truncate(4);

        TitleMatch { read, roles }
    }

    /// The imported occupation whose title fits `read` best, for a title no
    /// role fits.
    pub fn best_occupation(&self, read: &ReadTitle) -> Option<Scored> {
        let mut words: Vec<String> = Vec::new();
        for word in &read.words {
            let word = self.canonical(
                word,
                &self.occupation_vocabulary,
                &self.occupation_spellings,
            );
            if !words.contains(&word) {
                words.push(word);
            }
        }
        // Only occupations that share a word, not a qualifier, can fit.
        let mut candidates: Vec<usize> = words
            .iter()
            .filter_map(|word| self.occupations_by_word.get(word))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|at| &self.occupations[at])
            .map(|occupation| Scored {
                key: occupation.key,
                confidence: occupation
                    .names
                    .iter()
                    .filter(|name| {
                        // Sharing only a qualifier or a seniority is no match.
                        words.iter().any(|word| {
                            name.contains(word)
                                && !OCCUPATION_QUALIFIERS.contains(&word.as_str())
                                && seniority_word(word).is_none()
                        })
                    })
                    .map(|name| {
                        similarity(
                            &words,
                            &read.implied,
                            name,
                            &self.occupation_vocabulary,
                            0.5,
                        )
                    })
                    .fold(0.0, f64::max),
            })
            .filter(|scored| scored.confidence > 0.0)
            .max_by(|a, b| {
                a.confidence
                    .total_cmp(&b.confidence)
                    .then(b.key.cmp(&a.key))
            })
    }
}

fn first_is_not_title_word(index: &TitleIndex, word: &str, at: usize, words: &[String]) -> bool {
    // "Lead" and "Staff" are places nowhere we list; "CA" or "LA" next to
    // title words are places. A one-word title made only of a place name is
    // still a title word if the catalogue has it.
    !(words.len() == 1 && at == 0 && index.vocabulary.contains(word))
}

fn rung_of(seniority: Seniority) -> i32 {
    match seniority {
        Seniority::Entry => 0,
        Seniority::Mid => 1,
        Seniority::Senior => 2,
        Seniority::Lead => 3,
        Seniority::Principal => 4,
        Seniority::Director => 5,
        Seniority::Executive => 6,
    }
}

/// How well `title` names a role by `candidate`, one of its names: the
/// similarity, unless the words in common only say what kind of job it is
/// or how senior ("Civil Engineer" and "Data Engineer" share only
/// "engineer") while the name has words the title lacks.
fn role_similarity(
    title: &[String],
    implied: &[String],
    candidate: &[String],
    vocabulary: &HashSet<String>,
) -> f64 {
    let shared: Vec<&String> = title
        .iter()
        .chain(implied)
        .filter(|word| candidate.contains(word))
        .collect();
    let specific = shared
        .iter()
        .any(|word| seniority_word(word).is_none() && !GENERIC_WORDS.contains(&word.as_str()));
    if !specific && shared.len() < candidate.len() {
        return 0.0;
    }
    similarity(title, implied, candidate, vocabulary, 1.0)
}

/// How well `title` matches `candidate` (both without repeated words):
/// weighted Dice over words. A title word the candidate lacks costs less
/// when it names no job (a third) or states a seniority (a half); a
/// candidate word the title lacks costs `extra` (in full for roles, half for
/// occupations, whose titles list several jobs).
fn similarity(
    title: &[String],
    implied: &[String],
    candidate: &[String],
    vocabulary: &HashSet<String>,
    extra: f64,
) -> f64 {
    if title.is_empty() || candidate.is_empty() {
        return 0.0;
    }
    let mut matched = 0.0;
    let mut title_weight = 0.0;
    for word in title {
        if candidate.contains(word) {
            matched += 1.0;
            title_weight += 1.0;
        } else if seniority_word(word).is_some() {
            title_weight += 0.5;
        } else if vocabulary.contains(word) {
            title_weight += 1.0;
        } else {
            title_weight += 0.35;
        }
    }
    for word in implied {
        if candidate.contains(word) && !title.contains(word) {
            matched += 1.0;
            title_weight += 1.0;
        }
    }
    let candidate_weight = matched + extra * (candidate.len() as f64 - matched);
    2.0 * matched / (title_weight + candidate_weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TitleIndex {
        let synonyms: HashMap<String, String> = [
            ("sr", "senior"),
            ("tech", "technical"),
            ("swe", "software engineer"),
            ("eng", "engineering"),
            ("mgr", "manager"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        TitleIndex::new(
            vec![
                RoleNames {
                    key: 0,
                    titles: vec!["Technical Lead", "Tech Lead", "Lead Developer"],
                    production: false,
                    seniority: None,
                },
                RoleNames {
                    key: 1,
                    titles: vec!["Engineering Manager", "Software Engineering Manager"],
                    production: false,
                    seniority: None,
                },
                RoleNames {
                    key: 2,
                    titles: vec!["Staff Engineer", "Staff Software Engineer"],
                    production: false,
                    seniority: None,
                },
                RoleNames {
                    key: 3,
                    titles: vec!["Technical Director", "Director of Technology"],
                    production: false,
                    seniority: None,
                },
                RoleNames {
                    key: 4,
                    titles: vec![
                        "Technical Director (Film, TV and Live Production)",
                        "Broadcast Technical Director",
                    ],
                    production: true,
                    seniority: None,
                },
            ],
            vec![(0, "Registered Nurses"), (1, "Software Developers")],
            &synonyms,
        )
    }

    fn why(read: &ReadTitle) -> Vec<(&str, Unmatched)> {
        read.ignored
            .iter()
            .map(|ignored| (ignored.text.as_str(), ignored.why))
            .collect()
    }

    #[test]
    fn noise_is_set_aside_with_its_reason() {
        let read = index().read("Sr. Java Tech Lead (Remote, EU) #48213");
        assert_eq!(read.words, ["senior", "java", "technical", "lead"]);
        assert_eq!(read.seniority, Some(TitleSeniority::Senior));
        assert_eq!(
            why(&read),
            [
                ("Remote", Unmatched::WorkArrangement),
                ("EU", Unmatched::Location),
                ("#48213", Unmatched::Requisition)
            ]
        );
    }

    #[test]
    fn a_team_after_the_title_is_a_department_and_numerals_a_level() {
        let read = index().read("Staff SWE, Payments");
        assert_eq!(read.words, ["staff", "software", "engineer"]);
        assert_eq!(read.seniority, Some(TitleSeniority::Staff));
        assert_eq!(why(&read), [("Payments", Unmatched::Department)]);

        // The numeral is set aside, and stands for its grade in matching.
        let read = index().read("Eng Mgr II - Full-time");
        assert_eq!(read.words, ["engineering", "manager", "mid"]);
        assert_eq!(read.seniority, Some(TitleSeniority::Mid));
        assert_eq!(
            why(&read),
            [
                ("II", Unmatched::Level),
                ("Full-time", Unmatched::EmploymentType)
            ]
        );
    }

    #[test]
    fn gender_notation_is_not_a_word_of_the_title() {
        let read = index().read("Technical Lead (m/w/d)");
        assert_eq!(read.words, ["technical", "lead"]);
        assert_eq!(why(&read), [("(m/w/d)", Unmatched::GenderNotation)]);
    }

    #[test]
    fn grade_words_outrank_position_words_for_seniority() {
        assert_eq!(
            index().read("Senior Tech Lead").seniority,
            Some(TitleSeniority::Senior)
        );
        assert_eq!(
            index().read("Tech Lead").seniority,
            Some(TitleSeniority::Lead)
        );
        assert_eq!(index().read("Engineering Manager").seniority, None);
    }

    #[test]
    fn matching_forgives_extra_words_and_slips_but_not_other_roles() {
        let found = index().match_title("Sr. Java Tech Lead (Remote, EU)");
        assert_eq!(found.roles[0].key, 0);
        assert!(found.roles[0].confidence >= 0.7, "{found:?}");

        let found = index().match_title("Enginering Manager");
        assert_eq!(found.roles[0].key, 1);
        assert_eq!(found.roles[0].confidence, 1.0);

        // Lead is not manager.
        let found = index().match_title("Engineering Lead");
        assert!(found.roles[0].confidence < 0.7, "{found:?}");
    }

    #[test]
    fn technical_director_follows_its_context() {
        let found = index().match_title("Technical Director – Live Broadcast");
        assert_eq!(found.roles[0].key, 4, "{found:?}");
        let found = index().match_title("Technical Director, Software Platform");
        assert_eq!(found.roles[0].key, 3, "{found:?}");
        let found = index().match_title("Technical Director");
        assert_eq!(found.roles[0].key, 3, "{found:?}");
    }

    #[test]
    fn a_title_no_role_has_still_finds_its_occupation() {
        let index = index();
        let found = index.match_title("Registered Nurse - Night Shift");
        assert!(found.roles.is_empty(), "{found:?}");
        let occupation = index.best_occupation(&found.read).unwrap();
        assert_eq!(occupation.key, 0);
        assert!(occupation.confidence >= 0.6, "{occupation:?}");
    }
}
