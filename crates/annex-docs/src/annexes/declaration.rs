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
    ce_marking(&mut d, inputs);
    keep_up_to_date(
        &mut d,
        "declaration",
        "or translated into the language or languages required by each Member State where the product is made available",
        "Article 28",
    );
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
            // Article 32(1)(a): a default-category product may use internal control. Whether
            // the manufacturer did is its declaration to make, not annex's to state.
            (None, ProductClass::Default) => d.text(
                "No notified body: for a product in the default category the conformity assessment procedure is internal control (module A, Article 32(1)(a)).",
            ),
            (None, class) => todo(d, item, notified_body_todo(class, m.product.license.as_deref())),
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

/// What to do about point 7 of Annex V for an important or critical product without a
/// notified body in annex.toml. Free and open-source software in Annex III may use internal
/// control when its technical documentation is public (Article 32(5)); Annex IV products
/// may not.
fn notified_body_todo(class: ProductClass, license: Option<&str>) -> String {
    let give = "otherwise give the notified body's name and number, the procedure performed and the certificate (declaration.notified-body in annex.toml)";
    let foss = license.filter(|l| looks_open_source(l)).map(|l| {
        format!(
            "as free and open-source software (licence {l}), the product may use internal control (module A) provided its technical documentation (Article 31) is made public when it is placed on the market (Article 32(5)); "
        )
    });
    match class {
        ProductClass::ImportantI => format!(
            "{}an important product of class I may use internal control (module A) when harmonised standards, common specifications or a certification were applied in full (Article 32(2)); {give}",
            foss.unwrap_or_default()
        ),
        ProductClass::ImportantII => format!(
            "{}an important product of class II needs EU-type examination with internal production control (modules B and C), full quality assurance (module H) or a European cybersecurity certification (Article 32(3)); {give}",
            foss.unwrap_or_default()
        ),
        _ => format!(
            "a critical product (Annex IV) needs a European cybersecurity certification where one is required, else the procedures of Article 32(3) (Article 32(4)); Article 32(5) does not extend to it; {give}"
        ),
    }
}

/// An SPDX expression names a licence rather than "none" or a private reference. annex cannot
/// judge the licence terms, so the TODO this feeds says "as free and open-source software".
fn looks_open_source(expr: &str) -> bool {
    let e = expr.trim();
    !e.is_empty()
        && !e.contains("LicenseRef-")
        && !matches!(e, "NONE" | "NOASSERTION")
        && !e.to_ascii_lowercase().contains("proprietary")
}

/// Article 30: the CE marking of a software product is affixed to the EU declaration of
/// conformity or to the website accompanying it; annex cannot affix it, so it is a TODO.
fn ce_marking(d: &mut Doc, inputs: &Inputs) {
    d.h(2, "CE marking");
    d.text("For a product in the form of software, the CE marking is affixed to this EU declaration of conformity or to the website accompanying the software (Article 30).");
    let todo = match &inputs.metadata.declaration.url {
        Some(u) => format!("affix the CE marking to this declaration as published at {u}, or to the product's website (Article 30)"),
        None => "affix the CE marking to this declaration or to the website accompanying the software, before the product is placed on the market (Article 30)".to_string(),
    };
    d.todo("Article 30", todo);
}

/// Articles 28 and 31: the declaration and the technical documentation are kept up to date,
/// in a language the authorities accept. `language` says which.
pub(crate) fn keep_up_to_date(d: &mut Doc, what: &str, language: &str, article: &str) {
    d.text(format!(
        "This {what} is kept up to date at least for the support period and is written in {language} ({article})."
    ));
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
