//! `annex init`: propose annex.toml values from what a checkout already says, ask the user
//! (the CLI does the asking), check the answers, and write a commented annex.toml.
//!
//! Proposals come from the git remote (`.git/config`), the README title and first
//! paragraph, LICENSE, Cargo.toml / package.json / pyproject.toml metadata and the
//! contacts in an existing SECURITY.md.

mod answers;
mod propose;
mod questions;
mod toml_writer;

pub use answers::build;
pub use propose::{Proposal, Proposed, propose};
pub use questions::{Need, Question, questions};
pub use toml_writer::{document, render_toml};
