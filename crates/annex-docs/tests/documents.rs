//! Every document of the fixture products (manufacturer and steward), snapshot-tested;
//! each Annex item of the catalog present with its number; steward limits; security.txt
//! checked by our RFC 9116 parser; SECURITY.md and CONTRIBUTING.md read back by annex's
//! own evidence probes.
mod common;

use annex_docs::catalog;
use annex_docs::security_txt;
use annex_docs::{CraRole, DocsError, Format, Inputs, Kind, render};
use common::*;

fn render_full(kind: Kind, format: Format) -> annex_docs::Document {
    let (m, a, s, f) = (manufacturer(), assessment(), sbom(), findings());
    render(kind, &full_inputs(&m, &a, &s, &f), format).unwrap()
}

#[test]
fn manufacturer_documents_snapshots() {
    let (m, a, s, f) = (manufacturer(), assessment(), sbom(), findings());
    let inputs = full_inputs(&m, &a, &s, &f);
    for kind in Kind::for_role(CraRole::Manufacturer) {
        let doc = render(kind, &inputs, Format::Markdown).unwrap();
        let todos: Vec<String> = doc
            .todos
            .iter()
            .map(|t| format!("{}: {}", t.item, t.what))
            .collect();
        insta::assert_snapshot!(
            format!("manufacturer_{}", kind.name()),
            format!(
                "{}\n--- {} TODOs ---\n{}",
                doc.content,
                doc.file_name,
                todos.join("\n")
            )
        );
    }
}

#[test]
fn steward_documents_snapshots() {
    let m = steward();
    let inputs = Inputs::new(&m, today());
    for kind in Kind::for_role(CraRole::Steward) {
        let doc = render(kind, &inputs, Format::Markdown).unwrap();
        let todos: Vec<String> = doc
            .todos
            .iter()
            .map(|t| format!("{}: {}", t.item, t.what))
            .collect();
        insta::assert_snapshot!(
            format!("steward_{}", kind.name()),
            format!(
                "{}\n--- {} TODOs ---\n{}",
                doc.content,
                doc.file_name,
                todos.join("\n")
            )
        );
    }
}

/// Article 24(3) does not extend Article 14(8) (inform users of exploited vulnerabilities) to
/// stewards: the steward SECURITY.md does not promise it, the manufacturer's does.
#[test]
fn steward_security_md_promises_only_what_article_24_3_requires() {
    let steward = steward();
    let doc = render(
        Kind::SecurityMd,
        &Inputs::new(&steward, today()),
        Format::Markdown,
    )
    .unwrap();
    assert!(doc.content.contains("Article 24(3)"));
    assert!(!doc.content.contains("inform the affected users"));
    let full = render_full(Kind::SecurityMd, Format::Markdown);
    assert!(full.content.contains("inform the affected users"));
}

#[test]
fn html_snapshot() {
    let doc = render_full(Kind::Declaration, Format::Html);
    assert_eq!(doc.file_name, "docs/cra/eu-declaration-of-conformity.html");
    insta::assert_snapshot!("manufacturer_declaration_html", doc.content);
    let txt = render_full(Kind::SecurityTxt, Format::Html);
    assert_eq!(txt.file_name, ".well-known/security.txt");
    assert!(!txt.content.contains('<'));
}

#[test]
fn steward_gets_no_declaration_and_says_why() {
    let m = steward();
    let inputs = Inputs::new(&m, today());
    for kind in [
        Kind::Declaration,
        Kind::SimplifiedDeclaration,
        Kind::TechnicalDocumentation,
        Kind::UserInformation,
    ] {
        let e = render(kind, &inputs, Format::Markdown).unwrap_err();
        assert!(
            matches!(
                e,
                DocsError::NotForRole {
                    role: CraRole::Steward,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("Article 24"), "{e}");
    }
    let e = render(Kind::Declaration, &inputs, Format::Markdown)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "no EU declaration of conformity (Annex V) for an open-source software steward:"
        ),
        "{e}"
    );
    assert!(e.contains("conformity assessment"), "{e}");
    // And the steward's own policy is not a manufacturer's document.
    let m = manufacturer();
    let e = render(
        Kind::StewardPolicy,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        DocsError::NotForRole {
            role: CraRole::Manufacturer,
            ..
        }
    ));
}

#[test]
fn kinds_parse_from_names_and_aliases() {
    for k in Kind::ALL {
        assert_eq!(k.name().parse::<Kind>().unwrap(), k);
    }
    assert_eq!(
        "annex-vii".parse::<Kind>().unwrap(),
        Kind::TechnicalDocumentation
    );
    assert!(
        "annex-ix"
            .parse::<Kind>()
            .unwrap_err()
            .to_string()
            .contains("known: security-txt")
    );
}

// ---------------------------------------------------------------------------------------
// One test per numbered Annex item: it appears in its document with its number and anchor.

/// Render the document of `kind` for the fixture with as little as possible known, so
/// items appear even when they are TODOs.
fn check_item(id: &str, kind: Kind) {
    let item = catalog::item(id).unwrap();
    let minimal = annex_docs::Metadata::parse(
        MANUFACTURER_TOML.split("[declaration]").next().unwrap(),
        "annex.toml",
        today(),
    )
    .unwrap();
    for m in [manufacturer(), minimal] {
        let doc = render(kind, &Inputs::new(&m, today()), Format::Markdown).unwrap();
        let c = &doc.content;
        assert!(
            c.contains(&format!("<!-- {} · {} -->", item.id, item.anchor)),
            "{id} reference missing:\n{c}"
        );
        match kind {
            Kind::SimplifiedDeclaration => {}
            _ if item.number.contains('(') => {
                assert!(
                    c.contains(&format!("\n### {} ", item.number)),
                    "{id}: heading `{}` missing:\n{c}",
                    item.number
                )
            }
            _ => assert!(
                c.contains(&format!("\n## {}. ", item.number)),
                "{id}: heading `{}.` missing:\n{c}",
                item.number
            ),
        }
        // Items annex could not fill carry the item's label (or the Article, for the CE
        // marking of Article 30).
        for t in &doc.todos {
            assert!(
                t.item.starts_with("Annex ") || t.item.starts_with("Article "),
                "{id}: TODO without its item number: {t:?}"
            );
        }
    }
}

macro_rules! item_tests {
    ($($name:ident: $id:literal => $kind:expr;)*) => {
        $(#[test] fn $name() { check_item($id, $kind); })*
        const ITEM_TESTS: &[&str] = &[$($id),*];
    };
}

item_tests! {
    annex_ii_1: "CRA-AII.1" => Kind::UserInformation;
    annex_ii_2: "CRA-AII.2" => Kind::UserInformation;
    annex_ii_3: "CRA-AII.3" => Kind::UserInformation;
    annex_ii_4: "CRA-AII.4" => Kind::UserInformation;
    annex_ii_5: "CRA-AII.5" => Kind::UserInformation;
    annex_ii_6: "CRA-AII.6" => Kind::UserInformation;
    annex_ii_7: "CRA-AII.7" => Kind::UserInformation;
    annex_ii_8: "CRA-AII.8" => Kind::UserInformation;
    annex_ii_8a: "CRA-AII.8a" => Kind::UserInformation;
    annex_ii_8b: "CRA-AII.8b" => Kind::UserInformation;
    annex_ii_8c: "CRA-AII.8c" => Kind::UserInformation;
    annex_ii_8d: "CRA-AII.8d" => Kind::UserInformation;
    annex_ii_8e: "CRA-AII.8e" => Kind::UserInformation;
    annex_ii_8f: "CRA-AII.8f" => Kind::UserInformation;
    annex_ii_9: "CRA-AII.9" => Kind::UserInformation;
    annex_v_1: "CRA-AV.1" => Kind::Declaration;
    annex_v_2: "CRA-AV.2" => Kind::Declaration;
    annex_v_3: "CRA-AV.3" => Kind::Declaration;
    annex_v_4: "CRA-AV.4" => Kind::Declaration;
    annex_v_5: "CRA-AV.5" => Kind::Declaration;
    annex_v_6: "CRA-AV.6" => Kind::Declaration;
    annex_v_7: "CRA-AV.7" => Kind::Declaration;
    annex_v_8: "CRA-AV.8" => Kind::Declaration;
    annex_vi_1: "CRA-AVI.1" => Kind::SimplifiedDeclaration;
    annex_vi_2: "CRA-AVI.2" => Kind::SimplifiedDeclaration;
    annex_vii_1: "CRA-AVII.1" => Kind::TechnicalDocumentation;
    annex_vii_1a: "CRA-AVII.1a" => Kind::TechnicalDocumentation;
    annex_vii_1b: "CRA-AVII.1b" => Kind::TechnicalDocumentation;
    annex_vii_1c: "CRA-AVII.1c" => Kind::TechnicalDocumentation;
    annex_vii_1d: "CRA-AVII.1d" => Kind::TechnicalDocumentation;
    annex_vii_2: "CRA-AVII.2" => Kind::TechnicalDocumentation;
    annex_vii_2a: "CRA-AVII.2a" => Kind::TechnicalDocumentation;
    annex_vii_2b: "CRA-AVII.2b" => Kind::TechnicalDocumentation;
    annex_vii_2c: "CRA-AVII.2c" => Kind::TechnicalDocumentation;
    annex_vii_3: "CRA-AVII.3" => Kind::TechnicalDocumentation;
    annex_vii_4: "CRA-AVII.4" => Kind::TechnicalDocumentation;
    annex_vii_5: "CRA-AVII.5" => Kind::TechnicalDocumentation;
    annex_vii_6: "CRA-AVII.6" => Kind::TechnicalDocumentation;
    annex_vii_7: "CRA-AVII.7" => Kind::TechnicalDocumentation;
    annex_vii_8: "CRA-AVII.8" => Kind::TechnicalDocumentation;
}

#[test]
fn every_catalog_item_of_the_annexes_has_a_test() {
    let mut catalog_ids = Vec::new();
    for control in ["CRA-AII", "CRA-AV", "CRA-AVI", "CRA-AVII"] {
        catalog_ids.extend(catalog::items(control).unwrap().into_iter().map(|i| i.id));
    }
    let mut tested: Vec<String> = ITEM_TESTS.iter().map(|s| s.to_string()).collect();
    catalog_ids.sort();
    tested.sort();
    assert_eq!(
        catalog_ids, tested,
        "a catalog item of Annex II, V, VI or VII has no test"
    );
}

#[test]
fn steward_policy_follows_article_24_items() {
    let m = steward();
    let doc = render(
        Kind::StewardPolicy,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    for item in catalog::items("CRA-ART24").unwrap() {
        assert!(doc.content.contains(&item.anchor), "{}", item.id);
    }
}

#[test]
fn unknown_items_are_todos_never_invented() {
    let m = manufacturer();
    let doc = render(
        Kind::UserInformation,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    let items: Vec<&str> = doc.todos.iter().map(|t| t.item.as_str()).collect();
    // The fixture gives no risks, 8(b), 8(d), 8(e), 8(f): each is a TODO with its number.
    for want in [
        "Annex II, point 5",
        "Annex II, point 8(b)",
        "Annex II, point 8(d)",
        "Annex II, point 8(e)",
        "Annex II, point 8(f)",
    ] {
        assert!(items.contains(&want), "{want} missing from {items:?}");
    }
    // What it knows is not a TODO.
    for known in [
        "Annex II, point 1",
        "Annex II, point 2",
        "Annex II, point 8(a)",
        "Annex II, point 8(c)",
    ] {
        assert!(!items.contains(&known), "{known} should be filled");
    }
    assert!(doc.content.contains("> **TODO (Annex II, point 5):**"));
}

#[test]
fn declaration_notified_body_depends_on_class() {
    let text = MANUFACTURER_TOML.replace(
        "type = \"library\"",
        "type = \"library\"\nclass = \"important-II\"",
    );
    let m = annex_docs::Metadata::parse(&text, "annex.toml", today()).unwrap();
    let doc = render(
        Kind::Declaration,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    assert!(
        doc.todos
            .iter()
            .any(|t| t.item == "Annex V, point 7" && t.what.contains("notified body"))
    );
    let with_nb = text.replace(
        "place = \"Berlin\"",
        "place = \"Berlin\"\nnotified-body = { name = \"TÜV Example\", number = \"0123\", procedure = \"module B and C\", certificate = \"C-42\" }",
    );
    let m = annex_docs::Metadata::parse(&with_nb, "annex.toml", today()).unwrap();
    let doc = render(
        Kind::Declaration,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    // Only the CE marking (Article 30) is left: annex cannot affix it.
    let items: Vec<&str> = doc.todos.iter().map(|t| t.item.as_str()).collect();
    assert_eq!(items, vec!["Article 30"], "{:?}", doc.todos);
    assert!(doc.content.contains("TÜV Example (number 0123)"));
}

/// Article 32(5): free and open-source software in Annex III may use internal control
/// (module A) when its technical documentation is public; Annex IV products may not. A
/// default-class declaration does not state as fact that module A was carried out.
#[test]
fn article_32_5_open_source_route_and_no_invented_module_a() {
    let decl = |class: &str, license: &str| {
        let text = MANUFACTURER_TOML
            .replace(
                "type = \"library\"",
                &format!("type = \"library\"\nclass = \"{class}\""),
            )
            .replace(
                "license = \"Apache-2.0\"",
                &format!("license = \"{license}\""),
            );
        let m = annex_docs::Metadata::parse(&text, "annex.toml", today()).unwrap();
        render(
            Kind::Declaration,
            &Inputs::new(&m, today()),
            Format::Markdown,
        )
        .unwrap()
    };
    let point7 = |d: &annex_docs::Document| {
        d.todos
            .iter()
            .find(|t| t.item == "Annex V, point 7")
            .map(|t| t.what.clone())
            .unwrap_or_default()
    };
    for class in ["important-I", "important-II"] {
        let open = point7(&decl(class, "Apache-2.0"));
        assert!(
            open.contains("Article 32(5)") && open.contains("made public"),
            "{open}"
        );
        let closed = point7(&decl(class, "LicenseRef-Proprietary"));
        assert!(!closed.contains("Article 32(5)"), "{closed}");
        assert!(closed.contains("notified body"), "{closed}");
    }
    let critical = point7(&decl("critical", "Apache-2.0"));
    assert!(critical.contains("does not extend"), "{critical}");
    let default = decl("default", "Apache-2.0");
    assert!(!default.content.contains("was assessed"));
    assert!(default.content.contains("module A, Article 32(1)(a)"));
}

/// Article 30: a software product's CE marking goes on the declaration or the accompanying
/// website; Articles 28 and 31: both documents are kept up to date.
#[test]
fn ce_marking_and_keeping_documents_up_to_date() {
    let doc = render_full(Kind::Declaration, Format::Markdown);
    assert!(doc.content.contains("## CE marking"));
    assert!(doc.todos.iter().any(|t| t.item == "Article 30"));
    assert!(doc.content.contains("(Article 28)"));
    let tech = render_full(Kind::TechnicalDocumentation, Format::Markdown);
    assert!(tech.content.contains("(Article 31)"));
}

// ---------------------------------------------------------------------------------------
// security.txt

#[test]
fn security_txt_is_valid_rfc_9116() {
    let doc = render_full(Kind::SecurityTxt, Format::Markdown);
    let txt = security_txt::parse(&doc.content).unwrap();
    assert_eq!(txt.contacts(), vec!["mailto:security@example.org"]);
    assert_eq!(txt.expires.to_rfc3339(), "2027-11-24T00:00:00+00:00");
    assert_eq!(txt.preferred_languages(), vec!["en", "de"]);
    assert_eq!(
        txt.values("csaf"),
        vec!["https://example.org/.well-known/csaf/provider-metadata.json"]
    );
    assert_eq!(
        txt.values("Canonical"),
        vec!["https://example.org/.well-known/security.txt"]
    );
    assert_eq!(txt.values("policy").len(), 1);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T12:00:00+01:00").unwrap();
    let mut checked = txt.clone();
    security_txt::check_expiry(&mut checked, now);
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    assert!(txt.is_expired(chrono::DateTime::parse_from_rfc3339("2027-11-24T00:00:00Z").unwrap()));
    // Without a CSAF URL there is no CSAF field; the steward's contact is a URL.
    let m = steward();
    let d = render(
        Kind::SecurityTxt,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    let t = security_txt::parse(&d.content).unwrap();
    assert!(t.values("CSAF").is_empty());
    assert_eq!(
        t.contacts(),
        vec!["https://gitlab.com/example-foundation/gadget/-/issues/new?confidential=true"]
    );
    assert!(d.todos.iter().any(|t| t.item == "Canonical"));
}

#[test]
fn security_txt_expires_from_metadata() {
    let text = MANUFACTURER_TOML.replace(
        "canonical = \"https://example.org/.well-known/security.txt\"",
        "canonical = \"https://example.org/.well-known/security.txt\"\nexpires = 2027-03-31",
    );
    let m = annex_docs::Metadata::parse(&text, "annex.toml", today()).unwrap();
    let d = render(
        Kind::SecurityTxt,
        &Inputs::new(&m, today()),
        Format::Markdown,
    )
    .unwrap();
    assert!(d.content.contains("Expires: 2027-03-31T00:00:00Z\n"));
}

#[test]
fn security_txt_parser() {
    // Case-insensitive names, CRLF, comments, unknown fields.
    let ok = "# comment\r\ncontact: mailto:a@example.org\r\nCONTACT: https://example.org/report\r\nexpires: 2027-01-01T00:00:00.000Z\r\nX-Custom: anything\r\n\r\nPreferred-Languages: en, fr\r\n";
    let t = security_txt::parse(ok).unwrap();
    assert_eq!(t.contacts().len(), 2);
    assert_eq!(t.values("x-custom"), vec!["anything"]);
    assert_eq!(t.preferred_languages(), vec!["en", "fr"]);
    assert_eq!(t.fields[0].line, 2);

    let e = |text: &str| security_txt::parse(text).unwrap_err().to_string();
    assert!(e("Expires: 2027-01-01T00:00:00Z\n").contains("Contact: required field missing"));
    assert!(e("Contact: mailto:a@b.org\n").contains("Expires: required field missing"));
    let two =
        "Contact: mailto:a@b.org\nExpires: 2027-01-01T00:00:00Z\nExpires: 2027-02-01T00:00:00Z\n";
    assert_eq!(e(two), "security.txt:3:1: Expires: must appear only once");
    let bad_date = "Contact: mailto:a@b.org\nExpires: 31 December 2027\n";
    assert!(
        e(bad_date).starts_with("security.txt:2:1: Expires: `31 December 2027` is not an RFC 3339"),
        "{}",
        e(bad_date)
    );
    let http = "Contact: http://example.org/\nExpires: 2027-01-01T00:00:00Z\n";
    assert!(e(http).contains("must begin with https://"));
    let bare = "Contact: a@b.org\nExpires: 2027-01-01T00:00:00Z\n";
    assert!(e(bare).contains("is not a URI"));
    let junk = "Contact: mailto:a@b.org\nExpires: 2027-01-01T00:00:00Z\nthis is not a field\n";
    assert!(e(junk).starts_with("security.txt:3:1:"));
    let langs = "Contact: mailto:a@b.org\nExpires: 2027-01-01T00:00:00Z\nPreferred-Languages: en\nPreferred-Languages: de\n";
    assert!(e(langs).contains("Preferred-Languages: must appear only once"));

    // A cleartext-signed file.
    let signed = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nContact: mailto:a@b.org\nExpires: 2027-01-01T00:00:00Z\n- -----not a header\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n";
    let t = security_txt::parse(signed);
    assert!(t.is_err(), "the dash-escaped line is not a field");
    let signed = signed.replace(
        "- -----not a header\n",
        "Canonical: https://example.org/.well-known/security.txt\n",
    );
    let t = security_txt::parse(&signed).unwrap();
    assert!(t.signed);
    assert_eq!(t.fields[0].line, 4);
    assert!(t.warnings.is_empty());
}

// ---------------------------------------------------------------------------------------
// Round trip through annex's own evidence probes

#[test]
fn generated_policy_files_satisfy_the_evidence_probes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (m, a, s, f) = (manufacturer(), assessment(), sbom(), findings());
    let inputs = full_inputs(&m, &a, &s, &f);
    for name in annex_docs::fix::generators() {
        let doc = annex_docs::fix::generate(name, &inputs).unwrap();
        annex_docs::write_document(root, &doc, false).unwrap();
        // Never overwritten without force.
        let again = annex_docs::write_document(root, &doc, false).unwrap_err();
        assert!(matches!(again, DocsError::Exists { .. }));
        annex_docs::write_document(root, &doc, true).unwrap();
    }
    std::fs::write(root.join("README.md"), "# Widget\n").unwrap();
    let ev = annex_evidence::collect(root, &annex_evidence::Options::default()).unwrap();
    let docs = &ev.docs;
    let policy = docs.security_policy.as_ref().expect("SECURITY.md found");
    assert!(
        policy
            .contacts
            .iter()
            .any(|c| c.value.contains("security@example.org")),
        "{policy:?}"
    );
    assert!(
        policy.private_reporting.is_some(),
        "private reporting recognised"
    );
    assert_eq!(policy.response_days.map(|r| r.days), Some(3));
    assert!(policy.disclosure.is_some());
    assert!(policy.supported_versions.is_some());
    assert!(docs.contributing.is_some());
    assert!(docs.contributing_requirements.is_some());
    let txt = docs.security_txt.as_ref().expect("security.txt found");
    assert_eq!(txt.contacts, vec!["mailto:security@example.org"]);
}
