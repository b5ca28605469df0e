//! SBOM readers: the packages a CycloneDX or SPDX document lists, in the shape
//! vulnerability matching needs ([`SbomPackage`]: OSV ecosystem and name from the purl,
//! version, purl, scope).
//!
//! Accepted: CycloneDX JSON (`bomFormat: CycloneDX`, spec 1.x; 1.4–1.7 tested) and XML
//! (namespace `http://cyclonedx.org/schema/bom/1.x`), SPDX 2.x JSON (`spdxVersion`; 2.3
//! tested), SPDX 3.x JSON-LD (`@context` of spdx.org/rdf/3). Input starting with `<` is
//! read as XML.
//! Unknown fields are ignored; nested CycloneDX components are flattened; the described
//! product (CycloneDX `metadata.component`, SPDX `DESCRIBES` / `rootElement`) is kept apart
//! in [`SbomDocument::roots`]. Malformed JSON and fields of the wrong type are
//! [`ReadError::Syntax`] with line and column; input over [`ReadOptions::max_bytes`] is
//! refused before parsing; nesting deeper than 128 levels is an error (serde_json's
//! recursion limit).
//!
//! Scope: the `annex:scope` property (CycloneDX `properties`, SPDX 2.3 annotation line,
//! SPDX 3 `extension_cdxProperty`) when annex wrote it; else CycloneDX `scope`
//! (`excluded` → dev) or `cdx:npm:package:development`; SPDX 2 relationships
//! (`DEV_DEPENDENCY_OF` → dev, `BUILD_DEPENDENCY_OF` → build, `OPTIONAL_DEPENDENCY_OF` →
//! optional, `DEPENDS_ON`/`CONTAINS` → required; any required edge wins); SPDX 3
//! `LifecycleScopedRelationship.scope` (`development`/`test` → dev, `build` → build) and
//! `hasOptionalDependency` → optional. Nothing known: required.

mod cyclonedx;
mod cyclonedx_xml;
mod model;
mod spdx2;
mod spdx3;

pub use model::{DEFAULT_MAX_BYTES, ReadError, ReadOptions, SbomDocument, SbomFormat, SbomPackage};

use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// Read a document from bytes.
pub fn read(bytes: &[u8], opts: &ReadOptions) -> Result<SbomDocument, ReadError> {
    if bytes.len() as u64 > opts.max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return cyclonedx_xml::read_cyclonedx_xml(bytes);
    }
    let probe: Probe = serde_json::from_slice(bytes)?;
    if let Some(f) = probe.bom_format.as_ref().and_then(Value::as_str) {
        if f != "CycloneDX" {
            return Err(ReadError::UnknownFormat);
        }
        return cyclonedx::read_cyclonedx(bytes);
    }
    if probe.spdx_version.is_some() {
        return spdx2::read_spdx2(bytes);
    }
    if probe.context.as_ref().is_some_and(is_spdx3_context) {
        return spdx3::read_spdx3(bytes);
    }
    Err(ReadError::UnknownFormat)
}

/// Read a document from a file, refusing files over the limit before reading them.
pub fn read_file(path: &Path, opts: &ReadOptions) -> Result<SbomDocument, ReadError> {
    let io = |e: std::io::Error| ReadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len > opts.max_bytes {
        return Err(ReadError::TooLarge {
            size: len,
            limit: opts.max_bytes,
        });
    }
    let mut buf = Vec::with_capacity(len as usize);
    f.take(opts.max_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    read(&buf, opts)
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<Value>,
    #[serde(rename = "@context")]
    context: Option<Value>,
}

fn is_spdx3_context(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("spdx.org/rdf/3"),
        Value::Array(a) => a.iter().any(is_spdx3_context),
        _ => false,
    }
}
