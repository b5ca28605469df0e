//! The one way to read a file of the checkout: relative paths only, no symlinks on the way,
//! regular files only, a size cap.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(thiserror::Error, Debug)]
pub enum ReadError {
    #[error("{path}: not a path inside the checkout")]
    OutsideRoot { path: String },
    #[error("{path}: a symlink (annex does not follow symlinks)")]
    Symlink { path: String },
    #[error("{path}: not a regular file")]
    NotAFile { path: String },
    #[error("{path}: {size} bytes, over the {limit}-byte limit")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("{path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ReadError {
    /// Whether the file simply is not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Resolve `rel` below `root`, refusing absolute paths, `..` and any symlink on the way.
fn resolve(root: &Path, rel: &str) -> Result<PathBuf, ReadError> {
    let outside = || ReadError::OutsideRoot {
        path: rel.to_string(),
    };
    if rel.is_empty() || rel.starts_with('/') || rel.contains('\\') || rel.contains('\0') {
        return Err(outside());
    }
    resolve_components(root, Path::new(rel), rel)
}

/// Walk `rel`'s components below `root`, refusing `..`, a root or prefix, and any symlink
/// on the way; `label` names the path in errors.
fn resolve_components(root: &Path, rel: &Path, label: &str) -> Result<PathBuf, ReadError> {
    use std::path::Component;
    let mut path = root.to_path_buf();
    for part in rel.components() {
        match part {
            Component::CurDir => continue,
            Component::Normal(name) => path.push(name),
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(ReadError::OutsideRoot {
                    path: label.to_string(),
                });
            }
        }
        let meta = std::fs::symlink_metadata(&path).map_err(|source| ReadError::Io {
            path: label.to_string(),
            source,
        })?;
        if meta.file_type().is_symlink() {
            return Err(ReadError::Symlink {
                path: label.to_string(),
            });
        }
    }
    if path == root {
        return Err(ReadError::OutsideRoot {
            path: label.to_string(),
        });
    }
    Ok(path)
}

/// Read `root/rel`: a regular file of at most `limit` bytes, reached without a symlink.
pub fn read_file(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    let path = resolve(root, rel)?;
    read_resolved(&path, rel, limit)
}

/// [`read_file`] for a file of the index: through its name as the system spells it when
/// that is not UTF-8 (`raw`), so such files are read, not only labelled. Errors name the
/// label (`rel`).
pub fn read_indexed(
    root: &Path,
    file: &crate::IndexedFile,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    match &file.raw {
        None => read_file(root, &file.rel, limit),
        Some(raw) => {
            let path = resolve_components(root, raw, &file.rel)?;
            read_resolved(&path, &file.rel, limit)
        }
    }
}

fn read_resolved(path: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: rel.to_string(),
        source,
    };
    // Checked before opening: opening a FIFO would wait for a writer forever.
    if !std::fs::symlink_metadata(path).map_err(io)?.is_file() {
        return Err(ReadError::NotAFile {
            path: rel.to_string(),
        });
    }
    let file = crate::nofollow::open_regular(path).map_err(io)?;
    // The opened handle decides, not the earlier look-up: the file may have changed since.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: rel.to_string(),
        });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: rel.to_string(),
            size: meta.len(),
            limit,
        });
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while read still stops at the limit.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: rel.to_string(),
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// [`read_file`] as UTF-8 text (a BOM is dropped).
pub fn read_text(root: &Path, rel: &str, limit: u64) -> Result<String, ReadError> {
    let bytes = read_file(root, rel, limit)?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|_| ReadError::NotText {
        path: rel.to_string(),
    })
}

/// A file the user named (`--sbom`, `--keyring`…): opened as named, so a symlink or a pipe
/// (`<(…)`) is fine, but read only up to `limit` bytes and never a directory. Files inside
/// the checkout go through [`read_file`] instead.
pub fn read_given(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let label = path.display().to_string();
    let io = |source| ReadError::Io {
        path: label.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::NotAFile { path: label });
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: label,
            size: meta.len(),
            limit,
        });
    }
    let mut buf = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: label,
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

#[cfg(test)]
mod given_tests {
    use super::*;

    #[test]
    fn a_named_file_is_capped_and_a_directory_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.json");
        std::fs::write(&f, vec![b'x'; 100]).unwrap();
        assert_eq!(read_given(&f, 100).unwrap().len(), 100);
        assert!(matches!(
            read_given(&f, 99),
            Err(ReadError::TooLarge { size: 100, .. })
        ));
        assert!(matches!(
            read_given(dir.path(), 99),
            Err(ReadError::NotAFile { .. })
        ));
        // A device with no end is cut at the limit, not read forever.
        if Path::new("/dev/zero").exists() {
            assert!(matches!(
                read_given(Path::new("/dev/zero"), 1024),
                Err(ReadError::TooLarge { size: 1025, .. })
            ));
        }
    }
}
