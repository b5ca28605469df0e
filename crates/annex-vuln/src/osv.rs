//! The OSV model (schema 1.6/1.7, <https://ossf.github.io/osv-schema/>).
//!
//! Deserialisation is lenient where the schema is open (unknown fields are ignored, `null`
//! lists read as empty, free-form `*_specific` objects are kept as JSON values) and strict
//! where a record would otherwise be meaningless: [`Advisory::validate`] rejects records
//! without an id or a parseable `modified` timestamp, events that are not exactly one of
//! `introduced`/`fixed`/`last_affected`/`limit`, ranges without an `introduced` event, and
//! ranges mixing `fixed` with `last_affected`. Parse errors carry the JSON/YAML position.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Why a document is not a usable OSV record.
#[derive(Debug, thiserror::Error)]
pub enum OsvError {
    #[error("invalid OSV JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid OSV YAML: {0}")]
    Yaml(String),
    #[error("not an OSV record: {0}")]
    Invalid(String),
}

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    pub id: String,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credits: Vec<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    #[serde(rename = "type")]
    pub kind: SeverityType,
    /// The vector (`CVSS:3.1/AV:N/…`) or, for `Ubuntu`, the priority word.
    pub score: String,
}

/// `severity[].type`. Unknown types are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum SeverityType {
    CvssV2,
    CvssV3,
    CvssV4,
    Ubuntu,
    Other(String),
}

impl From<String> for SeverityType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "CVSS_V2" => Self::CvssV2,
            "CVSS_V3" => Self::CvssV3,
            "CVSS_V4" => Self::CvssV4,
            "Ubuntu" => Self::Ubuntu,
            _ => Self::Other(s),
        }
    }
}

impl From<SeverityType> for String {
    fn from(t: SeverityType) -> Self {
        t.as_str().to_string()
    }
}

impl SeverityType {
    pub fn as_str(&self) -> &str {
        match self {
            Self::CvssV2 => "CVSS_V2",
            Self::CvssV3 => "CVSS_V3",
            Self::CvssV4 => "CVSS_V4",
            Self::Ubuntu => "Ubuntu",
            Self::Other(s) => s,
        }
    }
}

/// `affected[]`: one package (or, without `package`, a repository) and what of it is affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// OSV ecosystem, possibly with a suffix (`Debian:12`, `Alpine:v3.18`).
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

impl Package {
    /// The ecosystem without its `:suffix` (`Debian:12` → `Debian`).
    pub fn base_ecosystem(&self) -> &str {
        base_ecosystem(&self.ecosystem)
    }
}

/// The ecosystem without its `:suffix`, from the ecosystem table in `annex-types`.
pub use annex_types::ecosystem::base_ecosystem;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `ranges[].type`. Unknown types are kept verbatim and never match.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RangeType {
    Semver,
    Ecosystem,
    Git,
    Other(String),
}

impl From<String> for RangeType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "SEMVER" => Self::Semver,
            "ECOSYSTEM" => Self::Ecosystem,
            "GIT" => Self::Git,
            _ => Self::Other(s),
        }
    }
}

impl From<RangeType> for String {
    fn from(t: RangeType) -> Self {
        t.as_str().to_string()
    }
}

impl RangeType {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Semver => "SEMVER",
            Self::Ecosystem => "ECOSYSTEM",
            Self::Git => "GIT",
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for RangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `events[]` entry: exactly one of the four kinds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "RawEvent")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Introduced(_) => "introduced",
            Self::Fixed(_) => "fixed",
            Self::LastAffected(_) => "last_affected",
            Self::Limit(_) => "limit",
        }
    }

    pub fn version(&self) -> &str {
        match self {
            Self::Introduced(v) | Self::Fixed(v) | Self::LastAffected(v) | Self::Limit(v) => v,
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind(), self.version())
    }
}

#[derive(Deserialize)]
struct RawEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, Self::Error> {
        let mut found = Vec::new();
        if let Some(v) = raw.introduced {
            found.push(Event::Introduced(v));
        }
        if let Some(v) = raw.fixed {
            found.push(Event::Fixed(v));
        }
        if let Some(v) = raw.last_affected {
            found.push(Event::LastAffected(v));
        }
        if let Some(v) = raw.limit {
            found.push(Event::Limit(v));
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => {
                Err("event has none of `introduced`, `fixed`, `last_affected`, `limit`".to_string())
            }
            _ => Err(format!(
                "event has {} of `introduced`, `fixed`, `last_affected`, `limit`; exactly one is allowed",
                found.len()
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub name: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contact: Vec<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

fn nullable<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Most `affected` entries one record may hold. Real records hold at most a few dozen;
/// each entry is matched for every package of its name, so 200,000 of them cost hundreds of
/// MB per matched package.
pub const MAX_AFFECTED: usize = 10_000;

/// Longest id accepted; real ids are well under 100 characters.
const MAX_ID_LEN: usize = 256;

impl Advisory {
    /// Parses one OSV record from JSON and validates it.
    pub fn from_json(bytes: &[u8]) -> Result<Self, OsvError> {
        let adv: Advisory = serde_json::from_slice(bytes)?;
        adv.validate()?;
        Ok(adv)
    }

    /// Parses one OSV record from YAML (the PyPA advisory-db encoding) and validates it.
    pub fn from_yaml(text: &str) -> Result<Self, OsvError> {
        let adv: Advisory =
            serde_saphyr::from_str(text).map_err(|e| OsvError::Yaml(e.to_string()))?;
        adv.validate()?;
        Ok(adv)
    }

    /// Checks the rules of the schema that matching depends on.
    pub fn validate(&self) -> Result<(), OsvError> {
        let bad = |m: String| Err(OsvError::Invalid(m));
        if self.id.trim().is_empty() {
            return bad("`id` is empty".into());
        }
        if self.id.len() > MAX_ID_LEN
            || self
                .id
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/' || c == '\\')
        {
            return bad(format!(
                "`id` {:?} is not an identifier",
                truncate(&self.id)
            ));
        }
        if parse_timestamp(&self.modified).is_none() {
            return bad(format!(
                "{}: `modified` {:?} is not an RFC 3339 timestamp",
                self.id,
                truncate(&self.modified)
            ));
        }
        if self.affected.len() > MAX_AFFECTED {
            return bad(format!(
                "{}: {} `affected` entries, more than the limit of {MAX_AFFECTED}",
                self.id,
                self.affected.len()
            ));
        }
        for (i, a) in self.affected.iter().enumerate() {
            if let Some(p) = &a.package {
                if p.ecosystem.trim().is_empty() {
                    return bad(format!(
                        "{}: affected[{i}].package.ecosystem is empty",
                        self.id
                    ));
                }
                if p.name.trim().is_empty() {
                    return bad(format!("{}: affected[{i}].package.name is empty", self.id));
                }
            }
            for (j, r) in a.ranges.iter().enumerate() {
                let at = format!("{}: affected[{i}].ranges[{j}]", self.id);
                if r.events.is_empty() {
                    return bad(format!("{at} has no events"));
                }
                if !r.events.iter().any(|e| matches!(e, Event::Introduced(_))) {
                    return bad(format!("{at} has no `introduced` event"));
                }
                let fixed = r.events.iter().any(|e| matches!(e, Event::Fixed(_)));
                let last = r.events.iter().any(|e| matches!(e, Event::LastAffected(_)));
                if fixed && last {
                    return bad(format!(
                        "{at} mixes `fixed` and `last_affected` events, which the schema forbids"
                    ));
                }
                if r.kind == RangeType::Git && r.repo.as_deref().is_none_or(str::is_empty) {
                    return bad(format!("{at} is a GIT range without `repo`"));
                }
                if let Some(e) = r.events.iter().find(|e| e.version().trim().is_empty()) {
                    return bad(format!("{at} has an empty `{}` version", e.kind()));
                }
            }
        }
        Ok(())
    }

    /// Schema problems that don't make the record unusable (reported as warnings on import):
    /// GIT events that are not full commit hashes, `severity` given both at the top and per
    /// package.
    pub fn lint(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in self.affected.iter().enumerate() {
            for (j, r) in a.ranges.iter().enumerate() {
                if r.kind != RangeType::Git {
                    continue;
                }
                for e in &r.events {
                    let v = e.version();
                    let hex = |n: usize| v.len() == n && v.bytes().all(|b| b.is_ascii_hexdigit());
                    if v != "0" && !hex(40) && !hex(64) {
                        out.push(format!(
                            "affected[{i}].ranges[{j}] (GIT) event `{} {}` is not a full commit hash; GIT ranges are not used for matching",
                            e.kind(),
                            truncate(v)
                        ));
                    }
                }
            }
            if !self.severity.is_empty() && !a.severity.is_empty() {
                out.push(format!(
                    "affected[{i}].severity is set although the record has a top-level severity"
                ));
            }
        }
        out
    }

    /// The `modified` timestamp, parsed (validated records always have one).
    pub fn modified_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        parse_timestamp(&self.modified)
    }

    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }

    /// All ids naming this vulnerability: the id itself, then the aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The database prefix of the id (`RUSTSEC`, `GHSA`, `PYSEC`, `GO`, `CVE`, …).
    pub fn id_prefix(&self) -> &str {
        id_prefix(&self.id)
    }
}

/// The database prefix of an advisory id: the part before the first `-`.
pub fn id_prefix(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// Parses an RFC 3339 timestamp (`2024-01-02T03:04:05Z`, fractional seconds and offsets allowed;
/// a bare date `2024-01-02` is read as midnight UTC).
pub fn parse_timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    // YAML writers sometimes use a space instead of `T`.
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 80 {
        let mut t: String = s.chars().take(80).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}
