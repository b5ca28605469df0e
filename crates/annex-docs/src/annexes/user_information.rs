//! Annex II: information and instructions to the user.

use super::blocks::*;
use crate::catalog::{self, Item};
use crate::document::Kind;
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::markup::{Doc, b, code, link, t};
use crate::prose::{and_list, contact_inline, text_or_link};

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
