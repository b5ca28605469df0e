//! The record of one file that the walk produces and every probe reads. A leaf of its own,
//! so that probes need not import the walk, nor the walk the probes.

use crate::model::{BinaryKind, SecretKind, UnreadReason};
use crate::probes::markers::Marker;
use crate::text::{decode, file_name};

/// One regular file seen by the walk.
#[derive(Debug)]
pub(crate) struct FileRecord {
    /// Relative, `/`-separated path.
    pub rel: String,
    pub size: u64,
    /// Above `max_file_size`: only the head was read.
    pub large: bool,
    /// The content, kept only for files a probe reads by name.
    pub content: Option<Vec<u8>>,
    /// SHA-256 of `content`, when kept.
    pub digest: Option<String>,
    pub binary: Option<BinaryKind>,
    pub secrets: Vec<(SecretKind, u64)>,
    pub markers: Vec<(Marker, u64)>,
    /// Why the content a probe wanted was not read (too large, an I/O error), if so.
    pub unread: Option<(UnreadReason, String)>,
}

impl FileRecord {
    /// A record of a file not read yet.
    pub(crate) fn new(rel: String, size: u64, large: bool) -> Self {
        FileRecord {
            rel,
            size,
            large,
            content: None,
            digest: None,
            binary: None,
            secrets: Vec::new(),
            markers: Vec::new(),
            unread: None,
        }
    }

    pub(crate) fn name(&self) -> &str {
        file_name(&self.rel)
    }

    pub(crate) fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.content.as_deref().map(decode)
    }
}
