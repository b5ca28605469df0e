//! Where the shared test data lives.

use std::path::PathBuf;

/// `shared/` beside the checkout (`ANNEX_SHARED` overrides).
pub fn shared() -> PathBuf {
    match std::env::var_os("ANNEX_SHARED") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}
