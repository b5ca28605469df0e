//! VEX (Vulnerability Exploitability eXchange): one internal [`VexStatement`] read from
//! OpenVEX 0.2.0, CycloneDX VEX (1.4–1.7 JSON) and CSAF 2.0 ([`crate::csaf`]) documents and
//! from the `[[vex]]` triage entries of `annex.toml` ([`crate::triage`]); and OpenVEX and
//! CycloneDX 1.6 VEX documents written from triaged findings.
//!
//! # Vocabulary
//!
//! Statuses and justifications are OpenVEX's (which CSAF's flags share). CycloneDX's are mapped
//! onto them; the original word is kept in [`VexStatement::source_justification`]:
//!
//! | CycloneDX `analysis.state` | status |
//! |---|---|
//! | `not_affected`, `false_positive` | `not_affected` |
//! | `exploitable` | `affected` |
//! | `resolved`, `resolved_with_pedigree` | `fixed` |
//! | `in_triage` | `under_investigation` |
//!
//! | CycloneDX `analysis.justification` | justification |
//! |---|---|
//! | `code_not_present` | `vulnerable_code_not_present` |
//! | `code_not_reachable` | `vulnerable_code_not_in_execute_path` |
//! | `requires_dependency` | `component_not_present` |
//! | `requires_configuration`, `requires_environment` | `vulnerable_code_cannot_be_controlled_by_adversary` |
//! | `protected_by_compiler`, `protected_at_runtime`, `protected_at_perimeter`, `protected_by_mitigating_control` | `inline_mitigations_already_exist` |
//!
//! # Products
//!
//! A statement applies to [`VexStatement::products`]: the packages it speaks about, by purl
//! (a purl without version means every version). OpenVEX `subcomponents` are the packages; their
//! enclosing product goes to [`VexStatement::parents`]. CycloneDX `affects[].ref` is a purl, a
//! `bom-ref` resolved through the BOM's components, or a BOM-Link whose fragment is either.
//! CSAF product ids are resolved through the product tree to
//! `product_identification_helper.purl`; for a relationship (`default_component_of`, …) the
//! component is the product and the product it belongs to the parent.
//!
//! # Reading
//!
//! [`read`] recognises the format. In [`ReadMode::Lenient`] a document that deviates from its
//! schema in ways that leave the statements meaningful (a missing document `@id`, an
//! `affected` statement without `action_statement`, unknown fields) is read, and the deviations
//! are listed in [`VexDocument::problems`]; in [`ReadMode::Strict`] any deviation is an error.
//! A statement whose status or justification is not in the vocabulary, or without a
//! vulnerability, is an error in both modes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::cvss::{CvssVersion, Rating};
use crate::db::{canonical_ecosystem, normalize_name};
use crate::matching::{Finding, FindingSeverity};
use crate::osv::SeverityType;
use crate::triage::TriagedFinding;

/// The OpenVEX context written and expected.
pub const OPENVEX_CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";
/// Largest VEX document [`read_path`] reads.
pub const MAX_DOCUMENT_SIZE: u64 = 64 << 20;

// ---------------------------------------------------------------------------------------------
// The model

/// The status of a vulnerability for a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    pub const ALL: [VexStatus; 4] = [
        VexStatus::NotAffected,
        VexStatus::Affected,
        VexStatus::Fixed,
        VexStatus::UnderInvestigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// The status with this OpenVEX name.
    pub fn parse(s: &str) -> Option<VexStatus> {
        VexStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a finding with this status is suppressed (`not_affected`, `fixed`).
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }

    /// The allowed names, comma-separated (for error messages).
    pub fn allowed() -> String {
        VexStatus::ALL.map(VexStatus::as_str).join(", ")
    }
}

impl fmt::Display for VexStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a product is not affected (OpenVEX and CSAF flag labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Justification; 5] = [
        Justification::ComponentNotPresent,
        Justification::VulnerableCodeNotPresent,
        Justification::VulnerableCodeNotInExecutePath,
        Justification::VulnerableCodeCannotBeControlledByAdversary,
        Justification::InlineMitigationsAlreadyExist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "component_not_present",
            Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Justification::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Justification::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    /// The justification with this OpenVEX (or CSAF flag) name.
    pub fn parse(s: &str) -> Option<Justification> {
        Justification::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The allowed names, comma-separated (for error messages).
    pub fn allowed() -> String {
        Justification::ALL.map(Justification::as_str).join(", ")
    }

    /// The justification for a CycloneDX `analysis.justification` (see the module table).
    pub fn from_cyclonedx(s: &str) -> Option<Justification> {
        Some(match s {
            "code_not_present" => Justification::VulnerableCodeNotPresent,
            "code_not_reachable" => Justification::VulnerableCodeNotInExecutePath,
            "requires_dependency" => Justification::ComponentNotPresent,
            "requires_configuration" | "requires_environment" => {
                Justification::VulnerableCodeCannotBeControlledByAdversary
            }
            "protected_by_compiler"
            | "protected_at_runtime"
            | "protected_at_perimeter"
            | "protected_by_mitigating_control" => Justification::InlineMitigationsAlreadyExist,
            _ => return None,
        })
    }

    /// The closest CycloneDX `analysis.justification`.
    pub fn to_cyclonedx(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "requires_dependency",
            Justification::VulnerableCodeNotPresent => "code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "code_not_reachable",
            Justification::VulnerableCodeCannotBeControlledByAdversary => "requires_environment",
            Justification::InlineMitigationsAlreadyExist => "protected_by_mitigating_control",
        }
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CycloneDX `analysis.justification` values (1.4–1.7).
pub const CYCLONEDX_JUSTIFICATIONS: [&str; 9] = [
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
];
/// CycloneDX `analysis.state` values.
pub const CYCLONEDX_STATES: [&str; 6] = [
    "resolved",
    "resolved_with_pedigree",
    "exploitable",
    "in_triage",
    "false_positive",
    "not_affected",
];
/// CycloneDX `analysis.response` values.
pub const CYCLONEDX_RESPONSES: [&str; 5] = [
    "can_not_fix",
    "will_not_fix",
    "update",
    "rollback",
    "workaround_available",
];

/// The kind of document a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VexFormat {
    #[serde(rename = "openvex")]
    OpenVex,
    #[serde(rename = "cyclonedx")]
    CycloneDx,
    #[serde(rename = "csaf")]
    Csaf,
    /// `[[vex]]` in `annex.toml`.
    #[serde(rename = "annex.toml")]
    AnnexToml,
}

impl VexFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            VexFormat::OpenVex => "OpenVEX",
            VexFormat::CycloneDx => "CycloneDX",
            VexFormat::Csaf => "CSAF",
            VexFormat::AnnexToml => "annex.toml",
        }
    }
}

/// Where a statement came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VexSource {
    pub format: VexFormat,
    /// The document: a file name, or whatever the caller named it.
    pub document: String,
    /// The line (annex.toml entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The JSON pointer of the statement inside a JSON document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl fmt::Display for VexSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.document)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(p) = &self.pointer {
            write!(f, "#{p}")?;
        }
        Ok(())
    }
}

/// A product a statement speaks about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VexProduct {
    /// Its purl; without a version it stands for every version. Qualifiers are kept but not
    /// compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// A bare package name (annex.toml `package = "name"`), matching that package in any
    /// ecosystem at any version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The identifier the document uses (OpenVEX `@id`, CycloneDX `bom-ref`, CSAF product id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl VexProduct {
    pub fn from_purl(purl: impl Into<String>) -> VexProduct {
        VexProduct {
            purl: Some(purl.into()),
            ..VexProduct::default()
        }
    }
}

/// One VEX statement, whatever the format it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexStatement {
    /// The vulnerability's ids: the main one first, then aliases.
    pub vulnerabilities: Vec<String>,
    /// The packages the statement applies to.
    pub products: Vec<VexProduct>,
    /// The products containing them (OpenVEX products with subcomponents, CSAF relationships).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<VexProduct>,
    pub status: VexStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<Justification>,
    /// The justification as the document wrote it, when it was mapped (CycloneDX).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_justification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    /// CycloneDX `analysis.response` (`update`, `will_not_fix`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<String>,
    pub source: VexSource,
    /// When the statement was made (RFC 3339), if the document says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// After this day the statement counts as absent (annex.toml `expires`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
}

impl VexStatement {
    /// Whether the statement has expired on `today` (it is valid through its `expires` day).
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|e| e < today)
    }

    /// Whether one of the statement's vulnerability ids is one of `ids` (case-insensitive).
    pub fn names_any<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> bool {
        ids.any(|id| {
            self.vulnerabilities
                .iter()
                .any(|v| v.trim().eq_ignore_ascii_case(id.trim()))
        })
    }

    /// The statement's timestamp, parsed.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        self.timestamp
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
    }

    /// The free text that explains the status: the impact statement for `not_affected`, the
    /// action statement for `affected`, else the status notes (falling back to any of them).
    pub fn statement_text(&self) -> Option<&str> {
        let first = match self.status {
            VexStatus::NotAffected => &self.impact_statement,
            VexStatus::Affected => &self.action_statement,
            _ => &self.status_notes,
        };
        first
            .as_deref()
            .or(self.status_notes.as_deref())
            .or(self.impact_statement.as_deref())
            .or(self.action_statement.as_deref())
    }
}

/// How strictly a document is read (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadMode {
    /// Any deviation from the format's schema is an error.
    Strict,
    /// Deviations that leave the statements meaningful are listed in `problems`.
    #[default]
    Lenient,
}

/// A document read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexDocument {
    pub format: VexFormat,
    /// The document's own id (OpenVEX `@id`, CycloneDX `serialNumber`, CSAF `tracking.id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    pub statements: Vec<VexStatement>,
    /// Deviations from the format's schema that did not stop reading (lenient mode), each
    /// starting with the JSON pointer it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// Why a VEX document cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum VexError {
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{document}: the file is {size} bytes, over the {limit}-byte limit for a VEX document")]
    TooLarge {
        document: String,
        size: u64,
        limit: u64,
    },
    #[error("{document}:{line}:{column}: invalid JSON: {message}")]
    Json {
        document: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{document}: not a VEX document this reader knows (OpenVEX, CycloneDX JSON, CSAF 2.0): {message}"
    )]
    UnknownFormat { document: String, message: String },
    #[error("{document}#{pointer}: {message}")]
    Invalid {
        document: String,
        pointer: String,
        message: String,
    },
    #[error("{document}: not a conforming {} document: {}", format.as_str(), problems.join("; "))]
    Nonconforming {
        document: String,
        format: VexFormat,
        problems: Vec<String>,
    },
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads a VEX document of any supported format (recognised by its content). `document` names
/// it in statements' sources and in errors.
pub fn read(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    let value = parse_json(bytes, document)?;
    if is_openvex(&value) {
        openvex_from_value(&value, document, mode)
    } else if is_cyclonedx(&value) {
        cyclonedx_from_value(&value, document, mode)
    } else if crate::csaf::is_csaf(&value) {
        crate::csaf::read_value(&value, document, mode)
    } else {
        Err(VexError::UnknownFormat {
            document: document.to_string(),
            message: "no OpenVEX `@context`, CycloneDX `bomFormat` or CSAF `document.csaf_version`"
                .into(),
        })
    }
}

/// Reads a VEX file (at most [`MAX_DOCUMENT_SIZE`] bytes).
pub fn read_path(path: &Path, mode: ReadMode) -> Result<VexDocument, VexError> {
    use std::io::Read;
    let io = |source| VexError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let document = path.display().to_string();
    if bytes.len() as u64 > MAX_DOCUMENT_SIZE {
        return Err(VexError::TooLarge {
            document,
            size: bytes.len() as u64,
            limit: MAX_DOCUMENT_SIZE,
        });
    }
    read(&bytes, &document, mode)
}

/// Reads an OpenVEX document.
pub fn read_openvex(bytes: &[u8], document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    openvex_from_value(&parse_json(bytes, document)?, document, mode)
}

/// Reads the `vulnerabilities` of a CycloneDX JSON BOM (1.4–1.7).
pub fn read_cyclonedx(
    bytes: &[u8],
    document: &str,
    mode: ReadMode,
) -> Result<VexDocument, VexError> {
    cyclonedx_from_value(&parse_json(bytes, document)?, document, mode)
}

pub(crate) fn parse_json(bytes: &[u8], document: &str) -> Result<Value, VexError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| VexError::Json {
        document: document.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

fn is_openvex(v: &Value) -> bool {
    v.get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
}

fn is_cyclonedx(v: &Value) -> bool {
    v.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
}

/// Reading state shared by the readers: the document, the mode and the problems so far.
pub(crate) struct Reader<'a> {
    pub document: &'a str,
    pub format: VexFormat,
    pub problems: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(document: &'a str, format: VexFormat) -> Reader<'a> {
        Reader {
            document,
            format,
            problems: Vec::new(),
        }
    }

    pub(crate) fn problem(&mut self, pointer: &str, message: impl fmt::Display) {
        let p = if pointer.is_empty() { "/" } else { pointer };
        self.problems.push(format!("{p}: {message}"));
    }

    pub(crate) fn invalid(&self, pointer: &str, message: impl Into<String>) -> VexError {
        VexError::Invalid {
            document: self.document.to_string(),
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            message: message.into(),
        }
    }

    pub(crate) fn source(&self, pointer: &str) -> VexSource {
        VexSource {
            format: self.format,
            document: self.document.to_string(),
            line: None,
            pointer: Some(pointer.to_string()),
        }
    }

    /// An optional string member; a value of another type is a problem.
    pub(crate) fn opt_str(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.problem(&format!("{at}/{key}"), "should be a string");
                None
            }
        }
    }

    /// An optional RFC 3339 timestamp; one that does not parse is a problem (and kept).
    pub(crate) fn opt_time(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        let t = self.opt_str(obj, key, at)?;
        if DateTime::parse_from_rfc3339(&t).is_err() {
            self.problem(
                &format!("{at}/{key}"),
                format!("{t:?} is not an RFC 3339 date-time"),
            );
        }
        Some(t)
    }

    pub(crate) fn unknown_keys(&mut self, obj: &Map<String, Value>, known: &[&str], at: &str) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                self.problem(at, format!("unexpected member {k:?}"));
            }
        }
    }

    pub(crate) fn finish(
        self,
        mode: ReadMode,
        id: Option<String>,
        author: Option<String>,
        timestamp: Option<String>,
        statements: Vec<VexStatement>,
    ) -> Result<VexDocument, VexError> {
        if mode == ReadMode::Strict && !self.problems.is_empty() {
            return Err(VexError::Nonconforming {
                document: self.document.to_string(),
                format: self.format,
                problems: self.problems,
            });
        }
        Ok(VexDocument {
            format: self.format,
            id,
            author,
            timestamp,
            statements,
            problems: self.problems,
        })
    }
}

fn as_object<'v>(
    r: &Reader<'_>,
    v: &'v Value,
    at: &str,
) -> Result<&'v Map<String, Value>, VexError> {
    v.as_object()
        .ok_or_else(|| r.invalid(at, "expected a JSON object"))
}

/// Whether `s` is an IRI as far as its syntax goes: a scheme, a colon, and no characters that
/// IRIs never contain.
pub(crate) fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

const OPENVEX_TOP: &[&str] = &[
    "@context",
    "@id",
    "author",
    "role",
    "timestamp",
    "last_updated",
    "version",
    "statements",
    "tooling",
];
const OPENVEX_STATEMENT: &[&str] = &[
    "@id",
    "action_statement",
    "action_statement_timestamp",
    "impact_statement",
    "justification",
    "last_updated",
    "products",
    "status",
    "status_notes",
    "supplier",
    "timestamp",
    "version",
    "vulnerability",
];
const OPENVEX_COMPONENT: &[&str] = &["@id", "hashes", "identifiers", "subcomponents"];

fn openvex_from_value(v: &Value, document: &str, mode: ReadMode) -> Result<VexDocument, VexError> {
    let mut r = Reader::new(document, VexFormat::OpenVex);
    let top = as_object(&r, v, "")?;
    r.unknown_keys(top, OPENVEX_TOP, "");
    match top.get("@context").and_then(Value::as_str) {
        Some(c) if c.starts_with("https://openvex.dev/ns") => {}
        Some(c) => r.problem("/@context", format!("{c:?} is not an OpenVEX context")),
        None => r.problem("/@context", "missing"),
    }
    let id = r.opt_str(top, "@id", "");
    match &id {
        None => r.problem("", "missing required \"@id\""),
        Some(i) if !is_iri(i) => r.problem("/@id", format!("{i:?} is not an IRI")),
        Some(_) => {}
    }
    let author = r.opt_str(top, "author", "");
    if author.is_none() {
        r.problem("", "missing required \"author\"");
    }
    let timestamp = r.opt_time(top, "timestamp", "");
    if timestamp.is_none() {
        r.problem("", "missing required \"timestamp\"");
    }
    r.opt_time(top, "last_updated", "");
    match top.get("version") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {}
        Some(_) => r.problem("/version", "should be an integer of at least 1"),
        None => r.problem("", "missing required \"version\""),
    }
    let statements = match top.get("statements") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.invalid("/statements", "expected an array of statements")),
        None => return Err(r.invalid("", "missing required \"statements\"")),
    };
    if statements.is_empty() {
        r.problem(
            "/statements",
            "an OpenVEX document needs at least one statement",
        );
    }
    let mut out = Vec::with_capacity(statements.len());
    let mut seen = BTreeSet::new();
    for (i, s) in statements.iter().enumerate() {
        let at = format!("/statements/{i}");
        if !seen.insert(s.to_string()) {
            r.problem(&at, "duplicate statement (statements must be unique)");
        }
        out.push(openvex_statement(&mut r, s, &at, timestamp.as_deref())?);
    }
    r.finish(mode, id, author, timestamp, out)
}

fn openvex_statement(
    r: &mut Reader<'_>,
    s: &Value,
    at: &str,
    doc_time: Option<&str>,
) -> Result<VexStatement, VexError> {
    let obj = as_object(r, s, at)?;
    r.unknown_keys(obj, OPENVEX_STATEMENT, at);
    if let Some(i) = r.opt_str(obj, "@id", at)
        && !is_iri(&i)
    {
        r.problem(&format!("{at}/@id"), format!("{i:?} is not an IRI"));
    }
    // Vulnerability.
    let vat = format!("{at}/vulnerability");
    let mut vulnerabilities = Vec::new();
    match obj.get("vulnerability") {
        Some(Value::Object(v)) => {
            r.unknown_keys(v, &["name", "@id", "aliases", "description"], &vat);
            let vid = r.opt_str(v, "@id", &vat);
            if let Some(i) = &vid
                && !is_iri(i)
            {
                r.problem(&format!("{vat}/@id"), format!("{i:?} is not an IRI"));
            }
            match r.opt_str(v, "name", &vat) {
                Some(n) if !n.trim().is_empty() => vulnerabilities.push(n.trim().to_string()),
                _ => {
                    r.problem(&vat, "missing required \"name\"");
                    // A bare id such as `CVE-2022-23628` in `@id` still names it.
                    match vid {
                        Some(i) if !i.trim().is_empty() => {
                            vulnerabilities.push(i.trim().to_string())
                        }
                        _ => return Err(r.invalid(&vat, "the vulnerability has no name")),
                    }
                }
            }
            match v.get("aliases") {
                None | Some(Value::Null) => {}
                Some(Value::Array(a)) => {
                    for (j, x) in a.iter().enumerate() {
                        match x.as_str() {
                            Some(x) => push_unique_str(&mut vulnerabilities, x.trim()),
                            None => r.problem(&format!("{vat}/aliases/{j}"), "should be a string"),
                        }
                    }
                }
                Some(_) => r.problem(&format!("{vat}/aliases"), "should be an array of strings"),
            }
        }
        Some(Value::String(n)) if !n.trim().is_empty() => {
            r.problem(
                &vat,
                "should be an object with a \"name\" (OpenVEX 0.0.x form)",
            );
            vulnerabilities.push(n.trim().to_string());
        }
        Some(_) => return Err(r.invalid(&vat, "expected an object with a \"name\"")),
        None => return Err(r.invalid(at, "missing required \"vulnerability\"")),
    }
    // Status and justification.
    let status = match obj.get("status") {
        Some(Value::String(s)) => VexStatus::parse(s).ok_or_else(|| {
            r.invalid(
                &format!("{at}/status"),
                format!(
                    "unknown status {s:?}; expected one of: {}",
                    VexStatus::allowed()
                ),
            )
        })?,
        Some(_) => return Err(r.invalid(&format!("{at}/status"), "expected a string")),
        None => return Err(r.invalid(at, "missing required \"status\"")),
    };
    let justification = match obj.get("justification") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Justification::parse(s).ok_or_else(|| {
            r.invalid(
                &format!("{at}/justification"),
                format!(
                    "unknown justification {s:?}; expected one of: {}",
                    Justification::allowed()
                ),
            )
        })?),
        Some(_) => return Err(r.invalid(&format!("{at}/justification"), "expected a string")),
    };
    let impact_statement = r.opt_str(obj, "impact_statement", at);
    let action_statement = r.opt_str(obj, "action_statement", at);
    let status_notes = r.opt_str(obj, "status_notes", at);
    r.opt_str(obj, "supplier", at);
    for key in ["last_updated", "action_statement_timestamp"] {
        r.opt_time(obj, key, at);
    }
    if status == VexStatus::NotAffected && justification.is_none() && impact_statement.is_none() {
        r.problem(
            at,
            "a not_affected statement needs a justification or an impact_statement",
        );
    }
    if status == VexStatus::Affected && action_statement.is_none() {
        r.problem(at, "an affected statement needs an action_statement");
    }
    if let Some(v) = obj.get("version")
        && v.as_u64().is_none_or(|n| n < 1)
    {
        r.problem(
            &format!("{at}/version"),
            "should be an integer of at least 1",
        );
    }
    let timestamp = r
        .opt_time(obj, "timestamp", at)
        .or_else(|| doc_time.map(str::to_string));
    // Products.
    let mut products = Vec::new();
    let mut parents = Vec::new();
    match obj.get("products") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for (j, p) in a.iter().enumerate() {
                let pat = format!("{at}/products/{j}");
                let product = openvex_component(r, p, &pat, true)?;
                let subs = match p.get("subcomponents") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(subs)) => {
                        let mut out = Vec::new();
                        for (k, s) in subs.iter().enumerate() {
                            let sat = format!("{pat}/subcomponents/{k}");
                            out.push(openvex_component(r, s, &sat, false)?);
                        }
                        out
                    }
                    Some(_) => {
                        r.problem(&format!("{pat}/subcomponents"), "should be an array");
                        Vec::new()
                    }
                };
                if subs.is_empty() {
                    push_unique(&mut products, product);
                } else {
                    push_unique(&mut parents, product);
                    for s in subs {
                        push_unique(&mut products, s);
                    }
                }
            }
        }
        Some(_) => r.problem(&format!("{at}/products"), "should be an array"),
    }
    Ok(VexStatement {
        vulnerabilities,
        products,
        parents,
        status,
        justification,
        source_justification: None,
        impact_statement,
        action_statement,
        status_notes,
        responses: Vec::new(),
        source: r.source(at),
        timestamp,
        expires: None,
    })
}

fn openvex_component(
    r: &mut Reader<'_>,
    p: &Value,
    at: &str,
    top: bool,
) -> Result<VexProduct, VexError> {
    let obj = match p {
        Value::Object(o) => o,
        Value::String(s) => {
            r.problem(at, "should be an object with \"@id\" (OpenVEX 0.0.x form)");
            return Ok(product_from_iri(s));
        }
        _ => return Err(r.invalid(at, "expected an object with \"@id\" or \"identifiers\"")),
    };
    let known: &[&str] = if top {
        OPENVEX_COMPONENT
    } else {
        &OPENVEX_COMPONENT[..3]
    };
    r.unknown_keys(obj, known, at);
    let id = r.opt_str(obj, "@id", at);
    if let Some(i) = &id
        && !is_iri(i)
    {
        r.problem(&format!("{at}/@id"), format!("{i:?} is not an IRI"));
    }
    let mut purl = None;
    match obj.get("identifiers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(ids)) => {
            let iat = format!("{at}/identifiers");
            r.unknown_keys(ids, &["purl", "cpe22", "cpe23"], &iat);
            purl = r.opt_str(ids, "purl", &iat);
            if ids.is_empty() {
                r.problem(&iat, "needs one of purl, cpe22, cpe23");
            }
        }
        Some(_) => r.problem(&format!("{at}/identifiers"), "should be an object"),
    }
    if id.is_none() && !obj.contains_key("identifiers") {
        r.problem(at, "a component needs \"@id\" or \"identifiers\"");
    }
    let purl = purl.or_else(|| id.clone().filter(|i| is_purl(i)));
    Ok(VexProduct {
        purl,
        name: None,
        id,
    })
}

fn product_from_iri(s: &str) -> VexProduct {
    VexProduct {
        purl: is_purl(s).then(|| s.to_string()),
        name: None,
        id: Some(s.to_string()),
    }
}

pub(crate) fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

fn push_unique_str(v: &mut Vec<String>, x: &str) {
    if !x.is_empty() && !v.iter().any(|y| y.eq_ignore_ascii_case(x)) {
        v.push(x.to_string());
    }
}

// CycloneDX.

fn cyclonedx_from_value(
    v: &Value,
    document: &str,
    mode: ReadMode,
) -> Result<VexDocument, VexError> {
    let mut r = Reader::new(document, VexFormat::CycloneDx);
    let top = as_object(&r, v, "")?;
    if top.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(r.invalid("/bomFormat", "not a CycloneDX BOM"));
    }
    match top.get("specVersion").and_then(Value::as_str) {
        Some("1.4" | "1.5" | "1.6" | "1.7") => {}
        Some(s) => r.problem(
            "/specVersion",
            format!("CycloneDX {s}: VEX is read from specifications 1.4 to 1.7"),
        ),
        None => r.problem("", "missing required \"specVersion\""),
    }
    let id = r.opt_str(top, "serialNumber", "");
    let metadata = top.get("metadata").and_then(Value::as_object);
    let doc_time = metadata.and_then(|m| r.opt_time(m, "timestamp", "/metadata"));
    // bom-ref → purl, through metadata.component and every (nested) component.
    let mut refs: BTreeMap<String, Option<String>> = BTreeMap::new();
    fn collect(c: &Value, refs: &mut BTreeMap<String, Option<String>>) {
        if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
            let purl = c.get("purl").and_then(Value::as_str).map(str::to_string);
            refs.insert(r.to_string(), purl);
        }
        if let Some(cs) = c.get("components").and_then(Value::as_array) {
            for c in cs {
                collect(c, refs);
            }
        }
    }
    if let Some(c) = metadata.and_then(|m| m.get("component")) {
        collect(c, &mut refs);
    }
    if let Some(cs) = top.get("components").and_then(Value::as_array) {
        for c in cs {
            collect(c, &mut refs);
        }
    }
    let vulns = match top.get("vulnerabilities") {
        None | Some(Value::Null) => {
            r.problem("", "no \"vulnerabilities\": not a VEX document");
            &Vec::new()
        }
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.invalid("/vulnerabilities", "expected an array")),
    };
    let mut out = Vec::new();
    for (i, vuln) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let obj = as_object(&r, vuln, &at)?;
        let mut ids = Vec::new();
        match r.opt_str(obj, "id", &at) {
            Some(x) if !x.trim().is_empty() => ids.push(x.trim().to_string()),
            _ => return Err(r.invalid(&at, "the vulnerability has no \"id\"")),
        }
        if let Some(refs) = obj.get("references").and_then(Value::as_array) {
            for x in refs {
                if let Some(x) = x.get("id").and_then(Value::as_str) {
                    push_unique_str(&mut ids, x.trim());
                }
            }
        }
        let aat = format!("{at}/analysis");
        let analysis = obj.get("analysis").and_then(Value::as_object);
        let state = analysis.and_then(|a| r.opt_str(a, "state", &aat));
        let status = match state.as_deref() {
            // A vulnerability listed without analysis: the BOM says the component is affected
            // (a vulnerability disclosure report).
            None => VexStatus::Affected,
            Some("not_affected" | "false_positive") => VexStatus::NotAffected,
            Some("exploitable") => VexStatus::Affected,
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("in_triage") => VexStatus::UnderInvestigation,
            Some(s) => {
                return Err(r.invalid(
                    &format!("{aat}/state"),
                    format!(
                        "unknown analysis state {s:?}; expected one of: {}",
                        CYCLONEDX_STATES.join(", ")
                    ),
                ));
            }
        };
        let source_justification = analysis.and_then(|a| r.opt_str(a, "justification", &aat));
        let justification = match source_justification.as_deref() {
            None => None,
            Some(s) => Some(Justification::from_cyclonedx(s).ok_or_else(|| {
                r.invalid(
                    &format!("{aat}/justification"),
                    format!(
                        "unknown justification {s:?}; expected one of: {}",
                        CYCLONEDX_JUSTIFICATIONS.join(", ")
                    ),
                )
            })?),
        };
        let mut responses = Vec::new();
        if let Some(rs) = analysis.and_then(|a| a.get("response")) {
            match rs.as_array() {
                Some(rs) => {
                    for (j, x) in rs.iter().enumerate() {
                        match x.as_str() {
                            Some(x) if CYCLONEDX_RESPONSES.contains(&x) => {
                                responses.push(x.to_string())
                            }
                            _ => r.problem(
                                &format!("{aat}/response/{j}"),
                                format!("expected one of: {}", CYCLONEDX_RESPONSES.join(", ")),
                            ),
                        }
                    }
                }
                None => r.problem(&format!("{aat}/response"), "should be an array"),
            }
        }
        let detail = analysis.and_then(|a| r.opt_str(a, "detail", &aat));
        let recommendation = r.opt_str(obj, "recommendation", &at);
        let workaround = r.opt_str(obj, "workaround", &at);
        let (mut impact_statement, mut action_statement, mut status_notes) = (None, None, None);
        match status {
            VexStatus::NotAffected => impact_statement = detail,
            VexStatus::Affected => action_statement = detail,
            _ => status_notes = detail,
        }
        if action_statement.is_none() && status == VexStatus::Affected {
            action_statement = recommendation.or(workaround);
        }
        if state.as_deref() == Some("false_positive") && impact_statement.is_none() {
            impact_statement = Some("false positive".into());
        }
        let timestamp = analysis
            .and_then(|a| {
                r.opt_time(a, "lastUpdated", &aat)
                    .or_else(|| r.opt_time(a, "firstIssued", &aat))
            })
            .or_else(|| r.opt_time(obj, "updated", &at))
            .or_else(|| r.opt_time(obj, "published", &at))
            .or_else(|| doc_time.clone());
        let mut products = Vec::new();
        match obj.get("affects") {
            None | Some(Value::Null) => {
                r.problem(&at, "no \"affects\": the statement names no product")
            }
            Some(Value::Array(a)) => {
                for (j, x) in a.iter().enumerate() {
                    match x.get("ref").and_then(Value::as_str) {
                        Some(rf) => push_unique(&mut products, resolve_cdx_ref(rf, &refs)),
                        None => r.problem(&format!("{at}/affects/{j}"), "missing \"ref\""),
                    }
                }
            }
            Some(_) => r.problem(&format!("{at}/affects"), "should be an array"),
        }
        out.push(VexStatement {
            vulnerabilities: ids,
            products,
            parents: Vec::new(),
            status,
            justification,
            source_justification,
            impact_statement,
            action_statement,
            status_notes,
            responses,
            source: r.source(&at),
            timestamp,
            expires: None,
        });
    }
    r.finish(mode, id, None, doc_time, out)
}

/// A CycloneDX `affects[].ref`: a purl, a bom-ref, or a BOM-Link (`urn:cdx:…#ref`).
fn resolve_cdx_ref(rf: &str, refs: &BTreeMap<String, Option<String>>) -> VexProduct {
    let key = if rf.starts_with("urn:cdx:") {
        match rf.split_once('#') {
            Some((_, frag)) => percent_decode(frag),
            None => rf.to_string(),
        }
    } else {
        rf.to_string()
    };
    let purl = match refs.get(&key) {
        Some(p) => p.clone(),
        None => None,
    }
    .or_else(|| is_purl(&key).then(|| key.clone()));
    VexProduct {
        purl,
        name: None,
        id: Some(rf.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// purls (just what matching needs)

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
}

pub(crate) fn is_purl(s: &str) -> bool {
    parse_purl(s).is_some()
}

/// Parses `pkg:type/namespace/name@version?qualifiers#subpath` (components percent-decoded;
/// qualifiers and subpath dropped).
pub(crate) fn parse_purl(s: &str) -> Option<Purl> {
    let s = s.trim();
    let rest = s
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("pkg:"))
        .map(|_| &s[4..])?;
    let rest = rest.trim_start_matches('/');
    let rest = rest.split_once('#').map_or(rest, |(a, _)| a);
    let rest = rest.split_once('?').map_or(rest, |(a, _)| a);
    let (ty, rest) = rest.split_once('/')?;
    if ty.is_empty()
        || !ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
    {
        return None;
    }
    let rest = rest.trim_end_matches('/');
    let last_slash = rest.rfind('/');
    let (path, version) = match rest.rfind('@') {
        Some(at) if last_slash.is_none_or(|sl| at > sl) => (&rest[..at], Some(&rest[at + 1..])),
        _ => (rest, None),
    };
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, n)) => (Some(ns), n),
        None => (None, path),
    };
    if name.is_empty() {
        return None;
    }
    Some(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace: namespace.filter(|n| !n.is_empty()).map(|n| {
            n.split('/')
                .map(percent_decode)
                .collect::<Vec<_>>()
                .join("/")
        }),
        name: percent_decode(name),
        version: version.filter(|v| !v.is_empty()).map(percent_decode),
    })
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn percent_encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._-~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// purl type ↔ OSV ecosystem.
const PURL_TYPES: &[(&str, &str)] = &[
    ("cargo", "crates.io"),
    ("npm", "npm"),
    ("pypi", "PyPI"),
    ("golang", "Go"),
    ("maven", "Maven"),
    ("gem", "RubyGems"),
    ("nuget", "NuGet"),
    ("composer", "Packagist"),
    ("pub", "Pub"),
    ("hex", "Hex"),
    ("hackage", "Hackage"),
    ("cran", "CRAN"),
    ("swift", "SwiftURL"),
    ("conan", "ConanCenter"),
    ("github", "GitHub Actions"),
    ("deb", "Debian"),
    ("apk", "Alpine"),
];

pub(crate) fn ecosystem_of_purl_type(ty: &str) -> Option<&'static str> {
    PURL_TYPES.iter().find(|(t, _)| *t == ty).map(|(_, e)| *e)
}

fn purl_type_of_ecosystem(eco: &str) -> Option<&'static str> {
    let eco = canonical_ecosystem(crate::osv::base_ecosystem(eco));
    PURL_TYPES.iter().find(|(_, e)| *e == eco).map(|(t, _)| *t)
}

/// The package's purl as a finding gives it, else built from its ecosystem, name and version
/// (`pkg:generic/…` for ecosystems without a purl type).
pub fn finding_purl(f: &Finding) -> String {
    if let Some(p) = &f.package.purl
        && is_purl(p)
    {
        return p.clone();
    }
    build_purl(&f.package.ecosystem, &f.package.name, &f.package.version)
}

pub(crate) fn build_purl(ecosystem: &str, name: &str, version: &str) -> String {
    let ty = purl_type_of_ecosystem(ecosystem).unwrap_or("generic");
    let (ns, n) = match ty {
        "maven" => name
            .split_once(':')
            .or_else(|| name.split_once('/'))
            .map_or((None, name), |(g, a)| (Some(g), a)),
        "npm" | "golang" | "composer" | "github" | "swift" => name
            .rsplit_once('/')
            .map_or((None, name), |(a, b)| (Some(a), b)),
        _ => (None, name),
    };
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = ns {
        let enc: Vec<String> = ns.split('/').map(|s| percent_encode(s, "")).collect();
        out.push_str(&enc.join("/"));
        out.push('/');
    }
    out.push_str(&percent_encode(n, ""));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&percent_encode(version, "+"));
    }
    out
}

/// The comparable identity of a purl: (type, normalised full name, version).
pub(crate) fn purl_key(p: &Purl) -> (String, String, Option<String>) {
    let full = match (&p.namespace, p.ty.as_str()) {
        (Some(ns), "maven") => format!("{ns}:{}", p.name),
        (Some(ns), _) => format!("{ns}/{}", p.name),
        (None, _) => p.name.clone(),
    };
    let name = match ecosystem_of_purl_type(&p.ty) {
        Some(eco) => normalize_name(eco, &full),
        None => match p.ty.as_str() {
            "github" | "bitbucket" => full.to_lowercase(),
            _ => full,
        },
    };
    let version = p.version.as_ref().map(|v| {
        if p.ty == "golang" {
            v.trim_start_matches('v').to_string()
        } else {
            v.clone()
        }
    });
    (p.ty.clone(), name, version)
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The time written into a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timestamp {
    /// `SOURCE_DATE_EPOCH` when set (seconds since the epoch), else [`FIXED_TIMESTAMP`]: the
    /// same input always gives the same document.
    #[default]
    Deterministic,
    /// The current time.
    Now,
    At(DateTime<Utc>),
}

/// The timestamp of deterministic documents when `SOURCE_DATE_EPOCH` is not set.
pub const FIXED_TIMESTAMP: &str = "1970-01-01T00:00:00Z";

impl Timestamp {
    pub fn resolve(&self) -> DateTime<Utc> {
        match self {
            Timestamp::Deterministic => Timestamp::from_source_date_epoch(
                std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
            ),
            Timestamp::Now => Utc::now(),
            Timestamp::At(t) => *t,
        }
    }

    /// The deterministic time for a `SOURCE_DATE_EPOCH` value (an unusable value counts as
    /// absent).
    pub fn from_source_date_epoch(value: Option<&str>) -> DateTime<Utc> {
        value
            .and_then(|v| v.trim().parse::<i64>().ok())
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// RFC 3339, seconds, `Z`.
    pub fn rfc3339(&self) -> String {
        self.resolve().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

/// Options for [`openvex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenVexOptions {
    /// The document's author (required by OpenVEX).
    pub author: String,
    pub role: Option<String>,
    /// The purl of the product the findings belong to; when given, each statement names it as
    /// the product and the vulnerable package as its subcomponent.
    pub product: Option<String>,
    /// Written as `tooling`.
    pub tooling: Option<String>,
    /// Prefix of the document's `@id`, followed by a SHA-256 of the content.
    pub id_prefix: String,
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged.
    pub untriaged: VexStatus,
}

impl OpenVexOptions {
    pub fn new(author: impl Into<String>) -> OpenVexOptions {
        OpenVexOptions {
            author: author.into(),
            role: None,
            product: None,
            tooling: Some(format!("annex {}", env!("CARGO_PKG_VERSION"))),
            id_prefix: "urn:annex:openvex:".into(),
            timestamp: Timestamp::Deterministic,
            untriaged: VexStatus::UnderInvestigation,
        }
    }
}

/// The status, justification and statements a triaged finding is written with.
pub(crate) struct Written {
    pub status: VexStatus,
    pub justification: Option<Justification>,
    pub impact: Option<String>,
    pub action: Option<String>,
    pub notes: Option<String>,
    pub responses: Vec<String>,
}

pub(crate) fn written(t: &TriagedFinding, untriaged: VexStatus) -> Written {
    let (status, justification, mut impact, mut action, notes, responses) = match &t.vex {
        Some(v) => (
            v.status,
            v.justification,
            v.impact_statement.clone(),
            v.action_statement.clone(),
            v.status_notes.clone(),
            v.responses.clone(),
        ),
        None => (untriaged, None, None, None, None, Vec::new()),
    };
    if status == VexStatus::Affected && action.is_none() {
        action = Some(default_action(&t.finding));
    }
    if status == VexStatus::NotAffected && justification.is_none() && impact.is_none() {
        impact = Some(match &t.vex {
            Some(v) => format!("Triaged as not affected ({})", v.source),
            None => "Triaged as not affected".into(),
        });
    }
    Written {
        status,
        justification,
        impact,
        action,
        notes,
        responses,
    }
}

/// "Update NAME to VERSION", or what to do when no fix is known.
pub fn default_action(f: &Finding) -> String {
    match (&f.nearest_fix, f.fixed.last()) {
        (Some(v), _) => format!("Update {} to {} or later.", f.package.name, v),
        (None, Some(v)) => format!(
            "Update {} to a fixed version ({} or later).",
            f.package.name, v
        ),
        (None, None) => format!(
            "No fixed version of {} is known: remove or replace it, or mitigate the vulnerability.",
            f.package.name
        ),
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An OpenVEX 0.2.0 document: one statement per triaged finding (identical statements once).
/// The `@id` is derived from the content; the timestamp from `options.timestamp`.
pub fn openvex(triaged: &[TriagedFinding], options: &OpenVexOptions) -> Value {
    let timestamp = options.timestamp.rfc3339();
    let mut statements: Vec<Value> = Vec::new();
    for t in triaged {
        let w = written(t, options.untriaged);
        let purl = finding_purl(&t.finding);
        let mut vuln = Map::new();
        vuln.insert("name".into(), json!(t.finding.id));
        let mut aliases = Vec::new();
        for a in &t.finding.aliases {
            if a != &t.finding.id {
                push_unique(&mut aliases, a.clone());
            }
        }
        if !aliases.is_empty() {
            vuln.insert("aliases".into(), json!(aliases));
        }
        let component = json!({ "@id": purl, "identifiers": { "purl": purl } });
        let product = match &options.product {
            Some(p) => json!({
                "@id": p,
                "identifiers": { "purl": p },
                "subcomponents": [component],
            }),
            None => component,
        };
        let mut s = Map::new();
        s.insert("vulnerability".into(), Value::Object(vuln));
        s.insert("products".into(), json!([product]));
        s.insert("status".into(), json!(w.status.as_str()));
        if let Some(j) = w
            .justification
            .filter(|_| w.status == VexStatus::NotAffected)
        {
            s.insert("justification".into(), json!(j.as_str()));
        }
        if let Some(i) = w.impact.filter(|_| w.status == VexStatus::NotAffected) {
            s.insert("impact_statement".into(), json!(i));
        }
        if let Some(a) = w.action.filter(|_| w.status == VexStatus::Affected) {
            s.insert("action_statement".into(), json!(a));
        }
        if let Some(n) = w.notes {
            s.insert("status_notes".into(), json!(n));
        }
        if let Some(ts) = t.vex.as_ref().and_then(|v| v.timestamp.as_deref())
            && DateTime::parse_from_rfc3339(ts).is_ok()
        {
            s.insert("timestamp".into(), json!(ts));
        }
        let s = Value::Object(s);
        if !statements.contains(&s) {
            statements.push(s);
        }
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), json!(OPENVEX_CONTEXT));
    doc.insert("@id".into(), json!(""));
    doc.insert("author".into(), json!(options.author));
    if let Some(r) = &options.role {
        doc.insert("role".into(), json!(r));
    }
    doc.insert("timestamp".into(), json!(timestamp));
    doc.insert("version".into(), json!(1));
    if let Some(t) = &options.tooling {
        doc.insert("tooling".into(), json!(t));
    }
    doc.insert("statements".into(), Value::Array(statements));
    let digest = hex_digest(Value::Object(doc.clone()).to_string().as_bytes());
    doc.insert(
        "@id".into(),
        json!(format!("{}{digest}", options.id_prefix)),
    );
    Value::Object(doc)
}

/// The product a CycloneDX VEX BOM describes (`metadata.component`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomProduct {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
}

/// Options for [`cyclonedx`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycloneDxVexOptions {
    pub product: Option<BomProduct>,
    pub timestamp: Timestamp,
    /// The status of findings no statement triaged.
    pub untriaged: VexStatus,
}

impl Default for CycloneDxVexOptions {
    fn default() -> Self {
        CycloneDxVexOptions {
            product: None,
            timestamp: Timestamp::Deterministic,
            untriaged: VexStatus::UnderInvestigation,
        }
    }
}

/// The CycloneDX analysis state for a status.
pub fn cyclonedx_state(status: VexStatus) -> &'static str {
    match status {
        VexStatus::NotAffected => "not_affected",
        VexStatus::Affected => "exploitable",
        VexStatus::Fixed => "resolved",
        VexStatus::UnderInvestigation => "in_triage",
    }
}

/// Where an advisory id is published: (source name, URL).
pub fn advisory_source(id: &str) -> (&'static str, String) {
    let upper = id.to_ascii_uppercase();
    if upper.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else if upper.starts_with("GHSA-") {
        ("GitHub", format!("https://github.com/advisories/{id}"))
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    }
}

fn cdx_rating(s: &FindingSeverity) -> Option<Value> {
    let (name, url) = advisory_source(&s.advisory);
    let mut r = Map::new();
    r.insert("source".into(), json!({ "name": name, "url": url }));
    match s.kind {
        SeverityType::CvssV2 | SeverityType::CvssV3 | SeverityType::CvssV4 => {
            let method = match s.cvss_version? {
                CvssVersion::V2 => "CVSSv2",
                CvssVersion::V3_0 => "CVSSv3",
                CvssVersion::V3_1 => "CVSSv31",
                CvssVersion::V4_0 => "CVSSv4",
            };
            if let Some(score) = s.score {
                r.insert("score".into(), json!(score));
            }
            if let Some(rating) = s.rating {
                r.insert("severity".into(), json!(rating_word(rating)));
            }
            r.insert("method".into(), json!(method));
            r.insert("vector".into(), json!(s.vector));
        }
        SeverityType::Ubuntu => {
            let sev = match s.vector.to_ascii_lowercase().as_str() {
                "negligible" => "info",
                "low" => "low",
                "medium" => "medium",
                "high" => "high",
                "critical" => "critical",
                _ => "unknown",
            };
            r.insert("severity".into(), json!(sev));
            r.insert("method".into(), json!("other"));
        }
        SeverityType::Other(_) => return None,
    }
    Some(Value::Object(r))
}

fn rating_word(r: Rating) -> &'static str {
    match r {
        Rating::None => "none",
        Rating::Low => "low",
        Rating::Medium => "medium",
        Rating::High => "high",
        Rating::Critical => "critical",
    }
}

/// A UUID-shaped string (version 5 layout) from a digest, for deterministic serial numbers.
pub(crate) fn uuid_from(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A CycloneDX 1.6 JSON BOM carrying VEX: the vulnerable packages as components (bom-ref = purl)
/// and one vulnerability per triaged finding (identical ones once) with ratings from its CVSS
/// vectors, `affects` and `analysis`.
pub fn cyclonedx(triaged: &[TriagedFinding], options: &CycloneDxVexOptions) -> Value {
    let timestamp = options.timestamp.rfc3339();
    let mut components: Vec<Value> = Vec::new();
    let mut component_refs = BTreeSet::new();
    let mut vulns: Vec<Value> = Vec::new();
    let mut vuln_refs = BTreeSet::new();
    for t in triaged {
        let f = &t.finding;
        let purl = finding_purl(f);
        if component_refs.insert(purl.clone()) {
            let mut c = Map::new();
            c.insert("type".into(), json!("library"));
            c.insert("bom-ref".into(), json!(purl));
            c.insert("name".into(), json!(f.package.name));
            if !f.package.version.is_empty() {
                c.insert("version".into(), json!(f.package.version));
            }
            c.insert("purl".into(), json!(purl));
            components.push(Value::Object(c));
        }
        let w = written(t, options.untriaged);
        let mut v = Map::new();
        let base_ref = format!("{}/{}", f.id, purl);
        let mut bom_ref = base_ref.clone();
        let mut n = 2;
        while vuln_refs.contains(&bom_ref) {
            bom_ref = format!("{base_ref}#{n}");
            n += 1;
        }
        v.insert("bom-ref".into(), json!(bom_ref));
        v.insert("id".into(), json!(f.id));
        let (name, url) = advisory_source(&f.id);
        v.insert("source".into(), json!({ "name": name, "url": url }));
        let refs: Vec<Value> = f
            .aliases
            .iter()
            .filter(|a| *a != &f.id)
            .map(|a| {
                let (name, url) = advisory_source(a);
                json!({ "id": a, "source": { "name": name, "url": url } })
            })
            .collect();
        let mut refs_unique = Vec::new();
        for r in refs {
            push_unique(&mut refs_unique, r);
        }
        if !refs_unique.is_empty() {
            v.insert("references".into(), Value::Array(refs_unique));
        }
        let mut ratings = Vec::new();
        for s in &f.severities {
            if let Some(r) = cdx_rating(s) {
                push_unique(&mut ratings, r);
            }
        }
        if ratings.is_empty()
            && let Some(r) = f.severity.as_ref().and_then(cdx_rating)
        {
            ratings.push(r);
        }
        if !ratings.is_empty() {
            v.insert("ratings".into(), Value::Array(ratings));
        }
        if let Some(s) = &f.summary {
            v.insert("description".into(), json!(s));
        }
        if w.status != VexStatus::NotAffected && w.status != VexStatus::Fixed {
            v.insert("recommendation".into(), json!(default_action(f)));
        }
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(cyclonedx_state(w.status)));
        if let Some(j) = w
            .justification
            .filter(|_| w.status == VexStatus::NotAffected)
        {
            analysis.insert("justification".into(), json!(j.to_cyclonedx()));
        }
        let mut responses = w.responses.clone();
        if responses.is_empty() && w.status == VexStatus::Affected && f.nearest_fix.is_some() {
            responses.push("update".into());
        }
        if !responses.is_empty() {
            analysis.insert("response".into(), json!(responses));
        }
        let detail = match w.status {
            VexStatus::NotAffected => w.impact.or(w.notes),
            VexStatus::Affected => w.action.or(w.notes),
            _ => w.notes,
        };
        if let Some(d) = detail {
            analysis.insert("detail".into(), json!(d));
        }
        v.insert("analysis".into(), Value::Object(analysis));
        let mut affect = Map::new();
        affect.insert("ref".into(), json!(purl));
        if !f.package.version.is_empty() {
            let st = match w.status {
                VexStatus::NotAffected | VexStatus::Fixed => "unaffected",
                VexStatus::Affected => "affected",
                VexStatus::UnderInvestigation => "unknown",
            };
            affect.insert(
                "versions".into(),
                json!([{ "version": f.package.version, "status": st }]),
            );
        }
        v.insert("affects".into(), json!([Value::Object(affect)]));
        // Identical vulnerabilities (same finding from two lockfiles) are written once.
        let mut probe = v.clone();
        probe.remove("bom-ref");
        let duplicate = vulns.iter().any(|x| {
            let mut x = x.as_object().cloned().unwrap_or_default();
            x.remove("bom-ref");
            x == probe
        });
        if !duplicate {
            vuln_refs.insert(bom_ref);
            vulns.push(Value::Object(v));
        }
    }
    let mut metadata = Map::new();
    metadata.insert("timestamp".into(), json!(timestamp));
    metadata.insert(
        "tools".into(),
        json!({ "components": [{
            "type": "application",
            "name": "annex",
            "version": env!("CARGO_PKG_VERSION"),
        }] }),
    );
    if let Some(p) = &options.product {
        let mut c = Map::new();
        c.insert("type".into(), json!("application"));
        let bom_ref = p.purl.clone().unwrap_or_else(|| match &p.version {
            Some(v) => format!("{}@{v}", p.name),
            None => p.name.clone(),
        });
        if !component_refs.contains(&bom_ref) {
            c.insert("bom-ref".into(), json!(bom_ref));
        }
        c.insert("name".into(), json!(p.name));
        if let Some(v) = &p.version {
            c.insert("version".into(), json!(v));
        }
        if let Some(purl) = &p.purl {
            c.insert("purl".into(), json!(purl));
        }
        metadata.insert("component".into(), Value::Object(c));
    }
    let mut bom = Map::new();
    bom.insert(
        "$schema".into(),
        json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
    );
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!("1.6"));
    bom.insert("serialNumber".into(), json!(""));
    bom.insert("version".into(), json!(1));
    bom.insert("metadata".into(), Value::Object(metadata));
    if !components.is_empty() {
        bom.insert("components".into(), Value::Array(components));
    }
    bom.insert("vulnerabilities".into(), Value::Array(vulns));
    let serial = uuid_from(Value::Object(bom.clone()).to_string().as_bytes());
    bom.insert("serialNumber".into(), json!(format!("urn:uuid:{serial}")));
    Value::Object(bom)
}
