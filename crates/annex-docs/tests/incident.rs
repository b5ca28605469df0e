//! Article 14: records, clocks (with an injected clock: month ends, leap day, time zones,
//! DST, overdue), drafts for manufacturer and steward, CSAF validated against the schema.
mod common;

use annex_docs::incident::{
    self, ClockState, Details, Incident, IncidentKind, NewIncident, ReportFormat, Stage,
};
use chrono::{DateTime, FixedOffset};
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn vuln(aware: &str) -> NewIncident {
    let mut n = NewIncident::new(
        IncidentKind::Vulnerability,
        at(aware),
        "Crafted configuration files crash the parser",
    );
    n.ids = vec!["GHSA-abcd-efgh-ijkl".into(), "CVE-2026-1234".into()];
    n.affected_versions = vec![">= 1.2.0, < 1.4.2".into(), "1.1.9".into()];
    n.actively_exploited = true;
    n
}

fn incident_at(aware: &str) -> Incident {
    let dir = tempfile::tempdir().unwrap();
    incident::new(dir.path(), vuln(aware)).unwrap()
}

fn clock(i: &Incident, stage: Stage, now: &str) -> incident::Clock {
    incident::clocks(i, at(now))
        .into_iter()
        .find(|c| c.stage == Some(stage))
        .unwrap()
}

fn severe(aware: &str) -> Incident {
    let dir = tempfile::tempdir().unwrap();
    let mut n = NewIncident::new(
        IncidentKind::SevereIncident,
        at(aware),
        "Release signing key exposed in CI logs",
    );
    n.details.suspected_malicious = Some(true);
    incident::new(dir.path(), n).unwrap()
}

#[test]
fn ids_are_deterministic_and_use_the_utc_date() {
    let i = incident_at("2026-11-25T10:17:00+01:00");
    assert_eq!(i.id, "2026-11-25-cve-2026-1234");
    // Same instant written in another offset: same id. Local date 26th, UTC date 25th.
    let j = incident_at("2026-11-26T00:30:00+02:00");
    let k = incident_at("2026-11-25T22:30:00Z");
    assert_eq!(j.id, "2026-11-25-cve-2026-1234");
    assert_eq!(j.id, k.id);
    // Without ids, the summary's first words.
    let dir = tempfile::tempdir().unwrap();
    let n = NewIncident::new(
        IncidentKind::SevereIncident,
        at("2026-12-01T08:00:00Z"),
        "Build server compromised, artefacts altered",
    );
    assert_eq!(
        incident::new(dir.path(), n).unwrap().id,
        "2026-12-01-build-server-compromised-artefacts-altered"
    );
}

#[test]
fn records_are_files_and_recording_twice_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let i = incident::new(root, vuln("2026-11-25T10:17:00+01:00")).unwrap();
    let path = root.join(".annex/incidents/2026-11-25-cve-2026-1234.toml");
    assert!(path.is_file());
    insta::assert_snapshot!("record", std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        incident::new(root, vuln("2026-11-25T10:17:00+01:00")).unwrap(),
        i
    );
    // A different event on the same day with the same CVE gets a suffix.
    let mut other = vuln("2026-11-25T16:00:00+01:00");
    other.summary = "Second exploitation path".into();
    assert_eq!(
        incident::new(root, other).unwrap().id,
        "2026-11-25-cve-2026-1234-2"
    );
    assert_eq!(incident::list(root).unwrap().len(), 2);
    assert_eq!(incident::load(root, &i.id).unwrap(), i);
    let missing = incident::load(root, "nope").unwrap_err().to_string();
    assert!(missing.starts_with("no incident `nope` under"), "{missing}");
}

#[test]
fn a_bad_record_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let i = incident::new(root, vuln("2026-11-25T10:17:00+01:00")).unwrap();
    let path = root.join(format!(".annex/incidents/{}.toml", i.id));
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "aware-at = 2026-11-25T10:17:00+01:00",
        "aware-at = \"yesterday\"",
    );
    std::fs::write(&path, &text).unwrap();
    let e = incident::load(root, &i.id).unwrap_err().to_string();
    let line = text
        .lines()
        .position(|l| l.starts_with("aware-at"))
        .unwrap()
        + 1;
    assert!(
        e.contains(&format!(
            "2026-11-25-cve-2026-1234.toml:{line}:12: aware-at: `yesterday` is not a date and time"
        )),
        "{e}"
    );
}

#[test]
fn hour_clocks_and_time_left() {
    let i = incident_at("2026-11-25T10:17:00+01:00");
    let ew = clock(&i, Stage::EarlyWarning, "2026-11-25T11:00:00+01:00");
    assert_eq!(ew.due.unwrap(), at("2026-11-26T10:17:00+01:00"));
    assert_eq!(ew.state, ClockState::Running);
    assert_eq!(ew.remaining_seconds, Some(23 * 3600 + 17 * 60));
    assert_eq!(ew.anchor, "Article 14(2), point (a)");
    assert_eq!(
        ew.describe(),
        "early-warning (Article 14(2), point (a)): due 2026-11-26 10:17 +01:00 (09:17 UTC), 23 h 17 min left"
    );
    let n = clock(&i, Stage::Notification, "2026-11-25T11:00:00+01:00");
    assert_eq!(n.due.unwrap(), at("2026-11-28T10:17:00+01:00"));
    // No fix yet: the final report's clock has not started.
    let f = clock(&i, Stage::Final, "2026-11-25T11:00:00+01:00");
    assert_eq!((f.state, f.due), (ClockState::Waiting, None));
    assert!(f.note.contains("corrective or mitigating measure"));
    let u = clock(&i, Stage::UserNotice, "2026-11-25T11:00:00+01:00");
    assert_eq!(u.state, ClockState::NoDeadline);
}

#[test]
fn overdue() {
    let i = incident_at("2026-11-25T10:17:00+01:00");
    let c = clock(&i, Stage::EarlyWarning, "2026-11-27T12:20:00+01:00");
    assert_eq!(c.state, ClockState::Overdue);
    assert_eq!(c.remaining_seconds, Some(-(26 * 3600 + 3 * 60)));
    assert!(
        c.describe().ends_with("OVERDUE by 1 d 2 h 3 min"),
        "{}",
        c.describe()
    );
    // Exactly at the deadline counts as overdue (nothing left).
    let c = clock(&i, Stage::EarlyWarning, "2026-11-26T10:17:00+01:00");
    assert_eq!(c.state, ClockState::Overdue);
}

#[test]
fn submissions_stop_the_clock_on_time_or_late() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let i = incident::new(root, vuln("2026-11-25T10:17:00+01:00")).unwrap();
    incident::record_submitted(
        root,
        &i.id,
        Stage::EarlyWarning,
        at("2026-11-26T09:00:00+01:00"),
    )
    .unwrap();
    let i = incident::record_submitted(
        root,
        &i.id,
        Stage::Notification,
        at("2026-11-28T11:00:00+01:00"),
    )
    .unwrap();
    let now = "2026-12-01T00:00:00Z";
    assert_eq!(
        clock(&i, Stage::EarlyWarning, now).state,
        ClockState::Submitted
    );
    assert_eq!(
        clock(&i, Stage::Notification, now).state,
        ClockState::SubmittedLate
    );
    let statuses = incident::status(root, at(now)).unwrap();
    assert_eq!(statuses.len(), 4);
}

#[test]
fn final_report_of_a_vulnerability_is_14_days_after_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let i = incident::new(root, vuln("2026-11-25T10:17:00+01:00")).unwrap();
    let i =
        incident::record_fix(root, &i.id, at("2026-12-02T15:00:00+01:00"), Some("1.4.2")).unwrap();
    assert_eq!(i.fixed_in.as_deref(), Some("1.4.2"));
    let f = clock(&i, Stage::Final, "2026-12-03T00:00:00+01:00");
    assert_eq!(f.due.unwrap(), at("2026-12-16T15:00:00+01:00"));
    assert_eq!(f.state, ClockState::Running);
    // A fix that predates awareness counts from awareness.
    let i = incident::record_fix(root, &i.id, at("2026-11-01T00:00:00+01:00"), None).unwrap();
    let f = clock(&i, Stage::Final, "2026-11-26T00:00:00+01:00");
    assert_eq!(f.due.unwrap(), at("2026-12-09T10:17:00+01:00"));
    assert!(f.note.contains("predates awareness"));
}

#[test]
fn month_end_notification_on_31_january() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (aware, notified, due) in [
        // 2027 is not a leap year: 31 January + 1 month = 28 February.
        (
            "2027-01-29T09:00:00+01:00",
            "2027-01-31T15:00:00+01:00",
            "2027-02-28T15:00:00+01:00",
        ),
        // 2028 is: 29 February.
        (
            "2028-01-29T09:00:00+01:00",
            "2028-01-31T15:00:00+01:00",
            "2028-02-29T15:00:00+01:00",
        ),
        // 31 March + 1 month = 30 April.
        (
            "2027-03-30T09:00:00+02:00",
            "2027-03-31T08:00:00+02:00",
            "2027-04-30T08:00:00+02:00",
        ),
    ] {
        let mut n = NewIncident::new(
            IncidentKind::SevereIncident,
            at(aware),
            format!("Incident {aware}"),
        );
        n.details.suspected_malicious = Some(false);
        let i = incident::new(root, n).unwrap();
        assert_eq!(clock(&i, Stage::Final, notified).state, ClockState::Waiting);
        let i = incident::record_submitted(root, &i.id, Stage::Notification, at(notified)).unwrap();
        let f = clock(&i, Stage::Final, notified);
        assert_eq!(f.due.unwrap(), at(due), "{aware}");
        assert_eq!(f.anchor, "Article 14(4), point (c)");
    }
}

#[test]
fn leap_day() {
    // 28 Feb 2028 + 24 h = 29 Feb; + 72 h = 2 March.
    let i = incident_at("2028-02-28T12:00:00Z");
    assert_eq!(
        clock(&i, Stage::EarlyWarning, "2028-02-28T12:00:00Z")
            .due
            .unwrap(),
        at("2028-02-29T12:00:00Z")
    );
    assert_eq!(
        clock(&i, Stage::Notification, "2028-02-28T12:00:00Z")
            .due
            .unwrap(),
        at("2028-03-02T12:00:00Z")
    );
    // A fix on 20 February 2028 + 14 days crosses the leap day: 5 March.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let i = incident::new(root, vuln("2028-02-19T10:00:00+01:00")).unwrap();
    let i = incident::record_fix(root, &i.id, at("2028-02-20T10:00:00+01:00"), None).unwrap();
    assert_eq!(
        clock(&i, Stage::Final, "2028-02-21T00:00:00Z").due.unwrap(),
        at("2028-03-05T10:00:00+01:00")
    );
    // A notification on the leap day + 1 month = 29 March.
    let i = severe("2028-02-27T08:00:00+01:00");
    let mut i2 = i.clone();
    i2.submitted.notification = Some(at("2028-02-29T18:00:00+01:00"));
    assert_eq!(
        clock(&i2, Stage::Final, "2028-03-01T00:00:00Z")
            .due
            .unwrap(),
        at("2028-03-29T18:00:00+01:00")
    );
}

#[test]
fn time_zones_give_the_same_instants() {
    let local = incident_at("2026-11-25T23:30:00+02:00");
    let utc = incident_at("2026-11-25T21:30:00Z");
    assert_eq!(local.id, utc.id);
    for stage in [Stage::EarlyWarning, Stage::Notification] {
        let a = clock(&local, stage, "2026-11-26T00:00:00Z");
        let b = clock(&utc, stage, "2026-11-26T00:00:00Z");
        assert_eq!(a.due, b.due);
        assert_eq!(a.remaining_seconds, b.remaining_seconds);
    }
    let a = clock(&local, Stage::EarlyWarning, "2026-11-26T00:00:00Z");
    // Shown in the offset given, with UTC beside it.
    assert_eq!(a.due.unwrap().to_rfc3339(), "2026-11-26T23:30:00+02:00");
    assert_eq!(
        incident::show_time(&a.due.unwrap()),
        "2026-11-26 23:30 +02:00 (21:30 UTC)"
    );
    let b = clock(&utc, Stage::EarlyWarning, "2026-11-26T00:00:00Z");
    assert_eq!(incident::show_time(&b.due.unwrap()), "2026-11-26 21:30 UTC");
    // Awareness just before midnight local: the UTC day differs in the display.
    let late = incident_at("2026-11-26T01:30:00+02:00");
    let c = clock(&late, Stage::EarlyWarning, "2026-11-26T00:00:00Z");
    assert_eq!(
        incident::show_time(&c.due.unwrap()),
        "2026-11-27 01:30 +02:00 (2026-11-26 23:30 UTC)"
    );
}

#[test]
fn dst_transitions_in_europe_berlin() {
    // Last Sunday of March 2027 (28th): clocks go from +01:00 to +02:00 at 02:00.
    // Aware on Saturday 10:00 CET: 24 hours later is Sunday 11:00 CEST = 09:00 UTC.
    let i = incident_at("2027-03-27T10:00:00+01:00");
    let ew = clock(&i, Stage::EarlyWarning, "2027-03-27T10:00:00+01:00");
    assert_eq!(ew.due.unwrap(), at("2027-03-28T11:00:00+02:00"));
    assert_eq!(ew.due.unwrap(), at("2027-03-28T09:00:00Z"));
    // The time left is 24 hours of real time, not a wall-clock day.
    assert_eq!(ew.remaining_seconds, Some(24 * 3600));
    // Asked from a clock already in summer time, the remaining time agrees.
    let later = clock(&i, Stage::EarlyWarning, "2027-03-28T03:00:00+02:00");
    assert_eq!(later.remaining_seconds, Some(8 * 3600));
    // Last Sunday of October 2027 (31st): +02:00 to +01:00.
    let i = incident_at("2027-10-30T12:00:00+02:00");
    let n = clock(&i, Stage::Notification, "2027-10-30T12:00:00+02:00");
    assert_eq!(n.due.unwrap(), at("2027-11-02T10:00:00Z"));
    assert_eq!(n.due.unwrap(), at("2027-11-02T11:00:00+01:00"));
    assert_eq!(n.remaining_seconds, Some(72 * 3600));
}

#[test]
fn not_actively_exploited_has_no_clocks_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = vuln("2026-11-25T10:17:00+01:00");
    n.actively_exploited = false;
    let i = incident::new(dir.path(), n).unwrap();
    let clocks = incident::clocks(&i, at("2026-11-25T12:00:00Z"));
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].state, ClockState::NoClock);
    assert_eq!(clocks[0].stage, None);
    assert!(clocks[0].note.contains("not actively exploited"));
    assert!(clocks[0].describe().contains("no clock"));
    let e = incident::draft(
        &manufacturer(),
        &i,
        Stage::EarlyWarning,
        ReportFormat::Markdown,
        at("2026-11-25T12:00:00Z"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not actively exploited"), "{e}");
    // The user notice can still be written.
    assert!(
        incident::draft(
            &manufacturer(),
            &i,
            Stage::UserNotice,
            ReportFormat::Json,
            at("2026-11-25T12:00:00Z")
        )
        .is_ok()
    );
}

#[test]
fn events_before_article_14_applies_are_flagged() {
    let i = incident_at("2026-09-01T10:00:00+02:00");
    let c = clock(&i, Stage::EarlyWarning, "2026-09-01T11:00:00+02:00");
    assert!(c.note.contains("11 September 2026"), "{}", c.note);
    let i = incident_at("2026-09-11T00:00:00+02:00");
    assert!(
        clock(&i, Stage::EarlyWarning, "2026-09-11T01:00:00+02:00")
            .note
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------
// Drafts

fn filled(root: &Path) -> Incident {
    let mut n = vuln("2026-11-25T10:17:00+01:00");
    n.details = Details {
        member_states: vec!["DE".into(), "AT".into()],
        exploit: Some(
            "A deeply nested table exhausts the stack; exploited to crash controllers.".into(),
        ),
        measures_taken: Some("Nesting limited to 64 levels in 1.4.2.".into()),
        user_measures: Some(
            "Reject configuration files from untrusted sources until updated.".into(),
        ),
        sensitivity: Some("TLP:AMBER".into()),
        severity: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H (7.5)".into()),
        impact: Some("Denial of service of the controller.".into()),
        advisory_url: Some(
            "https://github.com/example/widget/security/advisories/GHSA-abcd-efgh-ijkl".into(),
        ),
        ..Details::default()
    };
    let i = incident::new(root, n).unwrap();
    incident::record_fix(root, &i.id, at("2026-11-27T18:00:00+01:00"), Some("1.4.2")).unwrap()
}

#[test]
fn manufacturer_report_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let m = manufacturer();
    let now = at("2026-11-25T14:00:00+01:00");
    // Bare record: the early warning is complete except for Member States.
    let bare = incident::new(dir.path(), vuln("2026-11-25T10:17:00+01:00")).unwrap();
    let ew = incident::draft(&m, &bare, Stage::EarlyWarning, ReportFormat::Markdown, now).unwrap();
    assert_eq!(ew.file_name, "2026-11-25-cve-2026-1234-early-warning.md");
    assert_eq!(ew.todos.len(), 1);
    assert_eq!(ew.todos[0].item, "Article 14(2), point (a)");
    insta::assert_snapshot!("vuln_early_warning_md", ew.content);
    let notif = incident::draft(&m, &bare, Stage::Notification, ReportFormat::Json, now).unwrap();
    let v: serde_json::Value = serde_json::from_str(&notif.content).unwrap();
    assert_eq!(v["schema"], "annex/art14-report/v1");
    assert_eq!(v["due"], "2026-11-28T10:17:00+01:00");
    assert_eq!(v["content"]["exploit"], serde_json::Value::Null);
    assert_eq!(notif.todos.len(), 4);
    insta::assert_snapshot!("vuln_notification_json", notif.content);

    let dir2 = tempfile::tempdir().unwrap();
    let full = filled(dir2.path());
    let fin = incident::draft(
        &m,
        &full,
        Stage::Final,
        ReportFormat::Markdown,
        at("2026-12-01T09:00:00+01:00"),
    )
    .unwrap();
    assert!(
        fin.todos
            .iter()
            .all(|t| t.what.contains("malicious actor")
                || t.what.contains("describe the vulnerability")),
        "{:?}",
        fin.todos
    );
    insta::assert_snapshot!("vuln_final_md", fin.content);
    for stage in [Stage::EarlyWarning, Stage::Notification] {
        let d = incident::draft(&m, &full, stage, ReportFormat::Json, now).unwrap();
        assert!(d.todos.is_empty(), "{stage:?}: {:?}", d.todos);
    }
}

#[test]
fn steward_incident_drafts() {
    let m = steward();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut n = NewIncident::new(
        IncidentKind::SevereIncident,
        at("2026-12-03T07:45:00+01:00"),
        "Release signing key exposed in CI logs",
    );
    n.affected_versions = vec!["3.0.0".into()];
    n.details.suspected_malicious = Some(true);
    n.details.nature = Some("A CI job printed the release signing key to a public log.".into());
    let i = incident::new(root, n).unwrap();
    let now = at("2026-12-03T10:00:00+01:00");
    let ew = incident::draft(&m, &i, Stage::EarlyWarning, ReportFormat::Markdown, now).unwrap();
    assert!(
        ew.content.contains("Article 24(3)"),
        "a steward reports within Article 24(3)"
    );
    assert!(ew.content.contains("Open-source software steward"));
    // Article 24(3): a steward's severe incident is reportable only when it affects the
    // network and information systems it provides for development; the "involved in
    // development" test is for exploited vulnerabilities only.
    assert!(
        ew.content
            .contains("network and information systems you provide")
    );
    assert!(!ew.content.contains("involved in"), "{}", ew.content);
    // Article 14(7): the fallback coordinator without a main establishment in the Union.
    assert!(ew.content.contains("authorised representative"));
    // Article 69(3): products already on the market are reported too.
    assert!(ew.content.contains("Article 69(3)"));
    let json = incident::draft(&m, &i, Stage::EarlyWarning, ReportFormat::Json, now).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json.content).unwrap();
    assert!(
        json["submit-to"]["without-main-establishment"]
            .as_str()
            .unwrap()
            .contains("where most of the product's users are")
    );
    assert!(
        json["submit-to"]["steward-scope"]
            .as_str()
            .unwrap()
            .contains("Article 24(3)")
    );
    insta::assert_snapshot!("incident_early_warning_steward_md", ew.content);
    let fin = incident::draft(&m, &i, Stage::Final, ReportFormat::Markdown, now).unwrap();
    assert!(fin.content.contains("not started yet"));
    let notice = incident::draft(&m, &i, Stage::UserNotice, ReportFormat::Markdown, now).unwrap();
    insta::assert_snapshot!("incident_user_notice_steward_md", notice.content);
}

fn validate_csaf(files: &[PathBuf]) {
    const TOOL: &str = "../../../shared/tools/validate_doc.py";
    let py = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let ready = Command::new(&py)
        .args(["-c", "import jsonschema, referencing"])
        .output();
    assert!(
        matches!(ready, Ok(ref o) if o.status.success()),
        "validating CSAF needs {py} with jsonschema: pip install 'jsonschema[format-nongpl]>=4.18'"
    );
    assert!(Path::new(TOOL).is_file(), "validator {TOOL} is missing");
    let out = Command::new(&py)
        .arg(TOOL)
        .arg("csaf-2.0")
        .args(files)
        .output()
        .expect("run validate_doc.py");
    assert!(
        out.status.success(),
        "CSAF 2.0 validation failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn user_notice_is_valid_csaf_2_0() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let now = at("2026-12-01T09:00:00+01:00");
    let mut files = Vec::new();
    // A filled vulnerability (manufacturer), a bare one, and a steward's severe incident.
    let full = filled(root);
    let bare = incident::new(root, vuln("2026-11-26T10:00:00+01:00")).unwrap();
    let inc = severe("2026-12-01T08:00:00+01:00");
    for (m, i) in [
        (manufacturer(), &full),
        (manufacturer(), &bare),
        (steward(), &inc),
    ] {
        let d = incident::draft(&m, i, Stage::UserNotice, ReportFormat::Json, now).unwrap();
        assert_eq!(d.file_name, format!("{}.json", i.id));
        let v: serde_json::Value = serde_json::from_str(&d.content).unwrap();
        assert_eq!(v["document"]["category"], "csaf_security_advisory");
        assert!(v["product_tree"].is_object());
        assert!(v["vulnerabilities"][0]["notes"].is_array());
        assert!(v["vulnerabilities"][0]["product_status"].is_object());
        let path = root.join(&d.file_name);
        std::fs::write(&path, &d.content).unwrap();
        files.push(path);
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(v["vulnerabilities"][0]["cve"], "CVE-2026-1234");
    assert_eq!(
        v["vulnerabilities"][0]["ids"][0]["text"],
        "GHSA-abcd-efgh-ijkl"
    );
    assert_eq!(
        v["vulnerabilities"][0]["remediations"][0]["category"],
        "vendor_fix"
    );
    assert_eq!(
        v["vulnerabilities"][0]["threats"][0]["category"],
        "exploit_status"
    );
    let branches = &v["product_tree"]["branches"][0]["branches"][0]["branches"];
    assert_eq!(branches[0]["category"], "product_version_range");
    assert_eq!(branches[0]["name"], "vers:generic/>=1.2.0|<1.4.2");
    assert_eq!(branches[1]["category"], "product_version");
    insta::assert_snapshot!(
        "vuln_user_notice_csaf",
        std::fs::read_to_string(&files[0]).unwrap()
    );
    validate_csaf(&files);
}

/// Article 14(4)(b) "unless the relevant information has already been provided": when the
/// early warning held all the notification's information, no notification is due and the
/// final report's month (14(4)(c)) runs from the early warning. The flag survives a save.
#[test]
fn article_14_4_b_complete_early_warning_starts_the_final_report_clock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut n = NewIncident::new(
        IncidentKind::SevereIncident,
        at("2027-03-01T09:00:00+01:00"),
        "Build server compromised",
    );
    n.details.early_warning_complete = Some(true);
    let i = incident::new(root, n).unwrap();
    let notification = clock(&i, Stage::Notification, "2027-03-10T09:00:00+01:00");
    assert_eq!(notification.state, ClockState::NoDeadline, "never overdue");
    assert!(notification.note.contains("Article 14(4)(b)"));
    let i = incident::record_submitted(
        root,
        &i.id,
        Stage::EarlyWarning,
        at("2027-03-01T20:00:00+01:00"),
    )
    .unwrap();
    assert_eq!(i.details.early_warning_complete, Some(true), "kept on save");
    let f = clock(&i, Stage::Final, "2027-03-02T09:00:00+01:00");
    assert_eq!(f.due.unwrap(), at("2027-04-01T20:00:00+01:00"));
    // Without the flag the final report still waits for the notification.
    let s = severe("2027-03-01T09:00:00+01:00");
    assert_eq!(
        clock(&s, Stage::Final, "2027-03-02T09:00:00+01:00").state,
        ClockState::Waiting
    );
}
