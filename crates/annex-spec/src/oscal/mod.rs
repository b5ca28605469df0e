//! OSCAL 1.1.2 export and import of catalogs and profiles.
//!
//! annex writes a catalog (with the mapping sets whose source it is) as an OSCAL catalog and
//! a profile (with its resolved selection) as an OSCAL profile. Both validate against NIST's
//! JSON schemas, and both read back into the same annex data: unlike a plain Gemara→OSCAL
//! conversion, applicability sets (levels), lifecycle states, legal anchors, guideline
//! mappings and typed mapping relationships survive the trip. annex's own data travels in
//! properties of the namespace [`ANNEX_NS`]; OSCAL readers that do not know it still see a
//! well-formed catalog of groups, controls and statements.
//!
//! | annex | OSCAL catalog |
//! |---|---|
//! | catalog title, version, description | `metadata.title`, `metadata.version`, `metadata.remarks` |
//! | catalog id, type | `metadata.props` `catalog-id`, `catalog-type` |
//! | source URL | `metadata.links` (`rel: source`), or prop `source` when not a plain URL |
//! | applicability group | `metadata.props` `applicability-group` (value id, remarks description) + `applicability-group-title`, paired by prop `group` `ag-N` |
//! | mapping set | `metadata.props` `mapping-set` (value id, remarks description) + `mapping-set-target`, `mapping-set-version`, paired by prop `group` `ms-N` |
//! | group | `groups[]`: id = lowercased token, `title`, prop `label` = original id, part `overview` = description |
//! | control | `controls[]` inside its group (top level when ungrouped): id = token of the id, `title`, prop `label` = original id, part `statement` = objective, annex prop `state`, prop `group` when the group is not defined |
//! | guideline (Gemara MultiEntryMapping) | control props `guideline` (reference id) + `guideline-entry` (entry id, remarks = entry remarks), paired by prop `group` `gl-N` |
//! | assessment requirement | nested `controls[]` of its control: id = token of the id, `title` = the id, prop `label`, part `statement` = text, part `guidance` = recommendation |
//! | applicability, state, anchor, parameters | requirement props `applicability` (one per group), `state`, `anchor`, `parameter`; parameters are also declared in the catalog's `params` |
//! | mapping | prop `mapping` on the source requirement: value = target id, `class` = relationship, `group` = its set's `ms-N`, `remarks` = rationale |
//!
//! | annex | OSCAL profile |
//! |---|---|
//! | title, version, description | `metadata.title`, `metadata.version`, `metadata.remarks` |
//! | id, type, source, extends, applicability, cra-role, product-class, include | `metadata.props` `profile-id`, `profile-type`, `source`, `extends`, `applicability`, `cra-role`, `product-class`, `include` |
//! | catalog / guidance import | `imports[]`: `href` = `#uuid` of a back-matter resource with props `catalog-id`, `catalog-version`, `import-kind` (catalogs \| guidance), `import-version`; `include-controls.with-ids` = the resolved selection from that catalog; `exclude-controls.with-ids` = exclusions |
//! | imports inherited through `extends` | `imports[]` whose resource has no `import-kind` (the selection is complete; import skips them) |
//! | parameters | `modify.set-parameters` (`param-id` token, `values`, annex prop `value-type`; `class: inherited` for values that come from an extended profile) |
//! | author, contacts, scope, adherence, constraints, modifications, own requirements, rule overrides | one back-matter resource (annex prop `annex-extensions`) holding them as base64 JSON |
//!
//! Prop values must be non-empty strings without surrounding whitespace; a value that is not
//! (an empty reference id, a multi-line anchor) is written `pct:` + percent-encoding and
//! decoded on import. Timestamps are deterministic: `SOURCE_DATE_EPOCH` when set, else the
//! date in the version (`v2026.02.19`), else 1970-01-01. Document uuids are SHA-256 of the
//! content, shaped as version-5 uuids. Ids are OSCAL tokens: control and requirement ids are
//! kept as they are when already valid tokens (OSPS and CRA ids are), so profiles and other
//! OSCAL documents can name them with [`control_id`].
//!
//! Import also reads catalogs and profiles that annex did not write (NIST SP 800-53 style):
//! top-level controls become controls, their statement a requirement of the same id, and
//! nested controls (enhancements) requirements; groups nest flat. A foreign profile's
//! `with-ids` become `annex.include`.

mod base64;
mod catalog_read;
mod catalog_write;
mod encoding;
mod extensions;
mod links;
mod profile_read;
mod profile_write;
mod read;
mod schema;
mod timestamp;
mod tokens;
mod uuid;

pub use base64::b64_encode as base64_encode;
pub use catalog_read::catalog_from_oscal;
pub use catalog_write::catalog_to_oscal;
pub use encoding::{dec as prop_decode, enc as prop_encode};
pub use links::{DocumentRef, OscalLinks, catalog_export, links, profile_export};
pub use profile_read::profile_from_oscal;
pub use profile_write::profile_to_oscal;
pub use schema::{ANNEX_NS, OSCAL_VERSION};
pub use timestamp::timestamp as document_timestamp;
pub use tokens::control_id;
