//! The CSAF 2.0 document as typed values: what the writer serialises. Members are declared in
//! the order they are written; empty lists and absent values are left out.

use serde::{Deserialize, Serialize};

/// The CSAF version written.
pub const CSAF_VERSION: &str = "2.0";

fn is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

/// A whole CSAF document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsafDocument {
    pub document: DocumentMeta,
    pub product_tree: ProductTree,
    pub vulnerabilities: Vec<Vulnerability>,
}

/// `document`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// `csaf_security_advisory`, `csaf_vex`, …
    pub category: String,
    pub csaf_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    pub lang: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub notes: Vec<Note>,
    pub publisher: Publisher,
    pub title: String,
    pub tracking: Tracking,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub references: Vec<Reference>,
}

/// `document.distribution`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub tlp: Tlp,
}

/// Traffic Light Protocol label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tlp {
    pub label: String,
    pub url: String,
}

/// A note (document or vulnerability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub category: String,
    pub title: String,
    pub text: String,
}

/// `document.publisher`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    pub category: String,
    pub name: String,
    pub namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_details: Option<String>,
}

/// `document.tracking`. Dates are RFC 3339 strings as the caller formats them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub current_release_date: String,
    pub generator: Generator,
    pub id: String,
    pub initial_release_date: String,
    pub revision_history: Vec<RevisionEntry>,
    pub status: String,
    pub version: String,
}

/// `document.tracking.generator`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generator {
    pub date: String,
    pub engine: Engine,
}

/// `document.tracking.generator.engine`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    pub name: String,
    pub version: String,
}

impl Engine {
    /// annex, at this crate's version.
    pub fn annex() -> Engine {
        Engine {
            name: "annex".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// One entry of `document.tracking.revision_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionEntry {
    pub date: String,
    pub number: String,
    pub summary: String,
}

/// A reference (document or vulnerability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub category: String,
    pub summary: String,
    pub url: String,
}

/// `product_tree`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductTree {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub branches: Vec<Branch>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub full_product_names: Vec<FullProductName>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub relationships: Vec<Relationship>,
}

/// A branch of the product tree (vendor, product name, product version, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub category: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<FullProductName>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub branches: Vec<Branch>,
}

/// A product with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullProductName {
    pub name: String,
    pub product_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_identification_helper: Option<IdentificationHelper>,
}

/// `product_identification_helper`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationHelper {
    pub purl: String,
}

/// A relationship between two products, defining a third.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub category: String,
    pub full_product_name: FullProductName,
    pub product_reference: String,
    pub relates_to_product_reference: String,
}

/// One vulnerability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cve: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub ids: Vec<VulnerabilityId>,
    pub notes: Vec<Note>,
    pub product_status: ProductStatus,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub flags: Vec<Flag>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub threats: Vec<Threat>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub remediations: Vec<Remediation>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub scores: Vec<Score>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// An id of a vulnerability other than its CVE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VulnerabilityId {
    pub system_name: String,
    pub text: String,
}

/// `product_status`: product ids per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStatus {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub fixed: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub known_affected: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub known_not_affected: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub under_investigation: Vec<String>,
}

/// A flag (a justification for products known not affected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub label: String,
    pub product_ids: Vec<String>,
}

/// A threat (`impact`, `exploit_status`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threat {
    pub category: String,
    pub details: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub product_ids: Vec<String>,
}

/// A remediation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    pub category: String,
    pub details: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub product_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A CVSS score for some products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub products: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3: Option<CvssV3>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v2: Option<CvssV2>,
}

/// `cvss_v3` of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssV3 {
    pub version: String,
    #[serde(rename = "vectorString")]
    pub vector_string: String,
    #[serde(rename = "baseScore")]
    pub base_score: f64,
    #[serde(rename = "baseSeverity")]
    pub base_severity: String,
}

/// `cvss_v2` of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssV2 {
    pub version: String,
    #[serde(rename = "vectorString")]
    pub vector_string: String,
    #[serde(rename = "baseScore")]
    pub base_score: f64,
}
