//! JUnit XML: each requirement a test case, each family a test suite, so CI systems list
//! requirements beside their tests.
//!
//! | annex status | JUnit |
//! |---|---|
//! | pass | passed test case |
//! | fail | `<failure type="fail">` |
//! | unknown | `<error type="unknown">`: annex could not tell, which is not a pass |
//! | needs-review, not-run, not-applicable | `<skipped>` with the status in its message |

use crate::status::{by_group, fix_of};
use annex_assess::{Assessment, RequirementResult, Status};
use annex_types::xml::escape as esc;
use std::fmt::Write;

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        self.tests += 1;
        match status {
            Status::Pass => {}
            Status::Fail => self.failures += 1,
            Status::Unknown => self.errors += 1,
            Status::NeedsReview | Status::NotRun | Status::NotApplicable => self.skipped += 1,
        }
    }
    fn attrs(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Reason, evidence and fix as the body of a failure or error.
fn details(r: &RequirementResult) -> String {
    let mut body = r.reason.clone();
    for e in &r.evidence {
        let _ = write!(body, "\nevidence: {e}");
    }
    if let Some(fix) = fix_of(r) {
        let _ = write!(body, "\nfix: {fix}");
    }
    body
}

fn case(out: &mut String, profile: &str, r: &RequirementResult) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}.{}\" name=\"{} {}\"",
        esc(profile),
        esc(&r.group),
        esc(&r.requirement),
        esc(&r.title)
    );
    let (tag, kind) = match r.status {
        Status::Pass => {
            out.push_str("/>\n");
            return;
        }
        Status::Fail => ("failure", "fail"),
        Status::Unknown => ("error", "unknown"),
        Status::NeedsReview | Status::NotRun | Status::NotApplicable => ("skipped", ""),
    };
    out.push_str(">\n");
    if tag == "skipped" {
        let _ = writeln!(
            out,
            "      <skipped message=\"{}: {}\"/>",
            r.status.as_str(),
            esc(&r.reason)
        );
    } else {
        let _ = writeln!(
            out,
            "      <{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>",
            esc(&r.reason),
            esc(&details(r))
        );
    }
    out.push_str("    </testcase>\n");
}

/// The assessment as JUnit XML (the Jenkins/Surefire dialect most CI systems read).
pub fn junit(a: &Assessment) -> String {
    let mut total = Counts::default();
    let mut suites = String::new();
    for (group, title, results) in by_group(&a.results) {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for r in &results {
            counts.add(r.status);
            total.add(r.status);
            case(&mut cases, &a.profile.id, r);
        }
        let _ = write!(
            suites,
            "  <testsuite name=\"{} {}\" {}>\n{cases}  </testsuite>\n",
            esc(group),
            esc(title),
            counts.attrs()
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"annex check {} ({} {})\" {}>\n{suites}</testsuites>\n",
        esc(&a.subject),
        esc(&a.profile.id),
        esc(&a.profile.version),
        total.attrs()
    )
}
