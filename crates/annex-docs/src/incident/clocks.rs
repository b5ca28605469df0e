//! The Article 14 clocks: when each report is due, and whether it is running, overdue or done.

use super::model::*;
use super::store::list;
use crate::catalog;
use crate::error::DocsError;
use chrono::{DateTime, Duration, FixedOffset, Months};
use serde::{Deserialize, Serialize};
use std::path::Path;

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

pub(super) fn anchor(kind: IncidentKind, stage: Stage) -> String {
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
        // 14(4)(b): no notification when the early warning already gave its information.
        Stage::Notification if i.early_warning_was_complete() => None,
        Stage::Notification => Some(i.aware_at + Duration::hours(72)),
        Stage::Final => match i.kind {
            IncidentKind::Vulnerability => {
                let from = i.fixed_at?.max(i.aware_at);
                Some((from + Duration::days(14)).with_timezone(&offset))
            }
            // 14(4)(c): one month from the notification; from the early warning when that
            // already held the notification's information (14(4)(b)).
            IncidentKind::SevereIncident => i
                .submitted
                .notification
                .or(i
                    .submitted
                    .early_warning
                    .filter(|_| i.early_warning_was_complete()))?
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
                Stage::Notification if i.early_warning_was_complete() => {
                    note = "not due: the early warning already held all its information (Article 14(4)(b))".into();
                    (ClockState::NoDeadline, None)
                }
                Stage::UserNotice => {
                    note = "inform the users concerned after becoming aware, with the mitigations they can apply (Article 14(8))".into();
                    (ClockState::NoDeadline, None)
                }
                _ => {
                    note = match i.kind {
                        IncidentKind::Vulnerability => "starts when a corrective or mitigating measure is available (`annex incident fix`)".into(),
                        IncidentKind::SevereIncident => "starts when the incident notification is submitted (`annex incident submitted … notification`), or with the early warning when it held all the notification's information (early-warning-complete = true in [details], Article 14(4)(b))".into(),
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
