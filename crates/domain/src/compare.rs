//! Side-by-side comparison of 2 to 4 roles: what they share and what sets each
//! apart, computed from their curated facts and, for pay, the imported
//! national wages of their occupations.

use crate::{
    CurrencyCode, EducationLevel, Money, ResponsibilityCategory, SalaryPeriod, Seniority,
    SkillImportance, Slug, Track,
};
use serde::Serialize;
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// The facts of one role that a comparison reads.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFacts {
    pub slug: Slug,
    pub track: Track,
    pub seniority: Seniority,
    /// Category and title of each responsibility.
    pub responsibilities: Vec<(ResponsibilityCategory, String)>,
    pub skills: Vec<(Slug, SkillImportance)>,
    /// Education levels of the role's *required* education requirements.
    pub required_education: Vec<EducationLevel>,
    /// Minimum and maximum years of the role's *required* experience.
    pub required_experience: Vec<(u8, Option<u8>)>,
    pub salaries: Vec<SalaryFact>,
    /// The imported national annual medians (USD) of the role's occupations,
    /// in one release and in the role's order of occupations: the first is
    /// preferred to the curated figures when present.
    pub national_medians: Vec<NationalMedian>,
}

/// An occupation's national annual median from an imported wage release.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalMedian {
    pub amount: Money,
    /// The release the figure comes from, e.g. `2025A01`.
    pub release: String,
}

/// A salary figure to compare: the median, or the mean where no median is known.
#[derive(Debug, Clone, PartialEq)]
pub struct SalaryFact {
    pub currency: CurrencyCode,
    pub period: SalaryPeriod,
    pub median: Option<Money>,
    pub mean: Option<Money>,
}

/// What the compared roles share and where they differ.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleDiff {
    /// Per responsibility category that any of the roles covers.
    pub responsibilities: Vec<CategoryDiff>,
    pub skills: SkillDiff,
    pub education: EducationDiff,
    pub experience: ExperienceDiff,
    /// Per currency and period that any of the roles has a figure for.
    pub salaries: Vec<SalaryDiff>,
    pub positions: PositionDiff,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CategoryDiff {
    pub category: ResponsibilityCategory,
    /// Every compared role has responsibilities in this category.
    pub shared: bool,
    /// The one role that alone covers this category, if only one does.
    #[schema(value_type = Option<String>, example = "engineering-manager")]
    pub unique_to: Option<Slug>,
    pub roles: Vec<RoleResponsibilities>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleResponsibilities {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    /// Titles of the role's responsibilities in the category; empty when it has none there.
    pub titles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SkillDiff {
    /// Skills every compared role links.
    #[schema(value_type = Vec<String>, example = json!(["mentoring", "stakeholder-communication"]))]
    pub shared: Vec<Slug>,
    /// For each role, the skills no other compared role links.
    pub unique: Vec<RoleSkills>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleSkills {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    #[schema(value_type = Vec<String>, example = json!(["code-review"]))]
    pub skills: Vec<Slug>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EducationDiff {
    /// The lowest education level each role requires, if it requires one.
    pub by_role: Vec<RoleEducation>,
    /// Every role requires the same minimum level (or none).
    pub same: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleEducation {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    pub minimum_level: Option<EducationLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ExperienceDiff {
    pub by_role: Vec<RoleExperience>,
    /// Years between the lowest and the highest required minimum, among the
    /// roles that require experience.
    #[schema(example = 2)]
    pub min_years_difference: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleExperience {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    #[schema(example = 3)]
    pub min_years: Option<u8>,
    #[schema(example = 5)]
    pub max_years: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SalaryDiff {
    #[schema(value_type = String, example = "USD")]
    pub currency: CurrencyCode,
    pub period: SalaryPeriod,
    pub by_role: Vec<RoleSalary>,
    /// Highest minus lowest figure, when at least two roles have one.
    #[schema(value_type = Option<f64>, example = 8280)]
    pub difference: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleSalary {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    /// The role's median, or its mean where no median is known.
    #[schema(value_type = Option<f64>, example = 118295)]
    pub amount: Option<Money>,
    /// `median` or `mean`: which figure `amount` is.
    #[schema(example = "median")]
    pub statistic: Option<String>,
    /// Where `amount` comes from: the imported national wages of the role's
    /// occupations (`oews`), or the role's curated ranges (`curated`).
    pub basis: Option<SalaryBasis>,
    /// The wage release of an `oews` amount.
    #[schema(example = "2025A01")]
    pub release: Option<String>,
}

/// Where a compared salary figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SalaryBasis {
    /// The national annual median of the role's primary (first-listed)
    /// occupation in the newest imported BLS OEWS release.
    Oews,
    /// The role's curated salary ranges.
    Curated,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PositionDiff {
    pub by_role: Vec<RolePosition>,
    pub same_track: bool,
    pub same_seniority: bool,
    /// Seniority levels between the most and least senior role.
    #[schema(example = 1)]
    pub seniority_gap: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RolePosition {
    #[schema(value_type = String, example = "technical-lead")]
    pub role: Slug,
    pub track: Track,
    pub seniority: Seniority,
}

/// Compares the roles, in the order given.
pub fn compare(roles: &[RoleFacts]) -> RoleDiff {
    RoleDiff {
        responsibilities: responsibilities(roles),
        skills: skills(roles),
        education: education(roles),
        experience: experience(roles),
        salaries: salaries(roles),
        positions: positions(roles),
    }
}

fn responsibilities(roles: &[RoleFacts]) -> Vec<CategoryDiff> {
    let categories: BTreeSet<ResponsibilityCategory> = roles
        .iter()
        .flat_map(|role| role.responsibilities.iter().map(|(category, _)| *category))
        .collect();
    categories
        .into_iter()
        .map(|category| {
            let by_role: Vec<RoleResponsibilities> = roles
                .iter()
                .map(|role| RoleResponsibilities {
                    role: role.slug.clone(),
                    titles: role
                        .responsibilities
                        .iter()
                        .filter(|(c, _)| *c == category)
                        .map(|(_, title)| title.clone())
                        .collect(),
                })
                .collect();
            let covering: Vec<&RoleResponsibilities> = by_role
                .iter()
                .filter(|role| !role.titles.is_empty())
                .collect();
            CategoryDiff {
                category,
                shared: covering.len() == roles.len(),
                unique_to: (covering.len() == 1 && roles.len() > 1)
                    .then(|| covering[0].role.clone()),
                roles: by_role,
            }
        })
        .collect()
}

fn skills(roles: &[RoleFacts]) -> SkillDiff {
    let sets: Vec<BTreeSet<&Slug>> = roles
        .iter()
        .map(|role| role.skills.iter().map(|(skill, _)| skill).collect())
        .collect();
    let shared = match sets.split_first() {
        Some((first, rest)) => first
            .iter()
            .filter(|skill| rest.iter().all(|set| set.contains(*skill)))
            .map(|skill| (*skill).clone())
            .collect(),
        None => Vec::new(),
    };
    let unique = roles
        .iter()
        .enumerate()
        .map(|(index, role)| RoleSkills {
            role: role.slug.clone(),
            skills: sets[index]
                .iter()
                .filter(|skill| {
                    sets.iter()
                        .enumerate()
                        .all(|(other, set)| other == index || !set.contains(*skill))
                })
                .map(|skill| (*skill).clone())
                .collect(),
        })
        .collect();
    SkillDiff { shared, unique }
}

fn education(roles: &[RoleFacts]) -> EducationDiff {
    let by_role: Vec<RoleEducation> = roles
        .iter()
        .map(|role| RoleEducation {
            role: role.slug.clone(),
            minimum_level: role.required_education.iter().min().copied(),
        })
        .collect();
    let same = by_role
        .windows(2)
        .all(|pair| pair[0].minimum_level == pair[1].minimum_level);
    EducationDiff { by_role, same }
}

fn experience(roles: &[RoleFacts]) -> ExperienceDiff {
    let by_role: Vec<RoleExperience> = roles
        .iter()
        .map(|role| {
            // Of several required experience entries, the most demanding one counts.
            let strictest = role.required_experience.iter().max_by_key(|(min, _)| *min);
            RoleExperience {
                role: role.slug.clone(),
                min_years: strictest.map(|(min, _)| *min),
                max_years: strictest.and_then(|(_, max)| *max),
            }
        })
        .collect();
    let minimums: Vec<u8> = by_role.iter().filter_map(|role| role.min_years).collect();
    let min_years_difference = (minimums.len() >= 2)
        .then(|| minimums.iter().max().unwrap_or(&0) - minimums.iter().min().unwrap_or(&0));
    ExperienceDiff {
        by_role,
        min_years_difference,
    }
}

fn salaries(roles: &[RoleFacts]) -> Vec<SalaryDiff> {
    let usd_annual = || (CurrencyCode::usd(), SalaryPeriod::Annual);
    let mut keys: BTreeSet<(CurrencyCode, SalaryPeriod)> = roles
        .iter()
        .flat_map(|role| role.salaries.iter().map(|s| (s.currency.clone(), s.period)))
        .collect();
    if roles.iter().any(|role| !role.national_medians.is_empty()) {
        keys.insert(usd_annual());
    }
    keys.into_iter()
        .map(|(currency, period)| {
            let national = (currency.clone(), period) == usd_annual();
            let by_role: Vec<RoleSalary> = roles
                .iter()
                .map(|role| match national_median(role).filter(|_| national) {
                    Some(salary) => salary,
                    None => curated_salary(role, &currency, period),
                })
                .collect();
            let amounts: Vec<Money> = by_role.iter().filter_map(|role| role.amount).collect();
            let difference = (amounts.len() >= 2).then(|| {
                let highest = amounts.iter().max().copied().unwrap_or_default();
                let lowest = amounts.iter().min().copied().unwrap_or_default();
                highest - lowest
            });
            SalaryDiff {
                currency,
                period,
                by_role,
                difference,
            }
        })
        .collect()
}

/// The role's imported national median: that of its first-listed (primary)
/// occupation with one.
fn national_median(role: &RoleFacts) -> Option<RoleSalary> {
    let primary = role.national_medians.first()?;
    Some(RoleSalary {
        role: role.slug.clone(),
        amount: Some(primary.amount),
        statistic: Some("median".to_owned()),
        basis: Some(SalaryBasis::Oews),
        release: Some(primary.release.clone()),
    })
}

/// The role's curated figure in a currency and period: the median, else the mean.
fn curated_salary(role: &RoleFacts, currency: &CurrencyCode, period: SalaryPeriod) -> RoleSalary {
    let figures = role
        .salaries
        .iter()
        .filter(|s| &s.currency == currency && s.period == period);
    let medians: Vec<Money> = figures.clone().filter_map(|s| s.median).collect();
    let means: Vec<Money> = figures.filter_map(|s| s.mean).collect();
    // Several ranges (areas, sources) for one currency: the highest-level
    // summary is their middle value; with one range it is that figure.
    let (amount, statistic) = match (middle(&medians), middle(&means)) {
        (Some(median), _) => (Some(median), Some("median".to_owned())),
        (None, Some(mean)) => (Some(mean), Some("mean".to_owned())),
        (None, None) => (None, None),
    };
    RoleSalary {
        role: role.slug.clone(),
        amount,
        statistic,
        basis: amount.map(|_| SalaryBasis::Curated),
        release: None,
    }
}

/// The median of a few figures (the lower middle one for an even count).
fn middle(values: &[Money]) -> Option<Money> {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len().saturating_sub(1) / 2).copied()
}

fn positions(roles: &[RoleFacts]) -> PositionDiff {
    let by_role: Vec<RolePosition> = roles
        .iter()
        .map(|role| RolePosition {
            role: role.slug.clone(),
            track: role.track,
            seniority: role.seniority,
        })
        .collect();
    let rank = |seniority: Seniority| {
        Seniority::ALL
            .iter()
            .position(|s| *s == seniority)
            .unwrap_or(0)
    };
    let ranks: Vec<usize> = roles.iter().map(|role| rank(role.seniority)).collect();
    let gap = ranks.iter().max().unwrap_or(&0) - ranks.iter().min().unwrap_or(&0);
    PositionDiff {
        same_track: by_role
            .windows(2)
            .all(|pair| pair[0].track == pair[1].track),
        same_seniority: gap == 0,
        seniority_gap: u8::try_from(gap).unwrap_or(u8::MAX),
        by_role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn slug(raw: &str) -> Slug {
        Slug::parse(raw).unwrap()
    }

    fn usd(median: Option<i64>, mean: Option<i64>) -> SalaryFact {
        SalaryFact {
            currency: CurrencyCode::parse("USD").unwrap(),
            period: SalaryPeriod::Annual,
            median: median.map(Decimal::from),
            mean: mean.map(Decimal::from),
        }
    }

    fn lead() -> RoleFacts {
        RoleFacts {
            slug: slug("technical-lead"),
            track: Track::Hybrid,
            seniority: Seniority::Lead,
            responsibilities: vec![
                (ResponsibilityCategory::Architecture, "Set direction".into()),
                (ResponsibilityCategory::Quality, "Review code".into()),
                (ResponsibilityCategory::People, "Mentor".into()),
            ],
            skills: vec![
                (slug("code-review"), SkillImportance::Essential),
                (slug("mentoring"), SkillImportance::Essential),
                (slug("system-design"), SkillImportance::Optional),
            ],
            required_education: vec![EducationLevel::Bachelor],
            required_experience: vec![(3, Some(5))],
            salaries: vec![usd(None, Some(118_295))],
            national_medians: vec![],
        }
    }

    fn manager() -> RoleFacts {
        RoleFacts {
            slug: slug("engineering-manager"),
            track: Track::Management,
            seniority: Seniority::Lead,
            responsibilities: vec![
                (ResponsibilityCategory::People, "Hire".into()),
                (ResponsibilityCategory::People, "Coach".into()),
                (ResponsibilityCategory::Strategy, "Plan".into()),
            ],
            skills: vec![
                (slug("mentoring"), SkillImportance::Essential),
                (slug("hiring"), SkillImportance::Essential),
            ],
            required_education: vec![EducationLevel::Master, EducationLevel::Bachelor],
            required_experience: vec![(5, None)],
            salaries: vec![usd(Some(150_000), Some(155_000))],
            national_medians: vec![],
        }
    }

    #[test]
    fn shared_and_unique_responsibility_categories() {
        let diff = compare(&[lead(), manager()]);
        let people = diff
            .responsibilities
            .iter()
            .find(|c| c.category == ResponsibilityCategory::People)
            .unwrap();
        assert!(people.shared);
        assert_eq!(people.unique_to, None);
        assert_eq!(people.roles[1].titles, ["Hire", "Coach"]);
        let quality = diff
            .responsibilities
            .iter()
            .find(|c| c.category == ResponsibilityCategory::Quality)
            .unwrap();
        assert!(!quality.shared);
        assert_eq!(quality.unique_to, Some(slug("technical-lead")));
        assert!(quality.roles[1].titles.is_empty());
        let strategy = diff
            .responsibilities
            .iter()
            .find(|c| c.category == ResponsibilityCategory::Strategy)
            .unwrap();
        assert_eq!(strategy.unique_to, Some(slug("engineering-manager")));
    }

    #[test]
    fn shared_and_unique_skills() {
        let diff = compare(&[lead(), manager()]);
        assert_eq!(diff.skills.shared, [slug("mentoring")]);
        assert_eq!(
            diff.skills.unique[0].skills,
            [slug("code-review"), slug("system-design")]
        );
        assert_eq!(diff.skills.unique[1].skills, [slug("hiring")]);
    }

    #[test]
    fn education_compares_the_lowest_required_level() {
        let diff = compare(&[lead(), manager()]);
        assert_eq!(
            diff.education.by_role[1].minimum_level,
            Some(EducationLevel::Bachelor)
        );
        assert!(diff.education.same);
        let mut none = manager();
        none.required_education.clear();
        let diff = compare(&[lead(), none]);
        assert_eq!(diff.education.by_role[1].minimum_level, None);
        assert!(!diff.education.same);
    }

    #[test]
    fn experience_difference_is_between_required_minimums() {
        let diff = compare(&[lead(), manager()]);
        assert_eq!(diff.experience.by_role[0].min_years, Some(3));
        assert_eq!(diff.experience.by_role[0].max_years, Some(5));
        assert_eq!(diff.experience.min_years_difference, Some(2));
        let mut none = manager();
        none.required_experience.clear();
        assert_eq!(
            compare(&[lead(), none]).experience.min_years_difference,
            None
        );
    }

    #[test]
    fn salaries_prefer_the_median_and_fall_back_to_the_mean() {
        let diff = compare(&[lead(), manager()]);
        assert_eq!(diff.salaries.len(), 1);
        let usd = &diff.salaries[0];
        assert_eq!(usd.by_role[0].amount, Some(Decimal::from(118_295)));
        assert_eq!(usd.by_role[0].statistic.as_deref(), Some("mean"));
        assert_eq!(usd.by_role[1].amount, Some(Decimal::from(150_000)));
        assert_eq!(usd.by_role[1].statistic.as_deref(), Some("median"));
        assert_eq!(usd.difference, Some(Decimal::from(31_705)));
    }

    #[test]
    fn a_salary_known_for_one_role_only_has_no_difference() {
        let mut no_pay = manager();
        no_pay.salaries.clear();
        let diff = compare(&[lead(), no_pay]);
        assert_eq!(diff.salaries[0].by_role[1].amount, None);
        assert_eq!(diff.salaries[0].difference, None);
    }

    #[test]
    fn the_primary_occupations_national_median_wins_over_curated_figures() {
        let mut lead = lead();
        lead.national_medians = vec![
            NationalMedian {
                amount: Decimal::from(135_980),
                release: "2025A01".into(),
            },
            NationalMedian {
                amount: Decimal::from(120_000),
                release: "2025A01".into(),
            },
        ];
        let diff = compare(&[lead, manager()]);
        let usd = &diff.salaries[0];
        assert_eq!(usd.by_role[0].amount, Some(Decimal::from(135_980)));
        assert_eq!(usd.by_role[0].basis, Some(SalaryBasis::Oews));
        assert_eq!(usd.by_role[0].release.as_deref(), Some("2025A01"));
        assert_eq!(
            usd.by_role[1].basis,
            Some(SalaryBasis::Curated),
            "no wages imported for the manager: its curated median stands"
        );
        assert_eq!(usd.difference, Some(Decimal::from(14_020)));
    }

    #[test]
    fn imported_wages_alone_make_a_usd_annual_comparison() {
        let mut lead = lead();
        lead.salaries.clear();
        lead.national_medians = vec![NationalMedian {
            amount: Decimal::from(135_980),
            release: "2025A01".into(),
        }];
        let mut manager = manager();
        manager.salaries.clear();
        let diff = compare(&[lead, manager]);
        assert_eq!(diff.salaries.len(), 1);
        assert_eq!(
            diff.salaries[0].by_role[0].amount,
            Some(Decimal::from(135_980))
        );
        assert_eq!(diff.salaries[0].by_role[1].basis, None);
        assert_eq!(diff.salaries[0].difference, None);
    }

    #[test]
    fn several_curated_ranges_compare_by_their_middle_figure() {
        let annual = |median: i64| usd(Some(median), None);
        let mut lead = lead();
        lead.salaries = vec![annual(100_000), annual(300_000), annual(200_000)];
        let mut manager = manager();
        manager.salaries = vec![annual(120_000), annual(180_000)];
        let diff = compare(&[lead, manager]);
        let usd = &diff.salaries[0];
        assert_eq!(
            usd.by_role[0].amount,
            Some(Decimal::from(200_000)),
            "the middle of three"
        );
        assert_eq!(
            usd.by_role[1].amount,
            Some(Decimal::from(120_000)),
            "the lower middle of two"
        );
    }

    #[test]
    fn a_figure_counts_only_in_its_own_currency_and_period() {
        let mut lead = lead();
        lead.salaries.push(SalaryFact {
            currency: CurrencyCode::parse("USD").unwrap(),
            period: SalaryPeriod::Hourly,
            median: None,
            mean: Some(Decimal::from(60)),
        });
        let diff = compare(&[lead, manager()]);
        let keys: Vec<SalaryPeriod> = diff.salaries.iter().map(|s| s.period).collect();
        assert_eq!(keys, [SalaryPeriod::Annual, SalaryPeriod::Hourly]);
        assert_eq!(
            diff.salaries[0].by_role[0].amount,
            Some(Decimal::from(118_295)),
            "the hourly figure stays out of the annual comparison"
        );
        assert_eq!(diff.salaries[1].by_role[0].amount, Some(Decimal::from(60)));
        assert_eq!(diff.salaries[1].by_role[1].amount, None);
    }

    #[test]
    fn a_role_compared_alone_has_nothing_unique_to_it() {
        let diff = compare(&[lead()]);
        let quality = diff
            .responsibilities
            .iter()
            .find(|c| c.category == ResponsibilityCategory::Quality)
            .unwrap();
        assert!(quality.shared, "one role shares everything with itself");
        assert_eq!(quality.unique_to, None);
    }

    #[test]
    fn without_imported_wages_only_the_curated_currencies_are_compared() {
        let euros = |mean: i64| SalaryFact {
            currency: CurrencyCode::parse("EUR").unwrap(),
            period: SalaryPeriod::Annual,
            median: None,
            mean: Some(Decimal::from(mean)),
        };
        let mut lead = lead();
        lead.salaries = vec![euros(70_000)];
        let mut manager = manager();
        manager.salaries = vec![euros(80_000)];
        let diff = compare(&[lead, manager]);
        let keys: Vec<(&str, SalaryPeriod)> = diff
            .salaries
            .iter()
            .map(|salary| (salary.currency.as_str(), salary.period))
            .collect();
        assert_eq!(
            keys,
            [("EUR", SalaryPeriod::Annual)],
            "no empty U.S. dollar row without wages"
        );
        assert_eq!(diff.salaries[0].difference, Some(Decimal::from(10_000)));
    }

    #[test]
    fn track_and_seniority() {
        let diff = compare(&[lead(), manager()]);
        assert!(!diff.positions.same_track);
        assert!(diff.positions.same_seniority);
        let mut director = manager();
        director.seniority = Seniority::Director;
        let diff = compare(&[lead(), director]);
        assert_eq!(
            diff.positions.seniority_gap, 2,
            "from lead: principal, then director"
        );
    }

    #[test]
    fn three_roles_share_only_what_all_three_have() {
        let mut third = lead();
        third.slug = slug("software-architect");
        third.skills = vec![(slug("system-design"), SkillImportance::Essential)];
        let diff = compare(&[lead(), manager(), third]);
        assert!(diff.skills.shared.is_empty());
        assert_eq!(
            diff.skills.unique[0].skills,
            [slug("code-review")],
            "system-design is shared with the architect"
        );
    }
}
