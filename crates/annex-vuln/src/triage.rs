//! Triage: the `[[vex]]` entries of `annex.toml`, and applying VEX statements (from there or
//! from documents, read by annex-vex) to findings.
//!
//! ```toml
//! [[vex]]
//! id = "RUSTSEC-2023-0071"            # the advisory id or any alias
//! package = "pkg:cargo/rsa"           # a purl (no version: every version) or a bare name
//! status = "not_affected"             # not_affected | affected | fixed | under_investigation
//! justification = "vulnerable_code_not_in_execute_path"
//! statement = "We only verify signatures; the timing side channel needs decryption."
//! expires = 2026-12-31                # optional, YYYY-MM-DD (a TOML date or a string)
//! ```
//!
//! `not_affected` needs a justification or a statement. `statement` becomes the impact
//! statement of `not_affected`, the action statement of `affected`, and the status notes
//! otherwise. An entry counts through its `expires` day and is absent after it.
//!
//! # Applying
//!
//! A statement matches a finding when one of its vulnerability ids is the finding's id or one
//! of its aliases (case-insensitive) and one of its products matches the finding's package:
//! same purl type, namespace and name (compared as the ecosystem compares names), and the same
//! version unless the statement's purl has none; qualifiers and subpaths are ignored. A bare
//! name matches that package at any version. When several statements match, the most specific
//! product wins (versioned purl, then versionless purl, then bare name), then the newest
//! timestamp, then the later statement in the list (so later documents override earlier ones;
//! put `annex.toml` last to let it override documents). `not_affected` and `fixed` suppress the
//! finding; `affected` and `under_investigation` annotate it.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::db::normalize_name;
use crate::matching::Finding;
use annex_vex::purl::parse_purl;
use annex_vex::{Justification, VexFormat, VexProduct, VexSource, VexStatement, VexStatus};

use crate::purl::{finding_purl, purl_key};

/// The VEX information a finding carries once triaged (annex-vex's model).
pub use annex_vex::AppliedVex;

/// A problem in `annex.toml`'s `[[vex]]` entries, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct TriageError {
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

/// The keys a `[[vex]]` entry may have.
pub const ENTRY_KEYS: [&str; 6] = [
    "id",
    "package",
    "status",
    "justification",
    "statement",
    "expires",
];

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    vex: Option<toml::Spanned<Vec<toml::Spanned<Entry>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: toml::Spanned<String>,
    package: toml::Spanned<String>,
    status: toml::Spanned<String>,
    #[serde(default)]
    justification: Option<toml::Spanned<String>>,
    #[serde(default)]
    statement: Option<toml::Spanned<String>>,
    #[serde(default)]
    expires: Option<toml::Spanned<toml::Value>>,
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, l)| l)
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Reads the `[[vex]]` entries of an `annex.toml` (`path` names it in sources and errors). Other
/// keys and tables of the file are not looked at beyond TOML syntax. Expired entries are
/// returned (with `expires` set); [`apply`] treats them as absent.
pub fn parse_annex_toml(text: &str, path: &str) -> Result<Vec<VexStatement>, TriageError> {
    let err = |span: Option<Range<usize>>, message: String| {
        let (line, column) = span.map_or((1, 1), |s| position(text, s.start));
        TriageError {
            path: path.to_string(),
            line,
            column,
            message,
        }
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let mut message = e.message().trim().to_string();
        if message.starts_with("unknown field") {
            message = format!("{message} (a [[vex]] entry has: {})", ENTRY_KEYS.join(", "));
        }
        err(e.span(), message)
    })?;
    let Some(entries) = file.vex else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries.into_inner() {
        let entry_span = entry.span();
        let (line, _) = position(text, entry_span.start);
        let e = entry.into_inner();
        let id = e.id.get_ref().trim().to_string();
        if id.is_empty() {
            return Err(err(Some(e.id.span()), "`id` is empty".into()));
        }
        let package = e.package.get_ref().trim().to_string();
        let product = if package.is_empty() {
            return Err(err(Some(e.package.span()), "`package` is empty".into()));
        } else if package.len() >= 4 && package[..4].eq_ignore_ascii_case("pkg:") {
            if parse_purl(&package).is_none() {
                return Err(err(
                    Some(e.package.span()),
                    format!("{package:?} is not a valid purl (pkg:type/namespace/name@version)"),
                ));
            }
            VexProduct::from_purl(package)
        } else {
            VexProduct {
                name: Some(package),
                ..VexProduct::default()
            }
        };
        let status = VexStatus::parse(e.status.get_ref().trim()).ok_or_else(|| {
            err(
                Some(e.status.span()),
                format!(
                    "unknown status {:?}; expected one of: {}",
                    e.status.get_ref(),
                    VexStatus::allowed()
                ),
            )
        })?;
        let justification = match &e.justification {
            None => None,
            Some(j) => Some(Justification::parse(j.get_ref().trim()).ok_or_else(|| {
                err(
                    Some(j.span()),
                    format!(
                        "unknown justification {:?}; expected one of: {}",
                        j.get_ref(),
                        Justification::allowed()
                    ),
                )
            })?),
        };
        if justification.is_some() && status != VexStatus::NotAffected {
            let j = e.justification.as_ref().expect("justification present");
            return Err(err(
                Some(j.span()),
                format!("a justification only goes with status \"not_affected\", not {status:?}"),
            ));
        }
        let statement = e
            .statement
            .as_ref()
            .map(|s| s.get_ref().trim().to_string())
            .filter(|s| !s.is_empty());
        if status == VexStatus::NotAffected && justification.is_none() && statement.is_none() {
            return Err(err(
                Some(e.status.span()),
                format!(
                    "status \"not_affected\" needs a `justification` (one of: {}) or a `statement`",
                    Justification::allowed()
                ),
            ));
        }
        let expires = match &e.expires {
            None => None,
            Some(x) => Some(parse_date(x.get_ref()).ok_or_else(|| {
                err(
                    Some(x.span()),
                    format!("`expires` must be a date YYYY-MM-DD, not {}", x.get_ref()),
                )
            })?),
        };
        let (mut impact, mut action, mut notes) = (None, None, None);
        match status {
            VexStatus::NotAffected => impact = statement,
            VexStatus::Affected => action = statement,
            _ => notes = statement,
        }
        out.push(VexStatement {
            vulnerabilities: vec![id],
            products: vec![product],
            parents: Vec::new(),
            status,
            justification,
            source_justification: None,
            impact_statement: impact,
            action_statement: action,
            status_notes: notes,
            responses: Vec::new(),
            source: VexSource {
                format: VexFormat::AnnexToml,
                document: path.to_string(),
                line: Some(line),
                pointer: None,
            },
            timestamp: None,
            expires,
        });
    }
    Ok(out)
}

fn parse_date(v: &toml::Value) -> Option<NaiveDate> {
    let s = match v {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

/// A finding with the VEX statement that applies to it, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriagedFinding {
    /// Flattened, so a findings document lists each finding's own fields beside its triage.
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vex: Option<AppliedVex>,
    /// `not_affected` or `fixed`: not to be reported as a problem.
    pub suppressed: bool,
}

impl TriagedFinding {
    /// An untriaged finding.
    pub fn untriaged(finding: Finding) -> TriagedFinding {
        TriagedFinding {
            finding,
            vex: None,
            suppressed: false,
        }
    }
}

/// How specifically a product names a finding's package: 3 versioned purl, 2 versionless purl,
/// 1 bare name; `None` when it does not.
pub fn product_match(product: &VexProduct, finding: &Finding) -> Option<u8> {
    if let Some(p) = product.purl.as_deref().and_then(parse_purl) {
        let target = parse_purl(&finding_purl(finding))?;
        let (ty, name, version) = purl_key(&p);
        let (fty, fname, fversion) = purl_key(&target);
        if ty != fty || name != fname {
            return None;
        }
        return match version {
            None => Some(2),
            Some(v) => {
                let fv = fversion.unwrap_or_else(|| finding.package.version.clone());
                (v == fv).then_some(3)
            }
        };
    }
    if let Some(n) = &product.name {
        let eco = &finding.package.ecosystem;
        return (normalize_name(eco, n) == normalize_name(eco, &finding.package.name)).then_some(1);
    }
    None
}

/// How well a statement matches a finding (`None`: it does not).
pub fn statement_match(statement: &VexStatement, finding: &Finding) -> Option<u8> {
    let ids =
        std::iter::once(finding.id.as_str()).chain(finding.aliases.iter().map(String::as_str));
    if !statement.names_any(ids) {
        return None;
    }
    statement
        .products
        .iter()
        .filter_map(|p| product_match(p, finding))
        .max()
}

/// Applies the statements to the findings (in order). Statements expired on `today` are
/// ignored. See the module documentation for which statement wins.
pub fn apply(
    findings: &[Finding],
    statements: &[VexStatement],
    today: NaiveDate,
) -> Vec<TriagedFinding> {
    let live: Vec<(usize, &VexStatement, Option<DateTime<Utc>>)> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_expired(today))
        .map(|(i, s)| (i, s, s.time()))
        .collect();
    findings
        .iter()
        .map(|f| {
            let best = live
                .iter()
                .filter_map(|(i, s, t)| statement_match(s, f).map(|m| ((m, *t, *i), *s)))
                .max_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, s)| s);
            TriagedFinding {
                finding: f.clone(),
                suppressed: best.is_some_and(|s| s.status.suppresses()),
                vex: best.map(AppliedVex::from),
            }
        })
        .collect()
}
