//! The Annex II, V, VI and VII documents and the steward's Article 24 policy. Each walks
//! the catalog's items for its Annex, so every numbered item appears with its number and
//! anchor; what annex.toml, the assessment, the SBOM and the findings do not say is a TODO.

use crate::catalog::{self, Item};
use crate::document::{Format, Kind};
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::markup::{Doc, Inline, b, code, em, link, t};
use crate::metadata::Metadata;
use crate::prose::{and_list, contact_inline, provenance, text_or_link};
use annex_assess::Assessment;
use annex_spec::ProductClass;

/// Our short title of each item; the catalog gives the text.
fn title(id: &str) -> Option<&'static str> {
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
fn is_sub(item: &Item) -> bool {
    item.number.contains('(')
}

/// Heading, catalog reference (as a comment) and, unless `quiet`, what the item asks.
fn section(d: &mut Doc, item: &Item, quiet: bool) {
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

fn todo(d: &mut Doc, item: &Item, what: impl Into<String>) {
    d.todo(item.label.clone(), what);
}

/// An item annex has no content for.
fn unknown_item(d: &mut Doc, item: &Item) {
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
fn value_or_todo(d: &mut Doc, item: &Item, value: &Option<String>, key: &str, what: &str) {
    match value {
        Some(v) if !v.trim().is_empty() => d.p(text_or_link("See ", v)),
        _ => todo(d, item, format!("{what} (set {key} in annex.toml)")),
    }
}

fn product_line(m: &Metadata) -> String {
    format!(
        "{} {} ({})",
        m.product.name, m.product.version, m.product.kind
    )
}

fn header(d: &mut Doc, inputs: &Inputs, kind: Kind) {
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A link from one docs/cra document to another (they share the directory).
fn doc_link(kind: Kind) -> Inline {
    let f = kind.file_name(Format::Markdown);
    let base = f.rsplit('/').next().unwrap_or(&f).to_string();
    link(base.clone(), base)
}

/// A link from a docs/cra document to a file at the repository root.
fn root_link(name: &str) -> Inline {
    link(name, format!("../../{name}"))
}

// ---------------------------------------------------------------------------------------
// Annex II

pub(crate) fn user_information(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    header(&mut d, inputs, Kind::UserInformation);
    d.text(format!(
        "This document gives the information and instructions Annex II of the Cyber Resilience Act (Regulation (EU) 2024/2847) requires to accompany {}. It is kept available for at least ten years after the product is placed on the market, or for the support period if that is longer (Article 13(18)).",
        m.product.name
    ));
    for item in catalog::items("CRA-AII")? {
        section(&mut d, &item, false);
        fill_aii(&mut d, &item, inputs);
    }
    Ok(d)
}

fn party_block(d: &mut Doc, item: &Item, m: &Metadata, want_email: bool) {
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

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn fill_aii(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let doc = &m.documentation;
    match item.id.as_str() {
        "CRA-AII.1" => party_block(d, item, m, true),
        "CRA-AII.2" => {
            d.p(vec![
                t("Report vulnerabilities to the single point of contact: "),
                contact_inline(&m.security.contact),
                t("."),
            ]);
            match &m.security.policy {
                Some(p) => d.p(vec![
                    t("The coordinated vulnerability disclosure policy is at "),
                    link(p, p),
                    t("."),
                ]),
                None => todo(
                    d,
                    item,
                    "give the address of the coordinated vulnerability disclosure policy (security.policy in annex.toml)",
                ),
            }
        }
        "CRA-AII.3" => {
            let mut lines = vec![
                vec![b("Name: "), t(m.product.name.clone())],
                vec![b("Type: "), t(m.product.kind.clone())],
                vec![b("Version: "), t(m.product.version.clone())],
            ];
            if let Some(r) = &m.product.repository {
                lines.push(vec![b("Source: "), link(r, r)]);
            }
            if let Some(s) = inputs.sbom_summary
                && let Some(id) = &s.id
            {
                lines.push(vec![b("SBOM identifier: "), code(id)]);
            }
            d.list(lines);
        }
        "CRA-AII.4" => {
            let mut missing = Vec::new();
            match &m.product.description {
                Some(v) => d.p(vec![b("Intended purpose: "), t(v.clone())]),
                None => missing.push("the intended purpose (product.description)"),
            }
            match &doc.essential_functions {
                Some(v) => {
                    let mut p = vec![b("Essential functions: ")];
                    p.extend(text_or_link("see ", v));
                    d.p(p);
                }
                None => missing.push("the essential functions (documentation.essential-functions)"),
            }
            match &doc.security_properties {
                Some(v) => {
                    let mut p = vec![b("Security properties: ")];
                    p.extend(text_or_link("see ", v));
                    d.p(p);
                }
                None => missing.push(
                    "the security properties and the security environment provided (documentation.security-properties)",
                ),
            }
            if !missing.is_empty() {
                let list: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
                todo(
                    d,
                    item,
                    format!("describe {} in annex.toml", and_list(&list)),
                );
            }
        }
        "CRA-AII.5" => value_or_todo(
            d,
            item,
            &doc.risks,
            "documentation.risks",
            "describe the known or foreseeable circumstances, in intended use or reasonably foreseeable misuse, that may lead to significant cybersecurity risks",
        ),
        "CRA-AII.6" => match &m.declaration.url {
            Some(u) => d.p(vec![
                t("The EU declaration of conformity is published at "),
                link(u, u),
                t("."),
            ]),
            None => todo(
                d,
                item,
                "give the internet address where the EU declaration of conformity is published (declaration.url in annex.toml)",
            ),
        },
        "CRA-AII.7" => {
            match &m.support.kind {
                Some(k) => d.p(vec![b("Kind of support: "), t(k.clone())]),
                None => todo(
                    d,
                    item,
                    "say what kind of security support is given, e.g. security fixes as new releases of the latest minor version (support.kind in annex.toml)",
                ),
            }
            match &m.support.end {
                Some(end) => d.p(vec![
                    b("End of the support period: "),
                    t(format!(
                        "{} (vulnerabilities are handled and security updates issued until the end of that month).",
                        end.long()
                    )),
                ]),
                None => todo(d, item, "give the end of the support period (support.end)"),
            }
            if let Some(v) = &m.support.versions {
                d.p(vec![b("Versions supported: "), t(v.clone())]);
            }
        }
        "CRA-AII.8" => match &doc.user_instructions {
            Some(u) => d.p(text_or_link("The detailed instructions are at ", u)),
            None => d.text("The detailed instructions follow in points 8(a) to 8(f)."),
        },
        "CRA-AII.8a" => value_or_todo(
            d,
            item,
            &doc.secure_use,
            "documentation.secure-use",
            "describe the measures needed at first use and throughout the product's lifetime to keep its use secure",
        ),
        "CRA-AII.8b" => value_or_todo(
            d,
            item,
            &doc.data_changes,
            "documentation.data-changes",
            "explain how changes to the product (configuration, modification) can affect the security of data",
        ),
        "CRA-AII.8c" => value_or_todo(
            d,
            item,
            &doc.updates,
            "documentation.updates",
            "explain how security-relevant updates are installed and how a download can be verified",
        ),
        "CRA-AII.8d" => value_or_todo(
            d,
            item,
            &doc.decommissioning,
            "documentation.decommissioning",
            "explain how to decommission the product securely and remove user data",
        ),
        "CRA-AII.8e" => value_or_todo(
            d,
            item,
            &doc.automatic_updates,
            "documentation.automatic-updates",
            "explain how to turn off automatic installation of security updates, or state that the product does not install updates automatically",
        ),
        "CRA-AII.8f" => value_or_todo(
            d,
            item,
            &doc.integrators,
            "documentation.integrators",
            "give integrators the information they need to meet Annex I and Annex VII, or state that the product is not meant to be integrated into other products",
        ),
        "CRA-AII.9" => match (&m.security.sbom, inputs.sbom_summary) {
            (Some(u), s) => {
                let mut p = vec![
                    t("The software bill of materials is available at "),
                    link(u, u),
                ];
                if let Some(s) = s {
                    p.push(t(format!(" ({})", s.describe())));
                }
                p.push(t("."));
                d.p(p);
            }
            (None, Some(s)) => {
                d.text(format!("An SBOM exists ({}).", s.describe()));
                todo(
                    d,
                    item,
                    "if users can obtain the SBOM, say where (security.sbom in annex.toml); otherwise state that it is not made available to users",
                );
            }
            (None, None) => todo(
                d,
                item,
                "if the SBOM is made available to users, say where (security.sbom in annex.toml; `annex sbom` writes one); otherwise state that it is not",
            ),
        },
        _ => unknown_item(d, item),
    }
}

// ---------------------------------------------------------------------------------------
// Annex V

pub(crate) fn declaration(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    d.h(1, "EU declaration of conformity");
    d.comment(format!(
        "Annex V of Regulation (EU) 2024/2847. Prepared by annex on {} from annex.toml; items marked TODO must be completed before signing.",
        inputs.today
    ));
    for item in catalog::items("CRA-AV")? {
        section(&mut d, &item, true);
        fill_av(&mut d, &item, inputs);
    }
    let _ = m;
    Ok(d)
}

fn fill_av(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let decl = &m.declaration;
    match item.id.as_str() {
        "CRA-AV.1" => d.list(vec![
            vec![b("Name: "), t(m.product.name.clone())],
            vec![b("Type: "), t(m.product.kind.clone())],
            vec![b("Version: "), t(m.product.version.clone())],
        ]),
        "CRA-AV.2" => party_block(d, item, m, false),
        "CRA-AV.3" => d.text(format!(
            "This declaration of conformity is issued under the sole responsibility of the manufacturer, {}.",
            m.party.name
        )),
        "CRA-AV.4" => {
            let mut p = vec![t(format!(
                "{} version {}, a product with digital elements of type {}",
                m.product.name, m.product.version, m.product.kind
            ))];
            if let Some(r) = &m.product.repository {
                p.push(t(", built from the source at "));
                p.push(link(r, r));
            }
            if let Some(s) = inputs.sbom_summary
                && let Some(id) = &s.id
            {
                p.push(t(", whose components are listed in the SBOM "));
                p.push(code(id));
            }
            p.push(t("."));
            d.p(p);
        }
        "CRA-AV.5" => {
            d.text("The object of the declaration described above is in conformity with Regulation (EU) 2024/2847 of the European Parliament and of the Council of 23 October 2024 on horizontal cybersecurity requirements for products with digital elements.");
            if !decl.legislation.is_empty() {
                d.text("It is also in conformity with:");
                d.list(decl.legislation.iter().map(|l| vec![t(l.clone())]).collect());
            }
        }
        "CRA-AV.6" => match &decl.standards {
            Some(s) if !s.is_empty() => d.list(s.iter().map(|x| vec![t(x.clone())]).collect()),
            Some(_) => d.text("No harmonised standards, common specifications or cybersecurity certifications were applied; the solutions chosen to meet the essential requirements are described in the technical documentation (Annex VII, point 5)."),
            None => todo(
                d,
                item,
                "list the harmonised standards, common specifications or cybersecurity certifications applied, or write `standards = []` when none were (declaration.standards in annex.toml)",
            ),
        },
        "CRA-AV.7" => match (&decl.notified_body, m.product.class) {
            (Some(nb), _) => d.list(vec![
                vec![b("Notified body: "), t(format!("{} (number {})", nb.name, nb.number))],
                vec![b("Procedure: "), t(nb.procedure.clone())],
                vec![b("Certificate: "), t(nb.certificate.clone())],
            ]),
            (None, ProductClass::Default) => d.text(
                "Not applicable: the product is in the default category and its conformity was assessed by the manufacturer under internal control (module A, Article 32(1)(a)).",
            ),
            (None, ProductClass::ImportantI) => todo(
                d,
                item,
                "an important product of class I may use internal control (module A) only when harmonised standards, common specifications or a certification were applied in full (Article 32(2)); otherwise name the notified body, its number, the procedure and the certificate (declaration.notified-body in annex.toml)",
            ),
            (None, class) => todo(
                d,
                item,
                format!(
                    "a {} product needs a notified body or a certification (Article 32(3) and (4)): give its name, number, the procedure performed and the certificate (declaration.notified-body in annex.toml)",
                    match class {
                        ProductClass::Critical => "critical",
                        _ => "class II important",
                    }
                ),
            ),
        },
        "CRA-AV.8" => {
            let mut lines = vec![vec![b("Signed for and on behalf of: "), t(m.party.name.clone())]];
            match &decl.place {
                Some(p) => lines.push(vec![b("Place and date of issue: "), t(format!("{p}, {}", inputs.today))]),
                None => {
                    todo(d, item, "give the place of issue (declaration.place in annex.toml)");
                    lines.push(vec![b("Date of issue: "), t(inputs.today.to_string())]);
                }
            }
            match &decl.signatory {
                Some(s) => lines.push(vec![b("Name, function: "), t(format!("{}, {}", s.name, s.function))]),
                None => todo(
                    d,
                    item,
                    "name who signs and their function (declaration.signatory in annex.toml)",
                ),
            }
            lines.push(vec![b("Signature:")]);
            d.list(lines);
        }
        _ => unknown_item(d, item),
    }
}

// ---------------------------------------------------------------------------------------
// Annex VI

pub(crate) fn simplified_declaration(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    d.h(1, "Simplified EU declaration of conformity");
    for item in catalog::items("CRA-AVI")? {
        d.comment(format!("{} · {}", item.id, item.anchor));
        match item.id.as_str() {
            "CRA-AVI.1" => d.text(format!(
                "Hereby, {} declares that the product with digital elements of type {} ({} version {}) is in compliance with Regulation (EU) 2024/2847.",
                m.party.name, m.product.kind, m.product.name, m.product.version
            )),
            "CRA-AVI.2" => match &m.declaration.url {
                Some(u) => d.p(vec![
                    t("The full text of the EU declaration of conformity is available at the following internet address: "),
                    link(u, u),
                ]),
                None => {
                    d.text("The full text of the EU declaration of conformity is available at the following internet address:");
                    todo(
                        &mut d,
                        &item,
                        "give the internet address of the full EU declaration of conformity (declaration.url in annex.toml)",
                    );
                }
            },
            _ => {
                section(&mut d, &item, false);
                unknown_item(&mut d, &item);
            }
        }
    }
    Ok(d)
}

// ---------------------------------------------------------------------------------------
// Annex VII

pub(crate) fn technical_documentation(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    header(&mut d, inputs, Kind::TechnicalDocumentation);
    d.text(format!(
        "The technical documentation of {} under Article 31 and Annex VII of the Cyber Resilience Act. It is kept for ten years after placing on the market, or for the support period if that is longer (Article 13(13)), and updated during the support period.",
        m.product.name
    ));
    for item in catalog::items("CRA-AVII")? {
        section(&mut d, &item, false);
        fill_avii(&mut d, &item, inputs);
    }
    Ok(d)
}

fn summary_line(a: &Assessment) -> String {
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
fn rollup_table(d: &mut Doc, a: &Assessment, prefix: &str) {
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

fn fill_avii(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let doc = &m.documentation;
    match item.id.as_str() {
        "CRA-AVII.1" => d.text(format!(
            "{} is a {} whose {} is {}; points 1(a) to 1(d) describe it.",
            m.product.name,
            m.product.kind,
            m.role_title(),
            m.party.name
        )),
        "CRA-AVII.1a" => match &m.product.description {
            Some(v) => d.text(v.clone()),
            None => todo(d, item, "state the intended purpose (product.description in annex.toml)"),
        },
        "CRA-AVII.1b" => {
            d.p(vec![t(format!(
                "This documentation covers version {}.",
                m.product.version
            ))]);
            if let Some(v) = &m.support.versions {
                d.p(vec![b("Versions receiving security updates: "), t(v.clone())]);
            }
        }
        "CRA-AVII.1c" => {
            if m.product.hardware {
                todo(
                    d,
                    item,
                    "add photographs or illustrations showing external features, marking and internal layout",
                );
            } else {
                d.text(format!(
                    "Not applicable: {} is software and has no external features, marking or internal layout to show.",
                    m.product.name
                ));
            }
        }
        "CRA-AVII.1d" => {
            let mut p = vec![
                t("The information and instructions of Annex II are in "),
                doc_link(Kind::UserInformation),
            ];
            if let Some(u) = &doc.user_instructions {
                p.push(t("; the detailed user instructions are at "));
                p.push(link(u, u));
            }
            p.push(t("."));
            d.p(p);
        }
        "CRA-AVII.2" => d.text("Points 2(a) to 2(c) describe the design, development and production of the product and its vulnerability handling processes."),
        "CRA-AVII.2a" => {
            value_or_todo(
                d,
                item,
                &doc.architecture,
                "documentation.architecture",
                "describe the design and development, with an architecture description showing how the software components depend on and feed one another",
            );
            if let Some(s) = inputs.sbom_summary {
                d.text(format!(
                    "The components the product is built from are listed in the SBOM ({}; point 8).",
                    s.describe()
                ));
            }
        }
        "CRA-AVII.2b" => avii_2b(d, item, inputs),
        "CRA-AVII.2c" => value_or_todo(
            d,
            item,
            &doc.production,
            "documentation.production",
            "describe how the product is built, released and monitored, and how those processes are validated",
        ),
        "CRA-AVII.3" => {
            value_or_todo(
                d,
                item,
                &doc.risk_assessment,
                "documentation.risk-assessment",
                "attach or link the cybersecurity risk assessment of Article 13(2)-(4), stating how each point of Annex I, Part I applies",
            );
            if let Some(a) = inputs.assessment {
                d.text("Evidence for Annex I, Part I from the latest annex assessment (it supports the risk assessment but does not replace it):");
                rollup_table(d, a, "CRA-AI-1");
            }
        }
        "CRA-AVII.4" => {
            let start = m
                .support
                .start
                .unwrap_or_else(|| crate::metadata::YearMonth::of(inputs.today));
            match &m.support.end {
                Some(end) => {
                    let length = if start.months_until(*end) >= 60 {
                        "at least five years"
                    } else {
                        "shorter than five years (Article 13(8) allows it when the product is expected to be used for a shorter time)"
                    };
                    d.text(format!(
                        "Support period: from {} to the end of {}, {length}.",
                        start.long(),
                        end.long(),
                    ));
                }
                None => todo(d, item, "give the end of the support period (support.end)"),
            }
            match &m.support.reason {
                Some(r) => d.p(vec![b("How it was determined: "), t(r.clone())]),
                None => todo(
                    d,
                    item,
                    "record the information used to determine the support period (expected time of use, user expectations, support periods of similar products; Article 13(8)) (support.reason in annex.toml)",
                ),
            }
        }
        "CRA-AVII.5" => match &m.declaration.standards {
            Some(s) if !s.is_empty() => d.list(s.iter().map(|x| vec![t(x.clone())]).collect()),
            Some(_) => d.text("No harmonised standards, common specifications or European cybersecurity certification schemes were applied; the solutions adopted to meet the essential requirements of Annex I are described in points 2 and 3."),
            None => todo(
                d,
                item,
                "list the harmonised standards, common specifications or certification schemes applied (in full or in part), or write `standards = []` and describe the solutions adopted (declaration.standards in annex.toml)",
            ),
        },
        "CRA-AVII.6" => {
            value_or_todo(
                d,
                item,
                &doc.test_reports,
                "documentation.test-reports",
                "attach or link the reports of the tests that verify conformity with Annex I, Parts I and II",
            );
            if let Some(a) = inputs.assessment {
                d.text(summary_line(a));
                let failed: Vec<Vec<Inline>> = a
                    .results
                    .iter()
                    .filter(|r| r.status == annex_assess::Status::Fail)
                    .map(|r| vec![code(&r.requirement), t(format!(" {} — {}", r.title, r.reason))])
                    .collect();
                if !failed.is_empty() {
                    d.text("Requirements that failed:");
                    d.list(failed);
                }
            }
        }
        "CRA-AVII.7" => {
            let mut p = vec![
                t("A copy of the EU declaration of conformity is kept with this documentation: "),
                doc_link(Kind::Declaration),
            ];
            if let Some(u) = &m.declaration.url {
                p.push(t("; it is published at "));
                p.push(link(u, u));
            }
            p.push(t("."));
            d.p(p);
        }
        "CRA-AVII.8" => match (inputs.sbom_summary, &m.security.sbom) {
            (Some(s), url) => {
                let mut p = vec![t(format!("The SBOM ({})", s.describe()))];
                if let Some(f) = &s.file {
                    p.push(t(" is kept as "));
                    p.push(code(f));
                }
                if let Some(u) = url {
                    p.push(t(" and published at "));
                    p.push(link(u, u));
                }
                p.push(t("; it is provided to a market surveillance authority on a reasoned request."));
                d.p(p);
            }
            (None, Some(u)) => d.p(vec![
                t("The SBOM is published at "),
                link(u, u),
                t("; it is provided to a market surveillance authority on a reasoned request."),
            ]),
            (None, None) => todo(
                d,
                item,
                "keep an SBOM of each release (`annex sbom`) and pass its summary to `annex docs --sbom FILE`",
            ),
        },
        _ => unknown_item(d, item),
    }
}

fn avii_2b(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let s = &m.security;
    let mut lines = Vec::new();
    match (inputs.sbom_summary, &s.sbom) {
        (Some(sb), _) => lines.push(vec![
            b("SBOM: "),
            t(format!("{} (point 8).", sb.describe())),
        ]),
        (None, Some(u)) => lines.push(vec![b("SBOM: "), link(u, u)]),
        (None, None) => todo(d, item, "add the SBOM (`annex sbom`; pass it with --sbom)"),
    }
    match &s.policy {
        Some(p) => lines.push(vec![
            b("Coordinated vulnerability disclosure policy: "),
            link(p, p),
        ]),
        None => todo(
            d,
            item,
            "link the coordinated vulnerability disclosure policy (security.policy)",
        ),
    }
    lines.push(vec![
        b("Reporting address offered: "),
        contact_inline(&s.contact),
    ]);
    if let Some(a) = &s.advisories {
        lines.push(vec![b("Advisories: "), link(a, a)]);
    }
    if let Some(c) = &s.csaf {
        lines.push(vec![b("CSAF provider metadata: "), link(c, c)]);
    }
    match &m.documentation.update_distribution {
        Some(u) => {
            let mut l = vec![b("Secure distribution of updates: ")];
            l.extend(text_or_link("see ", u));
            lines.push(l);
        }
        None => todo(
            d,
            item,
            "describe how updates are distributed securely (signing, checksums, channels) (documentation.update-distribution)",
        ),
    }
    d.list(lines);
    if let Some(f) = inputs.findings {
        let open: Vec<_> = f.open().collect();
        d.text(format!(
            "Known vulnerabilities in components on {}{}: {} found, {} open after triage.",
            inputs.today,
            f.database
                .as_ref()
                .map(|db| format!(" (advisory database {db})"))
                .unwrap_or_default(),
            f.findings.len(),
            open.len()
        ));
        if !open.is_empty() {
            d.table(
                &["Advisory", "Package", "Severity", "Fixed in"],
                open.iter()
                    .map(|x| {
                        vec![
                            vec![code(&x.id)],
                            vec![t(x.package.clone())],
                            vec![t(x.severity.clone().unwrap_or_else(|| "—".into()))],
                            vec![t(if x.fixed.is_empty() {
                                "—".to_string()
                            } else {
                                x.fixed.join(", ")
                            })],
                        ]
                    })
                    .collect(),
            );
        }
    }
    if let Some(a) = inputs.assessment {
        d.text("Evidence for Annex I, Part II (vulnerability handling) from the latest annex assessment:");
        rollup_table(d, a, "CRA-AI-2");
    }
}

// ---------------------------------------------------------------------------------------
// Article 24

pub(crate) fn steward_policy(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    header(&mut d, inputs, Kind::StewardPolicy);
    d.text(format!(
        "{} supports the development of {} as open-source software steward (Article 3(14) of the Cyber Resilience Act). This policy is what Article 24 asks of a steward; a steward draws up no EU declaration of conformity and no technical documentation.",
        m.party.name, m.product.name
    ));
    for item in catalog::items("CRA-ART24")? {
        section(&mut d, &item, false);
        fill_art24(&mut d, &item, inputs);
    }
    Ok(d)
}

fn fill_art24(d: &mut Doc, item: &Item, inputs: &Inputs) {
    let m = inputs.metadata;
    let s = &m.security;
    match item.id.as_str() {
        "CRA-ART24.1" => {
            d.h(3, "Secure development");
            d.p(vec![
                t("Contributions are reviewed and tested as "),
                root_link("CONTRIBUTING.md"),
                t(" describes."),
            ]);
            if let Some(a) = inputs.assessment {
                d.text(summary_line(a));
            }
            d.h(3, "Vulnerability handling");
            let mut lines = vec![vec![
                t("Vulnerabilities are reported privately to "),
                contact_inline(&s.contact),
                t(", and handled as "),
                root_link("SECURITY.md"),
                t(" describes: documented, addressed and remediated."),
            ]];
            match &s.policy {
                Some(p) => lines.push(vec![t("The disclosure policy is published at "), link(p, p), t(".")]),
                None => todo(d, item, "give the address of the published disclosure policy (security.policy)"),
            }
            match &s.advisories {
                Some(a) => lines.push(vec![
                    t("Information about vulnerabilities is shared with the open-source community in advisories at "),
                    link(a, a),
                    t("."),
                ]),
                None => todo(
                    d,
                    item,
                    "say where information about fixed vulnerabilities is shared with the community (security.advisories)",
                ),
            }
            lines.push(vec![t(
                "Developers of the project are encouraged to report vulnerabilities and incidents voluntarily under Article 15.",
            )]);
            d.list(lines);
        }
        "CRA-ART24.2" => {
            d.text(format!(
                "{} cooperates with market surveillance authorities, at their request, to mitigate the cybersecurity risks of {}, and provides this policy on a reasoned request.",
                m.party.name, m.product.name
            ));
            match &m.party.email {
                Some(e) => d.p(vec![t("Contact for authorities: "), contact_inline(e), t(".")]),
                None => todo(d, item, "give the contact for market surveillance authorities (steward email)"),
            }
        }
        "CRA-ART24.3" => d.text(format!(
            "To the extent {} is involved in the development of {}, it notifies actively exploited vulnerabilities under Article 14(1); it notifies severe incidents affecting the network and information systems it provides for the development under Article 14(3), and informs the users concerned under Article 14(8). Reports are sent through the single reporting platform: an early warning within 24 hours, a notification within 72 hours, and a final report.",
            m.party.name, m.product.name
        )),
        _ => unknown_item(d, item),
    }
}
