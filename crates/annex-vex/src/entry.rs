//! What a written VEX or CSAF document says about one vulnerability of one package: the
//! writers' input. The caller (annex-vuln, from its triaged findings) fills it with plain
//! values: ids, the package's purl, fixes, CVSS vectors with their scores, and the triage.

use serde::{Deserialize, Serialize};

use crate::statement::AppliedVex;
use crate::status::{Justification, VexStatus};

/// A CVSS version. Shared with `annex-vuln`'s scorer, whose findings JSON writes it as
/// `"3.1"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CvssVersion {
    #[serde(rename = "2.0")]
    V2,
    #[serde(rename = "3.0")]
    V3_0,
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// `2.0`, `3.0`, `3.1`, `4.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

/// Qualitative severity. v3/v4 scale: None 0.0, Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9,
/// Critical 9.0–10.0; v2 knows only Low (0.0–3.9), Medium and High (7.0–10.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

/// The kind of a severity, as the advisory gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeverityKind {
    CvssV2,
    CvssV3,
    CvssV4,
    /// An Ubuntu priority word (in `vector`).
    Ubuntu,
    /// Anything else (not written).
    Other,
}

/// One severity of a vulnerability, with the values the caller computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntrySeverity {
    /// The advisory that gives it.
    pub advisory: String,
    pub kind: SeverityKind,
    /// The vector (for `Ubuntu`, the priority word).
    pub vector: String,
    pub cvss_version: Option<CvssVersion>,
    /// The base score.
    pub score: Option<f64>,
    pub rating: Option<Rating>,
}

/// The package an entry speaks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPackage {
    pub name: String,
    /// Empty when unknown.
    pub version: String,
    pub purl: String,
}

/// One vulnerability of one package, as a VEX or CSAF document states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VexEntry {
    /// The vulnerability's preferred id.
    pub id: String,
    /// Its other ids.
    pub aliases: Vec<String>,
    pub package: EntryPackage,
    /// Fixed versions, in version order.
    pub fixed: Vec<String>,
    /// The lowest fixed version above the installed one.
    pub nearest_fix: Option<String>,
    /// The preferred severity.
    pub severity: Option<EntrySeverity>,
    /// Every severity given.
    pub severities: Vec<EntrySeverity>,
    /// The description.
    pub summary: Option<String>,
    /// The statement that applies, if triaged.
    pub vex: Option<AppliedVex>,
}

/// The status, justification and statements a triaged finding is written with.
pub(crate) struct Written {
    pub status: VexStatus,
    pub justification: Option<Justification>,
    pub impact: Option<String>,
    pub action: Option<String>,
    pub notes: Option<String>,
    pub responses: Vec<String>,
}

pub(crate) fn written(t: &VexEntry, untriaged: VexStatus) -> Written {
    let (status, justification, mut impact, mut action, notes, responses) = match &t.vex {
        Some(v) => (
            v.status,
            v.justification,
            v.impact_statement.clone(),
            v.action_statement.clone(),
            v.status_notes.clone(),
            v.responses.clone(),
        ),
        None => (untriaged, None, None, None, None, Vec::new()),
    };
    if status == VexStatus::Affected && action.is_none() {
        action = Some(default_action(t));
    }
    if status == VexStatus::NotAffected && justification.is_none() && impact.is_none() {
        impact = Some(match &t.vex {
            Some(v) => format!("Triaged as not affected ({})", v.source),
            None => "Triaged as not affected".into(),
        });
    }
    Written {
        status,
        justification,
        impact,
        action,
        notes,
        responses,
    }
}

/// "Update NAME to VERSION", or what to do when no fix is known.
pub fn default_action(f: &VexEntry) -> String {
    match (&f.nearest_fix, f.fixed.last()) {
        (Some(v), _) => format!("Update {} to {} or later.", f.package.name, v),
        (None, Some(v)) => format!(
            "Update {} to a fixed version ({} or later).",
            f.package.name, v
        ),
        (None, None) => format!(
            "No fixed version of {} is known: remove or replace it, or mitigate the vulnerability.",
            f.package.name
        ),
    }
}

/// Where an advisory id is published: (source name, URL).
pub fn advisory_source(id: &str) -> (&'static str, String) {
    let upper = id.to_ascii_uppercase();
    if upper.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else if upper.starts_with("GHSA-") {
        ("GitHub", format!("https://github.com/advisories/{id}"))
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    }
}
