//! What every renderer says the same way: status labels, families, the summary line, the
//! profile's short name.

use annex_assess::{Assessment, RequirementResult, Status};

/// The upper-case label a report shows for a status.
pub(crate) fn label(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NeedsReview => "REVIEW",
        Status::NotApplicable => "N/A",
        Status::NotRun => "NOT RUN",
        Status::Unknown => "UNKNOWN",
    }
}

/// Families in first-seen order, each with its results.
pub(crate) fn by_group(
    results: &[RequirementResult],
) -> Vec<(&str, &str, Vec<&RequirementResult>)> {
    let mut groups: Vec<(&str, &str, Vec<&RequirementResult>)> = Vec::new();
    for r in results {
        match groups.iter_mut().find(|(g, _, _)| *g == r.group) {
            Some((_, _, v)) => v.push(r),
            None => groups.push((&r.group, &r.group_title, vec![r])),
        }
    }
    groups
}

/// One line with every status count.
pub fn summary_line(a: &Assessment) -> String {
    let s = &a.summary;
    format!(
        "{} requirements: {} pass, {} fail, {} needs review, {} not run, {} unknown, {} not applicable",
        s.total, s.pass, s.fail, s.needs_review, s.not_run, s.unknown, s.not_applicable
    )
}

/// The profile's id as a short name: `osps-l1` → `OSPS L1`.
pub(crate) fn profile_label(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|p| !p.is_empty())
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Requirements that can pass (all but not-applicable), and how many did.
pub(crate) fn passed_of_applicable(a: &Assessment) -> (usize, usize) {
    let s = &a.summary;
    (s.pass, s.total.saturating_sub(s.not_applicable))
}

/// The fix a report shows for a result that did not pass: the remediation, and the
/// `annex fix` command when a generator writes it.
pub(crate) fn fix_of(r: &RequirementResult) -> Option<String> {
    if matches!(r.status, Status::Pass | Status::NotApplicable) {
        return None;
    }
    let fix = r
        .remediation
        .as_deref()
        .map(|f| f.split_whitespace().collect::<Vec<_>>().join(" "));
    match (fix, &r.generator) {
        (Some(f), Some(g)) => Some(format!("{f} (run `annex fix --only {g}`)")),
        (Some(f), None) => Some(f),
        (None, Some(g)) => Some(format!("run `annex fix --only {g}`")),
        (None, None) => None,
    }
}
