//! annex-assess: evaluate a resolved profile's rules (CEL) over the evidence document and the
//! attestations, giving each requirement a status, a reason that names the file and line or
//! what is missing, and a fix; then roll the results up to the CRA requirements.

pub mod attest;
mod cel_eval;
pub mod scorecard;
mod unread;

pub use attest::{ATTESTATIONS_PATH, Attestation, Attestations, AttestedStatus};

use annex_spec::{
    EvidenceSource, Library, RequirementKind, ResolvedProfile, ResolvedRequirement, Rule, SpecError,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

pub const ASSESSMENT_SCHEMA: &str = "annex/assessment/v1";

#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Fail,
    NeedsReview,
    Unknown,
    NotRun,
    Pass,
    NotApplicable,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NeedsReview => "needs-review",
            Status::NotApplicable => "not-applicable",
            Status::NotRun => "not-run",
            Status::Unknown => "unknown",
        }
    }
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::NeedsReview,
        Status::NotApplicable,
        Status::NotRun,
        Status::Unknown,
    ];
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EvidenceRef {
    pub path: String,
    pub line: u64,
}

impl std::fmt::Display for EvidenceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MapOut {
    pub target: String,
    pub relationship: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequirementResult {
    pub requirement: String,
    pub catalog: String,
    pub control: String,
    pub title: String,
    pub group: String,
    pub group_title: String,
    pub text: String,
    pub status: Status,
    pub confidence: Confidence,
    pub source: String,
    pub reason: String,
    pub evidence: Vec<EvidenceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    pub maps: Vec<MapOut>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    NotCovered,
    Partly,
    Covered,
    NotApplicable,
    /// A permission or Commission power (Art. 13(10), 13(11), Article 25): nothing to cover.
    Informative,
}

impl Coverage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Partly => "partly",
            Coverage::NotCovered => "not-covered",
            Coverage::NotApplicable => "not-applicable",
            Coverage::Informative => "informative",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Decider {
    pub requirement: String,
    pub relationship: String,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CraItem {
    pub requirement: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    pub coverage: Coverage,
    pub decided_by: Vec<Decider>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub needs_review: usize,
    pub not_applicable: usize,
    pub not_run: usize,
    pub unknown: usize,
}

impl Summary {
    /// The counts of `results`.
    pub fn of(results: &[RequirementResult]) -> Summary {
        let mut summary = Summary {
            total: results.len(),
            ..Summary::default()
        };
        for r in results {
            match r.status {
                Status::Pass => summary.pass += 1,
                Status::Fail => summary.fail += 1,
                Status::NeedsReview => summary.needs_review += 1,
                Status::NotApplicable => summary.not_applicable += 1,
                Status::NotRun => summary.not_run += 1,
                Status::Unknown => summary.unknown += 1,
            }
        }
        summary
    }
    pub fn count(&self, s: Status) -> usize {
        match s {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::NeedsReview => self.needs_review,
            Status::NotApplicable => self.not_applicable,
            Status::NotRun => self.not_run,
            Status::Unknown => self.unknown,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProfileInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub applicability: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cra_role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_class: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CatalogVersion {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Assessment {
    pub schema: String,
    pub generator: Generator,
    /// The assessed checkout as given on the command line.
    pub subject: String,
    pub profile: ProfileInfo,
    pub catalogs: Vec<CatalogVersion>,
    pub summary: Summary,
    pub results: Vec<RequirementResult>,
    pub cra: Vec<CraItem>,
    /// Lockfiles and manifests the run did not read, and why (filled by the pipeline).
    #[serde(default)]
    pub skipped: Vec<annex_checkout::Skipped>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

/// What an assessment is computed from.
pub struct Inputs<'a> {
    pub library: &'a Library,
    pub profile: &'a ResolvedProfile,
    /// The evidence document (annex/evidence/v1) as JSON.
    pub evidence: &'a Json,
    pub attestations: &'a Attestations,
    /// The day attestations' expiry is checked against.
    pub today: NaiveDate,
    pub subject: String,
    /// Whether forge data was collected (`--forge`); without it forge rules are not run.
    pub forge: bool,
    /// Known vulnerabilities (CEL variable `findings`), from [`findings_input`].
    pub findings: &'a Json,
}

/// One vulnerability finding as rules see it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingFact {
    pub id: String,
    pub aliases: Vec<String>,
    pub package: String,
    pub version: String,
    pub ecosystem: String,
    /// CVSS base score, when the advisory gives a vector.
    pub score: Option<f64>,
    pub fixed: Option<String>,
    /// VEX status when triaged (`not_affected`, `affected`, `fixed`, `under_investigation`).
    pub vex: Option<String>,
    /// The lockfile and line the package comes from.
    pub path: Option<String>,
    pub line: Option<u64>,
}

impl From<annex_vuln::triage::TriagedFinding> for FindingFact {
    fn from(t: annex_vuln::triage::TriagedFinding) -> Self {
        let f = t.finding;
        FindingFact {
            score: f.severity.as_ref().and_then(|s| s.score),
            path: f.package.source.as_ref().map(|l| l.path.clone()),
            line: f.package.source.as_ref().map(|l| l.line),
            vex: t.vex.map(|v| v.status.as_str().to_string()),
            id: f.id,
            aliases: f.aliases,
            package: f.package.name,
            version: f.package.version,
            ecosystem: f.package.ecosystem,
            fixed: f.nearest_fix,
        }
    }
}

/// The CEL `findings` variable from triaged findings: suppressed ones (VEX not_affected or
/// fixed) apart from the open ones.
pub fn findings_from_triaged(
    database: String,
    packages: usize,
    triaged: Vec<annex_vuln::triage::TriagedFinding>,
    unread: &[annex_checkout::Skipped],
    gaps: &[String],
) -> Json {
    let (suppressed, open): (Vec<_>, Vec<_>) = triaged.into_iter().partition(|t| t.suppressed);
    let mut input = findings_input(
        Ok((database, packages)),
        open.into_iter().map(FindingFact::from).collect(),
        suppressed.into_iter().map(FindingFact::from).collect(),
    );
    input["unread"] = serde_json::to_value(unread).unwrap_or_else(|_| Json::Array(Vec::new()));
    input["gaps"] = serde_json::to_value(gaps).unwrap_or_else(|_| Json::Array(Vec::new()));
    input
}

/// The CEL `findings` variable: `{available, reason, database, packages, open[],
/// suppressed[], unread[], gaps[]}`. `available` is false (with the reason) when no
/// advisory database was used, so rules about known vulnerabilities give needs-review rather
/// than a pass they could not check. `unread` lists dependency files that could not be read
/// and `gaps` what the database could not answer (empty, or no advisories for an ecosystem
/// of the packages): a rule over the findings that would pass is `unknown` while either is
/// not empty.
pub fn findings_input(
    available: Result<(String, usize), String>,
    open: Vec<FindingFact>,
    suppressed: Vec<FindingFact>,
) -> Json {
    match available {
        Ok((database, packages)) => serde_json::json!({
            "available": true, "reason": null, "database": database, "packages": packages,
            "open": open, "suppressed": suppressed, "unread": [], "gaps": [],
        }),
        Err(reason) => serde_json::json!({
            "available": false, "reason": reason, "database": null, "packages": 0,
            "open": [], "suppressed": [], "unread": [], "gaps": [],
        }),
    }
}

/// A pass over the findings cannot stand for dependency files that were not read, nor for
/// packages the database had nothing on: the reason naming them, when there are any and the
/// rule reads the findings.
fn unread_dependencies(rule: &Rule, findings: &Json) -> Option<String> {
    let reads_findings = rule
        .rule
        .as_ref()
        .is_some_and(|r| r.value.contains("findings."));
    if !reads_findings {
        return None;
    }
    let gaps: Vec<&str> = findings
        .get("gaps")
        .and_then(Json::as_array)
        .map(|g| g.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if !gaps.is_empty() {
        return Some(format!(
            "{}: no finding is no answer for those packages",
            gaps.join("; ")
        ));
    }
    let unread = findings.get("unread")?.as_array()?;
    if unread.is_empty() {
        return None;
    }
    let listed: Vec<String> = unread
        .iter()
        .take(3)
        .map(|u| {
            format!(
                "{} ({})",
                u["path"].as_str().unwrap_or("?"),
                u["reason"].as_str().unwrap_or("?")
            )
        })
        .collect();
    let more = if unread.len() > 3 { ", …" } else { "" };
    Some(format!(
        "{} dependency file(s) could not be read ({}{more}); what they pin was not checked, \
         so this cannot be told until they are (see skipped[])",
        unread.len(),
        listed.join(", ")
    ))
}

pub fn evaluate(inputs: &Inputs) -> Assessment {
    let profile = inputs.profile;
    let params = serde_json::to_value(&profile.parameters).unwrap_or(Json::Null);
    let attested: serde_json::Map<String, Json> = profile
        .requirements
        .iter()
        .filter_map(|r| {
            inputs.attestations.in_force(&r.id, inputs.today).map(|a| {
                (
                    r.id.clone(),
                    serde_json::json!({"status": a.status, "statement": a.statement, "by": a.by,
                                       "date": a.date.map(|d| d.to_string())}),
                )
            })
        })
        .collect();
    let profile_json = serde_json::json!({
        "id": profile.id,
        "applicability": profile.applicability,
        "cra_role": profile.cra_role.map(|r| r.as_str()),
        "product_class": profile.product_class.map(|c| c.as_str()),
    });
    let attested = Json::Object(attested);
    let ctx = cel_eval::context(&[
        ("evidence", inputs.evidence),
        ("params", &params),
        ("attestations", &attested),
        ("profile", &profile_json),
        ("findings", inputs.findings),
    ]);
    let results: Vec<RequirementResult> = profile
        .requirements
        .iter()
        .map(|req| evaluate_one(req, &ctx, inputs))
        .collect();
    let summary = Summary::of(&results);
    let cra = rollup(inputs.library, profile, &results);
    Assessment {
        schema: ASSESSMENT_SCHEMA.to_string(),
        generator: Generator {
            name: "annex".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        subject: inputs.subject.clone(),
        profile: ProfileInfo {
            id: profile.id.clone(),
            title: profile.title.clone(),
            version: profile.version.clone(),
            applicability: profile.applicability.clone(),
            cra_role: profile.cra_role.map(|r| r.as_str().to_string()),
            product_class: profile.product_class.map(|c| c.as_str().to_string()),
        },
        catalogs: profile
            .catalogs
            .iter()
            .map(|c| CatalogVersion {
                id: c.id.clone(),
                version: c.version.clone(),
            })
            .collect(),
        summary,
        results,
        cra,
        skipped: Vec::new(),
    }
}

struct Outcome {
    status: Status,
    confidence: Confidence,
    reason: String,
    evidence: Vec<EvidenceRef>,
    attestation: Option<String>,
}

fn evaluate_one(
    req: &ResolvedRequirement,
    ctx: &cel::Context,
    inputs: &Inputs,
) -> RequirementResult {
    let fallback = Rule::empty(serde_saphyr::Spanned::new(
        req.id.clone(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    ));
    let rule = req.rule.as_ref().unwrap_or(&fallback);
    let mut outcome = if req.kind == RequirementKind::Informative {
        informative(req)
    } else {
        automated(rule, ctx, inputs)
    };
    // Attestations decide what automation could not; they never overturn an automated fail.
    if matches!(
        outcome.status,
        Status::NeedsReview | Status::NotRun | Status::Unknown
    ) {
        if let Some(a) = inputs.attestations.in_force(&req.id, inputs.today) {
            outcome.status = match a.status {
                AttestedStatus::Pass => Status::Pass,
                AttestedStatus::Fail => Status::Fail,
                AttestedStatus::NotApplicable => Status::NotApplicable,
            };
            outcome.confidence = Confidence::Medium;
            let who = if a.by.is_empty() {
                String::new()
            } else {
                format!(" by {}", a.by)
            };
            outcome.reason = format!("attested{who} ({}): {}", a.location, a.statement);
            outcome.attestation = Some(a.location.clone());
        } else if let Some(a) = inputs.attestations.expired(&req.id, inputs.today) {
            outcome.reason = format!(
                "{} (the attestation at {} expired on {})",
                outcome.reason,
                a.location,
                a.expires.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
    RequirementResult {
        requirement: req.id.clone(),
        catalog: req.catalog.clone(),
        control: req.control.clone(),
        title: req.control_title.clone(),
        group: req.group.clone(),
        group_title: req.group_title.clone(),
        text: req.text.clone(),
        status: outcome.status,
        confidence: outcome.confidence,
        source: rule.source.as_str().to_string(),
        reason: outcome.reason,
        evidence: outcome.evidence,
        remediation: if outcome.status == Status::Pass || outcome.status == Status::NotApplicable {
            None
        } else {
            rule.remediation
                .clone()
                .or_else(|| req.recommendation.clone())
        },
        generator: rule.generator.clone(),
        attestation: outcome.attestation,
        maps: req
            .maps
            .iter()
            .map(|m| MapOut {
                target: m.target.clone(),
                relationship: m.relationship.as_str().to_string(),
            })
            .collect(),
    }
}

/// A permission or a Commission power grants, it does not oblige: nothing to check, never a
/// fail (Art. 13(10), 13(11), Article 25).
fn informative(req: &ResolvedRequirement) -> Outcome {
    let anchor = req.anchor.as_deref().unwrap_or(req.id.as_str());
    Outcome {
        status: Status::NotApplicable,
        confidence: Confidence::High,
        reason: format!(
            "informative: {anchor} is a permission or a Commission power, not an obligation; \
             nothing to meet"
        ),
        evidence: Vec::new(),
        attestation: None,
    }
}

fn run(expr: &serde_saphyr::Spanned<String>, ctx: &cel::Context) -> Result<bool, String> {
    let program = cel_eval::compile(&expr.value)?;
    cel_eval::eval_bool(&program, ctx)
}

fn automated(rule: &Rule, ctx: &cel::Context, inputs: &Inputs) -> Outcome {
    let mut out = Outcome {
        status: Status::Unknown,
        confidence: Confidence::High,
        reason: String::new(),
        evidence: Vec::new(),
        attestation: None,
    };
    if let Some(cond) = &rule.applies_when {
        match run(cond, ctx) {
            Ok(false) => {
                out.status = Status::NotApplicable;
                out.reason = format!(
                    "not applicable here (applies when: {})",
                    cond.value.split_whitespace().collect::<Vec<_>>().join(" ")
                );
                return out;
            }
            Ok(true) => {}
            Err(e) => {
                out.reason = format!(
                    "applies-when of the rule for {} could not be evaluated: {e}",
                    rule.requirement.value
                );
                return out;
            }
        }
    }
    match rule.source {
        EvidenceSource::Forge if !inputs.forge => {
            out.status = Status::NotRun;
            out.reason = format!(
                "needs the forge's settings, which a checkout does not show; attest it in {ATTESTATIONS_PATH}"
            );
            return out;
        }
        EvidenceSource::Attestation => {
            out.status = Status::NeedsReview;
            out.confidence = Confidence::Low;
            out.reason = format!("needs a human attestation in {ATTESTATIONS_PATH}");
            return out;
        }
        EvidenceSource::Document => return from_document(&rule.requirement.value, inputs.evidence),
        _ => {}
    }
    // Facts a forge may refuse to show (a token without the permission): not-run, never fail.
    for path in &rule.requires {
        let node = path
            .split('.')
            .try_fold(inputs.evidence, |n, seg| n.get(seg));
        let status = node.and_then(|n| n.get("status")).and_then(Json::as_str);
        if status != Some("ok") {
            // A fact the checkout cannot tell (a mirror as origin) is unknown, not skipped.
            out.status = if status == Some("unknown") {
                Status::Unknown
            } else {
                Status::NotRun
            };
            let why = node
                .and_then(|n| n.get("reason"))
                .and_then(Json::as_str)
                .unwrap_or("the forge did not provide it");
            out.reason = if status == Some("unknown") {
                why.to_string()
            } else {
                format!("{path} unavailable: {why}")
            };
            return out;
        }
    }
    let Some(expr) = &rule.rule else {
        out.status = Status::NeedsReview;
        out.confidence = Confidence::Low;
        out.reason = format!("no automated rule; needs a human attestation in {ATTESTATIONS_PATH}");
        return out;
    };
    // `findings.…` paths point into the vulnerability findings, the rest into the evidence.
    let (from_findings, from_evidence): (Vec<String>, Vec<String>) = rule
        .evidence
        .iter()
        .cloned()
        .partition(|p| p.starts_with("findings."));
    out.evidence = collect_refs(inputs.evidence, &from_evidence);
    let rest: Vec<String> = from_findings
        .iter()
        .map(|p| p.trim_start_matches("findings.").to_string())
        .collect();
    let mut found = collect_refs(inputs.findings, &rest);
    found.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    found.dedup();
    out.evidence.extend(found);
    let at = if out.evidence.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            out.evidence
                .iter()
                .take(3)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(", ")
                + if out.evidence.len() > 3 { ", …" } else { "" }
        )
    };
    // Files the rule depends on that were not read: no pass, and no fail for want of them.
    let unread = unread::feeding(&expr.value, inputs.evidence);
    let result = run(expr, ctx);
    if let Ok(passed) = result
        && unread::undecided(
            &unread,
            !passed,
            out.evidence.iter().map(|e| e.path.as_str()),
        )
    {
        out.status = Status::Unknown;
        out.confidence = Confidence::Low;
        out.reason = unread::reason(&unread);
        return out;
    }
    match result {
        Ok(true) => match unread_dependencies(rule, inputs.findings) {
            Some(reason) => {
                out.status = Status::Unknown;
                out.confidence = Confidence::Low;
                out.reason = reason;
            }
            None => {
                out.status = Status::Pass;
                out.reason = format!("{}{at}", rule.pass.as_deref().unwrap_or("rule satisfied"));
            }
        },
        Ok(false) => {
            let review = match &rule.review_when {
                Some(r) => run(r, ctx).unwrap_or(false),
                None => false,
            };
            if review {
                out.status = Status::NeedsReview;
                out.confidence = Confidence::Medium;
                let msg = rule
                    .review
                    .as_deref()
                    .or(rule.fail.as_deref())
                    .unwrap_or("partial evidence");
                out.reason = format!("{msg}{at}");
            } else {
                out.status = Status::Fail;
                out.reason = format!(
                    "{}{at}",
                    rule.fail.as_deref().unwrap_or("rule not satisfied")
                );
            }
        }
        Err(e) => {
            out.status = Status::Unknown;
            out.confidence = Confidence::Low;
            out.reason = format!(
                "rule for {} could not be evaluated: {e}",
                rule.requirement.value
            );
        }
    }
    out
}

/// An Annex item decided by the CRA document that holds it (`evidence.cra_documents`, read
/// back by the pipeline): filled passes with the file and line, a TODO fails with its text,
/// a missing document fails with the command that writes it. Not read at all, or there but
/// unreadable: unknown, with the reason.
fn from_document(id: &str, evidence: &Json) -> Outcome {
    let mut out = Outcome {
        status: Status::Unknown,
        confidence: Confidence::Low,
        reason: String::new(),
        evidence: Vec::new(),
        attestation: None,
    };
    let Some(fact) = evidence.get("cra_documents").and_then(|d| d.get(id)) else {
        out.reason = "the CRA documents were not read back, so this item cannot be told".into();
        return out;
    };
    let s = |k: &str| fact.get(k).and_then(Json::as_str).unwrap_or("?");
    let line = fact.get("line").and_then(Json::as_u64).unwrap_or(1);
    let state = s("state");
    match state {
        "filled" => {
            out.status = Status::Pass;
            out.confidence = Confidence::Medium;
            out.reason = format!("{}:{line} fills this item", s("path"));
        }
        "todo" => {
            out.status = Status::Fail;
            out.confidence = Confidence::High;
            let more = match fact.get("count").and_then(Json::as_u64).unwrap_or(1) {
                0 | 1 => String::new(),
                n => format!(" (and {} more TODO)", n - 1),
            };
            out.reason = format!("{}:{line}: TODO: {}{more}", s("path"), s("todo"));
        }
        "missing" => {
            out.status = Status::Fail;
            out.confidence = Confidence::High;
            out.reason = format!(
                "{} is missing or has no section for this item: `{}` writes it",
                s("path"),
                s("command")
            );
        }
        "unreadable" => {
            out.reason = format!(
                "{} could not be read ({}), so this item cannot be told",
                s("path"),
                s("reason")
            );
        }
        other => out.reason = format!("unknown document state `{other}`"),
    }
    if matches!(state, "filled" | "todo") {
        out.evidence.push(EvidenceRef {
            path: s("path").to_string(),
            line,
        });
    }
    out
}

/// Evidence pointers: follow each dotted path and collect every `{path, line}` object found
/// there (the fact itself, or facts inside its lists).
fn collect_refs(evidence: &Json, paths: &[String]) -> Vec<EvidenceRef> {
    let mut out = Vec::new();
    for p in paths {
        let mut node = evidence;
        // Facts nested in a file fact (a contact line in SECURITY.md) carry only a line.
        let mut file: Option<&str> = None;
        let mut found = true;
        // `list[field=a|b]` keeps the entries whose field is one of the values (`$=`: ends
        // with one), so that a rule lists the entries that decide it, before the rest.
        let (p, filter) = match p.split_once('[') {
            Some((head, f)) => (head, f.strip_suffix(']').and_then(|f| f.split_once('='))),
            None => (p.as_str(), None),
        };
        for seg in p.split('.') {
            if let Some(path) = node.get("path").and_then(Json::as_str) {
                file = Some(path);
            }
            match node.get(seg) {
                Some(n) => node = n,
                None => {
                    found = false;
                    break;
                }
            }
        }
        if !found {
            continue;
        }
        match (filter, node.as_array()) {
            (Some((field, values)), Some(items)) => {
                let (field, suffix) = match field.strip_suffix('$') {
                    Some(f) => (f, true),
                    None => (field, false),
                };
                let hit = |v: &str| {
                    let v = v.to_ascii_lowercase();
                    values
                        .split('|')
                        .any(|w| if suffix { v.ends_with(w) } else { v == w })
                };
                let kept: Vec<Json> = items
                    .iter()
                    .filter(|i| i.get(field).and_then(Json::as_str).is_some_and(hit))
                    .cloned()
                    .collect();
                gather(&Json::Array(kept), file, &mut out, 0);
            }
            _ => gather(node, file, &mut out, 0),
        }
    }
    // Keep the first mention of each line: the deciding entries come first.
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert((r.path.clone(), r.line)));
    out
}

fn gather(node: &Json, file: Option<&str>, out: &mut Vec<EvidenceRef>, depth: usize) {
    if depth > 3 || out.len() >= 20 {
        return;
    }
    match node {
        Json::Object(o) => {
            let line = o.get("line").and_then(Json::as_u64);
            match (o.get("path").and_then(Json::as_str), file) {
                (Some(path), _) => out.push(EvidenceRef {
                    path: path.to_string(),
                    line: line.unwrap_or(1),
                }),
                (None, Some(path)) if line.is_some() => out.push(EvidenceRef {
                    path: path.to_string(),
                    line: line.unwrap_or(1),
                }),
                _ => {
                    for v in o.values() {
                        if v.is_array() {
                            gather(v, file, out, depth + 1);
                        }
                    }
                }
            }
        }
        Json::Array(a) => {
            for v in a {
                gather(v, file, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Roll results up to every CRA requirement that applies to the profile's role and class.
///
/// A requirement of kind `process` (a process "put in place and enforced" or an action to be
/// taken, Annex I, Part II) is covered only by its own result: a mapped requirement from
/// another catalog checks that a document *says* something, which supports the item but
/// never covers it. Its own rule passes only on a fact that proves the action, or by
/// attestation.
fn rollup(lib: &Library, profile: &ResolvedProfile, results: &[RequirementResult]) -> Vec<CraItem> {
    let Some(cra) = lib.catalogs.get("cra") else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (_, req) in cra.requirements() {
        if req.state != annex_spec::Lifecycle::Active {
            continue;
        }
        let id = req.id.value.as_str();
        let role_ok = match profile.cra_role {
            Some(role) => {
                let roles: Vec<&String> = req
                    .applicability
                    .iter()
                    .filter(|a| *a == "manufacturer" || *a == "steward")
                    .collect();
                roles.is_empty() || roles.iter().any(|a| a.as_str() == role.as_str())
            }
            None => true,
        };
        let process = req.kind == RequirementKind::Process;
        let mut decided_by: Vec<Decider> = Vec::new();
        for r in results {
            if r.requirement == id {
                decided_by.push(Decider {
                    requirement: r.requirement.clone(),
                    relationship: "self".into(),
                    status: r.status,
                });
            }
            for m in r.maps.iter().filter(|m| m.target == id) {
                let full = matches!(
                    m.relationship.as_str(),
                    "implements" | "equivalent" | "subsumes"
                );
                decided_by.push(Decider {
                    requirement: r.requirement.clone(),
                    // Text is not enforcement: at most support for a process item.
                    relationship: if process && full {
                        "supports".into()
                    } else {
                        m.relationship.clone()
                    },
                    status: r.status,
                });
            }
        }
        let coverage = if !role_ok {
            Coverage::NotApplicable
        } else if req.kind == RequirementKind::Informative {
            Coverage::Informative
        } else if decided_by.is_empty() {
            Coverage::NotCovered
        } else if decided_by.iter().all(|d| d.status == Status::NotApplicable) {
            Coverage::NotApplicable
        } else {
            let full = |d: &&Decider| {
                matches!(
                    d.relationship.as_str(),
                    "self" | "implements" | "equivalent" | "subsumes"
                )
            };
            let any_pass = decided_by.iter().any(|d| d.status == Status::Pass);
            let full_pass = decided_by
                .iter()
                .filter(full)
                .any(|d| d.status == Status::Pass);
            let open = decided_by
                .iter()
                .any(|d| !matches!(d.status, Status::Pass | Status::NotApplicable));
            if full_pass && !open {
                Coverage::Covered
            } else if any_pass {
                Coverage::Partly
            } else {
                Coverage::NotCovered
            }
        };
        items.push(CraItem {
            requirement: id.to_string(),
            title: req.text.lines().next().unwrap_or_default().to_string(),
            anchor: req.anchor.clone(),
            coverage,
            decided_by,
        });
    }
    items
}
