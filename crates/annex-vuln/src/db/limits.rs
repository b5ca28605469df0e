//! How much an import may read.

use serde::{Deserialize, Serialize};

/// Size limits applied while importing. Everything is checked before or while reading, so a
/// huge file or a zip bomb is refused without reading more than the limit into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest single advisory file, and largest decompressed zip entry (bytes).
    pub max_file_size: u64,
    /// Largest zip archive on disk (bytes).
    pub max_archive_size: u64,
    /// Most entries in one zip archive.
    pub max_archive_entries: u64,
    /// Largest zip central directory (bytes); bounds the memory spent listing an archive.
    pub max_central_directory: u64,
    /// Most bytes decompressed from one archive in total.
    pub max_archive_uncompressed: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 32 << 20,
            max_archive_size: 8 << 30,
            max_archive_entries: 2_000_000,
            max_central_directory: 512 << 20,
            max_archive_uncompressed: 16 << 30,
        }
    }
}
