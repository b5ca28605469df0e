//! The user notice (Article 14(8)): Markdown, and a CSAF 2.0 security advisory.

use super::clocks::anchor;
use super::model::*;
use crate::error::DocsError;
use crate::markup::{Doc, b, link, t};
use crate::metadata::Metadata;
use crate::security_txt::contact_uri;
use crate::{Document, Todo};
use chrono::{DateTime, FixedOffset};

pub(super) fn notice_markdown(m: &Metadata, i: &Incident, now: DateTime<FixedOffset>) -> Document {
    let mut d = Doc::default();
    let label = anchor(i.kind, Stage::UserNotice);
    d.h(
        1,
        format!("Security notice: {} — {}", m.product.name, i.summary),
    );
    d.comment(format!(
        "CRA-ART14.8 · {label}; draft prepared by annex on {}",
        rfc3339(&now)
    ));
    let mut facts = Vec::new();
    if !i.ids.is_empty() {
        facts.push(vec![b("Identifiers: "), t(i.ids.join(", "))]);
    }
    if !i.affected_versions.is_empty() {
        facts.push(vec![
            b("Affected versions: "),
            t(i.affected_versions.join("; ")),
        ]);
    }
    if i.kind == IncidentKind::Vulnerability {
        facts.push(vec![
            b("Status: "),
            t(if i.actively_exploited {
                "actively exploited"
            } else {
                "no exploitation known"
            }),
        ]);
    }
    if let Some(v) = &i.fixed_in {
        facts.push(vec![b("Fixed in: "), t(v.clone())]);
    }
    d.list(facts);
    d.h(2, "What happened");
    d.text(
        i.details
            .description
            .clone()
            .unwrap_or_else(|| i.summary.clone()),
    );
    d.h(2, "What you should do");
    let mut todo_needed = true;
    if let Some(v) = &i.fixed_in {
        d.text(format!(
            "Update {} to version {v} or later.",
            m.product.name
        ));
        todo_needed = false;
    }
    if let Some(u) = &i.details.user_measures {
        d.text(u.clone());
        todo_needed = false;
    }
    if todo_needed {
        d.todo(label.clone(), "tell users how to protect themselves: a fixed version (annex incident fix … --version) or mitigations (details.user-measures)");
    }
    d.h(2, "Contact");
    d.p(vec![
        t("Questions and further reports: "),
        crate::markup::url(&m.security.contact),
        t("."),
    ]);
    if let Some(a) = i
        .details
        .advisory_url
        .as_ref()
        .or(m.security.advisories.as_ref())
    {
        d.p(vec![t("Advisories: "), link(a, a)]);
    }
    let title = format!("Security notice — {}", i.id);
    crate::finish(
        format!("{}-{}.md", i.id, Stage::UserNotice.as_str()),
        d,
        crate::Format::Markdown,
        &title,
        m.language(),
    )
}

fn id_system(id: &str) -> &'static str {
    let upper = id.to_ascii_uppercase();
    if upper.starts_with("GHSA-") {
        "GitHub Security Advisory"
    } else if upper.starts_with("RUSTSEC-") {
        "RustSec"
    } else if upper.starts_with("PYSEC-") {
        "PyPI Advisory Database"
    } else if upper.starts_with("GO-") {
        "Go Vulnerability Database"
    } else if upper.starts_with("OSV-") {
        "OSV"
    } else {
        "Advisory"
    }
}

/// A plain version, as opposed to a range (`< 1.4.2`, `>= 1.2, < 1.4`).
fn is_plain_version(v: &str) -> bool {
    !v.is_empty()
        && !v.contains(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '=' | ',' | '*' | '~' | '^' | '|')
        })
}

/// `< 1.4.2` → `vers:generic/<1.4.2`; `>= 1.2.0, < 1.4.2` → `vers:generic/>=1.2.0|<1.4.2`.
fn vers(v: &str) -> String {
    let parts: Vec<String> = v
        .split([',', '|'])
        .map(|p| p.split_whitespace().collect::<String>())
        .filter(|p| !p.is_empty())
        .collect();
    format!("vers:generic/{}", parts.join("|"))
}

/// The user notice of Article 14(8) as a CSAF 2.0 document (csaf_security_advisory), written
/// by annex-vex's CSAF writer (so it passes the mandatory tests or is an error).
pub(super) fn csaf(
    m: &Metadata,
    i: &Incident,
    now: DateTime<FixedOffset>,
) -> Result<Document, DocsError> {
    use annex_vex::csaf::model::{
        Branch, CsafDocument, Distribution, DocumentMeta, Engine, FullProductName, Generator, Note,
        ProductStatus, ProductTree, Publisher, Reference, Remediation, RevisionEntry, Threat, Tlp,
        Tracking, Vulnerability, VulnerabilityId,
    };
    let s = |v: &str| v.to_string();
    let note = |category: &str, title: &str, text: String| Note {
        category: s(category),
        title: s(title),
        text,
    };
    let now_s = rfc3339(&now);
    let mut todos = Vec::new();
    let label = anchor(i.kind, Stage::UserNotice);
    let namespace = m
        .party
        .website
        .clone()
        .or_else(|| m.product.homepage.clone())
        .or_else(|| m.product.repository.clone());
    let namespace = match namespace {
        Some(n) => n,
        None => {
            todos.push(Todo {
                item: label.clone(),
                what: "CSAF needs the publisher's namespace: set the website of the manufacturer or steward in annex.toml".into(),
            });
            "urn:annex:publisher-namespace-unknown".to_string()
        }
    };
    // Product tree: vendor → product name → versions.
    let mut next_id = 0;
    let mut new_id = || {
        next_id += 1;
        format!("CSAFPID-{next_id:04}")
    };
    let product = |name: String, product_id: String| FullProductName {
        name,
        product_id,
        product_identification_helper: None,
    };
    let version_branch = |category: &str, name: String, p: FullProductName| Branch {
        category: s(category),
        name,
        product: Some(p),
        branches: Vec::new(),
    };
    let mut version_branches = Vec::new();
    let mut affected_ids = Vec::new();
    for v in &i.affected_versions {
        let id = new_id();
        let (category, name) = if is_plain_version(v) {
            ("product_version", v.trim().to_string())
        } else {
            ("product_version_range", vers(v))
        };
        let p = product(format!("{} {}", m.product.name, v.trim()), id.clone());
        version_branches.push(version_branch(category, name, p));
        affected_ids.push(id);
    }
    let mut fixed_ids = Vec::new();
    if let Some(f) = &i.fixed_in {
        let id = new_id();
        let p = product(format!("{} {f}", m.product.name), id.clone());
        version_branches.push(version_branch("product_version", f.clone(), p));
        fixed_ids.push(id);
    }
    let mut product_branch = Branch {
        category: s("product_name"),
        name: m.product.name.clone(),
        product: None,
        branches: version_branches,
    };
    if affected_ids.is_empty() {
        let id = new_id();
        product_branch.product = Some(product(m.product.name.clone(), id.clone()));
        affected_ids.push(id);
        todos.push(Todo {
            item: label.clone(),
            what: "list the affected versions (affected-versions in the record); the notice names the whole product meanwhile".into(),
        });
    }
    let vendor_branch = Branch {
        category: s("vendor"),
        name: m.party.name.clone(),
        product: None,
        branches: vec![product_branch],
    };

    let ids: Vec<VulnerabilityId> = i
        .ids
        .iter()
        .filter(|x| Some(x.as_str()) != i.cve())
        .map(|x| VulnerabilityId {
            system_name: s(id_system(x)),
            text: x.clone(),
        })
        .collect();
    let description = i
        .details
        .description
        .clone()
        .unwrap_or_else(|| i.summary.clone());
    let remediation = |category: &str, details: String| Remediation {
        category: s(category),
        details,
        product_ids: affected_ids.clone(),
        date: None,
        url: None,
    };
    let mut remediations = Vec::new();
    if let Some(f) = &i.fixed_in {
        let mut r = remediation(
            "vendor_fix",
            format!("Update {} to version {f} or later.", m.product.name),
        );
        r.date = i.fixed_at.as_ref().map(rfc3339);
        r.url = i.details.advisory_url.clone();
        remediations.push(r);
    }
    if let Some(u) = &i.details.user_measures {
        remediations.push(remediation("mitigation", u.clone()));
    }
    if remediations.is_empty() {
        remediations.push(remediation(
            "none_available",
            s("No fix or mitigation is available yet; this notice will be updated when one is."),
        ));
        todos.push(Todo {
            item: label.clone(),
            what: "give users a fix (annex incident fix … --version) or mitigations (details.user-measures)".into(),
        });
    }
    let mut threats = Vec::new();
    if i.kind == IncidentKind::Vulnerability && i.actively_exploited {
        threats.push(Threat {
            category: s("exploit_status"),
            details: format!(
                "Actively exploited; {} became aware of it on {}.",
                m.party.name,
                i.aware_at.date_naive()
            ),
            product_ids: Vec::new(),
        });
    }
    if let Some(imp) = &i.details.impact {
        threats.push(Threat {
            category: s("impact"),
            details: imp.clone(),
            product_ids: affected_ids.clone(),
        });
    }
    let vulnerability = Vulnerability {
        cve: i.cve().map(str::to_string),
        ids,
        notes: vec![note("description", "Description", description)],
        product_status: ProductStatus {
            known_affected: affected_ids.clone(),
            fixed: fixed_ids,
            ..ProductStatus::default()
        },
        flags: Vec::new(),
        threats,
        remediations,
        scores: Vec::new(),
        references: Vec::new(),
        title: Some(i.summary.clone()),
    };

    let reference = |category: &str, summary: &str, url: &String| Reference {
        category: s(category),
        summary: s(summary),
        url: url.clone(),
    };
    let references: Vec<Reference> = [
        i.details
            .advisory_url
            .as_ref()
            .map(|u| reference("self", "Advisory", u)),
        m.security
            .advisories
            .as_ref()
            .map(|u| reference("external", "Advisories", u)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let document = DocumentMeta {
        category: s("csaf_security_advisory"),
        csaf_version: s(annex_vex::csaf::CSAF_VERSION),
        distribution: Some(Distribution {
            tlp: Tlp {
                label: s("WHITE"),
                url: s("https://www.first.org/tlp/"),
            },
        }),
        lang: m.language().to_string(),
        notes: vec![
            note("summary", "Summary", i.summary.clone()),
            note(
                "general",
                "Notice under Article 14(8) of Regulation (EU) 2024/2847",
                format!(
                    "{} informs the users of {} about this {} and the measures they can take.",
                    m.party.name,
                    m.product.name,
                    what_happened(i)
                ),
            ),
        ],
        publisher: Publisher {
            category: s("vendor"),
            name: m.party.name.clone(),
            namespace,
            contact_details: Some(contact_uri(&m.security.contact)),
        },
        title: format!("{}: {}", m.product.name, i.summary),
        tracking: Tracking {
            current_release_date: now_s.clone(),
            generator: Generator {
                date: now_s.clone(),
                engine: Engine::annex(),
            },
            id: i.id.clone(),
            initial_release_date: now_s.clone(),
            revision_history: vec![RevisionEntry {
                date: now_s.clone(),
                number: s("1"),
                summary: s("Initial version (draft prepared by annex)"),
            }],
            status: s("draft"),
            version: s("1"),
        },
        references,
    };
    let doc = annex_vex::csaf::write(&CsafDocument {
        document,
        product_tree: ProductTree {
            branches: vec![vendor_branch],
            ..ProductTree::default()
        },
        vulnerabilities: vec![vulnerability],
    })
    .map_err(DocsError::Csaf)?;
    Ok(Document {
        file_name: format!("{}.json", i.id),
        content: serde_json::to_string_pretty(&doc)
            .map_err(|e| DocsError::Unsupported(format!("the CSAF notice: {e}")))?
            + "\n",
        todos,
    })
}
