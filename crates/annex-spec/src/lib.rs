//! annex-spec: the specifications as data. Catalogs (Gemara Layer 1/2), typed mappings,
//! rule packs and profiles (Gemara Layer 3): loading with file:line errors, linting,
//! resolving a profile, diffs, CRA crosswalks and OSCAL import/export. The built-in files
//! under catalogs/, mappings/, rules/ and profiles/ are embedded at build time.

pub mod cel_limits;
pub mod compare;
pub mod error;
pub mod library;
pub mod lint;
pub mod load;
pub mod model;
pub mod oscal;
pub mod product_class;
pub mod resolve;
pub mod resolved;
pub mod score;

pub use error::{Pos, SpecError};
pub use library::{Library, builtin_files};
pub use load::{Document, Imported, import_paths, parse_document, read_document};
pub use model::*;
pub use product_class::{ProductCategory, product_categories, product_class_choices};
pub use resolve::{ResolveOptions, resolve};
pub use resolved::{ResolvedProfile, ResolvedRequirement};
