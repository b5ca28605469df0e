//! Article 14: recording actively exploited vulnerabilities and severe incidents, the
//! reporting clocks, and drafts of the reports and of the user notice.
//!
//! Each event is a TOML file under `.annex/incidents/<id>.toml` in the checkout. The
//! clocks (Article 14(2) and (4)):
//!
//! | report | vulnerability (14(2)) | severe incident (14(4)) |
//! |---|---|---|
//! | early warning | 24 h after awareness | 24 h after awareness |
//! | notification | 72 h after awareness | 72 h after awareness |
//! | final report | 14 days after a corrective or mitigating measure is available | one month after the notification was submitted |
//!
//! Only an actively exploited vulnerability starts clocks. Deadlines are instants: they
//! are computed on the time with the offset given (so time zones and daylight-saving
//! changes cannot shift them) and shown in that offset and in UTC. "One month" is the
//! same day of the next month, or that month's last day when it has no such day (31
//! January → 28 or 29 February), as in Regulation (EEC, Euratom) No 1182/71. annex counts
//! from the moment itself and does not extend a period ending on a weekend or holiday,
//! so its deadlines are never later than the legal ones.

use crate::catalog;
use crate::error::DocsError;
use crate::markup::{Doc, Inline, b, code, em, link, t};
use crate::metadata::{Metadata, located, toml_date_text, toml_error};
use crate::security_txt::contact_uri;
use crate::{Document, Todo};
use chrono::{DateTime, Duration, FixedOffset, Months, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};

/// Where incident records live, relative to the checkout root.
pub const INCIDENTS_DIR: &str = ".annex/incidents";

/// Article 14 applies from this date (Article 71(2)).
pub fn reporting_applies_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 11).expect("valid date")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentKind {
    /// A vulnerability in the product (Article 14(1), (2)).
    Vulnerability,
    /// A severe incident having an impact on the security of the product (14(3), (4)).
    SevereIncident,
}

impl IncidentKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            IncidentKind::Vulnerability => "vulnerability",
            IncidentKind::SevereIncident => "severe-incident",
        }
    }
}

/// The reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    EarlyWarning,
    Notification,
    #[serde(rename = "final-report")]
    Final,
    /// Informing users (Article 14(8)); no fixed deadline ("after becoming aware").
    UserNotice,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::EarlyWarning,
        Stage::Notification,
        Stage::Final,
        Stage::UserNotice,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::EarlyWarning => "early-warning",
            Stage::Notification => "notification",
            Stage::Final => "final-report",
            Stage::UserNotice => "user-notice",
        }
    }
    pub fn title(&self) -> &'static str {
        match self {
            Stage::EarlyWarning => "Early warning",
            Stage::Notification => "Notification",
            Stage::Final => "Final report",
            Stage::UserNotice => "Notice to users",
        }
    }
    /// The catalog item of the stage for a kind of event.
    pub fn catalog_id(&self, kind: IncidentKind) -> &'static str {
        match (kind, self) {
            (IncidentKind::Vulnerability, Stage::EarlyWarning) => "CRA-ART14.2a",
            (IncidentKind::Vulnerability, Stage::Notification) => "CRA-ART14.2b",
            (IncidentKind::Vulnerability, Stage::Final) => "CRA-ART14.2c",
            (IncidentKind::SevereIncident, Stage::EarlyWarning) => "CRA-ART14.4a",
            (IncidentKind::SevereIncident, Stage::Notification) => "CRA-ART14.4b",
            (IncidentKind::SevereIncident, Stage::Final) => "CRA-ART14.4c",
            (_, Stage::UserNotice) => "CRA-ART14.8",
        }
    }
}

impl std::str::FromStr for Stage {
    type Err = DocsError;
    fn from_str(s: &str) -> Result<Stage, DocsError> {
        Ok(match s {
            "early-warning" | "early" => Stage::EarlyWarning,
            "notification" => Stage::Notification,
            "final" | "final-report" => Stage::Final,
            "user-notice" | "notice" | "csaf" => Stage::UserNotice,
            _ => {
                return Err(DocsError::Unsupported(format!(
                    "unknown stage `{s}`: early-warning, notification, final-report or user-notice"
                )));
            }
        })
    }
}

/// What the reports need beyond the first record; fill in as you learn it (edit the
/// `[details]` table of the record). Missing ones are TODOs in the drafts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Details {
    /// Member States where the product is available, where known (14(2)(a), 14(4)(a)).
    #[serde(default)]
    pub member_states: Vec<String>,
    /// Severe incidents: whether unlawful or malicious acts are suspected (14(4)(a)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspected_malicious: Option<bool>,
    /// Vulnerabilities: the general nature of the exploit and of the vulnerability (14(2)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploit: Option<String>,
    /// Severe incidents: the nature of the incident (14(4)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<String>,
    /// Severe incidents: an initial assessment (14(4)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_assessment: Option<String>,
    /// Corrective or mitigating measures taken (14(2)(b), 14(4)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures_taken: Option<String>,
    /// Corrective or mitigating measures users can take (14(2)(b), 14(4)(b), 14(8)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_measures: Option<String>,
    /// How sensitive the reported information is (e.g. TLP:AMBER) (14(2)(b), 14(4)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<String>,
    /// Final report: a (detailed) description (14(2)(c)(i), 14(4)(c)(i)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Final report: severity (e.g. a CVSS vector and score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Final report: impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// Vulnerabilities: information on the malicious actor, where available (14(2)(c)(ii)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub malicious_actor: Option<String>,
    /// Severe incidents: the likely type of threat or root cause (14(4)(c)(ii)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    /// Severe incidents: applied and ongoing mitigation (14(4)(c)(iii)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<String>,
    /// The public advisory, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_url: Option<String>,
}

/// What `new` records.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    pub kind: IncidentKind,
    /// When you became aware, with the offset of the place (`2026-11-25T10:17:00+01:00`).
    pub aware_at: DateTime<FixedOffset>,
    /// Advisory and CVE ids, preferred first.
    pub ids: Vec<String>,
    /// Affected versions or ranges (`1.4.1`, `< 1.4.2`, `>= 1.2.0, < 1.4.2`).
    pub affected_versions: Vec<String>,
    /// Vulnerabilities: whether it is actively exploited (only then do clocks run).
    pub actively_exploited: bool,
    pub summary: String,
    pub details: Details,
}

impl NewIncident {
    pub fn new(
        kind: IncidentKind,
        aware_at: DateTime<FixedOffset>,
        summary: impl Into<String>,
    ) -> Self {
        NewIncident {
            kind,
            aware_at,
            ids: Vec::new(),
            affected_versions: Vec::new(),
            actively_exploited: false,
            summary: summary.into(),
            details: Details::default(),
        }
    }
}

/// When each report (and the user notice) was submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Submitted {
    #[serde(
        default,
        deserialize_with = "de_opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub early_warning: Option<DateTime<FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "de_opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub notification: Option<DateTime<FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "de_opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub final_report: Option<DateTime<FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "de_opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_notice: Option<DateTime<FixedOffset>>,
}

impl Submitted {
    pub fn get(&self, stage: Stage) -> Option<DateTime<FixedOffset>> {
        match stage {
            Stage::EarlyWarning => self.early_warning,
            Stage::Notification => self.notification,
            Stage::Final => self.final_report,
            Stage::UserNotice => self.user_notice,
        }
    }
    fn set(&mut self, stage: Stage, at: DateTime<FixedOffset>) {
        match stage {
            Stage::EarlyWarning => self.early_warning = Some(at),
            Stage::Notification => self.notification = Some(at),
            Stage::Final => self.final_report = Some(at),
            Stage::UserNotice => self.user_notice = Some(at),
        }
    }
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Incident {
    pub id: String,
    pub kind: IncidentKind,
    #[serde(deserialize_with = "de_datetime")]
    pub aware_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub actively_exploited: bool,
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub affected_versions: Vec<String>,
    pub summary: String,
    /// When a corrective or mitigating measure became available.
    #[serde(
        default,
        deserialize_with = "de_opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub fixed_at: Option<DateTime<FixedOffset>>,
    /// The version that fixes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_in: Option<String>,
    #[serde(default)]
    pub submitted: Submitted,
    #[serde(default)]
    pub details: Details,
}

impl Incident {
    /// Whether Article 14 reporting applies: a severe incident, or an actively exploited
    /// vulnerability.
    pub fn reportable(&self) -> bool {
        self.kind == IncidentKind::SevereIncident || self.actively_exploited
    }
    /// The first CVE id, if any.
    pub fn cve(&self) -> Option<&str> {
        self.ids.iter().map(String::as_str).find(|i| is_cve(i))
    }
}

fn is_cve(s: &str) -> bool {
    let mut parts = s.split('-');
    parts.next() == Some("CVE")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none()
}

fn parse_datetime(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
        format!("`{s}` is not a date and time with an offset, e.g. 2026-11-25T10:17:00+01:00")
    })
}

fn de_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let s = toml_date_text(d, "a date and time")?;
    parse_datetime(&s).map_err(serde::de::Error::custom)
}

fn de_opt_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    de_datetime(d).map(Some)
}

fn rfc3339(d: &DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `2026-11-25 10:17 +01:00 (09:17 UTC)`.
pub fn show_time(d: &DateTime<FixedOffset>) -> String {
    let utc = d.with_timezone(&Utc);
    if d.offset().local_minus_utc() == 0 {
        format!("{} UTC", d.format("%Y-%m-%d %H:%M"))
    } else if utc.date_naive() == d.date_naive() {
        format!(
            "{} ({} UTC)",
            d.format("%Y-%m-%d %H:%M %:z"),
            utc.format("%H:%M")
        )
    } else {
        format!(
            "{} ({} UTC)",
            d.format("%Y-%m-%d %H:%M %:z"),
            utc.format("%Y-%m-%d %H:%M")
        )
    }
}

/// `1 d 2 h 5 min`.
pub fn show_duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m} min"));
    }
    parts.join(" ")
}

// ---------------------------------------------------------------------------------------
// Records on disk

fn dir(root: &Path) -> PathBuf {
    root.join(INCIDENTS_DIR)
}

/// [`annex_types::slug::slug`], cut to 48 characters for a file name.
fn slug(s: &str) -> String {
    let mut out: String = annex_types::slug::slug(s).chars().take(48).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The id of an event: the UTC date of awareness and its first id (a CVE preferred),
/// or the first words of the summary: `2026-11-25-cve-2026-1234`.
pub fn incident_id(n: &NewIncident) -> String {
    let date = n.aware_at.with_timezone(&Utc).date_naive();
    let name = n
        .ids
        .iter()
        .find(|i| is_cve(i))
        .or_else(|| n.ids.first())
        .map(|i| slug(i))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let words: Vec<&str> = n.summary.split_whitespace().take(6).collect();
            let s = slug(&words.join(" "));
            if s.is_empty() {
                n.kind.as_str().to_string()
            } else {
                s
            }
        });
    format!("{date}-{name}")
}

/// Record an event under `.annex/incidents/<id>.toml`. Recording the same event again
/// returns the existing record; a different event with the same id gets `-2`, `-3`, ….
pub fn new(root: &Path, n: NewIncident) -> Result<Incident, DocsError> {
    if n.summary.trim().is_empty() {
        return Err(DocsError::Value {
            field: "summary".into(),
            message: "describe the event in a sentence".into(),
        });
    }
    let base = incident_id(&n);
    let mut incident = Incident {
        id: base.clone(),
        kind: n.kind,
        aware_at: n.aware_at,
        actively_exploited: n.actively_exploited,
        ids: n.ids,
        affected_versions: n.affected_versions,
        summary: n.summary.trim().to_string(),
        fixed_at: None,
        fixed_in: None,
        submitted: Submitted::default(),
        details: n.details,
    };
    let dir = dir(root);
    for i in 1.. {
        let id = if i == 1 {
            base.clone()
        } else {
            format!("{base}-{i}")
        };
        let path = dir.join(format!("{id}.toml"));
        if path.exists() {
            let existing = load_path(&path)?;
            if existing.kind == incident.kind
                && existing.aware_at == incident.aware_at
                && existing.ids == incident.ids
                && existing.summary == incident.summary
            {
                return Ok(existing);
            }
            continue;
        }
        incident.id = id;
        save(root, &incident)?;
        break;
    }
    Ok(incident)
}

/// Write a record (overwriting it).
pub fn save(root: &Path, incident: &Incident) -> Result<PathBuf, DocsError> {
    let dir = dir(root);
    std::fs::create_dir_all(&dir).map_err(|e| DocsError::io("create", &dir, e))?;
    let path = dir.join(format!("{}.toml", incident.id));
    std::fs::write(&path, render_record(incident)).map_err(|e| DocsError::io("write", &path, e))?;
    Ok(path)
}

fn load_path(path: &Path) -> Result<Incident, DocsError> {
    let text = std::fs::read_to_string(path).map_err(|e| DocsError::io("read", path, e))?;
    let name = path.display().to_string();
    let inc = parse_record(&text, &name)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if inc.id != stem {
        return Err(located(
            &text,
            &name,
            &["id"],
            format!("`{}` does not match the file name `{stem}.toml`", inc.id),
        ));
    }
    Ok(inc)
}

/// Parse a record's text; errors carry `file:line:col` and the field.
pub fn parse_record(text: &str, file: &str) -> Result<Incident, DocsError> {
    toml::from_str(text).map_err(|e| toml_error(text, file, &e))
}

/// Read one record.
pub fn load(root: &Path, id: &str) -> Result<Incident, DocsError> {
    let path = dir(root).join(format!("{id}.toml"));
    if !path.is_file() {
        return Err(DocsError::NoIncident {
            id: id.to_string(),
            dir: dir(root).display().to_string(),
        });
    }
    load_path(&path)
}

/// Every record, by time of awareness.
pub fn list(root: &Path) -> Result<Vec<Incident>, DocsError> {
    let dir = dir(root);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(DocsError::io("read", &dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match load_path(&p) {
            Ok(i) => out.push(i),
            Err(e) => errors.push(e),
        }
    }
    DocsError::from_list(errors)?;
    out.sort_by(|a, b| a.aware_at.cmp(&b.aware_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Record that a corrective or mitigating measure is available (starts the 14-day clock
/// of a vulnerability's final report).
pub fn record_fix(
    root: &Path,
    id: &str,
    fixed_at: DateTime<FixedOffset>,
    fixed_in: Option<&str>,
) -> Result<Incident, DocsError> {
    let mut inc = load(root, id)?;
    inc.fixed_at = Some(fixed_at);
    if let Some(v) = fixed_in.map(str::trim).filter(|v| !v.is_empty()) {
        inc.fixed_in = Some(v.to_string());
    }
    save(root, &inc)?;
    Ok(inc)
}

/// Record when a report (or the user notice) was submitted.
pub fn record_submitted(
    root: &Path,
    id: &str,
    stage: Stage,
    at: DateTime<FixedOffset>,
) -> Result<Incident, DocsError> {
    let mut inc = load(root, id)?;
    inc.submitted.set(stage, at);
    save(root, &inc)?;
    Ok(inc)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(v: &[String]) -> String {
    toml::Value::Array(v.iter().map(|s| toml::Value::String(s.clone())).collect()).to_string()
}

/// The record as commented TOML.
pub fn render_record(i: &Incident) -> String {
    let mut o = String::new();
    o.push_str(
        "# Article 14 record kept by annex (`annex incident`). Fill in [details] as you learn\n",
    );
    o.push_str("# more: the report drafts (`annex incident draft`) are written from this file.\n");
    o.push_str(&format!("id = {}\n", toml_string(&i.id)));
    o.push_str(&format!(
        "kind = {}  # vulnerability | severe-incident\n",
        toml_string(i.kind.as_str())
    ));
    o.push_str(&format!(
        "aware-at = {}  # when you became aware\n",
        rfc3339(&i.aware_at)
    ));
    o.push_str(&format!(
        "actively-exploited = {}  # vulnerabilities: only an actively exploited one is reported\n",
        i.actively_exploited
    ));
    o.push_str(&format!("ids = {}\n", toml_list(&i.ids)));
    o.push_str(&format!(
        "affected-versions = {}\n",
        toml_list(&i.affected_versions)
    ));
    o.push_str(&format!("summary = {}\n", toml_string(&i.summary)));
    match &i.fixed_at {
        Some(f) => o.push_str(&format!(
            "fixed-at = {}  # a fix or mitigation became available\n",
            rfc3339(f)
        )),
        None => o.push_str(
            "# fixed-at = 2026-12-01T12:00:00+01:00  # when a fix or mitigation became available\n",
        ),
    }
    match &i.fixed_in {
        Some(v) => o.push_str(&format!("fixed-in = {}\n", toml_string(v))),
        None => o.push_str("# fixed-in = \"1.4.2\"\n"),
    }
    o.push_str("\n# When each report was submitted.\n[submitted]\n");
    for stage in Stage::ALL {
        let key = stage.as_str();
        match i.submitted.get(stage) {
            Some(at) => o.push_str(&format!("{key} = {}\n", rfc3339(&at))),
            None => o.push_str(&format!("# {key} = 2026-11-25T18:00:00+01:00\n")),
        }
    }
    o.push_str("\n[details]\n");
    let d = &i.details;
    o.push_str(&format!(
        "member-states = {}  # where the product is available, where known\n",
        toml_list(&d.member_states)
    ));
    match d.suspected_malicious {
        Some(v) => o.push_str(&format!("suspected-malicious = {v}\n")),
        None => o.push_str("# suspected-malicious = true  # severe incidents: unlawful or malicious acts suspected?\n"),
    }
    for (key, v, what) in [
        (
            "exploit",
            &d.exploit,
            "vulnerability: general nature of the exploit and the vulnerability",
        ),
        ("nature", &d.nature, "incident: nature of the incident"),
        (
            "initial-assessment",
            &d.initial_assessment,
            "incident: initial assessment",
        ),
        (
            "measures-taken",
            &d.measures_taken,
            "corrective or mitigating measures taken",
        ),
        ("user-measures", &d.user_measures, "measures users can take"),
        (
            "sensitivity",
            &d.sensitivity,
            "how sensitive the information is, e.g. TLP:AMBER",
        ),
        ("description", &d.description, "final report: description"),
        (
            "severity",
            &d.severity,
            "final report: severity, e.g. CVSS vector and score",
        ),
        ("impact", &d.impact, "final report: impact"),
        (
            "malicious-actor",
            &d.malicious_actor,
            "vulnerability: malicious actor, where known",
        ),
        (
            "root-cause",
            &d.root_cause,
            "incident: likely type of threat or root cause",
        ),
        (
            "mitigation",
            &d.mitigation,
            "incident: applied and ongoing mitigation",
        ),
        ("advisory-url", &d.advisory_url, "the public advisory"),
    ] {
        match v {
            Some(v) => o.push_str(&format!("{key} = {}\n", toml_string(v))),
            None => o.push_str(&format!("# {key} = \"\"  # {what}\n")),
        }
    }
    o
}

// ---------------------------------------------------------------------------------------
// Clocks

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockState {
    /// Due in the future, not yet submitted.
    Running,
    /// Past due, not submitted.
    Overdue,
    /// Submitted on time.
    Submitted,
    /// Submitted after the deadline.
    SubmittedLate,
    /// Not started yet (final report: waits for the fix or the notification).
    Waiting,
    /// The user notice: no fixed deadline.
    NoDeadline,
    /// No clock runs (a vulnerability that is not actively exploited).
    NoClock,
}

/// One report deadline of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Clock {
    pub incident: String,
    /// None for the single entry of an event without clocks.
    pub stage: Option<Stage>,
    /// `Article 14(2), point (a)`.
    pub anchor: String,
    /// In the offset of `aware-at`.
    pub due: Option<DateTime<FixedOffset>>,
    pub state: ClockState,
    /// Due minus now: negative when overdue; None without a running deadline.
    pub remaining_seconds: Option<i64>,
    pub submitted: Option<DateTime<FixedOffset>>,
    pub note: String,
}

impl Clock {
    /// One line: `early-warning (Article 14(2), point (a)): due …, 23 h 5 min left`.
    pub fn describe(&self) -> String {
        let what = self.stage.map(|s| s.as_str()).unwrap_or("no report");
        let mut s = format!("{what} ({})", self.anchor);
        if let Some(d) = &self.due {
            s.push_str(&format!(": due {}", show_time(d)));
        }
        match self.state {
            ClockState::Running => s.push_str(&format!(
                ", {} left",
                show_duration(self.remaining_seconds.unwrap_or(0))
            )),
            ClockState::Overdue => s.push_str(&format!(
                ", OVERDUE by {}",
                show_duration(self.remaining_seconds.unwrap_or(0))
            )),
            ClockState::Submitted => s.push_str(", submitted"),
            ClockState::SubmittedLate => s.push_str(", submitted late"),
            ClockState::Waiting => s.push_str(": not started"),
            ClockState::NoDeadline => s.push_str(": no fixed deadline"),
            ClockState::NoClock => s.push_str(": no clock"),
        }
        if !self.note.is_empty() {
            s.push_str(&format!(" — {}", self.note));
        }
        s
    }
}

fn anchor(kind: IncidentKind, stage: Stage) -> String {
    catalog::item(stage.catalog_id(kind))
        .map(|i| i.label)
        .unwrap_or_else(|_| stage.catalog_id(kind).to_string())
}

/// The deadline of a stage, if its clock has started.
pub fn due(i: &Incident, stage: Stage) -> Option<DateTime<FixedOffset>> {
    if !i.reportable() {
        return None;
    }
    let offset = *i.aware_at.offset();
    match stage {
        Stage::EarlyWarning => Some(i.aware_at + Duration::hours(24)),
        Stage::Notification => Some(i.aware_at + Duration::hours(72)),
        Stage::Final => match i.kind {
            IncidentKind::Vulnerability => {
                let from = i.fixed_at?.max(i.aware_at);
                Some((from + Duration::days(14)).with_timezone(&offset))
            }
            IncidentKind::SevereIncident => i
                .submitted
                .notification?
                .with_timezone(&offset)
                .checked_add_months(Months::new(1)),
        },
        Stage::UserNotice => None,
    }
}

/// The clocks of one event at `now`.
pub fn clocks(i: &Incident, now: DateTime<FixedOffset>) -> Vec<Clock> {
    let early_note = if i.aware_at.date_naive() < reporting_applies_from() {
        format!(
            "awareness predates 11 September 2026, when Article 14 starts to apply ({})",
            reporting_applies_from()
        )
    } else {
        String::new()
    };
    if !i.reportable() {
        return vec![Clock {
            incident: i.id.clone(),
            stage: None,
            anchor: "Article 14(1)".into(),
            due: None,
            state: ClockState::NoClock,
            remaining_seconds: None,
            submitted: None,
            note: "not actively exploited: Article 14(1) reporting applies only to actively exploited vulnerabilities, so no clock runs; handle it under the disclosure policy, and record it again with actively-exploited = true if exploitation becomes known".into(),
        }];
    }
    let mut out = Vec::new();
    for stage in Stage::ALL {
        let due = due(i, stage);
        let submitted = i.submitted.get(stage);
        let mut note = String::new();
        let (state, remaining) = match (due, submitted) {
            (Some(d), Some(s)) => (
                if s <= d {
                    ClockState::Submitted
                } else {
                    ClockState::SubmittedLate
                },
                None,
            ),
            (None, Some(_)) => (ClockState::Submitted, None),
            (Some(d), None) => {
                let left = (d - now).num_seconds();
                (
                    if left > 0 {
                        ClockState::Running
                    } else {
                        ClockState::Overdue
                    },
                    Some(left),
                )
            }
            (None, None) => match stage {
                Stage::UserNotice => {
                    note = "inform the users concerned after becoming aware, with the mitigations they can apply (Article 14(8))".into();
                    (ClockState::NoDeadline, None)
                }
                _ => {
                    note = match i.kind {
                        IncidentKind::Vulnerability => "starts when a corrective or mitigating measure is available (`annex incident fix`)".into(),
                        IncidentKind::SevereIncident => "starts when the incident notification is submitted (`annex incident submitted … notification`)".into(),
                    };
                    (ClockState::Waiting, None)
                }
            },
        };
        if stage == Stage::Final
            && i.kind == IncidentKind::Vulnerability
            && i.fixed_at.is_some_and(|f| f < i.aware_at)
        {
            note = "the fix predates awareness: counted from awareness".into();
        }
        if !early_note.is_empty() {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(&early_note);
        }
        out.push(Clock {
            incident: i.id.clone(),
            stage: Some(stage),
            anchor: anchor(i.kind, stage),
            due,
            state,
            remaining_seconds: remaining,
            submitted,
            note,
        });
    }
    out
}

/// The clocks of every recorded event at `now`, by event then stage.
pub fn status(root: &Path, now: DateTime<FixedOffset>) -> Result<Vec<Clock>, DocsError> {
    Ok(list(root)?.iter().flat_map(|i| clocks(i, now)).collect())
}

// ---------------------------------------------------------------------------------------
// Drafts

/// Format of a draft. For `Stage::UserNotice`, `Json` is a CSAF 2.0 security advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportFormat {
    Markdown,
    Json,
}

/// The schema id of the JSON report drafts.
pub const REPORT_SCHEMA: &str = "annex/art14-report/v1";

struct Field {
    key: &'static str,
    label: &'static str,
    value: Option<Json>,
    /// What to supply when missing (a TODO); None: optional, no TODO.
    todo: Option<&'static str>,
}

fn f_str(key: &'static str, label: &'static str, v: &Option<String>, todo: &'static str) -> Field {
    Field {
        key,
        label,
        value: v
            .as_ref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| json!(s)),
        todo: Some(todo),
    }
}

/// The content fields Article 14 asks for at a stage.
fn stage_fields(i: &Incident, stage: Stage) -> Vec<Field> {
    let d = &i.details;
    let states = Field {
        key: "member-states",
        label: "Member States where the product is available",
        value: (!d.member_states.is_empty()).then(|| json!(d.member_states)),
        todo: Some(
            "name the Member States where you know the product is made available, where applicable (details.member-states)",
        ),
    };
    let fix = {
        let mut parts = Vec::new();
        if let Some(v) = &i.fixed_in {
            parts.push(format!("fixed in version {v}"));
        }
        if let Some(at) = &i.fixed_at {
            parts.push(format!("available since {}", show_time(at)));
        }
        if let Some(m) = &d.measures_taken {
            parts.push(m.clone());
        }
        if let Some(u) = &d.advisory_url {
            parts.push(format!("advisory: {u}"));
        }
        (!parts.is_empty()).then(|| json!(parts))
    };
    match (i.kind, stage) {
        (IncidentKind::Vulnerability, Stage::EarlyWarning) => vec![states],
        (IncidentKind::SevereIncident, Stage::EarlyWarning) => vec![
            Field {
                key: "suspected-malicious",
                label: "Suspected to be caused by unlawful or malicious acts",
                value: d.suspected_malicious.map(|b| json!(b)),
                todo: Some(
                    "say whether the incident is suspected to be caused by unlawful or malicious acts (details.suspected-malicious)",
                ),
            },
            states,
        ],
        (IncidentKind::Vulnerability, Stage::Notification) => vec![
            f_str(
                "exploit",
                "General nature of the exploit and of the vulnerability",
                &d.exploit,
                "describe the general nature of the exploit and of the vulnerability (details.exploit)",
            ),
            f_str(
                "measures-taken",
                "Corrective or mitigating measures taken",
                &d.measures_taken,
                "describe the corrective or mitigating measures taken (details.measures-taken)",
            ),
            f_str(
                "user-measures",
                "Corrective or mitigating measures users can take",
                &d.user_measures,
                "describe what users can do (details.user-measures)",
            ),
            f_str(
                "sensitivity",
                "How sensitive the information is",
                &d.sensitivity,
                "say how sensitive you deem the information, e.g. TLP:AMBER (details.sensitivity)",
            ),
        ],
        (IncidentKind::SevereIncident, Stage::Notification) => vec![
            f_str(
                "nature",
                "Nature of the incident",
                &d.nature,
                "describe the nature of the incident (details.nature)",
            ),
            f_str(
                "initial-assessment",
                "Initial assessment",
                &d.initial_assessment,
                "give an initial assessment of the incident (details.initial-assessment)",
            ),
            f_str(
                "measures-taken",
                "Corrective or mitigating measures taken",
                &d.measures_taken,
                "describe the corrective or mitigating measures taken (details.measures-taken)",
            ),
            f_str(
                "user-measures",
                "Corrective or mitigating measures users can take",
                &d.user_measures,
                "describe what users can do (details.user-measures)",
            ),
            f_str(
                "sensitivity",
                "How sensitive the information is",
                &d.sensitivity,
                "say how sensitive you deem the information, e.g. TLP:AMBER (details.sensitivity)",
            ),
        ],
        (IncidentKind::Vulnerability, Stage::Final) => vec![
            f_str(
                "description",
                "Description of the vulnerability",
                &d.description,
                "describe the vulnerability (details.description)",
            ),
            f_str(
                "severity",
                "Severity",
                &d.severity,
                "give the severity, e.g. a CVSS vector and score (details.severity)",
            ),
            f_str(
                "impact",
                "Impact",
                &d.impact,
                "describe the impact (details.impact)",
            ),
            f_str(
                "malicious-actor",
                "Malicious actor that exploited or is exploiting it",
                &d.malicious_actor,
                "give what is known about the malicious actor, or say that nothing is (details.malicious-actor)",
            ),
            Field {
                key: "security-update",
                label: "Security update or other corrective measures made available",
                value: fix,
                todo: Some(
                    "give the security update or corrective measures made available (annex incident fix … --version, details.measures-taken)",
                ),
            },
        ],
        (IncidentKind::SevereIncident, Stage::Final) => vec![
            f_str(
                "description",
                "Detailed description of the incident",
                &d.description,
                "describe the incident in detail (details.description)",
            ),
            f_str(
                "severity",
                "Severity",
                &d.severity,
                "give the severity (details.severity)",
            ),
            f_str(
                "impact",
                "Impact",
                &d.impact,
                "describe the impact (details.impact)",
            ),
            f_str(
                "root-cause",
                "Type of threat or root cause likely to have triggered it",
                &d.root_cause,
                "give the type of threat or root cause likely to have triggered it (details.root-cause)",
            ),
            f_str(
                "mitigation",
                "Applied and ongoing mitigation measures",
                &d.mitigation,
                "describe the applied and ongoing mitigation measures (details.mitigation)",
            ),
        ],
        (_, Stage::UserNotice) => vec![],
    }
}

fn reporter_json(m: &Metadata) -> Json {
    json!({
        "role": m.role.as_str(),
        "name": m.party.name,
        "address": m.party.address,
        "email": m.party.email,
        "website": m.party.website,
        "contact": contact_uri(&m.security.contact),
    })
}

fn product_json(m: &Metadata, i: &Incident) -> Json {
    json!({
        "name": m.product.name,
        "type": m.product.kind,
        "version": m.product.version,
        "affected-versions": i.affected_versions,
        "repository": m.product.repository,
    })
}

/// Draft a report (`EarlyWarning`, `Notification`, `Final`) or the user notice, at `now`.
/// Errors: a report for an event without clocks (a vulnerability not actively
/// exploited).
pub fn draft(
    metadata: &Metadata,
    incident: &Incident,
    stage: Stage,
    format: ReportFormat,
    now: DateTime<FixedOffset>,
) -> Result<Document, DocsError> {
    if stage != Stage::UserNotice && !incident.reportable() {
        return Err(DocsError::Unsupported(format!(
            "{} is a vulnerability that is not actively exploited: Article 14(1) asks for no {}; handle it under the disclosure policy (a user notice can still be drafted)",
            incident.id,
            stage.title().to_lowercase()
        )));
    }
    match (stage, format) {
        (Stage::UserNotice, ReportFormat::Json) => csaf(metadata, incident, now),
        (Stage::UserNotice, ReportFormat::Markdown) => Ok(notice_markdown(metadata, incident, now)),
        (_, ReportFormat::Json) => Ok(report_json(metadata, incident, stage, now)),
        (_, ReportFormat::Markdown) => Ok(report_markdown(metadata, incident, stage, now)),
    }
}

fn report_file(i: &Incident, stage: Stage, ext: &str) -> String {
    format!("{}-{}.{ext}", i.id, stage.as_str())
}

fn what_happened(i: &Incident) -> &'static str {
    match i.kind {
        IncidentKind::Vulnerability => "actively exploited vulnerability",
        IncidentKind::SevereIncident => {
            "severe incident having an impact on the security of the product"
        }
    }
}

fn report_json(m: &Metadata, i: &Incident, stage: Stage, now: DateTime<FixedOffset>) -> Document {
    let fields = stage_fields(i, stage);
    let mut todos = Vec::new();
    let label = anchor(i.kind, stage);
    let mut content = serde_json::Map::new();
    for f in &fields {
        if f.value.is_none()
            && let Some(what) = f.todo
        {
            todos.push(Todo {
                item: label.clone(),
                what: what.to_string(),
            });
        }
        content.insert(f.key.to_string(), f.value.clone().unwrap_or(Json::Null));
    }
    let doc = json!({
        "schema": REPORT_SCHEMA,
        "stage": stage.as_str(),
        "article": label,
        "catalog-item": stage.catalog_id(i.kind),
        "incident": i.id,
        "kind": i.kind.as_str(),
        "prepared-at": rfc3339(&now),
        "due": due(i, stage).map(|d| rfc3339(&d)),
        "reporter": reporter_json(m),
        "product": product_json(m, i),
        "event": {
            "ids": i.ids,
            "summary": i.summary,
            "aware-at": rfc3339(&i.aware_at),
            "actively-exploited": i.actively_exploited,
        },
        "content": content,
        "todos": todos,
    });
    Document {
        file_name: report_file(i, stage, "json"),
        content: serde_json::to_string_pretty(&doc).expect("serialisable") + "\n",
        todos,
    }
}

fn report_markdown(
    m: &Metadata,
    i: &Incident,
    stage: Stage,
    now: DateTime<FixedOffset>,
) -> Document {
    let mut d = Doc::default();
    let item = catalog::item(stage.catalog_id(i.kind)).ok();
    let label = anchor(i.kind, stage);
    d.h(
        1,
        format!("{} — {}: {}", stage.title(), what_happened(i), i.summary),
    );
    if let Some(item) = &item {
        d.comment(format!("{} · {}", item.id, item.anchor));
        d.p(vec![em(format!("{}: {}", item.label, item.text))]);
    }
    let mut intro = vec![t(format!(
        "Draft prepared by annex on {} for {}. Submit it through the single reporting platform to the CSIRT designated as coordinator of the Member State of your main establishment (Article 14(7)); ENISA receives it at the same time.",
        show_time(&now),
        i.id
    ))];
    if m.is_steward() {
        intro.push(t(" As open-source software steward, report to the extent you are involved in the product's development (Article 24(3))."));
    }
    d.p(intro);
    match due(i, stage) {
        Some(due) => {
            let left = (due - now).num_seconds();
            d.p(vec![
                b("Deadline: "),
                t(show_time(&due)),
                t(if left > 0 {
                    format!(" — {} left.", show_duration(left))
                } else {
                    format!(" — overdue by {}.", show_duration(left))
                }),
            ]);
        }
        None => d.p(vec![
            b("Deadline: "),
            t("not started yet — ".to_string()
                + match i.kind {
                    IncidentKind::Vulnerability => {
                        "14 days after a corrective or mitigating measure is available."
                    }
                    IncidentKind::SevereIncident => {
                        "one month after the incident notification is submitted."
                    }
                }),
        ]),
    }

    d.h(2, capitalise_first(m.role_title()));
    let mut who = vec![vec![b("Name: "), t(m.party.name.clone())]];
    if let Some(a) = &m.party.address {
        who.push(vec![b("Address: "), t(a.clone())]);
    }
    if let Some(e) = &m.party.email {
        who.push(vec![b("E-mail: "), crate::markup::url(e)]);
    }
    if let Some(w) = &m.party.website {
        who.push(vec![b("Website: "), link(w, w)]);
    }
    who.push(vec![
        b("Security contact: "),
        crate::markup::url(&m.security.contact),
    ]);
    d.list(who);

    d.h(2, "Product");
    let mut prod = vec![
        vec![b("Name: "), t(m.product.name.clone())],
        vec![b("Type: "), t(m.product.kind.clone())],
    ];
    if i.affected_versions.is_empty() {
        d.todo(
            label.clone(),
            "list the affected versions (affected-versions in the record)",
        );
    } else {
        prod.push(vec![
            b("Affected versions: "),
            t(i.affected_versions.join("; ")),
        ]);
    }
    if let Some(r) = &m.product.repository {
        prod.push(vec![b("Source: "), link(r, r)]);
    }
    d.list(prod);

    d.h(
        2,
        match i.kind {
            IncidentKind::Vulnerability => "Vulnerability",
            IncidentKind::SevereIncident => "Incident",
        },
    );
    let mut ev: Vec<Vec<Inline>> = Vec::new();
    if !i.ids.is_empty() {
        ev.push(vec![b("Identifiers: "), t(i.ids.join(", "))]);
    }
    ev.push(vec![b("Summary: "), t(i.summary.clone())]);
    ev.push(vec![b("Became aware: "), t(show_time(&i.aware_at))]);
    if i.kind == IncidentKind::Vulnerability {
        ev.push(vec![b("Actively exploited: "), t("yes")]);
    }
    d.list(ev);

    d.h(2, format!("What {} asks for", label));
    for f in stage_fields(i, stage) {
        d.h(3, f.label);
        match &f.value {
            Some(Json::String(s)) => d.text(s.clone()),
            Some(Json::Bool(v)) => d.text(if *v { "Yes." } else { "No." }),
            Some(Json::Array(a)) => d.list(
                a.iter()
                    .map(|x| vec![t(x.as_str().unwrap_or_default().to_string())])
                    .collect(),
            ),
            Some(other) => d.p(vec![code(other.to_string())]),
            None => match f.todo {
                Some(what) => d.todo(label.clone(), what),
                None => d.text("Not known."),
            },
        }
    }
    let title = format!("{} — {}", stage.title(), i.id);
    crate::finish(
        report_file(i, stage, "md"),
        d,
        crate::Format::Markdown,
        &title,
        m.language(),
    )
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn notice_markdown(m: &Metadata, i: &Incident, now: DateTime<FixedOffset>) -> Document {
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
fn csaf(m: &Metadata, i: &Incident, now: DateTime<FixedOffset>) -> Result<Document, DocsError> {
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
        content: serde_json::to_string_pretty(&doc).expect("serialisable") + "\n",
        todos,
    })
}
