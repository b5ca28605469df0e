//! The top of the crate: index the checkout, read its files once, and run every probe and
//! the git history over them. It depends on every other module; none depends on it.

use std::path::Path;

use crate::error::EvidenceError;
use crate::model::{Ci, Evidence, Generator, SCHEMA, UnreadFile, UnreadReason, Walk};
use crate::options::Options;
use crate::probes::names;
use crate::record::FileRecord;
use crate::{git, probes, walk};

/// Index `root` (the default excludes plus [`Options::exclude`]) and run every probe.
///
/// Errors only when the root itself cannot be walked (missing, not a directory,
/// unreadable) or an exclusion pattern is invalid; unreadable files below the root are
/// skipped.
pub fn collect(root: &Path, options: &Options) -> Result<Evidence, EvidenceError> {
    let index = annex_checkout::FileIndex::build(
        root,
        &annex_checkout::IndexOptions {
            exclude: options.exclude.clone(),
            threads: options.threads,
            ..annex_checkout::IndexOptions::default()
        },
    )?;
    Ok(collect_indexed(&index, options))
}

/// Run every probe over the files of an index built once by the caller (the pipeline
/// shares it with the inventory, so both see the same files).
pub fn collect_indexed(index: &annex_checkout::FileIndex, options: &Options) -> Evidence {
    let root = index.root.clone();
    let excluded = index.excluded.clone();
    let walked = walk::read_all(index, options);
    let files = &walked.files;
    let mut bytes_read = walked.bytes_read;
    let project = probes::project::probe(&root, files, &mut bytes_read);
    let now = options.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    let git = git::probe(
        &root,
        now,
        project.remote_url.as_deref(),
        options.signers.as_ref(),
    );

    let ci = probes::ci::probe(files);
    Evidence {
        schema: SCHEMA.to_string(),
        generator: Generator {
            name: "annex".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        root: root.to_string_lossy().into_owned(),
        walk: Walk {
            files: files.len() as u64,
            dirs: walked.dirs,
            bytes_read,
            skipped_large: walked.skipped_large,
            skipped_symlinks: walked.skipped_symlinks,
            excluded,
        },
        project,
        docs: probes::docs::probe(files),
        license: probes::license::probe(files),
        deps: probes::deps::probe(files),
        unread: unread(files, &ci),
        ci,
        tests: probes::misc::tests(files),
        fuzzing: probes::tools::fuzzing(files),
        sast: probes::tools::sast(files),
        binaries: probes::misc::binaries(files, &root, &index.pruned),
        secrets: probes::misc::secrets(&root, files),
        insights: probes::misc::insights(files),
        sbom: probes::misc::sbom(files),
        release: probes::tools::release(files),
        git,
    }
}

/// Files a probe needed and did not get: unread by the walk (too large, I/O error) or not
/// parsable (the CI analysis' `invalid-yaml` findings), with the sections they feed.
fn unread(files: &[FileRecord], ci: &Ci) -> Vec<UnreadFile> {
    let entry = |path: &str, reason, detail: &str| UnreadFile {
        path: path.to_string(),
        reason,
        detail: detail.to_string(),
        sections: names::sections(path)
            .into_iter()
            .map(String::from)
            .collect(),
    };
    let mut out: Vec<UnreadFile> = files
        .iter()
        .filter_map(|f| {
            let (reason, detail) = f.unread.as_ref()?;
            Some(entry(&f.rel, *reason, detail))
        })
        .chain(
            ci.workflow_findings
                .iter()
                .filter(|f| f.kind == "invalid-yaml")
                .map(|f| entry(&f.path, UnreadReason::Invalid, &f.detail)),
        )
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.path == b.path);
    out
}
