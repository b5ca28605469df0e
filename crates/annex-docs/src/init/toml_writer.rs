//! Writing a commented annex.toml.

use crate::document::Document;
use crate::metadata::{METADATA_FILE, Metadata};
use annex_spec::CraRole;

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn kv(out: &mut String, key: &str, value: Option<String>, comment: &str, example: &str) {
    match value {
        Some(v) => out.push_str(&format!("{key} = {v}")),
        None => out.push_str(&format!("# {key} = {example}")),
    }
    if !comment.is_empty() {
        out.push_str(&format!("  # {comment}"));
    }
    out.push('\n');
}

fn s(v: &Option<String>) -> Option<String> {
    v.as_deref().map(q)
}

/// annex.toml as a document for `write_document` (which refuses to overwrite without
/// `force`).
pub fn document(m: &Metadata) -> Document {
    Document {
        file_name: METADATA_FILE.to_string(),
        content: render_toml(m),
        todos: Vec::new(),
    }
}

/// A commented annex.toml for the metadata; unset keys are written commented out, so
/// the file shows everything that can be filled in. Parsing it gives the metadata back.
pub fn render_toml(m: &Metadata) -> String {
    let mut o = String::new();
    o.push_str(
        "# annex.toml: product metadata for the CRA documents (`annex docs`), security.txt\n",
    );
    o.push_str("# and Article 14 reports. Written by `annex init`; edit freely. Unset keys are\n");
    o.push_str(
        "# commented out; what the documents need and this file lacks shows up as a TODO.\n",
    );
    o.push_str("# Other tools' sections ([scope], [[vex]], …) may live in this file too.\n\n");

    let p = &m.product;
    o.push_str("[product]\n");
    kv(&mut o, "name", Some(q(&p.name)), "", "");
    kv(
        &mut o,
        "version",
        Some(q(&p.version)),
        "the release the documents describe",
        "",
    );
    kv(
        &mut o,
        "type",
        Some(q(&p.kind)),
        "library, command-line tool, web application, …",
        "",
    );
    kv(
        &mut o,
        "description",
        s(&p.description),
        "intended purpose (Annex II 4, Annex VII 1(a))",
        "\"…\"",
    );
    kv(
        &mut o,
        "class",
        Some(q(p.class.as_str())),
        "default | important-I | important-II | critical (Annexes III, IV)",
        "",
    );
    kv(&mut o, "repository", s(&p.repository), "", "\"https://…\"");
    kv(&mut o, "homepage", s(&p.homepage), "", "\"https://…\"");
    kv(
        &mut o,
        "license",
        s(&p.license),
        "SPDX expression",
        "\"Apache-2.0\"",
    );
    let langs = toml::Value::Array(
        p.languages
            .iter()
            .map(|l| toml::Value::String(l.clone()))
            .collect(),
    )
    .to_string();
    kv(
        &mut o,
        "languages",
        Some(langs),
        "documentation and report languages, preferred first",
        "",
    );
    kv(
        &mut o,
        "hardware",
        p.hardware.then(|| "true".to_string()),
        "the product includes hardware (Annex VII 1(c))",
        "false",
    );

    let party = &m.party;
    o.push('\n');
    match m.role {
        CraRole::Manufacturer => o.push_str("# Your CRA role is the name of this table: [manufacturer] or [steward].\n[manufacturer]\n"),
        CraRole::Steward => o.push_str("# Your CRA role is the name of this table: [manufacturer] or [steward].\n[steward]\n"),
    }
    kv(
        &mut o,
        "name",
        Some(q(&party.name)),
        "name, registered trade name or trademark",
        "",
    );
    kv(
        &mut o,
        "address",
        s(&party.address),
        "postal address",
        "\"Street 1, 12345 City, Country\"",
    );
    kv(
        &mut o,
        "email",
        s(&party.email),
        "",
        "\"contact@example.org\"",
    );
    kv(&mut o, "website", s(&party.website), "", "\"https://…\"");

    let sup = &m.support;
    o.push_str(
        "\n# The support period (Article 13(8), (19); Annex II 7; Annex VII 4).\n[support]\n",
    );
    kv(
        &mut o,
        "end",
        sup.end.map(|e| q(&e.to_string())),
        "month and year support ends",
        "\"2031-12\"",
    );
    kv(
        &mut o,
        "start",
        sup.start.map(|e| q(&e.to_string())),
        "placing on the market; defaults to the current month",
        "\"2026-12\"",
    );
    kv(
        &mut o,
        "reason",
        s(&sup.reason),
        "why this period; required under five years",
        "\"…\"",
    );
    kv(
        &mut o,
        "kind",
        s(&sup.kind),
        "the kind of security support",
        "\"security fixes as patch releases\"",
    );
    kv(
        &mut o,
        "versions",
        s(&sup.versions),
        "which releases get security updates",
        "\"1.4.x and later\"",
    );

    let sec = &m.security;
    o.push_str("\n[security]\n");
    kv(
        &mut o,
        "contact",
        Some(q(&sec.contact)),
        "single point of contact: e-mail or https URL",
        "",
    );
    kv(
        &mut o,
        "policy",
        s(&sec.policy),
        "coordinated vulnerability disclosure policy",
        "\"https://…/SECURITY.md\"",
    );
    kv(
        &mut o,
        "advisories",
        s(&sec.advisories),
        "where advisories are published",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "sbom",
        s(&sec.sbom),
        "where users can get the SBOM (Annex II 9)",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "csaf",
        s(&sec.csaf),
        "CSAF provider-metadata.json",
        "\"https://…/.well-known/csaf/provider-metadata.json\"",
    );
    kv(
        &mut o,
        "canonical",
        s(&sec.canonical),
        "where security.txt is published",
        "\"https://…/.well-known/security.txt\"",
    );
    kv(
        &mut o,
        "acknowledgments",
        s(&sec.acknowledgments),
        "",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "encryption",
        s(&sec.encryption),
        "key for encrypted reports",
        "\"https://…/pgp-key.txt\"",
    );
    kv(
        &mut o,
        "expires",
        sec.expires.map(|d| d.to_string()),
        "security.txt expiry; computed (a year ahead) when unset",
        "2027-06-30",
    );

    let d = &m.declaration;
    o.push_str("\n# The EU declaration of conformity (Annexes V and VI).\n[declaration]\n");
    kv(
        &mut o,
        "url",
        s(&d.url),
        "where the full declaration is published",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "standards",
        d.standards.as_ref().map(|v| {
            toml::Value::Array(v.iter().map(|x| toml::Value::String(x.clone())).collect())
                .to_string()
        }),
        "harmonised standards / common specifications applied; [] for none",
        "[\"EN …\"]",
    );
    kv(
        &mut o,
        "legislation",
        (!d.legislation.is_empty()).then(|| {
            toml::Value::Array(
                d.legislation
                    .iter()
                    .map(|x| toml::Value::String(x.clone()))
                    .collect(),
            )
            .to_string()
        }),
        "other Union legislation the product conforms to",
        "[]",
    );
    kv(&mut o, "place", s(&d.place), "place of issue", "\"Berlin\"");
    kv(
        &mut o,
        "signatory",
        d.signatory
            .as_ref()
            .map(|x| format!("{{ name = {}, function = {} }}", q(&x.name), q(&x.function))),
        "",
        "{ name = \"…\", function = \"…\" }",
    );
    kv(
        &mut o,
        "notified-body",
        d.notified_body.as_ref().map(|x| {
            format!(
                "{{ name = {}, number = {}, procedure = {}, certificate = {} }}",
                q(&x.name),
                q(&x.number),
                q(&x.procedure),
                q(&x.certificate)
            )
        }),
        "important-II and critical products",
        "{ name = \"…\", number = \"…\", procedure = \"…\", certificate = \"…\" }",
    );

    let doc = &m.documentation;
    o.push_str("\n# Where (https URL) or what (text) each remaining Annex II / VII item is.\n[documentation]\n");
    for (key, v, what) in [
        (
            "essential-functions",
            &doc.essential_functions,
            "Annex II 4",
        ),
        (
            "security-properties",
            &doc.security_properties,
            "Annex II 4",
        ),
        (
            "risks",
            &doc.risks,
            "Annex II 5: circumstances leading to significant risks",
        ),
        ("user-instructions", &doc.user_instructions, "Annex II 8"),
        ("secure-use", &doc.secure_use, "Annex II 8(a)"),
        ("data-changes", &doc.data_changes, "Annex II 8(b)"),
        ("updates", &doc.updates, "Annex II 8(c)"),
        ("decommissioning", &doc.decommissioning, "Annex II 8(d)"),
        ("automatic-updates", &doc.automatic_updates, "Annex II 8(e)"),
        ("integrators", &doc.integrators, "Annex II 8(f)"),
        ("architecture", &doc.architecture, "Annex VII 2(a)"),
        (
            "update-distribution",
            &doc.update_distribution,
            "Annex VII 2(b)",
        ),
        ("production", &doc.production, "Annex VII 2(c)"),
        ("risk-assessment", &doc.risk_assessment, "Annex VII 3"),
        ("test-reports", &doc.test_reports, "Annex VII 6"),
    ] {
        kv(&mut o, key, s(v), what, "\"…\"");
    }
    o
}
