//! The rules the shipped knowledge base keeps, beyond what loading enforces:
//! enough roles, each complete, every fact with its basis, and one career
//! graph that every role can enter and leave.

use crate::helpers::built_in_knowledge_base;
use rolebase_api::knowledge_base::KnowledgeBase;
use rolebase_domain::{Basis, Locator, RequirementKind, Slug};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// Every fact of the knowledge base as (where, basis, source, locator).
fn facts(kb: &KnowledgeBase) -> Vec<(String, Basis, Option<&Slug>, Option<&Locator>)> {
    let mut facts = Vec::new();
    for role in &kb.roles {
        let role_content = &role.content;
        let slug = &role_content.slug;
        facts.push((
            format!("{slug}: summary"),
            role_content.summary_basis,
            role_content.summary_source.as_ref(),
            role_content.summary_locator.as_ref(),
        ));
        for (index, fact) in role_content.responsibilities.iter().enumerate() {
            let at = format!("{slug}: responsibilities[{index}]");
            facts.push((at, fact.basis, fact.source.as_ref(), fact.locator.as_ref()));
        }
        for (index, fact) in role_content.requirements.iter().enumerate() {
            let at = format!("{slug}: requirements[{index}]");
            facts.push((at, fact.basis, fact.source.as_ref(), fact.locator.as_ref()));
        }
        for (index, fact) in role_content.skills.iter().enumerate() {
            let at = format!("{slug}: skills[{index}]");
            facts.push((at, fact.basis, fact.source.as_ref(), fact.locator.as_ref()));
        }
        for (index, fact) in role_content.salaries.iter().enumerate() {
            let at = format!("{slug}: salaries[{index}]");
            facts.push((at, fact.basis, fact.source.as_ref(), fact.locator.as_ref()));
        }
    }
    for step in &kb.career_steps {
        let at = format!("step {} → {}", step.from, step.to);
        facts.push((at, step.basis, step.source.as_ref(), step.locator.as_ref()));
    }
    for comparison in &kb.comparisons {
        let (a, b) = &comparison.roles;
        for (aspect, note) in &comparison.notes {
            let at = format!("comparison {a} vs {b}: {aspect}");
            facts.push((at, note.basis, note.source.as_ref(), note.locator.as_ref()));
        }
    }
    facts
}

#[test]
fn every_fact_has_a_basis_and_a_stated_fact_says_where() {
    let kb = built_in_knowledge_base();
    let facts = facts(&kb);
    assert!(facts.len() > 500, "{} facts", facts.len());
    let sources: HashSet<&Slug> = kb.sources.iter().map(|source| &source.key).collect();
    let mut stated = 0;
    for (at, basis, source, locator) in &facts {
        match basis {
            Basis::Stated => {
                stated += 1;
                let source = source.unwrap_or_else(|| panic!("{at}: stated without a source"));
                assert!(sources.contains(source), "{at}: unknown source {source}");
                assert!(locator.is_some(), "{at}: stated without a locator");
            }
            Basis::Dataset => assert!(source.is_some(), "{at}: a dataset fact names its dataset"),
            Basis::Editorial => assert!(
                source.is_none() && locator.is_none(),
                "{at}: an editorial fact names no source"
            ),
        }
    }
    assert!(
        stated >= 20,
        "the articles' facts are credited: {stated} stated"
    );
}

#[test]
fn the_catalogue_has_forty_complete_roles() {
    let kb = built_in_knowledge_base();
    assert!(kb.roles.len() >= 40, "{} roles", kb.roles.len());
    for role in &kb.roles {
        let role = &role.content;
        let slug = &role.slug;
        assert!(!role.soc_codes.is_empty(), "{slug}: a SOC 2018 code");
        assert!(role.isco_code.is_some(), "{slug}: an ISCO-08 code");
        assert!(
            !role.alternative_titles.is_empty(),
            "{slug}: alternative titles"
        );
        assert!(
            role.responsibilities.len() >= 5,
            "{slug}: {} responsibilities",
            role.responsibilities.len()
        );
        assert!(
            role.skills.len() >= 6,
            "{slug}: {} skills",
            role.skills.len()
        );
        let kinds: HashSet<RequirementKind> = role.requirements.iter().map(|r| r.kind()).collect();
        assert!(
            kinds.contains(&RequirementKind::Education),
            "{slug}: education"
        );
        assert!(
            kinds.contains(&RequirementKind::Experience),
            "{slug}: experience"
        );
    }
}

#[test]
fn every_role_is_on_one_career_graph_with_a_way_in_and_a_way_out() {
    let kb = built_in_knowledge_base();
    let all: BTreeSet<&Slug> = kb.roles.iter().map(|r| &r.content.slug).collect();
    let with_way_out: BTreeSet<&Slug> = kb.career_steps.iter().map(|s| &s.from).collect();
    let with_way_in: BTreeSet<&Slug> = kb.career_steps.iter().map(|s| &s.to).collect();
    let no_way_out: Vec<_> = all.difference(&with_way_out).collect();
    let no_way_in: Vec<_> = all.difference(&with_way_in).collect();
    assert!(no_way_out.is_empty(), "no step leads from {no_way_out:?}");
    assert!(no_way_in.is_empty(), "no step leads to {no_way_in:?}");
    // One graph: from any role, every other is reached following steps
    // either way.
    let mut neighbours: HashMap<&Slug, Vec<&Slug>> = HashMap::new();
    for step in &kb.career_steps {
        neighbours.entry(&step.from).or_default().push(&step.to);
        neighbours.entry(&step.to).or_default().push(&step.from);
    }
    let start = &kb.roles[0].content.slug;
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(role) = queue.pop_front() {
        for other in neighbours.get(role).into_iter().flatten() {
            if seen.insert(other) {
                queue.push_back(other);
            }
        }
    }
    let apart: Vec<_> = all.difference(&seen).collect();
    assert!(apart.is_empty(), "{apart:?} are not connected to {start}");
}

#[test]
fn commonly_confused_pairs_are_compared() {
    let kb = built_in_knowledge_base();
    assert!(kb.comparisons.len() >= 20, "{} pairs", kb.comparisons.len());
}
