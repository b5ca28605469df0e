//! CSAF 2.0: reading VEX statements from CSAF documents (any profile; `product_status` is what
//! counts), a cheap subset of the specification's mandatory tests (section 6.1), and writing
//! the `csaf_security_advisory` and `csaf_vex` profiles for the project's own product.
//!
//! # Reading
//!
//! Each product of each `vulnerabilities[].product_status` list gives one [`VexStatement`]:
//! `known_not_affected` → `not_affected`; `known_affected`, `first_affected`, `last_affected` →
//! `affected`; `fixed`, `first_fixed` → `fixed`; `under_investigation` →
//! `under_investigation` (`recommended` is not a VEX status and is skipped). The ids are the
//! `cve` and `ids[].text`. The justification is the `flags[].label` naming the product (directly
//! or through a product group), the impact statement the `threats[]` of category `impact`, the
//! action statement the `remediations[]`. Product ids are resolved through the product tree to
//! `product_identification_helper.purl` (see the crate documentation for relationships).
//!
//! # Mandatory tests
//!
//! [`mandatory_tests`] runs 6.1.1–6.1.7, 6.1.13, 6.1.14, 6.1.16–6.1.18, 6.1.21, 6.1.22 and the
//! profile tests 6.1.27.1–6.1.27.11. Reading reports their failures as problems (errors in
//! strict mode); writing checks its own output with them.
//!
//! # Writing
//!
//! [`security_advisory`] and [`vex`] describe one product (a [`CsafProduct`] the caller fills):
//! the product is a `vendor → product_name → product_version` branch; each vulnerable package
//! is a `full_product_names` entry with its purl, and a `default_component_of` relationship
//! makes "package as a component of the product" the product id the statuses name. Entries
//! sharing any id (advisory id or alias) are one vulnerability, so a CVE appears once. Other
//! CSAF documents (the Article 14(8) user notice of annex-docs) are built as a
//! [`model::CsafDocument`] and written with [`write`]; every document written passes the
//! mandatory tests or is an error.

mod doc_version;
mod lookup;
pub mod model;
mod read;
mod validate;
mod write;

pub use model::CSAF_VERSION;
pub use read::read;
pub(crate) use read::{is_csaf, read_value};
pub use validate::{TestFailure, mandatory_tests};
pub use write::{
    CsafError, CsafOptions, CsafProduct, Revision, TrackingStatus, is_cve, security_advisory, vex,
    write,
};
