//! annex-sbom: SBOM documents from an inventory (CycloneDX 1.6/1.7 JSON and XML, SPDX 2.3
//! JSON and tag-value, SPDX 3.0.1 JSON-LD), readers for CycloneDX and SPDX JSON, and the
//! BSI TR-03183-2 completeness check.
//!
//! - Writers: [`write()`] (or [`cyclonedx`], [`spdx2`], [`spdx3`] directly) turn an
//!   [`Inventory`] and [`Options`] into a document. Output is deterministic: the same
//!   inventory and options give byte-identical output (arrays sorted where their order
//!   carries no meaning, serial number / namespace derived from the content, the clock
//!   read only with [`Timestamp::Now`]). Each module's doc comment lists its field mapping.
//! - Readers: [`read::read`] takes CycloneDX JSON or XML 1.x, SPDX 2.x JSON or SPDX 3.0
//!   JSON-LD and returns the packages (`ecosystem`, `name`, `version`, `purl`, `scope`)
//!   that vulnerability matching needs.
//! - [`bsi::check_bsi`] lists what a JSON SBOM lacks for BSI TR-03183-2 v2.1.0.
//!
//! Library code never prints and never exits; errors are [`Error`] (writers) and
//! [`read::ReadError`] (readers and the check).

pub mod bsi;
mod conform;
pub mod cyclonedx;
mod error;
mod graph;
mod licence;
mod options;
pub mod read;
pub mod spdx2;
pub mod spdx3;

pub use annex_inventory::Inventory;
pub use annex_types::time::{BuildTime, BuildTimeError};
pub use bsi::{Gap, GapLevel, check_bsi};
pub use error::Error;
pub use options::{
    Creator, CycloneDxVersion, Format, Lifecycle, Options, Project, Timestamp, ToolInfo,
};
pub use read::{ReadError, ReadOptions, SbomDocument, SbomFormat, SbomPackage};

/// Write `inv` in `format`.
pub fn write(inv: &Inventory, format: Format, opts: &Options) -> Result<String, Error> {
    match format {
        Format::CycloneDxJson => cyclonedx::to_json(inv, opts),
        Format::CycloneDxXml => cyclonedx::to_xml(inv, opts),
        Format::Spdx23Json => spdx2::to_json(inv, opts),
        Format::Spdx23TagValue => spdx2::to_tag_value(inv, opts),
        Format::Spdx3JsonLd => spdx3::to_json_ld(inv, opts),
    }
}
