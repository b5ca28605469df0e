//! [`Kind`]: whether a format declares dependencies or pins them. A leaf of its own because
//! both the registry (`crate::extract`) and the classifier built on it (`crate::detect`)
//! name it.

use serde::{Deserialize, Serialize};

/// Whether a file declares dependencies (manifest) or pins resolved versions (lockfile).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Manifest,
    Lockfile,
}
