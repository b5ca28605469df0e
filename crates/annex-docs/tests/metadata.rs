//! annex.toml: parsing, errors with line:col and field, past dates, the support period
//! rule, `init` proposals, answers and the written file.
mod common;

use annex_docs::init::{self, Need};
use annex_docs::{CraRole, DocsError, Metadata, ProductClass};
use common::*;
use std::collections::BTreeMap;

fn err(text: &str) -> String {
    Metadata::parse(text, "annex.toml", today())
        .expect_err("should fail")
        .to_string()
}

#[test]
fn fixtures_parse_and_other_sections_are_ignored() {
    let m = manufacturer();
    assert_eq!(m.role, CraRole::Manufacturer);
    assert_eq!(m.product.class, ProductClass::Default);
    assert_eq!(m.support.end.unwrap().to_string(), "2031-12");
    assert_eq!(m.declaration.standards, Some(vec![]));
    let s = steward();
    assert_eq!(s.role, CraRole::Steward);
    assert!(
        s.support.end.is_none(),
        "a steward need not state a support end"
    );
}

#[test]
fn syntax_error_has_line_and_column() {
    let text = "[product]\nname = \"x\"\nversion = 1.2.3\n";
    let e = err(text);
    assert!(e.starts_with("annex.toml:3:"), "{e}");
}

#[test]
fn unknown_key_inside_our_table_is_an_error() {
    let text = MANUFACTURER_TOML.replace("license = \"Apache-2.0\"", "licence = \"Apache-2.0\"");
    let e = err(&text);
    let line = text.lines().position(|l| l.starts_with("licence")).unwrap() + 1;
    assert!(
        e.starts_with(&format!("annex.toml:{line}:1: product")),
        "{e}"
    );
    assert!(e.contains("unknown field `licence`"), "{e}");
}

#[test]
fn wrong_type_names_the_field() {
    let text = MANUFACTURER_TOML.replace("languages = [\"en\", \"de\"]", "languages = \"en\"");
    let e = err(&text);
    let line = text
        .lines()
        .position(|l| l.starts_with("languages"))
        .unwrap()
        + 1;
    assert!(e.starts_with(&format!("annex.toml:{line}:")), "{e}");
    assert!(e.contains("product.languages"), "{e}");
}

#[test]
fn bad_class_is_rejected_with_position() {
    let text = MANUFACTURER_TOML.replace(
        "type = \"library\"",
        "type = \"library\"\nclass = \"important\"",
    );
    let e = err(&text);
    let line = text.lines().position(|l| l.starts_with("class")).unwrap() + 1;
    assert!(
        e.starts_with(&format!("annex.toml:{line}:9: product.class")),
        "{e}"
    );
}

#[test]
fn support_end_in_the_past_is_a_clear_error() {
    let text = MANUFACTURER_TOML
        .replace("end = \"2031-12\"", "end = \"2026-10\"")
        .replace("start = \"2026-12\"\n", "");
    let e = err(&text);
    let line = text.lines().position(|l| l.starts_with("end =")).unwrap() + 1;
    assert_eq!(
        e,
        format!(
            "annex.toml:{line}:7: support.end: 2026-10 is in the past (today is 2026-11-25); the support period must end in the future"
        )
    );
    // The current month is still in the future until its last day.
    let ok = MANUFACTURER_TOML
        .replace("end = \"2031-12\"", "end = \"2026-11\"")
        .replace("start = \"2026-12\"\n", "");
    assert!(Metadata::parse(&ok, "annex.toml", today()).is_ok());
}

#[test]
fn short_support_needs_a_reason() {
    let text = MANUFACTURER_TOML.replace("end = \"2031-12\"", "end = \"2029-12\"");
    assert!(
        Metadata::parse(&text, "annex.toml", today()).is_ok(),
        "the fixture states a reason"
    );
    let text = text.replace(
        "reason = \"Widget follows the five-year support of the controllers it ships with.\"\n",
        "",
    );
    let e = err(&text);
    assert!(
        e.contains("support.end: the support period 2026-12 to 2029-12 is shorter than five years"),
        "{e}"
    );
    assert!(e.contains("Article 13(8)"), "{e}");
    // Exactly five years needs no reason.
    let five = text.replace("end = \"2029-12\"", "end = \"2031-12\"");
    assert!(Metadata::parse(&five, "annex.toml", today()).is_ok());
}

#[test]
fn manufacturer_must_state_support_end() {
    let text = MANUFACTURER_TOML.replace("end = \"2031-12\"\n", "");
    let e = err(&text);
    assert!(
        e.contains("support: a manufacturer must state when the support period ends")
            || e.contains("support.end: a manufacturer"),
        "{e}"
    );
}

#[test]
fn expires_in_the_past_or_too_far_is_an_error() {
    let past = MANUFACTURER_TOML.replace(
        "canonical = \"https://example.org/.well-known/security.txt\"",
        "canonical = \"https://example.org/.well-known/security.txt\"\nexpires = 2026-01-01",
    );
    let e = err(&past);
    let line = past.lines().position(|l| l.starts_with("expires")).unwrap() + 1;
    assert!(
        e.starts_with(&format!(
            "annex.toml:{line}:11: security.expires: 2026-01-01 is not in the future"
        )),
        "{e}"
    );
    let far = past.replace("expires = 2026-01-01", "expires = \"2028-01-01\"");
    assert!(err(&far).contains("more than a year"));
    let ok = past.replace("expires = 2026-01-01", "expires = 2027-06-30");
    let m = Metadata::parse(&ok, "annex.toml", today()).unwrap();
    assert_eq!(m.security.expires.unwrap().to_string(), "2027-06-30");
}

#[test]
fn role_tables() {
    let both = format!("{STEWARD_TOML}\n[manufacturer]\nname = \"X\"\n");
    assert!(err(&both).contains("both [manufacturer] and [steward]"));
    let none = STEWARD_TOML.replace("[steward]", "[someone]");
    assert!(err(&none).contains("missing [manufacturer] or [steward]"));
}

#[test]
fn several_problems_are_reported_together() {
    let text = MANUFACTURER_TOML
        .replace(
            "contact = \"security@example.org\"",
            "contact = \"http://example.org/report\"",
        )
        .replace("email = \"info@example.org\"", "email = \"not-an-address\"");
    let e = Metadata::parse(&text, "annex.toml", today()).unwrap_err();
    let DocsError::Many(list) = &e else {
        panic!("expected several errors: {e}")
    };
    assert_eq!(list.len(), 2, "{e}");
    let s = e.to_string();
    assert!(
        s.contains("manufacturer.email: `not-an-address` is not an e-mail address"),
        "{s}"
    );
    assert!(
        s.contains("security.contact: `http://example.org/report`"),
        "{s}"
    );
}

#[test]
fn missing_required_field_is_named() {
    let text = MANUFACTURER_TOML.replace("version = \"1.4.2\"\n", "");
    let e = err(&text);
    assert!(
        e.contains("product") && e.contains("missing field `version`"),
        "{e}"
    );
}

#[test]
fn written_toml_parses_back_to_the_same_metadata() {
    for m in [manufacturer(), steward()] {
        let text = init::render_toml(&m);
        let back =
            Metadata::parse(&text, "annex.toml", today()).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, m);
    }
    insta::assert_snapshot!(
        "annex_toml_manufacturer",
        init::render_toml(&manufacturer())
    );
}

#[test]
fn questions_cover_the_schema_essentials() {
    let keys: Vec<&str> = init::questions().iter().map(|q| q.key).collect();
    for k in [
        "role",
        "product.name",
        "product.version",
        "product.type",
        "party.name",
        "support.end",
        "security.contact",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
    let end = init::questions()
        .iter()
        .find(|q| q.key == "support.end")
        .unwrap();
    assert_eq!(end.need, Need::Manufacturer);
}

#[test]
fn build_from_answers() {
    let mut a: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in [
        ("role", "steward"),
        ("product.name", "Gadget"),
        ("product.version", "3.0.0"),
        ("product.type", "command-line tool"),
        ("product.languages", "en, de"),
        ("party.name", "Example Foundation"),
        ("party.legal-person", "yes"),
        ("security.contact", "security@foundation.example"),
        ("party.website", ""),
    ] {
        a.insert(k.into(), v.into());
    }
    let m = init::build(&a, today()).unwrap();
    assert_eq!(m.role, CraRole::Steward);
    assert_eq!(m.product.languages, vec!["en", "de"]);
    assert_eq!(m.party.website, None);
    // A manufacturer needs the support end; errors name the keys.
    a.insert("role".into(), "manufacturer".into());
    a.remove("security.contact");
    let e = init::build(&a, today()).unwrap_err().to_string();
    assert!(e.contains("security.contact: required"), "{e}");
    a.insert(
        "security.contact".into(),
        "security@foundation.example".into(),
    );
    // Annex III / IV: a manufacturer must choose the class; it is never assumed default.
    let e = init::build(&a, today()).unwrap_err().to_string();
    assert!(
        e.contains("product.class: required") && e.contains("Annex III, Class II, point 2"),
        "{e}"
    );
    a.insert("product.class".into(), "default".into());
    let e = init::build(&a, today()).unwrap_err().to_string();
    assert!(
        e.contains("manufacturer.support.end") || e.contains("support.end"),
        "{e}"
    );
    a.insert("support.end".into(), "2031-11".into());
    assert!(init::build(&a, today()).is_ok());
}

/// Article 3(14): a steward is a legal person. `annex init` asks, and refuses a group of
/// people ("The pip developers") or no answer.
#[test]
fn a_steward_must_be_a_legal_person() {
    let mut a: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in [
        ("role", "steward"),
        ("product.name", "pip"),
        ("product.version", "25.0"),
        ("product.type", "command-line tool"),
        ("party.name", "The pip developers"),
        ("security.contact", "security@pip.example"),
    ] {
        a.insert(k.into(), v.into());
    }
    let e = init::build(&a, today()).unwrap_err().to_string();
    assert!(
        e.contains("party.legal-person") && e.contains("Article 3(14)"),
        "{e}"
    );
    a.insert("party.legal-person".into(), "no".into());
    let e = init::build(&a, today()).unwrap_err().to_string();
    assert!(
        e.contains("`The pip developers` is not a legal person"),
        "{e}"
    );
    a.insert("party.legal-person".into(), "yes".into());
    a.insert("party.name".into(), "Python Software Foundation".into());
    assert!(init::build(&a, today()).is_ok());
    // Never asked of a manufacturer.
    let q = init::questions()
        .iter()
        .find(|q| q.key == "party.legal-person")
        .unwrap();
    assert_eq!(q.need, Need::Steward);
}

#[test]
fn propose_reads_the_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".git/config"),
        "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/other/widget.git\n[remote \"origin\"]\n\turl = git@github.com:example/widget.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"widget\"\nversion.workspace = true\ndescription = \"Widget configuration parser\"\nauthors = [\"Example GmbH <info@example.org>\"]\n\n[workspace.package]\nversion = \"1.4.2\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "").unwrap();
    std::fs::write(root.join("README.md"), "# Widget\n\n[![ci](x)](y)\n\nWidget parses configuration files\nfor controllers.\n\n## Use\n").unwrap();
    std::fs::write(root.join("LICENSE"), "MIT License\n\nCopyright (c) 2024 Example GmbH\n\nPermission is hereby granted, free of charge, to any person\n").unwrap();
    std::fs::write(root.join("SECURITY.md"), "# Security\n\nMail security@example.org or use https://github.com/example/widget/security/advisories/new.\n").unwrap();
    let p = init::propose(root, today());
    let get = |k: &str| p.get(k).map(str::to_string);
    assert_eq!(get("product.name").as_deref(), Some("widget"));
    assert_eq!(p.values["product.name"].source, "Cargo.toml");
    assert_eq!(get("product.version").as_deref(), Some("1.4.2"));
    assert_eq!(get("product.type").as_deref(), Some("library"));
    assert_eq!(
        get("product.repository").as_deref(),
        Some("https://github.com/example/widget")
    );
    assert_eq!(get("product.license").as_deref(), Some("MIT"));
    assert_eq!(get("party.name").as_deref(), Some("Example GmbH"));
    assert_eq!(get("party.email").as_deref(), Some("info@example.org"));
    assert_eq!(
        get("security.contact").as_deref(),
        Some("security@example.org")
    );
    assert_eq!(
        get("security.policy").as_deref(),
        Some("https://github.com/example/widget/security/policy")
    );
    assert_eq!(
        get("security.advisories").as_deref(),
        Some("https://github.com/example/widget/security/advisories")
    );
    assert_eq!(get("support.end").as_deref(), Some("2031-11"));
    assert_eq!(
        get("product.description").as_deref(),
        Some("Widget configuration parser")
    );
    // The proposal is a valid set of answers once the manufacturer names the class, which
    // annex never proposes (Annex III / IV).
    assert_eq!(get("product.class"), None);
    let mut answers = p.answers();
    answers.insert("product.class".into(), "important-I".into());
    let m = init::build(&answers, today()).unwrap();
    assert_eq!(m.role, CraRole::Manufacturer);
}

#[test]
fn propose_from_package_json_and_readme() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("package.json"),
        r#"{"name": "@example/gizmo", "version": "2.1.0", "license": "MIT", "bin": {"gizmo": "cli.js"},
            "repository": {"type": "git", "url": "git+https://github.com/example/gizmo.git"},
            "author": {"name": "Jane Dev", "email": "jane@example.org"}}"#,
    )
    .unwrap();
    std::fs::write(root.join("README.md"), "Gizmo\n=====\n\nA gizmo.\n").unwrap();
    let p = init::propose(root, today());
    assert_eq!(p.get("product.name"), Some("example/gizmo"));
    assert_eq!(p.get("product.type"), Some("command-line tool"));
    assert_eq!(
        p.get("product.repository"),
        Some("https://github.com/example/gizmo")
    );
    assert_eq!(p.get("party.name"), Some("Jane Dev"));
    assert_eq!(p.get("product.description"), Some("A gizmo."));
}

#[test]
fn load_reports_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = Metadata::load(dir.path(), today()).unwrap_err();
    assert!(matches!(e, DocsError::NoMetadata { .. }));
    assert!(e.to_string().contains("run `annex init`"));
    std::fs::write(dir.path().join("annex.toml"), MANUFACTURER_TOML).unwrap();
    assert_eq!(Metadata::load(dir.path(), today()).unwrap(), manufacturer());
}
