//! What a writer needs besides the inventory: timestamp rule, spec version, the project
//! the SBOM describes, who made it.

use annex_types::time::{BuildTime, TimeSource};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Which document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CycloneDX JSON, version from [`Options::cyclonedx_version`].
    CycloneDxJson,
    /// CycloneDX XML, version from [`Options::cyclonedx_version`].
    CycloneDxXml,
    /// SPDX 2.3 JSON.
    Spdx23Json,
    /// SPDX 2.3 tag-value.
    Spdx23TagValue,
    /// SPDX 3.0.1 JSON-LD.
    Spdx3JsonLd,
}

/// CycloneDX specification version written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CycloneDxVersion {
    #[default]
    #[serde(rename = "1.6")]
    V1_6,
    #[serde(rename = "1.7")]
    V1_7,
}

impl CycloneDxVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            CycloneDxVersion::V1_6 => "1.6",
            CycloneDxVersion::V1_7 => "1.7",
        }
    }
}

/// The `created`/`timestamp` of a document. Nothing else in a document depends on the
/// time, so with any rule but [`Timestamp::Now`] the output is reproducible. The time
/// itself comes from the caller, in [`Options::build_time`]: this crate reads neither
/// `SOURCE_DATE_EPOCH` nor the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "seconds")]
pub enum Timestamp {
    /// The build time the caller passes: `SOURCE_DATE_EPOCH` when it was set
    /// (reproducible-builds.org), else `1970-01-01T00:00:00Z` ([`BuildTime::DEFAULT`]).
    /// BSI TR-03183-2 requires a timestamp, so one is always written; the Unix epoch marks
    /// "not known" without reading the clock.
    #[default]
    Default,
    /// The build time, which must come from `SOURCE_DATE_EPOCH`.
    SourceDateEpoch,
    /// The current time (UTC, whole seconds), which the caller read from its clock and
    /// passes as [`BuildTime::now`]. Not reproducible.
    Now,
    /// Whole seconds since the Unix epoch.
    Fixed(i64),
}

impl Timestamp {
    /// The timestamp as RFC 3339 UTC with whole seconds (`2024-05-01T12:00:00Z`), given
    /// the caller's build time.
    pub fn resolve(self, build_time: BuildTime) -> Result<String, Error> {
        let from_variable = |secs: i64| {
            // The variable holds seconds since the epoch: never a time before it.
            if secs < 0 {
                Err(Error::SourceDateEpoch(secs.to_string()))
            } else {
                Ok(secs)
            }
        };
        let secs = match self {
            Timestamp::Default => match build_time.source() {
                TimeSource::SourceDateEpoch => from_variable(build_time.unix_seconds())?,
                TimeSource::Default => 0,
                TimeSource::Clock => build_time.unix_seconds(),
            },
            Timestamp::SourceDateEpoch => match build_time.source_date_epoch() {
                Some(secs) => from_variable(secs)?,
                None => return Err(Error::SourceDateEpochUnset),
            },
            Timestamp::Now => match build_time.source() {
                TimeSource::Clock => build_time.unix_seconds(),
                _ => return Err(Error::ClockNotGiven),
            },
            Timestamp::Fixed(s) => s,
        };
        format_epoch(secs)
    }
}

pub(crate) fn format_epoch(secs: i64) -> Result<String, Error> {
    let dt = chrono::DateTime::from_timestamp(secs, 0).ok_or(Error::TimestampRange(secs))?;
    // Four-digit years only (RFC 3339 and the SPDX 3 pattern).
    if !(0..=253_402_300_799).contains(&secs) {
        return Err(Error::TimestampRange(secs));
    }
    Ok(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The lifecycle phase the inventory was taken in (CycloneDX `metadata.lifecycles`, SPDX 3
/// `software_sbomType`). annex reads lockfiles and manifests of a checkout: `pre-build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifecycle {
    Design,
    #[default]
    PreBuild,
    Build,
    PostBuild,
    Operations,
    Discovery,
}

impl Lifecycle {
    pub(crate) fn cyclonedx(self) -> &'static str {
        match self {
            Lifecycle::Design => "design",
            Lifecycle::PreBuild => "pre-build",
            Lifecycle::Build => "build",
            Lifecycle::PostBuild => "post-build",
            Lifecycle::Operations => "operations",
            Lifecycle::Discovery => "discovery",
        }
    }

    pub(crate) fn spdx3(self) -> &'static str {
        match self {
            Lifecycle::Design => "design",
            Lifecycle::PreBuild => "source",
            Lifecycle::Build => "build",
            Lifecycle::PostBuild => "analyzed",
            Lifecycle::Operations => "runtime",
            Lifecycle::Discovery => "analyzed",
        }
    }
}

/// The product the SBOM is about, when the inventory does not name exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
}

/// Who produced the SBOM (BSI TR-03183-2 §5.2.1 wants an e-mail address or a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creator {
    /// Organisation name.
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// The generating tool, written in `metadata.tools` / `Creator: Tool:` / `createdUsing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "annex".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Writer options. `Options::default()` is reproducible (see [`Timestamp::Default`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub timestamp: Timestamp,
    /// The time the caller decided on ([`BuildTime::from_source_date_epoch`] or
    /// [`BuildTime::now`]), read by [`Options::timestamp`].
    pub build_time: BuildTime,
    pub cyclonedx_version: CycloneDxVersion,
    /// The described product. `None`: the root of the only subject when the inventory
    /// has a single subject that names its root, else a product called `project`.
    pub project: Option<Project>,
    /// The SBOM's author (organisation with e-mail and/or URL).
    pub creator: Option<Creator>,
    pub lifecycle: Lifecycle,
    /// Prefix of the SPDX document namespace / SPDX 3 IRIs; the document name and a
    /// content-derived UUID are appended.
    pub spdx_namespace_base: String,
    pub tool: ToolInfo,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timestamp: Timestamp::Default,
            build_time: BuildTime::DEFAULT,
            cyclonedx_version: CycloneDxVersion::V1_6,
            project: None,
            creator: None,
            lifecycle: Lifecycle::PreBuild,
            spdx_namespace_base: "https://spdx.org/spdxdocs".to_string(),
            tool: ToolInfo::default(),
        }
    }
}
