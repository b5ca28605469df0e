//! Walk a checkout once and collect evidence: facts about its documents, licences,
//! dependencies, CI (including a YAML-aware analysis of workflows), tests, fuzzing, SAST,
//! binaries, secrets, release tooling and git history, each with the file and line it came
//! from, as the `annex/evidence/v1` document
//! (`docs/evidence.md`).
//!
//! Nothing is executed and nothing touches the network; symlinks are never followed and
//! nothing outside the root is read. The library never prints and never exits.

mod collect;
mod error;
mod git;
mod git_verify;
mod model;
mod options;
mod probes;
mod record;
mod secrets;
mod sniff;
mod text;
mod walk;

pub use annex_inventory::detect::Kind as DepKind;
pub use collect::{collect, collect_indexed};
pub use error::EvidenceError;
pub use model::*;
pub use options::{DEFAULT_MAX_FILE_SIZE, Options, Signers};
