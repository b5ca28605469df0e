//! Checks a document beyond parsing: ids unique and known, applicability groups declared,
//! rules that compile, profiles that resolve.

use crate::error::{Pos, SpecError, nearest};
use crate::library::Library;
use crate::load::Document;
use crate::model::*;
use crate::resolve::{ResolveOptions, resolve};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    pub line: u64,
    pub col: u64,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pos = Pos::new(&self.file, self.line, self.col);
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{pos}: {sev}: {}", self.message)
    }
}

pub(crate) fn problem(severity: Severity, pos: Pos, message: impl Into<String>) -> Problem {
    Problem {
        severity,
        file: pos.file,
        line: pos.line,
        col: pos.col,
        message: message.into(),
    }
}

/// Turn a load or resolve error into problems, one per position.
pub fn problems_of(err: &SpecError) -> Vec<Problem> {
    match err {
        SpecError::Many { problems, .. } => problems.iter().flat_map(problems_of).collect(),
        SpecError::Parse { pos, message } | SpecError::Invalid { pos, message } => {
            vec![problem(Severity::Error, pos.clone(), message.clone())]
        }
        SpecError::UnknownId { pos, .. } => {
            let full = err.to_string();
            let msg = full
                .split_once(": ")
                .map(|(_, m)| m.to_string())
                .unwrap_or(full);
            vec![problem(Severity::Error, pos.clone(), msg)]
        }
        other => vec![problem(
            Severity::Error,
            Pos::new("", 0, 0),
            other.to_string(),
        )],
    }
}

/// Check the CEL syntax of an expression.
pub(crate) fn check_cel(
    file: &str,
    expr: &serde_saphyr::Spanned<String>,
    what: &str,
    out: &mut Vec<Problem>,
) {
    if let Err(first) = crate::cel_limits::compile(&expr.value) {
        out.push(problem(
            Severity::Error,
            Pos::of(file, expr),
            format!("{what} is not valid CEL: {first}"),
        ));
    }
}

pub fn lint(doc: &Document, lib: &Library) -> Vec<Problem> {
    let mut out = Vec::new();
    match doc {
        Document::Catalog(c) => lint_catalog(c, &mut out),
        Document::MappingSet(m) => lint_mappings(m, lib, &mut out),
        Document::RulePack(r) => lint_rules(r, lib, &mut out),
        Document::Profile(p) => {
            let file = &p.origin.0;
            for r in &p.annex.requirements {
                for (what, e) in [
                    ("rule", &r.rule),
                    ("applies-when", &r.applies_when),
                    ("review-when", &r.review_when),
                ] {
                    if let Some(e) = e {
                        check_cel(file, e, what, &mut out);
                    }
                }
                if r.source == EvidenceSource::Local && r.rule.is_none() {
                    out.push(problem(
                        Severity::Error,
                        Pos::of(file, &r.id),
                        format!("`{}` has source local but no rule", r.id.value),
                    ));
                }
            }
            let mut with = lib.clone();
            with.profiles.insert(p.metadata.id.clone(), (**p).clone());
            if let Err(e) = resolve(&with, &p.metadata.id, &ResolveOptions::default()) {
                out.extend(problems_of(&e));
            }
        }
        Document::Part(_) | Document::Ignored { .. } => {}
    }
    out.sort_by_key(|p| (p.line, p.col));
    out
}

fn lint_catalog(cat: &Catalog, out: &mut Vec<Problem>) {
    let file = cat.origin.0.as_str();
    let groups: BTreeSet<&str> = cat.groups.iter().map(|g| g.id.as_str()).collect();
    let app: BTreeSet<&str> = cat
        .metadata
        .applicability_groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for c in &cat.controls {
        if !seen.insert(c.id.value.clone()) {
            out.push(problem(
                Severity::Error,
                Pos::of(file, &c.id),
                format!("duplicate id `{}`", c.id.value),
            ));
        }
        if !groups.contains(c.group.as_str()) {
            out.push(problem(
                Severity::Error,
                Pos::of(file, &c.id),
                format!(
                    "control `{}` names group `{}`, which the catalog does not declare",
                    c.id.value, c.group
                ),
            ));
        }
        if c.assessment_requirements.is_empty() {
            out.push(problem(
                Severity::Warning,
                Pos::of(file, &c.id),
                format!("control `{}` has no assessment requirements", c.id.value),
            ));
        }
        for r in &c.assessment_requirements {
            let pos = Pos::of(file, &r.id);
            if !seen.insert(r.id.value.clone()) {
                out.push(problem(
                    Severity::Error,
                    pos.clone(),
                    format!("duplicate id `{}`", r.id.value),
                ));
            }
            if !r.id.value.starts_with(&c.id.value) {
                out.push(problem(
                    Severity::Warning,
                    pos.clone(),
                    format!(
                        "`{}` does not start with its control's id `{}`",
                        r.id.value, c.id.value
                    ),
                ));
            }
            if r.text.trim().is_empty() {
                out.push(problem(
                    Severity::Error,
                    pos.clone(),
                    format!("`{}` has no text", r.id.value),
                ));
            }
            if r.applicability.is_empty() && r.state != Lifecycle::Retired {
                out.push(problem(
                    Severity::Error,
                    pos.clone(),
                    format!("`{}` has no applicability", r.id.value),
                ));
            }
            for a in &r.applicability {
                if !app.contains(a.as_str()) {
                    let hint = nearest(a, app.iter().copied())
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    out.push(problem(
                        Severity::Error,
                        pos.clone(),
                        format!("`{}` applicability `{a}` is not declared in metadata.applicability-groups{hint}", r.id.value),
                    ));
                }
            }
            if r.state == Lifecycle::Retired && r.recommendation.is_some() {
                out.push(problem(
                    Severity::Warning,
                    pos.clone(),
                    format!("retired `{}` should not carry a recommendation", r.id.value),
                ));
            }
            if cat.metadata.kind == CatalogKind::GuidanceCatalog && r.anchor.is_none() {
                out.push(problem(
                    Severity::Warning,
                    pos,
                    format!("`{}` has no legal anchor", r.id.value),
                ));
            }
        }
    }
}

fn lint_mappings(set: &MappingSet, lib: &Library, out: &mut Vec<Problem>) {
    let file = set.origin.0.as_str();
    let src = lib.catalogs.get(&set.metadata.source_catalog);
    let dst = lib.catalogs.get(&set.metadata.target_catalog);
    for (what, id, cat) in [
        ("source", &set.metadata.source_catalog, src),
        ("target", &set.metadata.target_catalog, dst),
    ] {
        if cat.is_none() {
            out.push(problem(
                Severity::Error,
                Pos::new(file, 0, 0),
                format!("{what} catalog `{id}` is not known"),
            ));
        }
    }
    let mut pairs = BTreeSet::new();
    for m in &set.mappings {
        if let Some(c) = src
            && c.requirement(&m.source.value).is_none()
            && !c.controls.iter().any(|x| x.id.value == m.source.value)
        {
            out.extend(problems_of(&lib.unknown_requirement(file, &m.source)));
        }
        if let Some(c) = dst
            && c.requirement(&m.target.value).is_none()
            && !c.controls.iter().any(|x| x.id.value == m.target.value)
        {
            out.extend(problems_of(&lib.unknown_requirement(file, &m.target)));
        }
        if !pairs.insert((m.source.value.clone(), m.target.value.clone())) {
            out.push(problem(
                Severity::Warning,
                Pos::of(file, &m.source),
                format!("{} → {} is mapped twice", m.source.value, m.target.value),
            ));
        }
    }
}

fn lint_rules(pack: &RulePack, lib: &Library, out: &mut Vec<Problem>) {
    let file = pack.origin.0.as_str();
    let cat = lib.catalogs.get(&pack.metadata.catalog);
    if cat.is_none() {
        out.push(problem(
            Severity::Error,
            Pos::new(file, 0, 0),
            format!("catalog `{}` is not known", pack.metadata.catalog),
        ));
    }
    let mut seen = BTreeSet::new();
    for r in &pack.rules {
        let pos = Pos::of(file, &r.requirement);
        if !seen.insert(r.requirement.value.clone()) {
            out.push(problem(
                Severity::Error,
                pos.clone(),
                format!("second rule for `{}`", r.requirement.value),
            ));
        }
        if let Some(c) = cat
            && c.requirement(&r.requirement.value).is_none()
        {
            out.extend(problems_of(&lib.unknown_requirement(file, &r.requirement)));
        }
        for (what, e) in [
            ("rule", &r.rule),
            ("applies-when", &r.applies_when),
            ("review-when", &r.review_when),
        ] {
            if let Some(e) = e {
                check_cel(file, e, what, out);
            }
        }
        match r.source {
            EvidenceSource::Local if r.rule.is_none() => {
                out.push(problem(
                    Severity::Error,
                    pos.clone(),
                    format!("`{}` has source local but no rule", r.requirement.value),
                ));
            }
            EvidenceSource::Forge if r.rule.is_some() && r.requires.is_empty() => {
                out.push(problem(Severity::Warning, pos.clone(), format!("`{}` is a forge rule without `requires`: a token that may not see the setting would make it fail instead of not-run", r.requirement.value)));
            }
            EvidenceSource::Attestation if r.rule.is_some() => {
                out.push(problem(
                    Severity::Warning,
                    pos.clone(),
                    format!(
                        "`{}` has a rule but source {}: the rule is not run",
                        r.requirement.value,
                        r.source.as_str()
                    ),
                ));
            }
            _ => {}
        }
        if r.remediation.is_none() {
            out.push(problem(
                Severity::Warning,
                pos,
                format!("`{}` has no remediation", r.requirement.value),
            ));
        }
    }
    if let Some(c) = cat {
        for (_, req) in c.requirements() {
            if req.state == Lifecycle::Active && !seen.contains(&req.id.value) {
                out.push(problem(
                    Severity::Warning,
                    Pos::new(file, 0, 0),
                    format!("no rule for `{}` (it will need review)", req.id.value),
                ));
            }
        }
    }
}
