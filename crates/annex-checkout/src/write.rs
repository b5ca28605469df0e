//! The one way annex writes a file below a directory (the checkout, or an output
//! directory): relative paths only, no symlink anywhere on the way or at the name, parent
//! directories created one by one without following links, and an existing file replaced
//! only when asked.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::nofollow;

/// Why a file was not written.
#[derive(thiserror::Error, Debug)]
pub enum WriteError {
    #[error("{path}: not a path inside {}", root.display())]
    OutsideRoot { root: PathBuf, path: String },
    #[error("{path}: a symlink (annex never writes through symlinks)")]
    Symlink { path: String },
    #[error("{path}: exists and is not a regular file")]
    NotAFile { path: String },
    #[error("{path} exists: not overwritten (use --force to replace it)")]
    Exists { path: String },
    // The cause is in the message, not a `source`: annex-docs' callers print errors
    // without their chain, and a chain would only repeat it.
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

/// Writes `bytes` to `root/rel`. Every directory on the way must be a real directory (a
/// missing one is created, a symlink — dangling or not — is refused), and so must the name
/// itself not be a symlink. An existing regular file is replaced only with `force`, by
/// renaming a new file over it, so nothing is ever written through a link planted meanwhile.
/// Returns the path written.
pub fn write_file(
    root: &Path,
    rel: &str,
    bytes: &[u8],
    force: bool,
) -> Result<PathBuf, WriteError> {
    let outside = || WriteError::OutsideRoot {
        root: root.to_path_buf(),
        path: rel.to_string(),
    };
    if rel.is_empty() || rel.starts_with('/') || rel.contains('\\') || rel.contains('\0') {
        return Err(outside());
    }
    let parts: Vec<&str> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err(outside());
    }
    let io = |shown: &Path| {
        let path = shown.display().to_string();
        move |error| WriteError::Io { path, error }
    };
    let Some((name, dirs)) = parts.split_last() else {
        return Err(outside());
    };
    // The root is the caller's choice (the checkout, or an --output directory to create).
    std::fs::create_dir_all(root).map_err(io(root))?;
    let mut dir = root.to_path_buf();
    for part in dirs {
        dir.push(part);
        nofollow::ensure_dir(&dir).map_err(|e| match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => WriteError::Symlink {
                path: dir.display().to_string(),
            },
            _ => io(&dir)(e),
        })?;
    }
    let path = dir.join(name);
    let shown = path.display().to_string();
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink { path: shown }),
        Ok(m) if !m.is_file() => return Err(WriteError::NotAFile { path: shown }),
        Ok(_) if !force => return Err(WriteError::Exists { path: shown }),
        Ok(_) => {
            let tmp = dir.join(format!(".{name}.annex-{}.tmp", std::process::id()));
            let written = nofollow::replace_new(&tmp)
                .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
                .and_then(|()| std::fs::rename(&tmp, &path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(io(&path)(e));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // O_EXCL: if anything appeared at the name meanwhile, this fails instead.
            let mut f = nofollow::create_new(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Exists {
                    path: shown.clone(),
                },
                _ => io(&path)(e),
            })?;
            f.write_all(bytes).map_err(io(&path))?;
        }
        Err(e) => return Err(io(&path)(e)),
    }
    Ok(path)
}

/// `-o /dev/null`, `-o /dev/stdout`, `-o >(jq .)`: a character device or pipe is written to,
/// not replaced (nothing to lose, no file to rename over). Only the path itself counts, or,
/// through a symlink, the process's own descriptors (`/dev/stdout`, `/dev/fd/N`,
/// `/proc/self/fd/N`); a block device never.
#[cfg(unix)]
fn write_stream(path: &Path, bytes: &[u8]) -> Result<Option<PathBuf>, WriteError> {
    use std::os::unix::fs::FileTypeExt;
    let Ok(own) = std::fs::symlink_metadata(path) else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    let own_descriptor = matches!(shown.as_str(), "/dev/stdout" | "/dev/stderr")
        || ["/dev/fd/", "/proc/self/fd/"].iter().any(|p| {
            shown
                .strip_prefix(p)
                .is_some_and(|n| n.parse::<u32>().is_ok())
        });
    let kind = if own.file_type().is_symlink() {
        if !own_descriptor {
            return Ok(None);
        }
        match std::fs::metadata(path) {
            Ok(m) => m.file_type(),
            Err(_) => return Ok(None),
        }
    } else {
        own.file_type()
    };
    if !(kind.is_char_device() || kind.is_fifo()) {
        return Ok(None);
    }
    let io = |error| WriteError::Io {
        path: shown.clone(),
        error,
    };
    let mut stream = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io)?;
    stream.write_all(bytes).map_err(io)?;
    Ok(Some(path.to_path_buf()))
}

#[cfg(not(unix))]
fn write_stream(_path: &Path, _bytes: &[u8]) -> Result<Option<PathBuf>, WriteError> {
    Ok(None)
}

/// [`write_file`] for a path given on the command line (`-o FILE`): the file's own
/// directory is the root, so the name itself must not be a symlink, nor be anything but a
/// regular file, and an existing one is replaced only with `force`.
pub fn write_output(path: &Path, bytes: &[u8], force: bool) -> Result<PathBuf, WriteError> {
    if let Some(written) = write_stream(path, bytes)? {
        return Ok(written);
    }
    let name =
        path.file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| WriteError::OutsideRoot {
                root: path.to_path_buf(),
                path: path.display().to_string(),
            })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    write_file(dir, name, bytes, force)
}
