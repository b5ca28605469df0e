//! The VEX statement model: one [`VexStatement`] whatever the format it was read from, the
//! document it came in, the triage a finding carries once a statement applies, and the errors
//! of reading.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::status::{Justification, VexStatus};

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

/// The VEX information a finding carries once triaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedVex {
    pub status: VexStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<Justification>,
    pub source: VexSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
}

impl From<&VexStatement> for AppliedVex {
    fn from(s: &VexStatement) -> Self {
        AppliedVex {
            status: s.status,
            justification: s.justification,
            source: s.source.clone(),
            impact_statement: s.impact_statement.clone(),
            action_statement: s.action_statement.clone(),
            status_notes: s.status_notes.clone(),
            responses: s.responses.clone(),
            timestamp: s.timestamp.clone(),
            expires: s.expires,
        }
    }
}
