//! The record of an event: its kind, the report stages, the details each report asks for.

use crate::error::DocsError;
use crate::metadata::toml_date_text;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize};

/// Where incident records live, relative to the checkout root.
pub const INCIDENTS_DIR: &str = ".annex/incidents";

/// Article 14 applies from this date (Article 71(2)); checked when compiling.
const REPORTING_APPLIES_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2026, 9, 11) {
    Some(d) => d,
    None => panic!("2026-09-11 is a date"),
};

/// Article 14 applies from this date (Article 71(2)).
pub fn reporting_applies_from() -> NaiveDate {
    REPORTING_APPLIES_FROM
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
    /// Severe incidents: the early warning already held all the information of the incident
    /// notification ("unless the relevant information has already been provided",
    /// 14(4)(b)): no notification is due, and the final report's month runs from the early
    /// warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_warning_complete: Option<bool>,
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
    pub(super) fn set(&mut self, stage: Stage, at: DateTime<FixedOffset>) {
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
    /// A severe incident whose early warning already held all the notification's information
    /// (Article 14(4)(b)).
    pub fn early_warning_was_complete(&self) -> bool {
        self.kind == IncidentKind::SevereIncident
            && self.details.early_warning_complete == Some(true)
    }
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

pub(super) fn is_cve(s: &str) -> bool {
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

pub(super) fn rfc3339(d: &DateTime<FixedOffset>) -> String {
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

/// What the event is, in the words of Article 14(1) and (3).
pub(super) fn what_happened(i: &Incident) -> &'static str {
    match i.kind {
        IncidentKind::Vulnerability => "actively exploited vulnerability",
        IncidentKind::SevereIncident => {
            "severe incident having an impact on the security of the product"
        }
    }
}
