//! The time documents a person reads are stamped with (SBOM, VEX, CRA documents).
//!
//! `SOURCE_DATE_EPOCH` when the caller read one; otherwise the commit time of the
//! checkout's HEAD, as reproducible-builds.org suggests (the same commit gives the same
//! bytes); otherwise the time the caller read from its clock. Never the Unix epoch: a
//! document that says "created 1970-01-01" states something false.

use annex_types::{BuildTime, BuildTimeError};
use std::path::Path;

/// The build time for documents about the checkout at `root`. `source_date_epoch` is the
/// variable as the caller read it, `now` the caller's clock (seconds since the epoch). A
/// malformed variable is an error: a document that must follow it cannot guess.
pub fn build_time(
    root: &Path,
    source_date_epoch: Option<&str>,
    now: i64,
) -> Result<BuildTime, BuildTimeError> {
    if source_date_epoch.is_some() {
        return BuildTime::from_source_date_epoch(source_date_epoch);
    }
    Ok(head_commit_time(root)
        .map(BuildTime::from_epoch_seconds)
        .unwrap_or(BuildTime::now(now)))
}

/// The committer time of HEAD of the repository `root` is in (a subdirectory counts), when
/// it has at least one commit. Isolated: no global or system git configuration is read.
pub fn head_commit_time(root: &Path) -> Option<i64> {
    let repo = discover_isolated(root)?;
    let id = repo.head_id().ok()?.detach();
    annex_checkout::git::check_object_size(&repo, id).ok()?;
    let commit = repo.find_commit(id).ok()?;
    let seconds = commit.time().ok()?.seconds;
    // A commit dated before 1970 is as unreadable a date as none.
    (seconds > 0).then_some(seconds)
}

/// The repository `root` is in, opened without any global or system git configuration.
pub(crate) fn discover_isolated(root: &Path) -> Option<gix::Repository> {
    let isolated = gix::sec::trust::Mapping {
        full: gix::open::Options::isolated(),
        reduced: gix::open::Options::isolated(),
    };
    Some(
        gix::ThreadSafeRepository::discover_opts(root, Default::default(), isolated)
            .ok()?
            .to_thread_local(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_and_a_bad_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let t = build_time(dir.path(), Some("1700000000"), 5).unwrap();
        assert_eq!(t.source_date_epoch(), Some(1_700_000_000));
        assert!(build_time(dir.path(), Some("soon"), 5).is_err());
    }

    #[test]
    fn without_git_the_clock_not_the_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let t = build_time(dir.path(), None, 1_800_000_000).unwrap();
        assert_eq!(t.unix_seconds(), 1_800_000_000);
        assert!(!t.is_default());
    }
}
