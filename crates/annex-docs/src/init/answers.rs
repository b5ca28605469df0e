//! Answers → checked metadata.

use crate::error::DocsError;
use crate::metadata::{
    Declaration, Documentation, Metadata, Party, Product, Security, Support, YearMonth,
};
use annex_spec::{CraRole, ProductClass};
use chrono::NaiveDate;
use std::collections::BTreeMap;

fn opt(a: &BTreeMap<String, String>, k: &str) -> Option<String> {
    a.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Build and check metadata from answers keyed as in `questions()` (plus any other
/// annex.toml key of the `[product]`, `[support]`, `[security]`, `[declaration]` and
/// `[documentation]` tables given as `table.key`). Empty answers count as unset.
/// Errors name each missing or invalid key.
pub fn build(answers: &BTreeMap<String, String>, today: NaiveDate) -> Result<Metadata, DocsError> {
    let mut errors = Vec::new();
    let mut required = |k: &str| -> String {
        opt(answers, k).unwrap_or_else(|| {
            errors.push(DocsError::Value {
                field: k.to_string(),
                message: "required: give a value (or a flag)".into(),
            });
            String::new()
        })
    };
    let role_s = required("role");
    let name = required("product.name");
    let version = required("product.version");
    let kind = required("product.type");
    let party_name = required("party.name");
    let contact = required("security.contact");
    let role = match role_s.as_str() {
        "manufacturer" | "" => CraRole::Manufacturer,
        "steward" => CraRole::Steward,
        other => {
            errors.push(DocsError::Value {
                field: "role".into(),
                message: format!("`{other}`: expected manufacturer or steward"),
            });
            CraRole::Manufacturer
        }
    };
    // Article 3(14): a steward is a legal person. A name alone cannot tell ("The pip
    // developers" is a group of people), so the answer must say so.
    if role == CraRole::Steward {
        match opt(answers, "party.legal-person").as_deref() {
            Some("yes") => {}
            Some("no") => errors.push(DocsError::Value {
                field: "party.legal-person".into(),
                message: format!(
                    "`{party_name}` is not a legal person, so it cannot be an open-source software steward (Article 3(14)); name the foundation, association or company that supports the project, or use role=manufacturer if you place the product on the market"
                ),
            }),
            _ => errors.push(DocsError::Value {
                field: "party.legal-person".into(),
                message: "required for a steward: answer yes or no — only a legal person (a foundation, association or company) can be an open-source software steward (Article 3(14))".into(),
            }),
        }
    }
    let class = match opt(answers, "product.class").as_deref() {
        // Only the manufacturer can tell whether the core functionality is in Annex III or
        // IV (Article 7): never assumed. A steward places nothing on the market.
        None if role == CraRole::Manufacturer => {
            errors.push(DocsError::Value {
                field: "product.class".into(),
                message: format!(
                    "required for a manufacturer: default, important-I, important-II or critical, by the category of Annex III or IV the core functionality falls in:\n  {}",
                    annex_spec::product_class_choices().join("\n  ")
                ),
            });
            ProductClass::Default
        }
        None | Some("default") => ProductClass::Default,
        Some("important-I") => ProductClass::ImportantI,
        Some("important-II") => ProductClass::ImportantII,
        Some("critical") => ProductClass::Critical,
        Some(other) => {
            errors.push(DocsError::Value {
                field: "product.class".into(),
                message: format!(
                    "`{other}`: expected default, important-I, important-II or critical"
                ),
            });
            ProductClass::Default
        }
    };
    let month = |k: &str, errors: &mut Vec<DocsError>| -> Option<YearMonth> {
        let v = opt(answers, k)?;
        match v.parse() {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push(DocsError::Value {
                    field: k.to_string(),
                    message: e,
                });
                None
            }
        }
    };
    let end = month("support.end", &mut errors);
    let start = month("support.start", &mut errors);
    let expires = match opt(answers, "security.expires") {
        Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(DocsError::Value {
                    field: "security.expires".into(),
                    message: format!("`{v}` is not a date: write YYYY-MM-DD"),
                });
                None
            }
        },
        None => None,
    };
    let languages: Vec<String> = opt(answers, "product.languages")
        .map(|l| {
            l.split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|| vec!["en".to_string()]);
    let standards = opt(answers, "declaration.standards").map(|s| {
        s.split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty() && *x != "none")
            .map(str::to_string)
            .collect()
    });
    let g = |k: &str| opt(answers, k);
    let meta = Metadata {
        product: Product {
            name,
            version,
            kind,
            description: g("product.description"),
            class,
            repository: g("product.repository"),
            homepage: g("product.homepage"),
            license: g("product.license"),
            languages,
            hardware: g("product.hardware").is_some_and(|v| v == "true" || v == "yes"),
        },
        role,
        party: Party {
            name: party_name,
            address: g("party.address"),
            email: g("party.email"),
            website: g("party.website"),
        },
        support: Support {
            end,
            start,
            reason: g("support.reason"),
            kind: g("support.kind"),
            versions: g("support.versions"),
        },
        security: Security {
            contact,
            policy: g("security.policy"),
            advisories: g("security.advisories"),
            sbom: g("security.sbom"),
            csaf: g("security.csaf"),
            canonical: g("security.canonical"),
            acknowledgments: g("security.acknowledgments"),
            encryption: g("security.encryption"),
            expires,
        },
        declaration: Declaration {
            url: g("declaration.url"),
            standards,
            place: g("declaration.place"),
            ..Declaration::default()
        },
        documentation: Documentation::default(),
    };
    if !errors.is_empty() {
        return Err(if errors.len() == 1 {
            errors.remove(0)
        } else {
            DocsError::Many(errors)
        });
    }
    meta.check(today)?;
    Ok(meta)
}
