//! Opening and creating single files without following a symlink in the last component and
//! without blocking on FIFOs or devices. The building blocks of [`crate::read_file`] and
//! [`crate::write_file`], and of annex's own stores (the advisory database, incident records)
//! that are not a checkout but must not be led out of their directory either.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;

/// `open(2)` flags: never follow a symlink at `path`, never wait for a FIFO's writer.
#[cfg(unix)]
const FLAGS: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK;

fn no_follow(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    opts.custom_flags(FLAGS);
    opts
}

fn symlink_error(path: &Path, e: io::Error) -> io::Error {
    // O_NOFOLLOW reports a symlink as ELOOP; say what it means.
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: a symlink (not followed)", path.display()),
        );
    }
    let _ = path;
    e
}

/// Opens `path` for reading if it is a regular file reached without a final symlink.
pub fn open_regular(path: &Path) -> io::Result<File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(symlink_error_msg(path));
    }
    let file = no_follow(OpenOptions::new().read(true))
        .open(path)
        .map_err(|e| symlink_error(path, e))?;
    // The opened handle decides: the path may have changed since the look-up.
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a regular file", path.display()),
        ));
    }
    Ok(file)
}

fn symlink_error_msg(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: a symlink (not followed)", path.display()),
    )
}

/// Reads a regular file of at most `limit` bytes (see [`open_regular`]).
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    let too_large = |size: u64| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "{}: {size} bytes, over the {limit}-byte limit",
                path.display()
            ),
        )
    };
    if len > limit {
        return Err(too_large(len));
    }
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // A file that grows while read still stops at the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(too_large(buf.len() as u64));
    }
    Ok(buf)
}

/// Creates `path` for writing; fails if anything (a file, a dangling symlink) is there.
pub fn create_new(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().write(true).create_new(true))
        .open(path)
        .map_err(|e| symlink_error(path, e))
}

/// Creates `path` afresh: whatever is at the name (a leftover file, a planted symlink) is
/// unlinked first, never written through.
pub fn replace_new(path: &Path) -> io::Result<File> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    create_new(path)
}

/// Opens (creating if needed) a file used only as a lock, never through a symlink.
pub fn open_lock_file(path: &Path) -> io::Result<File> {
    no_follow(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)
    .map_err(|e| symlink_error(path, e))
}

/// Makes `dir` a real directory, refusing a symlink or a file in its place (a missing
/// parent is an error: callers create one level below a directory they checked).
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_dir() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(symlink_error_msg(dir)),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a directory", dir.display()),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match std::fs::create_dir(dir) {
            // Another process may have made it meanwhile; check what is there now.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => ensure_dir(dir),
            other => other,
        },
        Err(e) => Err(e),
    }
}

/// Flushes a directory's entries (a rename inside it) to disk, where the platform can.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}
