//! The writers' error.

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("SOURCE_DATE_EPOCH is not set")]
    SourceDateEpochUnset,
    #[error("SOURCE_DATE_EPOCH `{0}` is not a non-negative whole number of seconds")]
    SourceDateEpoch(String),
    #[error("the timestamp is the current time, but no clock reading was passed in")]
    ClockNotGiven,
    #[error("timestamp {0} is outside the years 1970 to 9999")]
    TimestampRange(i64),
    #[error("JSON serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("XML serialisation failed: {0}")]
    Xml(String),
}
