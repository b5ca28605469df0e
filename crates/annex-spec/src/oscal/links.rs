//! The uuids of the OSCAL documents `annex spec export` writes, so other OSCAL documents
//! (assessment results) can name the catalog and profile they were assessed against.

use super::catalog_write::catalog_to_oscal;
use super::profile_write::profile_to_oscal;
use crate::error::SpecError;
use crate::library::Library;
use crate::model::MappingSet;
use crate::resolve::{ResolveOptions, resolve};
use crate::resolved::ResolvedProfile;
use annex_types::BuildTime;

/// One exported OSCAL document: which annex catalog or profile, and the uuid its export
/// carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRef {
    pub id: String,
    pub version: String,
    /// The `uuid` of the exported document (content-derived, so stable for the same input
    /// and build time).
    pub uuid: String,
}

/// The exported profile and the catalogs it selects from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OscalLinks {
    pub profile: Option<DocumentRef>,
    pub catalogs: Vec<DocumentRef>,
}

/// The catalog `id` as an OSCAL catalog, with the mapping sets whose source it is: the
/// document `annex spec export ID` writes. `None` when the library has no such catalog.
pub fn catalog_export(lib: &Library, id: &str, build_time: BuildTime) -> Option<serde_json::Value> {
    let cat = lib.catalogs.get(id)?;
    let sets: Vec<&MappingSet> = lib
        .mapping_sets
        .iter()
        .filter(|m| m.metadata.source_catalog == id)
        .collect();
    Some(catalog_to_oscal(cat, &sets, build_time))
}

/// The profile `id` (resolved with default options) as an OSCAL profile: the document
/// `annex spec export ID` writes.
pub fn profile_export(
    lib: &Library,
    id: &str,
    build_time: BuildTime,
) -> Result<serde_json::Value, SpecError> {
    Ok(profile_export_resolved(lib, id, build_time)?.0)
}

fn profile_export_resolved(
    lib: &Library,
    id: &str,
    build_time: BuildTime,
) -> Result<(serde_json::Value, ResolvedProfile), SpecError> {
    let resolved = resolve(lib, id, &ResolveOptions::default())?;
    let profile = lib.profiles.get(id).ok_or_else(|| SpecError::NotFound {
        what: "profile",
        id: id.to_string(),
        suggestion: None,
    })?;
    Ok((profile_to_oscal(profile, &resolved, build_time), resolved))
}

/// The uuids of the exports of profile `id` and of each catalog it resolves to.
pub fn links(lib: &Library, id: &str, build_time: BuildTime) -> Result<OscalLinks, SpecError> {
    let (doc, resolved) = profile_export_resolved(lib, id, build_time)?;
    let uuid = |doc: &serde_json::Value, key: &str| {
        doc[key]["uuid"].as_str().unwrap_or_default().to_string()
    };
    let catalogs = resolved
        .catalogs
        .iter()
        .filter_map(|c| {
            let doc = catalog_export(lib, &c.id, build_time)?;
            Some(DocumentRef {
                id: c.id.clone(),
                version: c.version.clone(),
                uuid: uuid(&doc, "catalog"),
            })
        })
        .collect();
    Ok(OscalLinks {
        profile: Some(DocumentRef {
            id: id.to_string(),
            version: resolved.version.clone(),
            uuid: uuid(&doc, "profile"),
        }),
        catalogs,
    })
}
