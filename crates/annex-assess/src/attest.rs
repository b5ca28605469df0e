//! Human attestations kept in the assessed repository (`.annex/attestations.yaml`).

use crate::AssessError;
use annex_spec::{Library, Pos, SpecError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

pub const ATTESTATIONS_PATH: &str = ".annex/attestations.yaml";
/// The largest attestations file read (a hand-written file; a bigger one is refused).
pub const MAX_ATTESTATIONS_FILE: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AttestedStatus {
    Pass,
    Fail,
    NotApplicable,
}

#[derive(Debug, Deserialize)]
struct RawFile {
    #[serde(default)]
    attestations: Vec<RawAttestation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawAttestation {
    requirement: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    statement: String,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    by: String,
    date: Option<Spanned<String>>,
    expires: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Attestation {
    pub requirement: String,
    pub status: AttestedStatus,
    pub statement: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
    /// file:line of the entry, for reasons.
    pub location: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Attestations {
    pub entries: Vec<Attestation>,
}

impl Attestations {
    /// The attestation in force for a requirement on `today` (expired ones count as absent).
    pub fn in_force(&self, requirement: &str, today: NaiveDate) -> Option<&Attestation> {
        self.entries
            .iter()
            .rev()
            .find(|a| a.requirement == requirement && a.expires.is_none_or(|e| e >= today))
    }

    pub fn expired(&self, requirement: &str, today: NaiveDate) -> Option<&Attestation> {
        self.entries
            .iter()
            .find(|a| a.requirement == requirement && a.expires.is_some_and(|e| e < today))
    }

    /// Read `.annex/attestations.yaml` under `root` if it exists.
    pub fn load_from_repo(root: &std::path::Path, lib: &Library) -> Result<Self, AssessError> {
        let path = root.join(ATTESTATIONS_PATH);
        if !path.is_file() {
            return Ok(Self::default());
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_ATTESTATIONS_FILE {
            return Err(AssessError::Spec(SpecError::invalid(
                Pos::new(ATTESTATIONS_PATH, 0, 0),
                format!("{size} bytes is larger than the {MAX_ATTESTATIONS_FILE}-byte limit"),
            )));
        }
        let text = std::fs::read_to_string(&path).map_err(|source| AssessError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, ATTESTATIONS_PATH, lib)
    }

    pub fn parse(text: &str, file: &str, lib: &Library) -> Result<Self, AssessError> {
        let raw: RawFile = serde_saphyr::from_str(text)
            .map_err(|e| AssessError::Spec(SpecError::from_yaml(file, &e)))?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for a in raw.attestations {
            let status = match a.status.value.as_str() {
                "pass" => AttestedStatus::Pass,
                "fail" => AttestedStatus::Fail,
                "not-applicable" => AttestedStatus::NotApplicable,
                other => {
                    errors.push(SpecError::invalid(
                        Pos::of(file, &a.status),
                        format!("status `{other}`: expected pass, fail or not-applicable"),
                    ));
                    continue;
                }
            };
            if lib.requirement(&a.requirement.value).is_none()
                && !lib.profiles.values().any(|p| {
                    p.annex
                        .requirements
                        .iter()
                        .any(|r| r.id.value == a.requirement.value)
                })
            {
                errors.push(lib.unknown_requirement(file, &a.requirement));
                continue;
            }
            let mut date_of = |d: &Option<Spanned<String>>, what: &str| -> Option<NaiveDate> {
                let d = d.as_ref()?;
                match NaiveDate::parse_from_str(d.value.trim(), "%Y-%m-%d") {
                    Ok(v) => Some(v),
                    Err(_) => {
                        errors.push(SpecError::invalid(
                            Pos::of(file, d),
                            format!("{what} `{}`: expected a date as YYYY-MM-DD", d.value),
                        ));
                        None
                    }
                }
            };
            let date = date_of(&a.date, "date");
            let expires = date_of(&a.expires, "expires");
            entries.push(Attestation {
                requirement: a.requirement.value.clone(),
                status,
                statement: a.statement.trim().to_string(),
                evidence: a.evidence,
                by: a.by,
                date,
                expires,
                location: format!("{file}:{}", a.requirement.referenced.line()),
            });
        }
        if errors.is_empty() {
            Ok(Attestations { entries })
        } else {
            Err(AssessError::Spec(SpecError::many(errors)))
        }
    }
}
