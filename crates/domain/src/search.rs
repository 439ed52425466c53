//! Search queries: reading what a person typed into words, expanding the
//! field's abbreviations, and marking the matches in a snippet.

use crate::InvalidValue;
use std::collections::HashMap;

/// A search as typed: 1–200 characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The query as typed, spaces collapsed.
    text: String,
    /// Lowercase words of letters and digits, in order.
    words: Vec<String>,
}

impl SearchQuery {
    pub const MAX_CHARS: usize = 200;
    /// More words than this add nothing to ranking and only cost time.
    pub const MAX_WORDS: usize = 12;

    /// The shape of a query the service accepts, as a JSON Schema pattern:
    /// 1 to 200 characters once blanks are trimmed from both ends. The blanks
    /// are spelled out (those of [`is_blank`]) rather than written `\s`, whose
    /// meaning differs between regex engines (ECMA-262's leaves out U+001C to
    /// U+001F, Python's takes them in).
    pub const PATTERN: &'static str = concat!(
        r"^[\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
        r"([^\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
        r"|[^\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][\s\S]{0,198}",
        r"[^\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])",
        r"[\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    );

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let trimmed = raw.trim_matches(is_blank);
        let length = trimmed.chars().count();
        let text = trimmed
            .split(is_blank)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if length == 0 {
            return Err(InvalidValue::new(
                "empty",
                "must not be empty or only spaces",
            ));
        }
        if length > Self::MAX_CHARS {
            return Err(InvalidValue::new(
                "too_long",
                format!(
                    "must be at most {} characters once trimmed, got {length}",
                    Self::MAX_CHARS
                ),
            ));
        }
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .take(Self::MAX_WORDS)
            // Lowercasing can add a mark that is no letter (`İ` → `i̇`).
            .map(|word| {
                word.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect()
            })
            .collect();
        Ok(Self { text, words })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The words with each abbreviation replaced by what it stands for
    /// (`eng` → `engineering`, `tl` → `technical lead`).
    pub fn expanded(&self, synonyms: &HashMap<String, String>) -> Vec<String> {
        self.words
            .iter()
            .flat_map(|word| match synonyms.get(word) {
                Some(expansion) => expansion
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect(),
                None => vec![word.clone()],
            })
            .collect()
    }
}

/// Blank as regular expressions (`\s`) have it: Unicode white space, and the
/// four ASCII separators (U+001C to U+001F) that Rust does not count.
/// Unicode's White_Space, and the four separators U+001C to U+001F.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A `to_tsquery` expression over the words: all of them (`&`) or any (`|`),
/// the last one a prefix, as a person is still typing it, each restricted to
/// the given weights (`"AB"`; empty for any). Words hold only letters and
/// digits, so nothing in them can be read as an operator.
pub fn tsquery(words: &[String], all: bool, weights: &str) -> String {
    let operator = if all { " & " } else { " | " };
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let prefix = if index == last { "*" } else { "" };
            if prefix.is_empty() && weights.is_empty() {
                word.clone()
            } else {
                format!("{word}:{prefix}{weights}")
            }
        })
        .collect::<Vec<_>>()
        .join(operator)
}

/// How many of `terms` start a word of `text`.
pub fn coverage(text: &str, terms: &[String]) -> usize {
    let words: Vec<String> = word_spans(text)
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect();
    terms
        .iter()
        .filter(|term| !term.is_empty() && words.iter().any(|word| word.starts_with(term.as_str())))
        .count()
}

/// Words too common to mark in a snippet.
pub fn is_stop_word(word: &str) -> bool {
    const STOP_WORDS: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
        "to", "with",
    ];
    STOP_WORDS.contains(&word)
}

/// A short HTML snippet of `text` around its first match of `terms`, with
/// `<mark>` around every matching word and everything else HTML-escaped.
pub fn snippet(text: &str, terms: &[String], max_chars: usize) -> String {
    let spans: Vec<(usize, usize)> = word_spans(text)
        .filter(|(start, end)| starts_with_term(&text[*start..*end], terms))
        .collect();
    let first = spans.first().map_or(0, |(start, _)| *start);
    // Start a little before the first match, on a word boundary.
    let lead = text[..first]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(index, _)| index);
    let window_start = if lead == 0 {
        0
    } else {
        text[lead..first]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(lead, |(offset, c)| lead + offset + c.len_utf8())
    };
    let window_end = text[window_start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(index, _)| window_start + index);
    let mut html = String::new();
    if window_start > 0 {
        html.push('…');
    }
    let mut cursor = window_start;
    for (start, end) in spans
        .into_iter()
        .filter(|(start, end)| *start >= window_start && *end <= window_end)
    {
        html.push_str(&escape(&text[cursor..start]));
        html.push_str("<mark>");
        html.push_str(&escape(&text[start..end]));
        html.push_str("</mark>");
        cursor = end;
    }
    html.push_str(&escape(&text[cursor..window_end]));
    if window_end < text.len() {
        html.push('…');
    }
    html
}

fn starts_with_term(word: &str, terms: &[String]) -> bool {
    let word = word.to_lowercase();
    terms
        .iter()
        .any(|term| !term.is_empty() && word.starts_with(term.as_str()))
}

/// Byte ranges of the words (runs of letters and digits) of `text`.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                spans.push((from, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        spans.push((from, text.len()));
    }
    spans.into_iter()
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(raw: &str) -> Vec<String> {
        SearchQuery::parse(raw).unwrap().words().to_vec()
    }

    #[test]
    fn a_word_stays_letters_once_lowercased() {
        let query = SearchQuery::parse("İstanbul Lead").unwrap();
        assert_eq!(query.words(), ["istanbul", "lead"]);
    }

    #[test]
    fn queries_are_trimmed_collapsed_and_lowercased() {
        let query = SearchQuery::parse("  Tech   LEAD ").unwrap();
        assert_eq!(query.text(), "Tech LEAD");
        assert_eq!(query.words(), ["tech", "lead"]);
        assert_eq!(words("C++/Rust, SQL!"), ["c", "rust", "sql"]);
    }

    #[test]
    fn empty_and_oversized_queries_are_refused() {
        assert_eq!(SearchQuery::parse("").unwrap_err().code, "empty");
        assert_eq!(SearchQuery::parse(" \t ").unwrap_err().code, "empty");
        assert_eq!(
            SearchQuery::parse(&"a".repeat(201)).unwrap_err().code,
            "too_long"
        );
        assert!(
            SearchQuery::parse(&format!("  {}  ", "a".repeat(200))).is_ok(),
            "the bound applies after trimming"
        );
    }

    #[test]
    fn punctuation_only_queries_parse_to_no_words() {
        assert!(words("!!! ???").is_empty());
    }

    #[test]
    fn abbreviations_expand_to_their_words() {
        let synonyms = HashMap::from([
            ("eng".to_owned(), "engineering".to_owned()),
            ("tl".to_owned(), "technical lead".to_owned()),
        ]);
        assert_eq!(
            SearchQuery::parse("eng manager")
                .unwrap()
                .expanded(&synonyms),
            ["engineering", "manager"]
        );
        assert_eq!(
            SearchQuery::parse("TL").unwrap().expanded(&synonyms),
            ["technical", "lead"]
        );
        assert_eq!(
            SearchQuery::parse("english").unwrap().expanded(&synonyms),
            ["english"],
            "whole words only"
        );
    }

    #[test]
    fn tsqueries_join_words_and_make_the_last_a_prefix() {
        let words = vec!["staff".to_owned(), "eng".to_owned()];
        assert_eq!(tsquery(&words, true, ""), "staff & eng:*");
        assert_eq!(tsquery(&words, false, ""), "staff | eng:*");
        assert_eq!(tsquery(&words, true, "AB"), "staff:AB & eng:*AB");
        assert_eq!(tsquery(&[], true, ""), "");
    }

    #[test]
    fn snippets_mark_matching_words_and_escape_the_rest() {
        let terms = vec!["lead".to_owned()];
        assert_eq!(
            snippet("Tech <Lead> & co", &terms, 100),
            "Tech &lt;<mark>Lead</mark>&gt; &amp; co"
        );
        assert_eq!(
            snippet("Leadership matters", &terms, 100),
            "<mark>Leadership</mark> matters",
            "prefixes match"
        );
        assert_eq!(
            snippet("Misleading", &terms, 100),
            "Misleading",
            "only word starts match"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!(
            "{} the technical lead {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let html = snippet(&text, &["technical".to_owned()], 80);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>technical</mark>"), "{html}");
        assert!(html.chars().count() < 120, "{html}");
    }

    #[test]
    fn coverage_counts_the_terms_that_start_a_word() {
        let terms = vec!["manag".to_owned(), "engin".to_owned(), "lead".to_owned()];
        assert_eq!(coverage("Engineering Manager", &terms), 2);
        assert_eq!(coverage("Team Lead, team lead", &terms), 1);
        assert_eq!(coverage("Misleading", &terms), 0);
    }

    proptest! {
        #[test]
        fn snippets_never_carry_unescaped_markup(text in "\\PC{0,200}", term in "[a-z]{1,4}") {
            let html = snippet(&text, &[term], 80);
            let without_marks = html.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!without_marks.contains('<') && !without_marks.contains('>'));
        }

        #[test]
        fn parsed_queries_respect_their_bounds(raw in "\\PC{0,260}") {
            if let Ok(query) = SearchQuery::parse(&raw) {
                let length = query.text().chars().count();
                prop_assert!((1..=SearchQuery::MAX_CHARS).contains(&length));
                prop_assert!(query.words().len() <= SearchQuery::MAX_WORDS);
                prop_assert!(query.words().iter().all(|word| word.chars().all(char::is_alphanumeric)));
            }
        }
    }
}
