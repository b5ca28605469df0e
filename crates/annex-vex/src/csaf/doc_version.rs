//! Document versions of `document.tracking`: an integer or a semantic version.

/// A document version: an integer or a semantic version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DocVersion {
    Int(u64),
    Sem(semver::Version),
}

impl DocVersion {
    pub(crate) fn parse(s: &str) -> Option<DocVersion> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().map(DocVersion::Int);
        }
        semver::Version::parse(s).ok().map(DocVersion::Sem)
    }

    pub(crate) fn major(&self) -> u64 {
        match self {
            DocVersion::Int(n) => *n,
            DocVersion::Sem(v) => v.major,
        }
    }

    pub(crate) fn is_prerelease(&self) -> bool {
        matches!(self, DocVersion::Sem(v) if !v.pre.is_empty())
    }

    /// Without build metadata (and without the pre-release part when `drop_pre`).
    pub(crate) fn comparable(&self, drop_pre: bool) -> DocVersion {
        match self {
            DocVersion::Int(n) => DocVersion::Int(*n),
            DocVersion::Sem(v) => {
                let mut v = v.clone();
                v.build = semver::BuildMetadata::EMPTY;
                if drop_pre {
                    v.pre = semver::Prerelease::EMPTY;
                }
                DocVersion::Sem(v)
            }
        }
    }
}
