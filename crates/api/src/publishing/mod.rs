//! What job boards publish about a role: a schema.org `Occupation` in JSON-LD
//! (`jsonld`) and a ready-to-post job description in Markdown or HTML
//! (`job_description`). Both are made from one gathering of the role's facts,
//! a [`Posting`], so they never disagree.

pub mod job_description;
pub mod jsonld;

use crate::views::{
    AreaRef, OccupationRef, RequirementView, ResponsibilityView, RoleDetail, RoleSkillView,
    SalaryView, WageView,
};
use rolebase_domain::{Money, PostingSeniority};
use std::collections::HashMap;

/// BLS's code for the nation, the area a posting is for unless it names one.
pub const NATION: &str = "0000000";

/// Everything a published description of a role says, for one area.
#[derive(Debug, Clone)]
pub struct Posting {
    pub role: RoleDetail,
    pub responsibilities: Vec<ResponsibilityView>,
    pub requirements: Vec<RequirementView>,
    pub skills: Vec<RoleSkillView>,
    /// The curated ranges: what is said of pay when no wage data covers the area.
    pub curated_salaries: Vec<SalaryView>,
    /// The area's imported wages for the first of the role's occupations that
    /// has them; `None` before any import, or when the area has none.
    pub wages: Option<AreaWages>,
    pub area: PostingArea,
    /// Titles of the role's SOC occupations, for those imported.
    pub occupation_titles: HashMap<String, String>,
    /// The level the posting's title advertises.
    pub seniority: Option<PostingSeniority>,
}

/// The place a posting is for.
#[derive(Debug, Clone)]
pub enum PostingArea {
    Nation,
    /// A BLS state or metropolitan area.
    Area(AreaRef),
}

impl PostingArea {
    /// The area's name as a reader says it.
    pub fn name(&self) -> &str {
        match self {
            Self::Nation => "the United States",
            Self::Area(area) => &area.title,
        }
    }
}

/// One occupation's wages in the posting's area.
#[derive(Debug, Clone)]
pub struct AreaWages {
    pub occupation: OccupationRef,
    pub wage: WageView,
}

/// An amount in U.S. dollars as a page shows it: whole dollars for a year's
/// pay ("$135,980"), cents for an hour's ("$65.38").
pub fn dollars(amount: Money, cents: bool) -> String {
    let rounded = amount.round_dp_with_strategy(
        if cents { 2 } else { 0 },
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let text = if cents {
        format!("{rounded:.2}")
    } else {
        format!("{rounded:.0}")
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = whole
        .strip_prefix('-')
        .map_or(("", whole), |digits| ("-", digits));
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::dollars;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn dollars_are_grouped_by_thousands() {
        let amount = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(dollars(amount("135980"), false), "$135,980");
        assert_eq!(dollars(amount("1234567.6"), false), "$1,234,568");
        assert_eq!(dollars(amount("999"), false), "$999");
        assert_eq!(dollars(amount("65.375"), true), "$65.38");
        assert_eq!(dollars(amount("1000"), true), "$1,000.00");
    }
}
