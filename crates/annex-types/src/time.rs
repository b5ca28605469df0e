//! [`BuildTime`]: the time a document is stamped with, decided by the caller.
//!
//! Libraries never read `SOURCE_DATE_EPOCH` or the clock. The binary reads the variable
//! once, parses it with [`BuildTime::from_source_date_epoch`] and passes the value down;
//! when it wants the current time it reads the clock itself and passes [`BuildTime::now`].
//! Each document keeps its own rule for what to write when no time was given (the Unix
//! epoch, a version's date, today), so a [`BuildTime`] says where it came from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a [`BuildTime`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeSource {
    /// Nothing was given: [`BuildTime::DEFAULT`], 1970-01-01T00:00:00Z.
    #[default]
    Default,
    /// `SOURCE_DATE_EPOCH` (reproducible-builds.org).
    SourceDateEpoch,
    /// The caller's clock.
    Clock,
}

/// Seconds since 1970-01-01T00:00:00Z (UTC) and where they came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct BuildTime {
    seconds: i64,
    source: TimeSource,
}

/// `SOURCE_DATE_EPOCH` is set to something that is no whole number of seconds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildTimeError {
    /// The value as given (not trimmed).
    #[error("SOURCE_DATE_EPOCH `{0}` is not a non-negative whole number of seconds")]
    NotSeconds(String),
}

impl BuildTime {
    /// No time given: 1970-01-01T00:00:00Z, which marks "not known" without a clock.
    pub const DEFAULT: BuildTime = BuildTime {
        seconds: 0,
        source: TimeSource::Default,
    };

    /// The value of `SOURCE_DATE_EPOCH` as the caller read it: `None` (unset) is
    /// [`BuildTime::DEFAULT`]; otherwise a whole number of seconds, surrounding spaces
    /// allowed. A negative number is accepted here (it is a time); documents that cannot
    /// carry one say so when they are written.
    pub fn from_source_date_epoch(value: Option<&str>) -> Result<BuildTime, BuildTimeError> {
        let Some(value) = value else {
            return Ok(BuildTime::DEFAULT);
        };
        value
            .trim()
            .parse::<i64>()
            .map(|seconds| BuildTime {
                seconds,
                source: TimeSource::SourceDateEpoch,
            })
            .map_err(|_| BuildTimeError::NotSeconds(value.to_string()))
    }

    /// A `SOURCE_DATE_EPOCH` value the caller derived rather than read: reproducible-builds.org
    /// suggests the time of the last commit when the variable is unset, and annex uses the
    /// commit time of HEAD. It stands for the variable in every document.
    pub const fn from_epoch_seconds(seconds: i64) -> BuildTime {
        BuildTime {
            seconds,
            source: TimeSource::SourceDateEpoch,
        }
    }

    /// The current time as the caller read it from its clock, in seconds since the epoch.
    pub const fn now(unix_seconds: i64) -> BuildTime {
        BuildTime {
            seconds: unix_seconds,
            source: TimeSource::Clock,
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix_seconds(self) -> i64 {
        self.seconds
    }

    /// Where the time came from.
    pub const fn source(self) -> TimeSource {
        self.source
    }

    /// Whether nothing was given ([`BuildTime::DEFAULT`]).
    pub fn is_default(self) -> bool {
        self.source == TimeSource::Default
    }

    /// The seconds when they came from `SOURCE_DATE_EPOCH`.
    pub fn source_date_epoch(self) -> Option<i64> {
        (self.source == TimeSource::SourceDateEpoch).then_some(self.seconds)
    }
}

impl fmt::Display for BuildTime {
    /// Seconds since the epoch, as `SOURCE_DATE_EPOCH` writes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_is_the_default() {
        let t = BuildTime::from_source_date_epoch(None).unwrap();
        assert_eq!(t, BuildTime::DEFAULT);
        assert_eq!(t, BuildTime::default());
        assert!(t.is_default());
        assert_eq!(t.unix_seconds(), 0);
        assert_eq!(t.source_date_epoch(), None);
    }

    #[test]
    fn parses_whole_seconds() {
        let t = BuildTime::from_source_date_epoch(Some(" 1700000000\n")).unwrap();
        assert_eq!(t.source_date_epoch(), Some(1_700_000_000));
        assert_eq!(t.source(), TimeSource::SourceDateEpoch);
        assert!(!t.is_default());
        // Zero from the variable is not "unset".
        let zero = BuildTime::from_source_date_epoch(Some("0")).unwrap();
        assert_ne!(zero, BuildTime::DEFAULT);
        assert_eq!(zero.source_date_epoch(), Some(0));
        let neg = BuildTime::from_source_date_epoch(Some("-5")).unwrap();
        assert_eq!(neg.unix_seconds(), -5);
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "",
            " ",
            "soon",
            "1.5",
            "1e9",
            "0x10",
            "99999999999999999999",
        ] {
            let err = BuildTime::from_source_date_epoch(Some(bad)).unwrap_err();
            assert_eq!(err, BuildTimeError::NotSeconds(bad.to_string()));
        }
        assert_eq!(
            BuildTime::from_source_date_epoch(Some("soon"))
                .unwrap_err()
                .to_string(),
            "SOURCE_DATE_EPOCH `soon` is not a non-negative whole number of seconds"
        );
    }

    #[test]
    fn clock() {
        let t = BuildTime::now(1_714_564_800);
        assert_eq!(t.source(), TimeSource::Clock);
        assert_eq!(t.source_date_epoch(), None);
        assert_eq!(t.to_string(), "1714564800");
    }
}
