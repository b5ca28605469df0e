//! The store's error.

use std::path::PathBuf;

/// Errors of the store.
#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    #[error("cannot open the store {url}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot create {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot migrate the store")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store query failed")]
    Query(#[from] sqlx::Error),
    #[error("no project named {0} in the fleet")]
    NoProject(String),
    #[error("a project named {0} is already in the fleet")]
    Duplicate(String),
    #[error("invalid {what}: {why}")]
    Invalid { what: &'static str, why: String },
    #[error("stored value does not parse")]
    Json(#[from] serde_json::Error),
}
