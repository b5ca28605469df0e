//! Score packs (annex extension, docs/formats.md "Score pack"): checks scored 0–10 (or -1
//! for inconclusive) by a CEL expression over the evidence, each with a risk level that
//! weighs it in an aggregate. The built-in `rules/scorecard.yaml` mirrors OpenSSF
//! Scorecard's checks that run on a local checkout.
//!
//! A score pack has a top-level `checks:` list; the general loader (`load::parse_document`)
//! sees it as a catalog part without controls and leaves it alone, so it is read here.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Pos, SpecError};
use crate::lint::{Problem, Severity, check_cel, problem};
use crate::model::Origin;

/// How much a check weighs in the aggregate (Scorecard's risk levels).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Critical,
    High,
    Medium,
    Low,
}

impl Risk {
    /// Scorecard's weights: Critical 10, High 7.5, Medium 5, Low 2.5.
    pub fn weight(self) -> f64 {
        match self {
            Risk::Critical => 10.0,
            Risk::High => 7.5,
            Risk::Medium => 5.0,
            Risk::Low => 2.5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Critical => "Critical",
            Risk::High => "High",
            Risk::Medium => "Medium",
            Risk::Low => "Low",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct ScorePackMetadata {
    pub id: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the scoring this pack mirrors is documented.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// One scored check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct ScoreCheck {
    pub name: Spanned<String>,
    pub risk: Risk,
    #[serde(default)]
    pub description: String,
    /// CEL over `evidence` (and `findings`, the vulnerability findings document or null),
    /// returning an int 0–10, or -1 when the evidence cannot decide.
    pub score: Spanned<String>,
    /// Evidence paths cited in the result (path:line), as in rule packs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Reason when the score is 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Reason when the score is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Reason when the score is between 1 and 9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<String>,
    /// Reason when the score is -1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inconclusive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// The equivalent rules of other packs (e.g. OSPS requirement ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct ScorePack {
    pub metadata: ScorePackMetadata,
    pub checks: Vec<ScoreCheck>,
    #[serde(skip)]
    pub origin: Origin,
}

/// Whether a document's text is a score pack (a top-level `checks:` key).
pub fn is_score_pack(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("checks:"))
}

/// Parse a score pack, with file:line errors; checks that every `score` compiles as CEL
/// and that check names are unique.
pub fn parse_score_pack(text: &str, origin: &str) -> Result<ScorePack, SpecError> {
    let mut pack: ScorePack =
        serde_saphyr::from_str_with_options(text, serde_saphyr::Options::default())
            .map_err(|e| SpecError::from_yaml(origin, &e))?;
    pack.origin = Origin(origin.to_string());
    let errors: Vec<SpecError> = lint_score_pack(&pack)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| SpecError::invalid(Pos::new(p.file, p.line, p.col), p.message))
        .collect();
    if errors.is_empty() {
        Ok(pack)
    } else {
        Err(SpecError::many(errors))
    }
}

/// Problems of a score pack: CEL that does not compile, duplicate names, no checks.
pub fn lint_score_pack(pack: &ScorePack) -> Vec<Problem> {
    let file = &pack.origin.0;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    if pack.checks.is_empty() {
        out.push(problem(
            Severity::Error,
            Pos::new(file, 1, 1),
            "a score pack needs at least one check",
        ));
    }
    for c in &pack.checks {
        if !seen.insert(c.name.value.clone()) {
            out.push(problem(
                Severity::Error,
                Pos::of(file, &c.name),
                format!("check `{}` is defined twice", c.name.value),
            ));
        }
        check_cel(
            file,
            &c.score,
            &format!("score of `{}`", c.name.value),
            &mut out,
        );
    }
    out
}

/// A built-in score pack by id (`scorecard`): the file `rules/<id>.yaml`.
pub fn builtin_score_pack(id: &str) -> Option<Result<ScorePack, SpecError>> {
    let name = format!("rules/{id}.yaml");
    crate::library::builtin_files()
        .iter()
        .find(|(path, _)| *path == name)
        .map(|(path, text)| parse_score_pack(text, &format!("builtin:{path}")))
}
