//! The assessment: profile, evidence, attestations, forge facts and findings, evaluated.

use std::path::PathBuf;

use annex_assess::{Assessment, Attestations, Inputs};
use annex_spec::{Library, ResolveOptions, ResolvedProfile};
use chrono::NaiveDate;

use crate::{CoreError, Findings, Project};

/// Where the findings for the known-vulnerability requirements come from.
#[derive(Debug, Clone)]
pub enum VulnSource {
    /// Matching was turned off (`--no-vulns`): those requirements need review.
    Off,
    /// No database was found where one is looked for by default: they need review.
    Missing(String),
    /// This database directory.
    Db(PathBuf),
}

/// Ask the forge's API for what a checkout cannot show.
#[derive(Debug, Clone)]
pub struct ForgeRequest {
    pub kind: annex_forge::ForgeKind,
    /// The API token, read by the caller from the variable the user named.
    pub token: Option<String>,
    /// Another API root (tests, self-hosted forges).
    pub api_base: Option<String>,
}

/// What to assess against.
#[derive(Debug, Clone)]
pub struct AssessRequest {
    /// Profile id or file; `None` takes `default_profile`.
    pub profile: Option<String>,
    pub default_profile: String,
    /// Keep only OSPS maturity levels 1..=N.
    pub level: Option<u8>,
    /// Extra catalogs, rule packs, mappings or profiles to load.
    pub spec: Vec<PathBuf>,
    pub vulns: VulnSource,
    pub forge: Option<ForgeRequest>,
    /// The day attestations' and VEX entries' expiry is checked against.
    pub today: NaiveDate,
}

/// The assessment and what it was computed from.
#[derive(Debug)]
pub struct Assessed {
    pub profile: ResolvedProfile,
    pub assessment: Assessment,
    /// The findings, when a database was used.
    pub findings: Option<Findings>,
    /// Lockfiles and manifests read (subjects of the inventory).
    pub subjects: usize,
    /// Warnings for the user (imported specification files, VEX problems).
    pub warnings: Vec<String>,
    /// The checkout's `origin` remote (credentials removed), for links to the forge.
    pub remote_url: Option<String>,
}

/// One warning per file the evidence needed and could not read (`unread[]`).
pub fn unread_warnings(evidence: &annex_evidence::Evidence) -> Vec<String> {
    evidence
        .unread
        .iter()
        .map(|u| {
            format!(
                "{} was not read ({}: {}); what depends on it is unknown",
                u.path,
                u.reason.code(),
                u.detail
            )
        })
        .collect()
}

/// A generated CRA document larger than this is not read back (its items count as missing).
const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;

/// The skipped files whose packages nobody chose to leave out: they were meant to be read.
fn unread(skipped: &[annex_checkout::Skipped]) -> Vec<annex_checkout::Skipped> {
    skipped
        .iter()
        .filter(|s| {
            matches!(
                s.reason,
                annex_checkout::SkipReason::Unreadable | annex_checkout::SkipReason::Unsupported
            )
        })
        .cloned()
        .collect()
}

/// The built-in specifications plus the given files, and the warnings loading them gave.
/// The uuids of the OSCAL documents `annex spec export` writes for `profile` (an id or a
/// file, as `--profile` takes it) and its catalogs, with the specification files `extra`
/// loaded: what OSCAL assessment results link to.
pub fn oscal_links(
    extra: &[PathBuf],
    profile: &str,
    build_time: annex_types::BuildTime,
) -> Result<annex_spec::oscal::OscalLinks, CoreError> {
    let (mut lib, _) = load_library(extra)?;
    let id = lib.profile_or_file(profile)?;
    Ok(annex_spec::oscal::links(&lib, &id, build_time)?)
}

pub fn load_library(extra: &[PathBuf]) -> Result<(Library, Vec<String>), CoreError> {
    let mut lib = Library::builtin()?;
    let mut warnings = Vec::new();
    if !extra.is_empty() {
        let imported = annex_spec::import_paths(extra)?;
        warnings.extend(imported.warnings.iter().map(ToString::to_string));
        for doc in imported.documents {
            lib.add(doc);
        }
    }
    Ok((lib, warnings))
}

impl Project {
    /// The attestations of `.annex/attestations.yaml` (none when the file is absent).
    pub fn attestations(&self, lib: &Library) -> Result<Attestations, CoreError> {
        match annex_checkout::read_text(
            &self.index.root,
            annex_assess::ATTESTATIONS_PATH,
            annex_assess::attest::MAX_ATTESTATIONS_FILE,
        ) {
            Ok(text) => Ok(Attestations::parse(
                &text,
                annex_assess::ATTESTATIONS_PATH,
                lib,
            )?),
            Err(e) if e.is_not_found() => Ok(Attestations::default()),
            Err(source) => Err(CoreError::Read {
                path: annex_assess::ATTESTATIONS_PATH.to_string(),
                source,
            }),
        }
    }

    /// Resolve the profile, collect the evidence (and forge facts when asked), match the
    /// inventory, and evaluate.
    pub fn assess(&self, request: &AssessRequest) -> Result<Assessed, CoreError> {
        let (mut lib, mut warnings) = load_library(&request.spec)?;
        let profile_id = lib.profile_or_file(
            request
                .profile
                .as_deref()
                .unwrap_or(&request.default_profile),
        )?;
        let profile = annex_spec::resolve(
            &lib,
            &profile_id,
            &ResolveOptions {
                max_level: request.level,
            },
        )?;
        let attestations = self.attestations(&lib)?;
        // Read once: the findings and the skipped list come from the same inventory. Without
        // an advisory database the packages are not needed, only what would be skipped.
        let scanned = match request.vulns {
            VulnSource::Db(_) => Some(self.inventory()?),
            VulnSource::Off | VulnSource::Missing(_) => None,
        };
        let (subjects, skipped) = match &scanned {
            Some(s) => (s.inventory.subjects.len(), crate::findings::skipped_of(s)),
            None => annex_inventory::scan::plan_index(&self.index),
        };
        let evidence = self.evidence_with(skipped.clone());
        warnings.extend(unread_warnings(&evidence));
        let mut evidence = serde_json::to_value(&evidence).unwrap_or(serde_json::Value::Null);
        if let Some(forge) = &request.forge {
            evidence["forge"] = self.forge_evidence(forge, &evidence)?;
        }
        // The CRA documents `annex docs` wrote, read back so the Annex items are decided by
        // what they say (filled, TODO, missing), through the one safe read.
        let root = &self.index.root;
        let docs = annex_docs::readback::read_back(&|rel| {
            match annex_checkout::read_text(root, rel, MAX_DOCUMENT_BYTES) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.is_not_found() => Ok(None),
                // The fact names the path already: keep only what went wrong.
                Err(e) => {
                    let text = e.to_string();
                    let prefix = format!("{rel}: ");
                    Err(text.strip_prefix(&prefix).unwrap_or(&text).to_string())
                }
            }
        });
        evidence["cra_documents"] = serde_json::to_value(docs).unwrap_or(serde_json::Value::Null);
        let (findings_json, findings) = match &request.vulns {
            VulnSource::Off => (
                annex_assess::findings_input(
                    Err("vulnerability matching was turned off (--no-vulns)".into()),
                    vec![],
                    vec![],
                ),
                None,
            ),
            VulnSource::Missing(reason) => (
                annex_assess::findings_input(Err(reason.clone()), vec![], vec![]),
                None,
            ),
            VulnSource::Db(dir) => {
                let db = annex_vuln::db::Db::open(dir).map_err(|source| CoreError::Db {
                    dir: dir.clone(),
                    source,
                })?;
                let scanned = scanned
                    .as_ref()
                    .ok_or_else(|| CoreError::Config("internal: no inventory".into()))?;
                let found = self.findings_of(scanned, &db, &[], request.today)?;
                warnings.extend(found.warnings.iter().cloned());
                (
                    annex_assess::findings_from_triaged(
                        dir.display().to_string(),
                        found.packages,
                        found.findings.clone(),
                        &unread(&found.skipped),
                        &found.gaps,
                    ),
                    Some(found),
                )
            }
        };
        let mut assessment = annex_assess::evaluate(&Inputs {
            library: &lib,
            profile: &profile,
            evidence: &evidence,
            attestations: &attestations,
            today: request.today,
            subject: self.path.display().to_string(),
            forge: request.forge.is_some(),
            findings: &findings_json,
        });
        assessment.skipped = skipped;
        let remote_url = evidence["project"]["remote_url"]
            .as_str()
            .map(str::to_string);
        Ok(Assessed {
            profile,
            assessment,
            findings,
            subjects,
            warnings,
            remote_url,
        })
    }

    /// Forge facts for the evidence's `forge` key; the repository comes from the origin
    /// remote. The one network action of an assessment, only when asked.
    fn forge_evidence(
        &self,
        request: &ForgeRequest,
        evidence: &serde_json::Value,
    ) -> Result<serde_json::Value, CoreError> {
        let remote = evidence["project"]["remote_url"].as_str().ok_or_else(|| {
            CoreError::Forge(
                "--forge needs the repository's origin remote, and this checkout has none".into(),
            )
        })?;
        let (found, owner, repo) = annex_forge::parse_remote(remote).ok_or_else(|| {
            CoreError::Forge(format!(
                "--forge: cannot tell the forge repository from the remote {remote}"
            ))
        })?;
        if found != request.kind {
            return Err(CoreError::Forge(format!(
                "--forge {}: the origin remote {remote} is on {}",
                request.kind.as_str(),
                found.as_str()
            )));
        }
        let mut opts = annex_forge::ForgeOptions::new(request.kind, owner, repo);
        opts.token = request.token.clone();
        if let Some(api) = &request.api_base {
            opts.api_base = api.clone();
        }
        Ok(serde_json::to_value(annex_forge::collect(&opts)).unwrap_or(serde_json::Value::Null))
    }
}
