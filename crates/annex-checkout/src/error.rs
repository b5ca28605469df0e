//! Errors building the index.

use std::path::PathBuf;

use crate::options::ExcludeOrigin;

/// Errors building the index: only the root itself or a pattern can fail it.
#[derive(thiserror::Error, Debug)]
pub enum CheckoutError {
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: not a directory (annex reads a checkout)", path.display())]
    NotADirectory { path: PathBuf },
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid exclude pattern {pattern:?} ({}): {message}", origin.describe())]
    InvalidExclude {
        pattern: String,
        origin: ExcludeOrigin,
        message: String,
    },
}
