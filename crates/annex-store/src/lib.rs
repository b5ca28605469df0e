//! annex-store: a fleet's history. Projects (name, repository URL or path, profile, tags),
//! every run (time, commit, annex and catalog versions, duration, outcome), each run's
//! results per requirement, CRA rollup, findings and SBOM summary, and the API tokens of the
//! server.
//!
//! SQLite by default (one file, nothing to install), PostgreSQL when given a `postgres://`
//! URL. Both go through sqlx's runtime `Any` driver with the same SQL (`$N` placeholders,
//! which SQLite also reads), so one set of store functions serves both; each backend has
//! its own migrations (`migrations/{sqlite,postgres}`), embedded and applied on open. No
//! query is checked at compile time, so building needs no database.
//!
//! Nothing here reads the clock: callers pass the time of a run.

pub mod demo;
mod error;
pub mod fleet;
pub mod import;
mod projects;
pub mod queue;
mod runs;
pub mod tokens;
mod views;
pub mod worker;

pub use error::StoreError;
pub use projects::{NewProject, ProjectRow};
pub use runs::{Outcome, RunDetail, RunRow};
pub use views::{CraCoverageRow, OverviewRow, RequirementRow};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, SqlStr};
use std::path::Path;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The fleet store: a connection pool with migrations applied.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The URL for a `--store` value: a `sqlite:`/`postgres:` URL as given, else a file path
/// (created when missing).
pub fn store_url(value: &str) -> String {
    if value.starts_with("postgres://")
        || value.starts_with("postgresql://")
        || value.starts_with("sqlite:")
    {
        value.to_string()
    } else {
        format!("sqlite://{value}?mode=rwc")
    }
}

fn migrator(backend: Backend) -> Migrator {
    let sql: [&'static str; 2] = match backend {
        Backend::Sqlite => [
            include_str!("../migrations/sqlite/0001_fleet.sql"),
            include_str!("../migrations/sqlite/0002_queue.sql"),
        ],
        Backend::Postgres => [
            include_str!("../migrations/postgres/0001_fleet.sql"),
            include_str!("../migrations/postgres/0002_queue.sql"),
        ],
    };
    let names = ["fleet", "queue"];
    Migrator::with_migrations(
        sql.iter()
            .zip(names)
            .zip(1..)
            .map(|((sql, name), version)| {
                Migration::new(
                    version,
                    name.into(),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    false,
                )
            })
            .collect(),
    )
}

impl Store {
    /// Open (creating the SQLite file and its directory when needed) and migrate.
    pub async fn open(value: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let url = store_url(value);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        if backend == Backend::Sqlite
            && let Some(parent) = Path::new(value).parent()
            && !value.starts_with("sqlite:")
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // SQLite takes one writer at a time: a small pool keeps the wait short.
        let max = match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    // WAL (sqlx's default) with NORMAL sync: no corruption on a crash, one
                    // fsync per checkpoint instead of per run stored.
                    if backend == Backend::Sqlite {
                        sqlx::Executor::execute(conn, "PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|source| StoreError::Connect {
                url: redact(&url),
                source,
            })?;
        migrator(backend).run(&pool).await?;
        Ok(Store { pool, backend })
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(store_url("/x/fleet.db"), "sqlite:///x/fleet.db?mode=rwc");
        assert_eq!(store_url("postgres://h/db"), "postgres://h/db");
        assert_eq!(
            redact("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
    }
}
