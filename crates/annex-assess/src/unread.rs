//! Files the evidence could not read (`unread[]`: too large, unreadable, unparsable) and
//! the rules they leave undecided. A rule or score that reads a section such a file feeds
//! cannot pass on it, nor fail for want of it: only a failure that points at a file that
//! was read stands. A leaf: it knows the evidence JSON and nothing else of the crate.

use serde_json::Value as Json;

/// One entry of the evidence's `unread[]` that a rule depends on.
pub(crate) struct Unread<'a> {
    pub path: &'a str,
    reason: &'a str,
    detail: &'a str,
}

/// The unread files feeding any evidence section that `expr` reads (`evidence.ci…`).
pub(crate) fn feeding<'a>(expr: &str, evidence: &'a Json) -> Vec<Unread<'a>> {
    let Some(list) = evidence.get("unread").and_then(Json::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter(|u| {
            u.get("sections")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .any(|s| reads_section(expr, s))
        })
        .map(|u| Unread {
            path: u.get("path").and_then(Json::as_str).unwrap_or("?"),
            reason: u
                .get("reason")
                .and_then(Json::as_str)
                .unwrap_or("unreadable"),
            detail: u.get("detail").and_then(Json::as_str).unwrap_or(""),
        })
        .collect()
}

/// Whether `expr` names `evidence.<section>` as a whole identifier (not `evidence.cix`).
fn reads_section(expr: &str, section: &str) -> bool {
    let needle = format!("evidence.{section}");
    expr.match_indices(&needle).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Whether the unread files leave a verdict undecided: always for a pass; for a failure
/// unless it cites a file that was read (then it is a finding in that file, which the
/// unread ones cannot undo).
pub(crate) fn undecided<'p>(
    unread: &[Unread<'_>],
    failed: bool,
    cited: impl IntoIterator<Item = &'p str>,
) -> bool {
    let cites_read = || {
        cited
            .into_iter()
            .any(|p| !unread.iter().any(|u| u.path == p))
    };
    !(unread.is_empty() || failed && cites_read())
}

/// "N file(s) this depends on could not be read (path (reason: detail), …); …".
pub(crate) fn reason(unread: &[Unread<'_>]) -> String {
    let listed: Vec<String> = unread
        .iter()
        .take(3)
        .map(|u| format!("{} ({}: {})", u.path, u.reason, u.detail))
        .collect();
    let more = if unread.len() > 3 { ", …" } else { "" };
    format!(
        "{} file(s) this depends on could not be read ({}{more}); it cannot be told until \
         they are (see unread[])",
        unread.len(),
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_match_whole_names() {
        assert!(reads_section("evidence.ci.providers", "ci"));
        assert!(reads_section("has(evidence.license)", "license"));
        assert!(!reads_section("evidence.cix", "ci"));
        assert!(!reads_section("x.evidence.ci", "ci"));
        assert!(!reads_section("evidence.docs.readme", "ci"));
    }

    #[test]
    fn only_rules_over_the_sections_are_affected() {
        let evidence = serde_json::json!({"unread": [{
            "path": ".github/workflows/big.yml", "reason": "too-large",
            "detail": "5 MiB", "sections": ["ci", "sast"]}]});
        assert_eq!(
            feeding("evidence.ci.workflow_findings.size() == 0", &evidence).len(),
            1
        );
        assert!(feeding("evidence.docs.readme != null", &evidence).is_empty());
        let hits = feeding("evidence.sast.present", &evidence);
        assert!(reason(&hits).contains(".github/workflows/big.yml (too-large: 5 MiB)"));
        assert!(!undecided(&hits, true, ["ci.yml"]));
        assert!(undecided(&hits, false, ["ci.yml"]));
        assert!(undecided(&hits, true, [".github/workflows/big.yml"]));
        assert!(undecided(&hits, true, []));
        assert!(!undecided(&[], false, []));
    }
}
