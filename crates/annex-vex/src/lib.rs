//! annex-vex: VEX and CSAF formats, a sibling of the models they convert (the style guide's
//! "interchange formats are siblings of the model"). One internal [`VexStatement`] is read from
//! OpenVEX 0.2.0, CycloneDX VEX (1.4–1.7 JSON) and CSAF 2.0 documents; OpenVEX, CycloneDX 1.6
//! VEX and CSAF 2.0 (`csaf_security_advisory`, `csaf_vex`) documents are written from
//! [`VexEntry`]s, which the caller (annex-vuln) fills from its triaged findings. [`csaf::write`]
//! is the one CSAF writer: every CSAF document annex writes passes the implemented mandatory
//! tests of the specification or is an error. This crate matches nothing and knows no
//! advisory database; it never touches the network.
//!
//! # Vocabulary
//!
//! Statuses and justifications are OpenVEX's (which CSAF's flags share). CycloneDX's are mapped
//! onto them; the original word is kept in [`VexStatement::source_justification`]:
//!
//! | CycloneDX `analysis.state` | status |
//! |---|---|
//! | `not_affected`, `false_positive` | `not_affected` |
//! | `exploitable` | `affected` |
//! | `resolved`, `resolved_with_pedigree` | `fixed` |
//! | `in_triage` | `under_investigation` |
//!
//! | CycloneDX `analysis.justification` | justification |
//! |---|---|
//! | `code_not_present` | `vulnerable_code_not_present` |
//! | `code_not_reachable` | `vulnerable_code_not_in_execute_path` |
//! | `requires_dependency` | `component_not_present` |
//! | `requires_configuration`, `requires_environment` | `vulnerable_code_cannot_be_controlled_by_adversary` |
//! | `protected_by_compiler`, `protected_at_runtime`, `protected_at_perimeter`, `protected_by_mitigating_control` | `inline_mitigations_already_exist` |
//!
//! # Products
//!
//! A statement applies to [`VexStatement::products`]: the packages it speaks about, by purl
//! (a purl without version means every version). OpenVEX `subcomponents` are the packages; their
//! enclosing product goes to [`VexStatement::parents`]. CycloneDX `affects[].ref` is a purl, a
//! `bom-ref` resolved through the BOM's components, or a BOM-Link whose fragment is either.
//! CSAF product ids are resolved through the product tree to
//! `product_identification_helper.purl`; for a relationship (`default_component_of`, …) the
//! component is the product and the product it belongs to the parent.
//!
//! # Reading
//!
//! [`read`] recognises the format. In [`ReadMode::Lenient`] a document that deviates from its
//! schema in ways that leave the statements meaningful (a missing document `@id`, an
//! `affected` statement without `action_statement`, unknown fields) is read, and the deviations
//! are listed in [`VexDocument::problems`]; in [`ReadMode::Strict`] any deviation is an error.
//! A statement whose status or justification is not in the vocabulary, or without a

pub mod csaf;
pub mod cyclonedx;
pub mod entry;
pub mod openvex;
pub mod purl;
mod reader;
mod sniff;
pub mod statement;
pub mod status;
pub mod timestamp;

pub use entry::{CvssVersion, EntryPackage, EntrySeverity, Rating, SeverityKind, VexEntry};
pub use sniff::{MAX_DOCUMENT_SIZE, read, read_path};
pub use statement::{
    AppliedVex, ReadMode, VexDocument, VexError, VexFormat, VexProduct, VexSource, VexStatement,
};
pub use status::{
    CYCLONEDX_JUSTIFICATIONS, CYCLONEDX_RESPONSES, CYCLONEDX_STATES, Justification, VexStatus,
};
pub use timestamp::{FIXED_TIMESTAMP, Timestamp};
