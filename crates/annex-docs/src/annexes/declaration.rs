//! Annex V (EU declaration of conformity) and Annex VI (the simplified declaration).

use super::blocks::*;
use crate::catalog::{self, Item};
use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::markup::{Doc, b, code, link, t};
use annex_spec::ProductClass;

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
