//! The time written into a document.

use annex_types::BuildTime;
use chrono::{DateTime, SecondsFormat, Utc};

/// The time written into a document. Nothing here reads the clock or the environment: the
/// caller passes the build time (from `SOURCE_DATE_EPOCH`) or the time it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    /// The build time the caller passed (`SOURCE_DATE_EPOCH`, else [`FIXED_TIMESTAMP`]): the
    /// same input always gives the same document.
    Build(BuildTime),
    /// A given time (e.g. "now", read by the caller).
    At(DateTime<Utc>),
}

impl Default for Timestamp {
    fn default() -> Self {
        Timestamp::Build(BuildTime::DEFAULT)
    }
}

/// The timestamp of deterministic documents when `SOURCE_DATE_EPOCH` is not set.
pub const FIXED_TIMESTAMP: &str = "1970-01-01T00:00:00Z";

impl Timestamp {
    pub fn resolve(&self) -> DateTime<Utc> {
        match self {
            Timestamp::Build(b) => {
                DateTime::from_timestamp(b.unix_seconds(), 0).unwrap_or(DateTime::UNIX_EPOCH)
            }
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
