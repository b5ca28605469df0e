//! Vulnerability findings: the `annex/findings/v1` document, text and SARIF 2.1.0.

use annex_types::escape_control;
use annex_vuln::matching::Finding;
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
        // Names, versions, ids and summaries come from lockfiles and advisories: escaped,
        // so none can move the cursor or print a line that looks like annex's own.
        let line = format!(
            "{} {}@{} {}{aliases} ({}){fix}{at}{vex}",
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
            if let Some(score) = f.severity.as_ref().and_then(|s| s.score) {
                rule["properties"] = json!({"security-severity": format!("{score:.1}")});
            }
            rules.push(rule);
        }
        let level = match f.severity.as_ref().and_then(|s| s.score) {
            Some(s) if s >= 7.0 => "error",
            Some(s) if s >= 4.0 => "warning",
            Some(_) => "note",
            None => "warning",
        };
        let mut result = json!({
            "ruleId": f.id,
            "level": level,
            "message": {"text": format!("{} {} is affected by {}{}", f.package.name, f.package.version, f.id,
                f.nearest_fix.as_ref().map(|v| format!("; upgrade to {v}")).unwrap_or_default())},
        });
        if let Some(loc) = &f.package.source {
            result["locations"] = json!([{"physicalLocation": {
                "artifactLocation": {"uri": loc.path},
                "region": {"startLine": loc.line.max(1)}
            }}]);
        }
        results.push(result);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "annex", "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/annex", "rules": rules}},
            "results": results
        }]
    })
}
