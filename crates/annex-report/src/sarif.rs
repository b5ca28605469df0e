//! SARIF 2.1.0 for `annex check`: one rule per requirement, one result per requirement at
//! its evidence locations, so code scanning shows a failing requirement at the file and line
//! it was decided on.
//!
//! | annex status | SARIF `kind` | `level` |
//! |---|---|---|
//! | fail | `fail` | `error` |
//! | needs-review | `review` | `none` |
//! | unknown, not-run | `open` | `none` |
//! | pass | `pass` | `none` |
//! | not-applicable | `notApplicable` | `none` |
//!
//! SARIF requires `level: none` for every kind but `fail`, so only failing requirements
//! become code-scanning alerts; the others stay in the log with their kind, never as a pass.

use annex_assess::{Assessment, Status};
use serde_json::{Value, json};

/// A SARIF 2.1.0 log with one run of annex: the envelope both SARIF writers share.
pub(crate) fn log(rules: Vec<Value>, results: Vec<Value>, extra: Value) -> Value {
    let mut driver = json!({"name": "annex", "version": env!("CARGO_PKG_VERSION"), "rules": rules});
    if let Some(uri) = information_uri(env!("CARGO_PKG_REPOSITORY")) {
        driver["informationUri"] = json!(uri);
    }
    let mut run = json!({"tool": {"driver": driver}, "results": results});
    if let (Some(run), Value::Object(extra)) = (run.as_object_mut(), extra) {
        run.extend(extra);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    })
}

/// The project's URL (the workspace's `repository`), unless it is unset or a placeholder
/// on the reserved `.invalid` domain: a reader would follow it.
pub(crate) fn information_uri(repository: &str) -> Option<&str> {
    let host = repository
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or(""))?;
    (!host.is_empty() && !host.ends_with(".invalid") && host != "invalid").then_some(repository)
}

/// SARIF `kind` and `level` of a status.
fn kind_level(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Fail => ("fail", "error"),
        Status::NeedsReview => ("review", "none"),
        Status::Unknown | Status::NotRun => ("open", "none"),
        Status::Pass => ("pass", "none"),
        Status::NotApplicable => ("notApplicable", "none"),
    }
}

/// The assessment as a SARIF 2.1.0 log.
pub fn check_sarif(a: &Assessment) -> Value {
    let mut rules = Vec::new();
    let mut results = Vec::new();
    for (index, r) in a.results.iter().enumerate() {
        let mut rule = json!({
            "id": r.requirement,
            "name": r.control,
            "shortDescription": {"text": format!("{} {}", r.requirement, r.title)},
            "fullDescription": {"text": r.text},
            "properties": {"tags": [r.catalog, r.group, r.group_title]},
        });
        if let Some(fix) = &r.remediation {
            rule["help"] = json!({"text": fix});
        }
        rules.push(rule);
        let (kind, level) = kind_level(r.status);
        let mut message = format!("{}: {}", r.status.as_str(), r.reason);
        if let Some(fix) = crate::status::fix_of(r) {
            message.push_str(&format!(" Fix: {fix}"));
        }
        let mut result = json!({
            "ruleId": r.requirement,
            "ruleIndex": index,
            "kind": kind,
            "level": level,
            "message": {"text": message},
            "properties": {"status": r.status.as_str(), "confidence": r.confidence, "source": r.source},
        });
        if !r.evidence.is_empty() {
            let locations: Vec<Value> = r
                .evidence
                .iter()
                .map(|e| {
                    json!({"physicalLocation": {
                        "artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": e.line.max(1)}
                    }})
                })
                .collect();
            result["locations"] = Value::Array(locations);
        }
        results.push(result);
    }
    log(
        rules,
        results,
        json!({
            // One category per profile, so code scanning keeps each profile's alerts apart.
            "automationDetails": {"id": format!("annex/check/{}/", a.profile.id)},
            "properties": {"profile": a.profile.id, "profileVersion": a.profile.version,
                "summary": a.summary},
        }),
    )
}
