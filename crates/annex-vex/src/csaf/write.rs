//! Writing CSAF documents: the one writer. [`write`] serialises a [`CsafDocument`] and runs
//! the mandatory tests on it; [`security_advisory`] and [`vex`] build the document for the
//! project's own product from [`VexEntry`]s.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::doc_version::DocVersion;
use super::model::{
    Branch, CSAF_VERSION, CsafDocument, CvssV2, CvssV3, DocumentMeta, Engine, Flag,
    FullProductName, Generator, IdentificationHelper, Note, ProductStatus, ProductTree, Publisher,
    Reference, Relationship, Remediation, RevisionEntry, Score, Threat, Tracking, Vulnerability,
    VulnerabilityId,
};
use super::validate::{TestFailure, mandatory_tests};
use crate::entry::{
    CvssVersion, EntrySeverity, Rating, SeverityKind, VexEntry, advisory_source, default_action,
    written,
};
use crate::purl::is_purl;
use crate::status::VexStatus;
use crate::timestamp::Timestamp;

/// `document.tracking.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackingStatus {
    Draft,
    Interim,
    #[default]
    Final,
}

impl TrackingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStatus::Draft => "draft",
            TrackingStatus::Interim => "interim",
            TrackingStatus::Final => "final",
        }
    }
}

/// One entry of `document.tracking.revision_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub date: DateTime<Utc>,
    /// An integer or a semantic version.
    pub number: String,
    pub summary: String,
}

/// The project's own product, as the caller knows it (from `annex.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsafProduct {
    pub name: String,
    pub version: String,
    /// The publisher (`document.publisher.name`) and the product tree's vendor branch.
    pub vendor: String,
    /// `document.publisher.namespace`: a URL of the vendor.
    pub vendor_namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// `document.tracking.id`.
    pub tracking_id: String,
    pub initial_release_date: DateTime<Utc>,
    pub current_release_date: DateTime<Utc>,
    /// At least one entry; `tracking.version` is the number of the newest.
    pub revision_history: Vec<Revision>,
    #[serde(default)]
    pub status: TrackingStatus,
    /// BCP 47 (`en`).
    pub lang: String,
    /// `document.title`; a default naming the product is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl CsafProduct {
    /// A product released once, at `date`: revision "1", status final, English.
    pub fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        vendor: impl Into<String>,
        vendor_namespace: impl Into<String>,
        tracking_id: impl Into<String>,
        date: DateTime<Utc>,
    ) -> CsafProduct {
        CsafProduct {
            name: name.into(),
            version: version.into(),
            vendor: vendor.into(),
            vendor_namespace: vendor_namespace.into(),
            purl: None,
            tracking_id: tracking_id.into(),
            initial_release_date: date,
            current_release_date: date,
            revision_history: vec![Revision {
                date,
                number: "1".into(),
                summary: "Initial version.".into(),
            }],
            status: TrackingStatus::Final,
            lang: "en".into(),
            title: None,
        }
    }
}

/// Options for [`security_advisory`] and [`vex`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CsafOptions {
    /// `tracking.generator.date`.
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged; `None` takes the profile's default
    /// (`affected` in an advisory, `under_investigation` in a VEX document).
    pub untriaged: Option<VexStatus>,
}

/// Why a CSAF document cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsafError {
    #[error("CSAF product: {field} {message}")]
    InvalidProduct {
        field: &'static str,
        message: String,
    },
    #[error("a {0} document needs at least one finding")]
    NoFindings(&'static str),
    #[error("the CSAF document cannot be serialised: {0}")]
    Serialise(String),
    #[error("the CSAF document written fails mandatory tests: {}", .0.iter().map(|f| format!("{} {}: {}", f.test, f.pointer, f.message)).collect::<Vec<_>>().join("; "))]
    MandatoryTests(Vec<TestFailure>),
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn check_product(p: &CsafProduct) -> Result<(), CsafError> {
    let bad = |field, message: &str| {
        Err(CsafError::InvalidProduct {
            field,
            message: message.into(),
        })
    };
    let trimmed = |s: &str| !s.is_empty() && s.trim() == s;
    if !trimmed(&p.name) {
        return bad("name", "must be non-empty without surrounding spaces");
    }
    if p.version.trim().is_empty() {
        return bad("version", "must not be empty");
    }
    if !trimmed(&p.vendor) {
        return bad("vendor", "must be non-empty without surrounding spaces");
    }
    let ns = p.vendor_namespace.as_str();
    if !(ns.starts_with("https://") || ns.starts_with("http://"))
        || ns.len() <= "https://".len()
        || ns.chars().any(char::is_whitespace)
    {
        return bad("vendor_namespace", "must be an http(s) URL");
    }
    if !trimmed(&p.tracking_id) {
        return bad(
            "tracking_id",
            "must be non-empty without surrounding spaces",
        );
    }
    if let Some(purl) = &p.purl
        && !is_purl(purl)
    {
        return bad("purl", "is not a valid purl");
    }
    let lang_ok = !p.lang.is_empty()
        && p.lang
            .split('-')
            .all(|s| !s.is_empty() && s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphanumeric()))
        && p.lang.split('-').next().is_some_and(|s| {
            (2..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
        });
    if !lang_ok {
        return bad("lang", "must be a BCP 47 language tag such as \"en\"");
    }
    if p.revision_history.is_empty() {
        return bad("revision_history", "needs at least one entry");
    }
    for r in &p.revision_history {
        if DocVersion::parse(&r.number).is_none() {
            return bad(
                "revision_history",
                &format!(
                    "number {:?} is neither an integer nor a semantic version",
                    r.number
                ),
            );
        }
        if r.summary.trim().is_empty() {
            return bad("revision_history", "every entry needs a summary");
        }
    }
    if p.current_release_date < p.initial_release_date {
        return bad("current_release_date", "is before the initial release date");
    }
    Ok(())
}

/// Serialises a CSAF document and runs the mandatory tests on it: every CSAF document annex
/// writes goes through here, and one that fails a test is an error, never written.
pub fn write(doc: &CsafDocument) -> Result<Value, CsafError> {
    let value = serde_json::to_value(doc).map_err(|e| CsafError::Serialise(e.to_string()))?;
    let failures = mandatory_tests(&value);
    if !failures.is_empty() {
        return Err(CsafError::MandatoryTests(failures));
    }
    Ok(value)
}

/// The CSAF `security_advisory` profile (`csaf_security_advisory`) for the product: every
/// entry's package as a component of it, with its status (untriaged: `affected`).
pub fn security_advisory(
    product: &CsafProduct,
    entries: &[VexEntry],
    options: &CsafOptions,
) -> Result<Value, CsafError> {
    build(product, entries, options, "csaf_security_advisory")
}

/// The CSAF `csaf_vex` profile for the product (untriaged entries: `under_investigation`).
pub fn vex(
    product: &CsafProduct,
    entries: &[VexEntry],
    options: &CsafOptions,
) -> Result<Value, CsafError> {
    build(product, entries, options, "csaf_vex")
}

/// A vulnerability's entries with one product id per package.
struct Group<'a> {
    ids: Vec<String>,
    /// product id → (status, the entry deciding it).
    products: BTreeMap<String, (VexStatus, &'a VexEntry)>,
    summary: Option<String>,
}

fn status_rank(s: VexStatus) -> u8 {
    match s {
        VexStatus::Affected => 3,
        VexStatus::UnderInvestigation => 2,
        VexStatus::Fixed => 1,
        VexStatus::NotAffected => 0,
    }
}

fn s(v: &str) -> String {
    v.to_string()
}

fn build(
    product: &CsafProduct,
    entries: &[VexEntry],
    options: &CsafOptions,
    category: &'static str,
) -> Result<Value, CsafError> {
    check_product(product)?;
    let is_vex = category == "csaf_vex";
    if entries.is_empty() {
        return Err(CsafError::NoFindings(if is_vex {
            "csaf_vex"
        } else {
            "csaf_security_advisory"
        }));
    }
    let untriaged = options.untriaged.unwrap_or(if is_vex {
        VexStatus::UnderInvestigation
    } else {
        VexStatus::Affected
    });
    const PRODUCT_ID: &str = "CSAFPID-0001";
    let product_full_name = format!("{} {}", product.name, product.version);

    // Components, numbered in purl order.
    let purls: BTreeSet<&str> = entries.iter().map(|t| t.package.purl.as_str()).collect();
    let component_ids: BTreeMap<&str, (String, String)> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = i + 1;
            (
                *p,
                (format!("CSAFPID-C{n:04}"), format!("CSAFPID-0001-C{n:04}")),
            )
        })
        .collect();

    // Group entries sharing any id.
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, t) in entries.iter().enumerate() {
        for id in std::iter::once(&t.id).chain(&t.aliases) {
            let key = id.to_ascii_uppercase();
            match by_id.get(&key) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    by_id.insert(key, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Group<'_>> = BTreeMap::new();
    for (i, t) in entries.iter().enumerate() {
        let root = find(&mut parent, i);
        let g = groups.entry(root).or_insert_with(|| Group {
            ids: Vec::new(),
            products: BTreeMap::new(),
            summary: None,
        });
        for id in std::iter::once(&t.id).chain(&t.aliases) {
            if !g.ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                g.ids.push(id.clone());
            }
        }
        if g.summary.is_none() {
            g.summary = t.summary.clone();
        }
        let status = t.vex.as_ref().map_or(untriaged, |v| v.status);
        let Some((_, pid)) = component_ids.get(t.package.purl.as_str()) else {
            continue;
        };
        match g.products.get(pid) {
            Some((s, _)) if status_rank(*s) >= status_rank(status) => {}
            _ => {
                g.products.insert(pid.clone(), (status, t));
            }
        }
    }

    let vulnerabilities: Vec<Vulnerability> = groups
        .values()
        .map(|g| vulnerability(g, untriaged))
        .collect();

    // Product tree.
    let own = FullProductName {
        name: product_full_name.clone(),
        product_id: s(PRODUCT_ID),
        product_identification_helper: product
            .purl
            .clone()
            .map(|purl| IdentificationHelper { purl }),
    };
    let mut full_product_names = Vec::new();
    let mut relationships = Vec::new();
    for (purl, (cid, rid)) in &component_ids {
        let Some(f) = entries.iter().find(|t| t.package.purl == *purl) else {
            continue;
        };
        let cname = if f.package.version.is_empty() {
            f.package.name.clone()
        } else {
            format!("{} {}", f.package.name, f.package.version)
        };
        full_product_names.push(FullProductName {
            name: cname.clone(),
            product_id: cid.clone(),
            product_identification_helper: Some(IdentificationHelper { purl: s(purl) }),
        });
        relationships.push(Relationship {
            category: s("default_component_of"),
            full_product_name: FullProductName {
                name: format!("{cname} as a component of {product_full_name}"),
                product_id: rid.clone(),
                product_identification_helper: None,
            },
            product_reference: cid.clone(),
            relates_to_product_reference: s(PRODUCT_ID),
        });
    }
    let branch = |category: &str, name: &str, product, branches| Branch {
        category: s(category),
        name: s(name),
        product,
        branches,
    };
    let tree = ProductTree {
        branches: vec![branch(
            "vendor",
            &product.vendor,
            None,
            vec![branch(
                "product_name",
                &product.name,
                None,
                vec![branch(
                    "product_version",
                    &product.version,
                    Some(own),
                    vec![],
                )],
            )],
        )],
        full_product_names,
        relationships,
    };

    // Document.
    let mut history = product.revision_history.clone();
    history.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| DocVersion::parse(&a.number).cmp(&DocVersion::parse(&b.number)))
    });
    let version = history.last().map(|r| r.number.clone()).unwrap_or_default();
    let title = product.title.clone().unwrap_or_else(|| {
        if is_vex {
            format!("{product_full_name}: vulnerability exploitability (VEX)")
        } else {
            format!("{product_full_name}: vulnerabilities in dependencies")
        }
    });
    let affected = vulnerabilities.len();
    let noun = if affected == 1 {
        "vulnerability"
    } else {
        "vulnerabilities"
    };
    let summary = if is_vex {
        format!(
            "The exploitability of {affected} known {noun} in the components of {product_full_name}."
        )
    } else {
        format!("{affected} known {noun} in the components of {product_full_name}.")
    };
    let document = DocumentMeta {
        category: s(category),
        csaf_version: s(CSAF_VERSION),
        distribution: None,
        lang: product.lang.clone(),
        notes: vec![Note {
            category: s("summary"),
            title: s("Summary"),
            text: summary,
        }],
        publisher: Publisher {
            category: s("vendor"),
            name: product.vendor.clone(),
            namespace: product.vendor_namespace.clone(),
            contact_details: None,
        },
        title,
        tracking: Tracking {
            current_release_date: rfc3339(&product.current_release_date),
            generator: Generator {
                date: options.timestamp.rfc3339(),
                engine: Engine::annex(),
            },
            id: product.tracking_id.clone(),
            initial_release_date: rfc3339(&product.initial_release_date),
            revision_history: history
                .iter()
                .map(|r| RevisionEntry {
                    date: rfc3339(&r.date),
                    number: r.number.clone(),
                    summary: r.summary.clone(),
                })
                .collect(),
            status: s(product.status.as_str()),
            version,
        },
        references: Vec::new(),
    };
    write(&CsafDocument {
        document,
        product_tree: tree,
        vulnerabilities,
    })
}

/// Whether `id` is a CVE id (`CVE-YYYY-NNNN…`).
pub fn is_cve(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, num)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
}

/// The database prefix of an advisory id: the part before the first `-`.
fn id_prefix(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

fn vulnerability(g: &Group<'_>, untriaged: VexStatus) -> Vulnerability {
    let cve = g.ids.iter().find(|i| is_cve(i)).cloned();
    let ids: Vec<VulnerabilityId> = g
        .ids
        .iter()
        .filter(|i| Some(*i) != cve.as_ref())
        .map(|i| VulnerabilityId {
            system_name: s(id_prefix(i)),
            text: i.clone(),
        })
        .collect();
    let text = g
        .summary
        .clone()
        .unwrap_or_else(|| format!("{} affects components of this product.", g.ids[0]));
    let mut status = ProductStatus::default();
    let mut flags: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut threats: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut remediations: BTreeMap<(&str, String), Vec<String>> = BTreeMap::new();
    let mut scores: Vec<Score> = Vec::new();
    for (pid, (st, t)) in &g.products {
        let list = match st {
            VexStatus::NotAffected => &mut status.known_not_affected,
            VexStatus::Affected => &mut status.known_affected,
            VexStatus::Fixed => &mut status.fixed,
            VexStatus::UnderInvestigation => &mut status.under_investigation,
        };
        list.push(pid.clone());
        let mut t2 = (*t).clone();
        if let Some(v) = t2.vex.as_mut() {
            v.status = *st;
        }
        let w = written(&t2, untriaged);
        match st {
            VexStatus::NotAffected => {
                if let Some(j) = w.justification {
                    flags.entry(j.as_str()).or_default().push(pid.clone());
                }
                if let Some(i) = w.impact {
                    threats.entry(i).or_default().push(pid.clone());
                }
            }
            VexStatus::Affected => {
                let category = if t.nearest_fix.is_some() {
                    "vendor_fix"
                } else {
                    "none_available"
                };
                let details = w.action.unwrap_or_else(|| default_action(t));
                remediations
                    .entry((category, details))
                    .or_default()
                    .push(pid.clone());
            }
            _ => {}
        }
        if let Some(s) = csaf_score(t, pid) {
            scores.push(s);
        }
    }
    Vulnerability {
        cve,
        ids,
        notes: vec![Note {
            category: s("description"),
            title: s("Summary"),
            text,
        }],
        product_status: status,
        flags: flags
            .into_iter()
            .map(|(l, ids)| Flag {
                label: s(l),
                product_ids: ids,
            })
            .collect(),
        threats: threats
            .into_iter()
            .map(|(d, ids)| Threat {
                category: s("impact"),
                details: d,
                product_ids: ids,
            })
            .collect(),
        remediations: remediations
            .into_iter()
            .map(|((c, d), ids)| Remediation {
                category: s(c),
                details: d,
                product_ids: ids,
                date: None,
                url: None,
            })
            .collect(),
        scores,
        references: g
            .ids
            .iter()
            .map(|i| Reference {
                category: s("external"),
                summary: i.clone(),
                url: advisory_source(i).1,
            })
            .collect(),
        title: None,
    }
}

/// The entry's preferred CVSS v3 score (else v2) as a CSAF score for one product. CSAF 2.0
/// knows no CVSS v4.
fn csaf_score(f: &VexEntry, pid: &str) -> Option<Score> {
    let pick = |want: &[CvssVersion]| -> Option<&EntrySeverity> {
        f.severity
            .iter()
            .chain(&f.severities)
            .find(|s| s.cvss_version.is_some_and(|v| want.contains(&v)) && s.score.is_some())
    };
    if let Some(sev) = pick(&[CvssVersion::V3_1, CvssVersion::V3_0]) {
        let version = sev.cvss_version?.as_str();
        let prefix = format!("CVSS:{version}/");
        if !sev.vector.starts_with(&prefix) || sev.kind != SeverityKind::CvssV3 {
            return None;
        }
        let severity = match sev.rating? {
            Rating::None => "NONE",
            Rating::Low => "LOW",
            Rating::Medium => "MEDIUM",
            Rating::High => "HIGH",
            Rating::Critical => "CRITICAL",
        };
        return Some(Score {
            products: vec![s(pid)],
            cvss_v3: Some(CvssV3 {
                version: s(version),
                vector_string: sev.vector.clone(),
                base_score: sev.score?,
                base_severity: s(severity),
            }),
            cvss_v2: None,
        });
    }
    if let Some(sev) = pick(&[CvssVersion::V2]) {
        let vector = sev
            .vector
            .trim()
            .trim_start_matches("CVSS:2.0/")
            .trim_start_matches('(')
            .trim_end_matches(')');
        return Some(Score {
            products: vec![s(pid)],
            cvss_v3: None,
            cvss_v2: Some(CvssV2 {
                version: s("2.0"),
                vector_string: s(vector),
                base_score: sev.score?,
            }),
        });
    }
    None
}
