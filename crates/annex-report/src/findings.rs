//! Vulnerability findings: the `annex/findings/v1` document, text and SARIF 2.1.0.

use annex_types::escape_control;
use annex_vuln::matching::{Finding, FindingKind};
use annex_vuln::triage::TriagedFinding;
use serde::Serialize;
use std::fmt::Write;

pub const FINDINGS_SCHEMA: &str = "annex/findings/v1";

/// The advisory database a run used.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DbSnapshot {
    pub path: String,
    pub updated: Option<String>,
    pub advisories: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FindingsDoc {
    pub schema: String,
    pub subject: String,
    pub database: DbSnapshot,
    /// Packages looked up.
    pub packages: usize,
    /// Each finding with its VEX status when a statement or an annex.toml `[[vex]]` entry
    /// covers it; `suppressed` when that status is not_affected or fixed.
    pub findings: Vec<TriagedFinding>,
    /// Lockfiles and manifests whose packages were not looked up, and why.
    pub skipped: Vec<annex_checkout::Skipped>,
}

fn severity(f: &Finding) -> String {
    match &f.severity {
        Some(s) => match (s.score, &s.rating) {
            (Some(score), Some(r)) => format!("{:?} {score:.1}", r).to_uppercase(),
            (Some(score), None) => format!("{score:.1}"),
            _ => s.vector.clone(),
        },
        None => "severity unknown".to_string(),
    }
}

pub fn findings_text(doc: &FindingsDoc, explain: bool) -> String {
    let mut out = String::new();
    let open: Vec<&TriagedFinding> = doc.findings.iter().filter(|r| !r.suppressed).collect();
    for r in &doc.findings {
        let f = &r.finding;
        let at = f
            .package
            .source
            .as_ref()
            .map(|l| format!(" ({}:{})", l.path, l.line))
            .unwrap_or_default();
        let aliases = if f.aliases.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.aliases.join(", "))
        };
        let fix = match &f.nearest_fix {
            Some(v) => format!("; fixed in {v}"),
            None if f.fixed.is_empty() => "; no fix yet".to_string(),
            None => format!("; fixed in {}", f.fixed.join(", ")),
        };
        let vex = match (&r.vex, r.suppressed) {
            (Some(v), true) => format!(" — suppressed by VEX: {}", v.status.as_str()),
            (Some(v), false) => format!(" — VEX: {}", v.status.as_str()),
            _ => String::new(),
        };
        // Anything but a vulnerability says what it is (an unmaintained crate is no CVE).
        let mut kind = match f.kind {
            FindingKind::Vulnerability => String::new(),
            k => format!("{}, ", k.as_str()),
        };
        if f.package.name_only {
            kind.push_str("name-only match, ");
        }
        // Names, versions, ids and summaries come from lockfiles and advisories: escaped,
        // so none can move the cursor or print a line that looks like annex's own.
        let line = format!(
            "{} {}@{} {}{aliases} ({kind}{}){fix}{at}{vex}",
            f.package.ecosystem,
            f.package.name,
            f.package.version,
            f.id,
            severity(f)
        );
        let _ = writeln!(out, "{}", escape_control(&line));
        if let Some(s) = f.summary.as_deref().filter(|s| !s.is_empty()) {
            let _ = writeln!(out, "    {}", escape_control(s));
        }
        if explain {
            for m in &f.matched {
                let line = format!("matched {}: {}", m.advisory, m.explanation);
                let _ = writeln!(out, "    {}", escape_control(&line));
                if !m.events.is_empty() {
                    let ev: Vec<String> = m
                        .events
                        .iter()
                        .map(|e| format!("{}: {}", e.kind(), e.version()))
                        .collect();
                    let _ = writeln!(out, "      events: {}", escape_control(&ev.join(", ")));
                }
                for n in &m.notes {
                    let _ = writeln!(out, "      note: {}", escape_control(n));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{} package(s) checked against {} advisories ({}): {} finding(s), {} open, {} suppressed by VEX",
        doc.packages,
        doc.database.advisories,
        escape_control(doc.database.updated.as_deref().unwrap_or("never updated")),
        doc.findings.len(),
        open.len(),
        doc.findings.len() - open.len()
    );
    out
}

/// SARIF 2.1.0: one rule per advisory, one result per open finding, located at the
/// lockfile line the package came from.
pub fn findings_sarif(doc: &FindingsDoc) -> serde_json::Value {
    use serde_json::json;
    let mut rules: Vec<serde_json::Value> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut results = Vec::new();
    for r in doc.findings.iter().filter(|r| !r.suppressed) {
        let f = &r.finding;
        if seen.insert(f.id.clone()) {
            let mut rule = json!({
                "id": f.id,
                "shortDescription": {"text": f.summary.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| f.id.clone())},
                "helpUri": format!("https://osv.dev/vulnerability/{}", f.id),
            });
            rule["properties"] = json!({"tags": [f.kind.as_str()]});
            if let Some(score) = f.severity.as_ref().and_then(|s| s.score) {
                rule["properties"]["security-severity"] = json!(format!("{score:.1}"));
            }
            rules.push(rule);
        }
        let level = match (f.kind, f.severity.as_ref().and_then(|s| s.score)) {
            (FindingKind::Malicious, _) => "error",
            (FindingKind::Unmaintained | FindingKind::Notice, _) => "note",
            (_, Some(s)) if s >= 7.0 => "error",
            (_, Some(s)) if s >= 4.0 => "warning",
            (_, Some(_)) => "note",
            (_, None) => "warning",
        };
        let mut result = json!({
            "ruleId": f.id,
            "level": level,
            "properties": {"kind": f.kind.as_str(), "nameOnly": f.package.name_only},
            "message": {"text": format!("{} {} is affected by {}{}", f.package.name, f.package.version, f.id,
                f.nearest_fix.as_ref().map(|v| format!("; upgrade to {v}")).unwrap_or_default())},
        });
        if let Some(loc) = &f.package.source {
            result["locations"] = json!([{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(&loc.path)},
                "region": {"startLine": loc.line.max(1)}
            }}]);
        }
        results.push(result);
    }
    crate::sarif::log(rules, results, serde_json::Value::Null)
}

/// A SARIF `uri` for a lockfile path: relative paths as they are (relative to the
/// scanned directory), an absolute one as a `file:` URI (`//host` would read as a network
/// path); spaces and other characters a URI cannot hold percent-encoded.
fn artifact_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    annex_types::percent::encode_where(&mut out, path, |c| {
        c.is_control()
            || matches!(
                c,
                ' ' | '%' | '#' | '?' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sarif::information_uri;
    use annex_vuln::matching::FindingPackage;

    fn finding(id: &str, kind: FindingKind, name: &str) -> TriagedFinding {
        TriagedFinding::untriaged(Finding {
            id: id.to_string(),
            kind,
            aliases: Vec::new(),
            package: FindingPackage {
                ecosystem: "crates.io".to_string(),
                name: name.to_string(),
                version: "0.1.0".to_string(),
                purl: None,
                scope: None,
                source: Some(annex_inventory::Location {
                    path: "Cargo.lock".to_string(),
                    line: 3,
                }),
                name_only: false,
            },
            matched: Vec::new(),
            fixed: Vec::new(),
            nearest_fix: None,
            severity: None,
            severities: Vec::new(),
            summary: None,
        })
    }

    fn doc() -> FindingsDoc {
        FindingsDoc {
            schema: FINDINGS_SCHEMA.to_string(),
            subject: ".".to_string(),
            database: DbSnapshot {
                path: "db".to_string(),
                updated: None,
                advisories: 2,
            },
            packages: 2,
            findings: vec![
                finding(
                    "RUSTSEC-2016-0005",
                    FindingKind::Unmaintained,
                    "rust-crypto",
                ),
                finding("RUSTSEC-2026-0041", FindingKind::Vulnerability, "lz4_flex"),
            ],
            skipped: Vec::new(),
        }
    }

    #[test]
    fn kinds_in_text_json_and_sarif() {
        let d = doc();
        insta::assert_snapshot!(findings_text(&d, false));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["findings"][0]["kind"], "unmaintained");
        assert_eq!(json["findings"][1]["kind"], "vulnerability");
        let sarif = findings_sarif(&d);
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results[0]["properties"]["kind"], "unmaintained");
        assert_eq!(results[0]["level"], "note");
        assert_eq!(results[1]["properties"]["kind"], "vulnerability");
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules[0]["properties"]["tags"][0], "unmaintained");
        let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "Cargo.lock");
        assert_eq!(
            artifact_uri("/home/a b/Cargo.lock"),
            "file:///home/a%20b/Cargo.lock"
        );
        // Never the placeholder: a reader would follow it.
        let uri = &sarif["runs"][0]["tool"]["driver"]["informationUri"];
        assert!(
            uri.as_str().is_none_or(|u| !u.contains(".invalid")),
            "{uri}"
        );
    }

    #[test]
    fn information_uri_is_the_repository_unless_a_placeholder() {
        assert_eq!(information_uri("https://example.invalid/annex"), None);
        assert_eq!(information_uri(""), None);
        assert_eq!(
            information_uri("https://github.com/o/annex"),
            Some("https://github.com/o/annex")
        );
    }
}
