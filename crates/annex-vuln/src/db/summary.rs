//! What an import did, and each problem it met.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How an input was treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueKind {
    /// Malformed, too large or unreadable: not imported.
    Skipped,
    /// A well-formed record that is deliberately not imported (e.g. RustSec toolchain
    /// advisories, records without any package).
    Ignored,
    /// Imported, with a problem worth knowing.
    Warning,
}

/// One problem met during an import, naming the file (`archive.zip!entry` inside archives).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    pub path: String,
    pub kind: IssueKind,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Advisory candidates read: files and archive entries with an advisory extension
    /// (`.json`, `.yaml`, `.yml`, RustSec `.md`).
    pub files: usize,
    /// Records parsed and valid.
    pub records: usize,
    /// New advisories written.
    pub added: usize,
    /// Advisories replaced by a newer `modified`.
    pub updated: usize,
    /// Advisories not rewritten: already stored (or seen earlier in this import) with a newer
    /// `modified`, or the same `modified` and the same content.
    pub unchanged: usize,
    /// Candidates refused: malformed, too large, unreadable (each has an issue).
    pub skipped: usize,
    /// Well-formed candidates deliberately not imported (each has an issue).
    pub ignored: usize,
    /// Imported records with a schema problem that does not affect matching (each has an
    /// issue).
    pub warnings: usize,
    /// Valid records by database (id prefix: `RUSTSEC`, `GHSA`, `PYSEC`, `GO`, …).
    pub by_source: BTreeMap<String, usize>,
    /// Valid records by ecosystem (a record affecting two ecosystems counts in both).
    pub by_ecosystem: BTreeMap<String, usize>,
    pub issues: Vec<ImportIssue>,
}

impl ImportSummary {
    pub(crate) fn issue(
        &mut self,
        path: impl Into<String>,
        kind: IssueKind,
        message: impl Into<String>,
    ) {
        match kind {
            IssueKind::Skipped => self.skipped += 1,
            IssueKind::Ignored => self.ignored += 1,
            IssueKind::Warning => self.warnings += 1,
        }
        self.issues.push(ImportIssue {
            path: path.into(),
            kind,
            message: message.into(),
        });
    }
}
