//! One entry point for every draft: the reports and the user notice.

use super::model::*;
use super::notice::{csaf, notice_markdown};
use super::report::{report_json, report_markdown};
use crate::Document;
use crate::error::DocsError;
use crate::metadata::Metadata;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Format of a draft. For `Stage::UserNotice`, `Json` is a CSAF 2.0 security advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportFormat {
    Markdown,
    Json,
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
