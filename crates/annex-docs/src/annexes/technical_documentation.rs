//! Annex VII: technical documentation.

use super::blocks::*;
use crate::catalog::{self, Item};
use crate::document::Kind;
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::markup::{Doc, Inline, b, code, link, t};
use crate::prose::{contact_inline, text_or_link};

pub(crate) fn technical_documentation(inputs: &Inputs) -> Result<Doc, DocsError> {
    let m = inputs.metadata;
    let mut d = Doc::default();
    header(&mut d, inputs, Kind::TechnicalDocumentation);
    d.text(format!(
        "The technical documentation of {} under Article 31 and Annex VII of the Cyber Resilience Act. It is drawn up before the product is placed on the market and kept for ten years after placing on the market, or for the support period if that is longer (Article 13(13)).",
        m.product.name
    ));
    super::declaration::keep_up_to_date(
        &mut d,
        "technical documentation",
        "a language the notified body or the market surveillance authority can accept",
        "Article 31",
    );
    for item in catalog::items("CRA-AVII")? {
        section(&mut d, &item, false);
        fill_avii(&mut d, &item, inputs);
    }
    Ok(d)
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
