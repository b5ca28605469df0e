//! The Annex II, V, VI and VII documents and the steward's Article 24 policy. Each walks
//! the catalog's items for its Annex, so every numbered item appears with its number and
//! anchor; what annex.toml, the assessment, the SBOM and the findings do not say is a TODO.

mod blocks;
mod declaration;
mod steward_policy;
mod technical_documentation;
mod user_information;

pub(crate) use declaration::{declaration, simplified_declaration};
pub(crate) use steward_policy::steward_policy;
pub(crate) use technical_documentation::technical_documentation;
pub(crate) use user_information::user_information;
