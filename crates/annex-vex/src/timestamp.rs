//! The time written into a document.

use chrono::{DateTime, SecondsFormat, Utc};

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
