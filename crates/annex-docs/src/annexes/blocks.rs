//! What several Annex documents write alike: item headings and TODOs, the document header,
//! links, the party block, the assessment summary and the CRA rollup table.

use crate::catalog::Item;
use crate::document::{Format, Kind};
use crate::inputs::Inputs;
use crate::markup::{Doc, Inline, b, code, em, link, t};
use crate::metadata::Metadata;
use crate::prose::{contact_inline, provenance, text_or_link};
use annex_assess::Assessment;

/// Our short title of each item; the catalog gives the text.
pub(super) fn title(id: &str) -> Option<&'static str> {
    Some(match id {
        "CRA-AII.1" => "Manufacturer",
        "CRA-AII.2" => "Single point of contact and vulnerability disclosure policy",
        "CRA-AII.3" => "Product identification",
        "CRA-AII.4" => "Intended purpose, essential functions and security properties",
        "CRA-AII.5" => "Circumstances that may lead to significant cybersecurity risks",
        "CRA-AII.6" => "EU declaration of conformity",
        "CRA-AII.7" => "Security support and the end of the support period",
        "CRA-AII.8" => "Detailed instructions",
        "CRA-AII.8a" => "Secure commissioning and use",
        "CRA-AII.8b" => "How changes to the product affect the security of data",
        "CRA-AII.8c" => "Installing security updates",
        "CRA-AII.8d" => "Secure decommissioning and removal of user data",
        "CRA-AII.8e" => "Turning off automatic security updates",
        "CRA-AII.8f" => "Information for integrators",
        "CRA-AII.9" => "Software bill of materials",
        "CRA-AV.1" => "Product",
        "CRA-AV.2" => "Manufacturer",
        "CRA-AV.3" => "Responsibility",
        "CRA-AV.4" => "Object of the declaration",
        "CRA-AV.5" => "Conformity",
        "CRA-AV.6" => "Harmonised standards, common specifications and certifications",
        "CRA-AV.7" => "Notified body",
        "CRA-AV.8" => "Additional information",
        "CRA-AVI.1" => "Declaration",
        "CRA-AVI.2" => "Full declaration",
        "CRA-AVII.1" => "General description of the product",
        "CRA-AVII.1a" => "Intended purpose",
        "CRA-AVII.1b" => "Software versions",
        "CRA-AVII.1c" => "Photographs or illustrations",
        "CRA-AVII.1d" => "User information and instructions",
        "CRA-AVII.2" => "Design, development, production and vulnerability handling",
        "CRA-AVII.2a" => "Design, development and architecture",
        "CRA-AVII.2b" => "Vulnerability handling",
        "CRA-AVII.2c" => "Production and monitoring",
        "CRA-AVII.3" => "Cybersecurity risk assessment",
        "CRA-AVII.4" => "Support period",
        "CRA-AVII.5" => "Standards and specifications applied",
        "CRA-AVII.6" => "Test reports",
        "CRA-AVII.7" => "EU declaration of conformity",
        "CRA-AVII.8" => "Software bill of materials",
        "CRA-ART24.1" => "Cybersecurity policy",
        "CRA-ART24.2" => "Cooperation with market surveillance authorities",
        "CRA-ART24.3" => "Reporting of vulnerabilities and incidents",
        _ => return None,
    })
}

/// A sub-item (`8(a)`) is one whose number has a parenthesis.
pub(super) fn is_sub(item: &Item) -> bool {
    item.number.contains('(')
}

/// Heading, catalog reference (as a comment) and, unless `quiet`, what the item asks.
pub(super) fn section(d: &mut Doc, item: &Item, quiet: bool) {
    let name = title(&item.id).map(str::to_string).unwrap_or_else(|| {
        item.text
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ")
    });
    if is_sub(item) {
        d.h(3, format!("{} {name}", item.number));
    } else {
        d.h(2, format!("{}. {name}", item.number));
    }
    d.comment(format!("{} · {}", item.id, item.anchor));
    if !quiet {
        d.p(vec![em(format!("{}: {}", item.label, item.text))]);
    }
}

pub(super) fn todo(d: &mut Doc, item: &Item, what: impl Into<String>) {
    d.todo(item.label.clone(), what);
}

/// An item annex has no content for.
pub(super) fn unknown_item(d: &mut Doc, item: &Item) {
    todo(
        d,
        item,
        format!(
            "annex has no content for {} ({}); write it here",
            item.id, item.text
        ),
    );
}

/// A value from annex.toml, or a TODO naming the key.
pub(super) fn value_or_todo(
    d: &mut Doc,
    item: &Item,
    value: &Option<String>,
    key: &str,
    what: &str,
) {
    match value {
        Some(v) if !v.trim().is_empty() => d.p(text_or_link("See ", v)),
        _ => todo(d, item, format!("{what} (set {key} in annex.toml)")),
    }
}

pub(super) fn product_line(m: &Metadata) -> String {
    format!(
        "{} {} ({})",
        m.product.name, m.product.version, m.product.kind
    )
}

pub(super) fn header(d: &mut Doc, inputs: &Inputs, kind: Kind) {
    let m = inputs.metadata;
    d.h(1, format!("{} — {}", kind.title(), m.product.name));
    d.p(vec![
        b("Product: "),
        t(product_line(m)),
        t(". "),
        b(format!("{}: ", capitalise(m.role_title()))),
        t(m.party.name.clone()),
        t("."),
    ]);
    d.p(provenance(inputs));
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A link from one docs/cra document to another (they share the directory).
pub(super) fn doc_link(kind: Kind) -> Inline {
    let f = kind.file_name(Format::Markdown);
    let base = f.rsplit('/').next().unwrap_or(&f).to_string();
    link(base.clone(), base)
}

/// A link from a docs/cra document to a file at the repository root.
pub(super) fn root_link(name: &str) -> Inline {
    link(name, format!("../../{name}"))
}

pub(super) fn party_block(d: &mut Doc, item: &Item, m: &Metadata, want_email: bool) {
    let p = &m.party;
    let mut lines = vec![vec![b("Name: "), t(p.name.clone())]];
    match &p.address {
        Some(a) => lines.push(vec![b("Postal address: "), t(one_line(a))]),
        None => todo(
            d,
            item,
            format!(
                "give the postal address of the {} (party address in annex.toml)",
                m.role_title()
            ),
        ),
    }
    if want_email {
        match &p.email {
            Some(e) => lines.push(vec![b("E-mail: "), contact_inline(e)]),
            None => todo(
                d,
                item,
                format!(
                    "give an e-mail address or other digital contact of the {} (email in annex.toml)",
                    m.role_title()
                ),
            ),
        }
    }
    if let Some(w) = &p.website {
        lines.push(vec![b("Website: "), link(w, w)]);
    }
    d.list(lines);
}

pub(super) fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn summary_line(a: &Assessment) -> String {
    let s = &a.summary;
    format!(
        "annex assessed {} against profile {} ({}) version {}: {} requirements — {} pass, {} fail, {} need review, {} not run, {} not applicable, {} unknown.",
        a.subject,
        a.profile.id,
        a.profile.title,
        a.profile.version,
        s.total,
        s.pass,
        s.fail,
        s.needs_review,
        s.not_run,
        s.not_applicable,
        s.unknown
    )
}

/// The assessment's CRA rollup for items whose id starts with `prefix`.
pub(super) fn rollup_table(d: &mut Doc, a: &Assessment, prefix: &str) {
    let rows: Vec<Vec<Vec<Inline>>> = a
        .cra
        .iter()
        .filter(|c| c.requirement.starts_with(prefix))
        .map(|c| {
            let by = c
                .decided_by
                .iter()
                .map(|x| format!("{} ({})", x.requirement, x.status.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                vec![code(&c.requirement)],
                vec![t(c.title.clone())],
                vec![t(c.coverage.as_str())],
                vec![t(if by.is_empty() { "—".to_string() } else { by })],
            ]
        })
        .collect();
    if rows.is_empty() {
        d.text("The assessment has no results for these requirements.");
    } else {
        d.table(&["Requirement", "Title", "Coverage", "Decided by"], rows);
    }
}
