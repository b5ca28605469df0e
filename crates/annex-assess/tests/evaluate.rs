//! Rule evaluation semantics on a small hand-written catalog, independent of the built-ins.
use annex_assess::{Attestations, Coverage, Inputs, Status, evaluate};
use annex_spec::{Library, ResolveOptions, parse_document, resolve};
use chrono::NaiveDate;
use serde_json::json;

const CATALOG: &str = r#"
title: Test catalog
metadata:
  id: t
  version: "1"
  applicability-groups: [{id: maturity-1, title: L1}]
groups: [{id: G, title: Group}]
controls:
  - id: T-01
    title: Policy
    group: G
    assessment-requirements:
      - {id: T-01.01, text: Has a policy with a contact, applicability: [maturity-1]}
      - {id: T-01.02, text: Responds quickly, applicability: [maturity-1]}
      - {id: T-01.03, text: Needs a human, applicability: [maturity-1]}
      - {id: T-01.04, text: Forge setting, applicability: [maturity-1]}
      - {id: T-01.05, text: Only for code, applicability: [maturity-1]}
      - {id: T-01.06, text: Broken rule, applicability: [maturity-1]}
      - {id: T-01.07, text: Protected branch, applicability: [maturity-1]}
"#;

const CRA: &str = r#"
title: CRA
metadata:
  id: cra
  type: GuidanceCatalog
  version: "2024/2847"
  applicability-groups: [{id: manufacturer, title: M}, {id: steward, title: S}]
groups: [{id: AI-2, title: Annex I Part II}]
controls:
  - id: CRA-AI-2
    title: Vulnerability handling
    group: AI-2
    assessment-requirements:
      - {id: CRA-AI-2.5, text: CVD policy, applicability: [manufacturer], anchor: x}
      - {id: CRA-AI-2.6, text: Contact, applicability: [manufacturer], anchor: x}
      - {id: CRA-AI-2.7, text: Nobody maps here, applicability: [manufacturer], anchor: x}
      - {id: CRA-AI-2.4, text: Disclose fixed vulnerabilities, applicability: [manufacturer], anchor: x, kind: process}
      - {id: CRA-ART13.10, text: May fix only the newest version, applicability: [manufacturer], anchor: "Article 13(10)", kind: informative}
"#;

const MAPPINGS: &str = r#"
metadata: {id: t-cra, source-catalog: t, target-catalog: cra}
mappings:
  - {source: T-01.01, target: CRA-AI-2.5, relationship: implements}
  - {source: T-01.02, target: CRA-AI-2.6, relationship: supports}
  - {source: T-01.01, target: CRA-AI-2.4, relationship: implements}
"#;

const RULES: &str = r#"
metadata: {id: t-rules, catalog: t}
rules:
  - requirement: T-01.01
    source: local
    rule: evidence.docs.security_policy != null && size(evidence.docs.security_policy.contacts) > 0
    review-when: evidence.docs.security_policy != null
    evidence: [docs.security_policy]
    pass: policy names a contact
    fail: no security policy
    review: policy has no contact
    remediation: add SECURITY.md
  - requirement: T-01.02
    source: local
    rule: >-
      evidence.docs.security_policy != null && evidence.docs.security_policy.response_days != null &&
      evidence.docs.security_policy.response_days.days <= ("days" in params ? params.days : 14)
    pass: responds in time
    fail: no response time
  - requirement: T-01.03
    source: attestation
    remediation: attest it
  - requirement: T-01.04
    source: forge
  - requirement: T-01.05
    source: local
    applies-when: evidence.project.has_code
    rule: "true"
  - requirement: T-01.06
    source: local
    rule: evidence.no.such.key
  - requirement: T-01.07
    source: forge
    requires: [forge.facts.protection]
    rule: evidence.forge.facts.protection.value.required_reviews >= 1
    pass: reviews required
    fail: no review required
"#;

const PROFILE: &str = r#"
title: Test profile
metadata: {id: tp, version: "1"}
imports:
  catalogs: [{reference-id: t}]
annex:
  applicability: [maturity-1]
  cra-role: manufacturer
  parameters: {days: 30}
"#;

fn lib() -> Library {
    let mut lib = Library::default();
    for (name, text) in [
        ("t.yaml", CATALOG),
        ("cra.yaml", CRA),
        ("m.yaml", MAPPINGS),
        ("r.yaml", RULES),
        ("p.yaml", PROFILE),
    ] {
        lib.add(parse_document(text, name).unwrap());
    }
    lib
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn run(evidence: serde_json::Value, attestations: &Attestations) -> annex_assess::Assessment {
    run_with(evidence, attestations, false)
}

fn run_with(
    evidence: serde_json::Value,
    attestations: &Attestations,
    forge: bool,
) -> annex_assess::Assessment {
    let lib = lib();
    let profile = resolve(&lib, "tp", &ResolveOptions::default()).unwrap();
    let findings =
        annex_assess::findings_input(Err("no database in this test".into()), vec![], vec![]);
    evaluate(&Inputs {
        library: &lib,
        profile: &profile,
        evidence: &evidence,
        attestations,
        today: day(),
        subject: "fixture".into(),
        forge,
        findings: &findings,
    })
}

fn status(a: &annex_assess::Assessment, id: &str) -> Status {
    a.results
        .iter()
        .find(|r| r.requirement == id)
        .unwrap()
        .status
}

fn reason(a: &annex_assess::Assessment, id: &str) -> String {
    a.results
        .iter()
        .find(|r| r.requirement == id)
        .unwrap()
        .reason
        .clone()
}

/// Evaluate without attestations, findings or forge.
fn evaluate_plain(
    lib: &Library,
    profile: &annex_spec::ResolvedProfile,
    evidence: &serde_json::Value,
) -> annex_assess::Assessment {
    let findings = annex_assess::findings_input(Err("none".into()), vec![], vec![]);
    evaluate(&Inputs {
        library: lib,
        profile,
        evidence,
        attestations: &Attestations::default(),
        today: day(),
        subject: "fixture".into(),
        forge: false,
        findings: &findings,
    })
}

fn cra_item<'a>(a: &'a annex_assess::Assessment, id: &str) -> &'a annex_assess::CraItem {
    a.cra.iter().find(|c| c.requirement == id).unwrap()
}

fn good() -> serde_json::Value {
    json!({
        "project": {"has_code": true},
        "docs": {"security_policy": {"path": "SECURITY.md", "line": 1,
            "contacts": [{"kind": "email", "value": "s@x.org", "line": 7}],
            "response_days": {"days": 21, "line": 9}}}
    })
}

#[test]
fn statuses_and_reasons() {
    let a = run(good(), &Attestations::default());
    assert_eq!(status(&a, "T-01.01"), Status::Pass);
    assert_eq!(
        reason(&a, "T-01.01"),
        "policy names a contact (SECURITY.md:1)"
    );
    // 21 days is within the profile's parameter (30), not within the default 14.
    assert_eq!(status(&a, "T-01.02"), Status::Pass);
    assert_eq!(status(&a, "T-01.03"), Status::NeedsReview);
    assert_eq!(status(&a, "T-01.04"), Status::NotRun);
    assert!(reason(&a, "T-01.04").contains("forge"));
    assert_eq!(status(&a, "T-01.05"), Status::Pass);
    assert_eq!(status(&a, "T-01.06"), Status::Unknown);
    assert!(
        reason(&a, "T-01.06").contains("could not be evaluated"),
        "{}",
        reason(&a, "T-01.06")
    );
    assert_eq!(a.summary.total, 7);
    assert_eq!(a.summary.pass, 3);
}

#[test]
fn missing_and_partial_evidence() {
    let a = run(
        json!({"project": {"has_code": false}, "docs": {"security_policy": null}}),
        &Attestations::default(),
    );
    assert_eq!(status(&a, "T-01.01"), Status::Fail);
    assert_eq!(reason(&a, "T-01.01"), "no security policy");
    assert_eq!(status(&a, "T-01.05"), Status::NotApplicable);
    let partial = json!({"project": {"has_code": true}, "docs": {"security_policy": {"path": "SECURITY.md", "line": 1, "contacts": [], "response_days": null}}});
    let a = run(partial, &Attestations::default());
    assert_eq!(status(&a, "T-01.01"), Status::NeedsReview);
    assert_eq!(
        reason(&a, "T-01.01"),
        "policy has no contact (SECURITY.md:1)"
    );
    assert_eq!(status(&a, "T-01.02"), Status::Fail);
}

#[test]
fn attestations_fill_gaps_but_never_override_a_fail() {
    let lib = lib();
    let text = r#"
attestations:
  - requirement: T-01.03
    status: pass
    statement: We do it.
    by: Jane
    date: 2026-01-01
  - requirement: T-01.04
    status: pass
    statement: Expired claim.
    expires: 2026-06-01
  - requirement: T-01.01
    status: pass
    statement: Trust me.
"#;
    let att = Attestations::parse(text, ".annex/attestations.yaml", &lib).unwrap();
    let a = run(
        json!({"project": {"has_code": true}, "docs": {"security_policy": null}}),
        &att,
    );
    assert_eq!(status(&a, "T-01.03"), Status::Pass);
    assert!(
        reason(&a, "T-01.03").contains(".annex/attestations.yaml:3"),
        "{}",
        reason(&a, "T-01.03")
    );
    assert_eq!(
        status(&a, "T-01.04"),
        Status::NotRun,
        "an expired attestation counts as absent"
    );
    assert!(reason(&a, "T-01.04").contains("expired on 2026-06-01"));
    assert_eq!(
        status(&a, "T-01.01"),
        Status::Fail,
        "an attestation never turns an automated fail into a pass"
    );
}

#[test]
fn bad_attestations_are_reported_with_position() {
    let lib = lib();
    let err = Attestations::parse(
        "attestations:\n  - requirement: T-01.3\n    status: pass\n",
        "a.yaml",
        &lib,
    )
    .unwrap_err();
    let s = err.to_string();
    assert!(s.contains("a.yaml:2:") && s.contains("T-01.03"), "{s}");
    let err = Attestations::parse(
        "attestations:\n  - requirement: T-01.03\n    status: done\n",
        "a.yaml",
        &lib,
    )
    .unwrap_err();
    assert!(err.to_string().contains("a.yaml:3:"), "{err}");
    let err = Attestations::parse("attestations: [\n", "a.yaml", &lib).unwrap_err();
    assert!(err.to_string().starts_with("a.yaml:"), "{err}");
}

#[test]
fn cra_rollup() {
    let a = run(good(), &Attestations::default());
    let cov = |id: &str| a.cra.iter().find(|c| c.requirement == id).unwrap().coverage;
    assert_eq!(cov("CRA-AI-2.5"), Coverage::Covered);
    // Only a `supports` mapping passes: partly covered.
    assert_eq!(cov("CRA-AI-2.6"), Coverage::Partly);
    assert_eq!(cov("CRA-AI-2.7"), Coverage::NotCovered);
}

/// Annex I, Part II (4) is an action to be taken: a passing requirement elsewhere that only
/// checks what a document says (here `implements`) supports it, never covers it.
#[test]
fn text_is_not_enforcement_for_process_items() {
    let a = run(good(), &Attestations::default());
    let item = cra_item(&a, "CRA-AI-2.4");
    assert_eq!(item.coverage, Coverage::Partly);
    assert_eq!(item.decided_by[0].requirement, "T-01.01");
    assert_eq!(item.decided_by[0].status, Status::Pass);
    assert_eq!(item.decided_by[0].relationship, "supports");
}

/// Art. 13(10) is a permission: informative, never a fail and never "not covered", even
/// with no rule and no evidence at all.
#[test]
fn permissions_are_informative_not_obligations() {
    let lib = lib();
    let mut profile = resolve(&lib, "tp", &ResolveOptions::default()).unwrap();
    let cra = lib.catalogs["cra"].requirement("CRA-ART13.10").unwrap().1;
    profile.requirements.push(annex_spec::ResolvedRequirement {
        id: "CRA-ART13.10".into(),
        catalog: "cra".into(),
        control: "CRA-ART13".into(),
        control_title: String::new(),
        group: String::new(),
        group_title: String::new(),
        text: cra.text.clone(),
        applicability: cra.applicability.clone(),
        recommendation: None,
        anchor: cra.anchor.clone(),
        constraints: Vec::new(),
        kind: cra.kind,
        rule: None,
        maps: Vec::new(),
    });
    let a = evaluate_plain(&lib, &profile, &json!({}));
    assert_eq!(status(&a, "CRA-ART13.10"), Status::NotApplicable);
    assert!(
        reason(&a, "CRA-ART13.10").starts_with("informative: Article 13(10)"),
        "{}",
        reason(&a, "CRA-ART13.10")
    );
    let item = cra_item(&a, "CRA-ART13.10");
    assert_eq!(item.coverage, Coverage::Informative);
}

#[test]
fn deterministic() {
    let a = serde_json::to_string(&run(good(), &Attestations::default())).unwrap();
    let b = serde_json::to_string(&run(good(), &Attestations::default())).unwrap();
    assert_eq!(a, b);
}

#[test]
fn forge_facts_decide_only_when_the_forge_showed_them() {
    let with = |fact: serde_json::Value| {
        let mut ev = good();
        ev["forge"] = json!({"facts": {"protection": fact}});
        run_with(ev, &Attestations::default(), true)
    };
    let a = with(json!({"status": "ok", "value": {"required_reviews": 1}, "reason": null}));
    assert_eq!(status(&a, "T-01.07"), Status::Pass);
    let a = with(json!({"status": "ok", "value": {"required_reviews": 0}, "reason": null}));
    assert_eq!(status(&a, "T-01.07"), Status::Fail);
    // A token without the permission: not-run with the forge's reason, never fail.
    let a = with(
        json!({"status": "forbidden", "value": null, "reason": "the token lacks administration:read"}),
    );
    assert_eq!(status(&a, "T-01.07"), Status::NotRun);
    assert!(reason(&a, "T-01.07").contains("administration:read"));
    // Offline: not-run as before.
    assert_eq!(
        status(&run(good(), &Attestations::default()), "T-01.07"),
        Status::NotRun
    );
}

/// Issue 16 item 7: a security policy that could not be read is neither absent (fail) nor
/// present (pass): the rule that reads `evidence.docs` is unknown and says why; a rule
/// that reads nothing of it is unaffected.
#[test]
fn unread_files_make_the_rules_over_their_sections_unknown() {
    let unread = json!([{"path": "SECURITY.md", "reason": "unreadable",
        "detail": "Permission denied (os error 13)", "sections": ["docs"]}]);
    let mut absent = json!({"project": {"has_code": true}, "docs": {"security_policy": null}});
    absent["unread"] = unread.clone();
    let a = run(absent, &Attestations::default());
    assert_eq!(status(&a, "T-01.01"), Status::Unknown);
    assert!(
        reason(&a, "T-01.01").contains("SECURITY.md (unreadable: Permission denied"),
        "{}",
        reason(&a, "T-01.01")
    );
    assert_eq!(status(&a, "T-01.05"), Status::Pass);

    // A pass cannot stand either: another policy file was read, this one was not.
    let mut passing = good();
    passing["unread"] = unread;
    let a = run(passing, &Attestations::default());
    assert_eq!(status(&a, "T-01.01"), Status::Unknown);
    assert_eq!(status(&a, "T-01.02"), Status::Unknown);
}

/// Issue 10, "close the loop": a `document` rule decides an Annex item from the document
/// read back into `evidence.cra_documents`.
#[test]
fn annex_items_are_decided_by_the_documents_read_back() {
    let rules = r#"
metadata: {id: d-rules, catalog: t}
rules:
  - {requirement: T-01.01, source: document}
  - {requirement: T-01.02, source: document}
  - {requirement: T-01.03, source: document}
  - {requirement: T-01.05, source: document}
"#;
    let mut lib = lib();
    lib.add(parse_document(rules, "d.yaml").unwrap());
    let profile = resolve(&lib, "tp", &ResolveOptions::default()).unwrap();
    let evidence = json!({"cra_documents": {
        "T-01.01": {"state": "filled", "path": "docs/cra/user-information.md", "line": 12},
        "T-01.02": {"state": "todo", "path": "docs/cra/user-information.md", "line": 20,
                    "todo": "give the postal address", "count": 2},
        "T-01.03": {"state": "missing", "path": "docs/cra/x.md",
                    "command": "annex docs --kind declaration"}
    }});
    let a = evaluate_plain(&lib, &profile, &evidence);
    assert_eq!(status(&a, "T-01.01"), Status::Pass);
    assert_eq!(
        reason(&a, "T-01.01"),
        "docs/cra/user-information.md:12 fills this item"
    );
    assert_eq!(status(&a, "T-01.02"), Status::Fail);
    assert_eq!(
        reason(&a, "T-01.02"),
        "docs/cra/user-information.md:20: TODO: give the postal address (and 1 more TODO)"
    );
    assert_eq!(status(&a, "T-01.03"), Status::Fail);
    assert!(reason(&a, "T-01.03").contains("`annex docs --kind declaration` writes it"));
    // Not read back at all: unknown, never a pass.
    assert_eq!(status(&a, "T-01.05"), Status::Unknown);
}

/// The built-in OSPS rules at level 3 (every requirement) over an evidence document.
fn osps(evidence: serde_json::Value) -> annex_assess::Assessment {
    let lib = Library::builtin().unwrap();
    let profile = resolve(&lib, "osps-l3", &ResolveOptions::default()).unwrap();
    evaluate_plain(&lib, &profile, &evidence)
}

fn secret(path: &str, line: u64, place: &str) -> serde_json::Value {
    json!({"kind": "github-token", "path": path, "line": line, "place": place})
}

fn key(path: &str, line: u64, place: &str) -> serde_json::Value {
    json!({"kind": "private-key", "path": path, "line": line, "place": place})
}

/// OSPS-BR-07.01: a credential in shipped code fails and is listed first; tokens only in
/// tests, fixtures or docs ask for a review, whose reason says they are samples; a private
/// key whose body parses (the evidence counts no other) fails wherever it is (issue 13: "a
/// real, generated key anywhere still fails").
#[test]
fn secrets_in_samples_need_review_and_in_shipped_code_fail() {
    let gitignore =
        json!({"path": ".gitignore", "line": 1, "ignores_env": true, "ignores_keys": true});
    let samples = vec![
        secret("src/auth/token.spec.ts", 12, "test"),
        secret("docs/auth.md", 40, "docs"),
    ];
    let shipped = vec![
        secret("config/prod.js", 3, "shipped"),
        secret("src/auth/token.spec.ts", 12, "test"),
    ];
    let test_key = vec![key("tests/data/server.key", 1, "fixture")];
    for (findings, want, says) in [
        (samples, Status::NeedsReview, "only in tests, fixtures"),
        (
            shipped,
            Status::Fail,
            "(config/prod.js:3, src/auth/token.spec.ts:12, ",
        ),
        (
            test_key,
            Status::Fail,
            "parses as a key is committed anywhere",
        ),
    ] {
        let a = osps(json!({"secrets": {"findings": findings, "gitignore": gitignore}}));
        assert_eq!(status(&a, "OSPS-BR-07.01"), want);
        let why = reason(&a, "OSPS-BR-07.01");
        assert!(why.contains(says), "{why}");
    }
}

/// OSPS-QA-01.x on a clone of a local mirror cannot tell where the project is published.
#[test]
fn a_local_mirror_as_origin_is_unknown() {
    let why = "the origin remote is a local path or mirror (/work/.mirror/o+r/repo), so the public repository cannot be told from the checkout";
    let a = osps(
        json!({"project": {"is_git": true, "remote_url": "/work/.mirror/o+r/repo",
        "origin": {"status": "unknown", "reason": why}}}),
    );
    for id in ["OSPS-QA-01.01", "OSPS-QA-01.02"] {
        assert_eq!(status(&a, id), Status::Unknown, "{id}");
        assert_eq!(reason(&a, id), why);
    }
    let a = osps(
        json!({"project": {"is_git": true, "remote_url": "https://github.com/o/r",
        "origin": {"status": "ok", "reason": null}}}),
    );
    assert_eq!(status(&a, "OSPS-QA-01.01"), Status::Pass);
    let a = osps(json!({"project": {"is_git": true, "remote_url": null,
        "origin": {"status": "ok", "reason": null}}}));
    assert_eq!(status(&a, "OSPS-QA-01.01"), Status::Fail);
}

/// OSPS-VM-02.01 without a policy: on GitHub (or behind a mirror, forge unknown) an
/// organisation-wide policy may apply, which is not visible offline; elsewhere it fails.
#[test]
fn no_policy_on_github_needs_review() {
    let vm_02 = |remote: &str, origin: &str| {
        let a = osps(json!({
            "docs": {"security_policy": null, "security_txt": null}, "insights": null,
            "project": {"is_git": true, "remote_url": remote,
                "origin": {"status": origin, "reason": null}}}));
        (status(&a, "OSPS-VM-02.01"), reason(&a, "OSPS-VM-02.01"))
    };
    let (got, why) = vm_02("https://github.com/o/r", "ok");
    assert_eq!(got, Status::NeedsReview);
    assert!(why.contains("organisation-wide SECURITY.md"), "{why}");
    assert_eq!(vm_02("https://codeberg.org/o/r", "ok").0, Status::Fail);
    // Behind a mirror the forge is not known: it may be one with organisation-wide policies.
    assert_eq!(vm_02("/srv/mirror/o/r", "unknown").0, Status::NeedsReview);
}

/// A workflow_run checkout whose upstream no pull request can start is informational
/// for OSPS-BR-01.03 (Scorecard's Dangerous-Workflow still scores it 0).
#[test]
fn informational_workflow_run_checkout_does_not_fail_br_01() {
    let finding = |kind: &str| {
        json!({"ci": {"providers": ["github-actions"],
            "workflows": [{"path": ".github/workflows/publish.yml", "line": 1}],
            "workflow_findings": [
                {"path": ".github/workflows/a.yml", "line": 1, "kind": "permissions-undeclared", "job": null, "detail": "x"},
                {"path": ".github/workflows/b.yml", "line": 1, "kind": "permissions-undeclared", "job": null, "detail": "x"},
                {"path": ".github/workflows/c.yml", "line": 1, "kind": "permissions-undeclared", "job": null, "detail": "x"},
                {"path": ".github/workflows/publish.yml", "line": 15, "kind": kind, "job": "publish", "detail": "x"}
        ]}})
    };
    let a = osps(finding("untrusted-checkout"));
    assert_eq!(status(&a, "OSPS-BR-01.03"), Status::Fail);
    // The deciding line comes first, before the other workflows' notes.
    let why = reason(&a, "OSPS-BR-01.03");
    assert!(why.contains("(.github/workflows/publish.yml:15, "), "{why}");
    let a = osps(finding("workflow-run-checkout"));
    assert_ne!(status(&a, "OSPS-BR-01.03"), Status::Fail);
}
