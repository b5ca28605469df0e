//! `annex db update --url URL`: download an osv.dev-style `all.zip` (or
//! a single OSV JSON record) over HTTP(S) and import it.
//!
//! The response is streamed to a temporary file in the database directory within a size
//! budget: a `Content-Length` over the budget is refused before the body is read, and a body
//! that grows past it is cut off and refused. The file is recognised by its first bytes (a zip
//! archive, or JSON), then imported through annex-vuln's offline [`Db::import`] with the database's own limits, and
//! removed. Issue paths in the summary and the import log name the URL, not the temporary file.
//!
//! A server that stops sending for `idle_timeout` is given up on (the body is read on a
//! helper thread, which ends when the connection does). The download holds the database's
//! writer lock, so any `.download-*` file found under it is a leftover of an interrupted or
//! killed update and is removed first.
//!
//! TLS is rustls with the webpki roots (no native TLS). A proxy from the environment
//! (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`) is honoured, except for loopback hosts.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use annex_vuln::db::{Db, DbError, ImportSummary};
use serde::{Deserialize, Serialize};

/// Bounds of one download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadLimits {
    /// Most bytes accepted from the server (the compressed archive).
    pub max_bytes: u64,
    /// The whole request, connection to last byte.
    pub timeout: Duration,
    /// Establishing the connection (DNS, TCP, TLS).
    pub connect_timeout: Duration,
    /// Longest wait for the next bytes of the response: a stalled server fails the
    /// download after this, not after `timeout`.
    pub idle_timeout: Duration,
}

impl Default for DownloadLimits {
    fn default() -> Self {
        DownloadLimits {
            max_bytes: 4 << 30,
            timeout: Duration::from_secs(60 * 60),
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Why `annex db update` failed: the download, or the import of what was downloaded.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{url}: {source}")]
    Download { url: String, source: DownloadError },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("only http:// and https:// URLs can be downloaded")]
    UnsupportedUrl,
    #[error("the server answered HTTP {status}")]
    Status { status: u16 },
    #[error("refused: the server announces {declared} bytes, over the {limit}-byte download limit")]
    TooLargeDeclared { declared: u64, limit: u64 },
    #[error("refused: the download grew past the {limit}-byte limit")]
    TooLarge { limit: u64 },
    #[error(
        "the download is neither a zip archive nor an OSV JSON record (it starts with {start:?})"
    )]
    UnknownContent { start: String },
    #[error("the download is empty")]
    Empty,
    #[error("the server sent nothing for {} seconds", .idle.as_secs())]
    Stalled { idle: Duration },
    #[error("HTTP: {0}")]
    Http(#[from] ureq::Error),
    #[error("reading the response: {0}")]
    Read(io::Error),
    #[error("{}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Removes the temporary file however the download ends.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(h) = host_port.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Downloads `url` (an osv.dev `all.zip` or a single OSV JSON record) and imports it into
/// `db`. Errors name the URL; problems with the advisories are issues in the summary, as in
/// [`Db::import`]. Network errors are [`UpdateError::Download`].
pub fn download(
    url: &str,
    db: &mut Db,
    limits: &DownloadLimits,
) -> Result<ImportSummary, UpdateError> {
    let held = db.holds_lock();
    db.lock(true)?;
    let result = download_locked(url, db, limits);
    if !held {
        db.unlock()?;
    }
    result
}

/// Removes what interrupted downloads left in the database directory. Only the lock holder
/// downloads, so nothing named `.download-*` there is in use.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let leftover = e.file_name().to_string_lossy().starts_with(".download-")
            && e.file_type().is_ok_and(|t| !t.is_dir());
        if leftover {
            // Best effort: a leftover that cannot be removed only costs disk space.
            let _ = fs::remove_file(e.path());
        }
    }
}

fn download_locked(
    url: &str,
    db: &mut Db,
    limits: &DownloadLimits,
) -> Result<ImportSummary, UpdateError> {
    remove_leftovers(db.dir());
    let err = |source: DownloadError| UpdateError::Download {
        url: url.to_string(),
        source,
    };
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(err(DownloadError::UnsupportedUrl));
    }
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(limits.timeout))
        .timeout_connect(Some(limits.connect_timeout))
        .max_redirects(5)
        .user_agent(format!("annex/{}", env!("CARGO_PKG_VERSION")));
    if is_loopback_url(url) {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let response = agent
        .get(url.trim())
        .call()
        .map_err(|e| err(DownloadError::Http(e)))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(err(DownloadError::Status { status }));
    }
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(declared) = declared
        && declared > limits.max_bytes
    {
        return Err(err(DownloadError::TooLargeDeclared {
            declared,
            limit: limits.max_bytes,
        }));
    }
    // Unique within the process without reading the clock; the process id separates processes.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let stem = db
        .dir()
        .join(format!(".download-{}-{n}", std::process::id()));
    let part = TempFile(stem.with_extension("part"));
    let reader = response.into_body().into_reader();
    let (written, head) = stream_to(
        Box::new(reader),
        &part.0,
        limits.max_bytes,
        limits.idle_timeout,
    )
    .map_err(&err)?;
    if written > limits.max_bytes {
        return Err(err(DownloadError::TooLarge {
            limit: limits.max_bytes,
        }));
    }
    let ext = match sniff(&head) {
        Some(ext) => ext,
        None if written == 0 => return Err(err(DownloadError::Empty)),
        None => {
            let start: String = String::from_utf8_lossy(&head[..head.len().min(16)]).into_owned();
            return Err(err(DownloadError::UnknownContent { start }));
        }
    };
    let file = TempFile(stem.with_extension(ext));
    fs::rename(&part.0, &file.0).map_err(|source| {
        err(DownloadError::Write {
            path: file.0.clone(),
            source,
        })
    })?;
    let mut summary = db.import_labelled(&[&file.0], vec![url.to_string()])?;
    let temp = file.0.display().to_string();
    for issue in &mut summary.issues {
        if let Some(rest) = issue.path.strip_prefix(&temp) {
            issue.path = format!("{url}{rest}");
        }
    }
    Ok(summary)
}

/// Copies at most `limit + 1` bytes to `path`; returns the count and the first bytes. The
/// body is read on a helper thread so that a server sending nothing for `idle` is noticed;
/// that thread ends when its connection does, or at the next chunk after we gave up.
fn stream_to(
    reader: Box<dyn Read + Send>,
    path: &Path,
    limit: u64,
    idle: Duration,
) -> Result<(u64, Vec<u8>), DownloadError> {
    let werr = |source| DownloadError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut out = BufWriter::new(annex_checkout::nofollow::create_new(path).map_err(werr)?);
    let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
    std::thread::spawn(move || {
        let mut reader = reader;
        loop {
            let mut buf = vec![0u8; 64 * 1024];
            let chunk = match reader.read(&mut buf) {
                Ok(n) => {
                    buf.truncate(n);
                    Ok(buf)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
            let last = !matches!(&chunk, Ok(b) if !b.is_empty());
            if tx.send(chunk).is_err() || last {
                break;
            }
        }
    });
    let mut head = Vec::with_capacity(64);
    let mut total: u64 = 0;
    loop {
        let chunk = match rx.recv_timeout(idle) {
            Ok(Ok(chunk)) if chunk.is_empty() => break,
            Ok(Ok(chunk)) => chunk,
            Ok(Err(e)) => return Err(DownloadError::Read(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => return Err(DownloadError::Stalled { idle }),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(DownloadError::Read(io::ErrorKind::UnexpectedEof.into()));
            }
        };
        if head.len() < 64 {
            let take = (64 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        total += chunk.len() as u64;
        if total > limit {
            return Ok((total, head));
        }
        out.write_all(&chunk).map_err(werr)?;
    }
    out.into_inner()
        .map_err(|e| werr(e.into_error()))?
        .sync_all()
        .map_err(werr)?;
    Ok((total, head))
}

/// `zip` or `json` from the first bytes.
fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some("zip");
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Some("json"),
        _ => None,
    }
}
