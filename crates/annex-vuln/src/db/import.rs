//! Reading import sources: directories, single files and zip archives, with size limits.

use std::fs::{self, File};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::limits::Limits;
use super::rustsec;
use super::summary::{ImportSummary, IssueKind};
use crate::osv::Advisory;

/// Receives each valid record with the name of the file (or archive entry) it came from.
pub(super) type Sink<'a> = dyn FnMut(&str, Advisory, &mut ImportSummary) + 'a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Yaml,
    Markdown,
    Zip,
}

fn kind_of(name: &str) -> Option<Kind> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Kind::Json),
        "yaml" | "yml" => Some(Kind::Yaml),
        "md" => Some(Kind::Markdown),
        "zip" => Some(Kind::Zip),
        _ => None,
    }
}

pub(super) fn read_source(
    src: &Path,
    limits: &Limits,
    summary: &mut ImportSummary,
    sink: &mut Sink<'_>,
) {
    match fs::metadata(src) {
        Ok(m) if m.is_dir() => walk(src, limits, summary, sink),
        Ok(_) => read_file(src, limits, summary, sink),
        Err(e) => summary.issue(
            src.display().to_string(),
            IssueKind::Skipped,
            format!("cannot read: {e}"),
        ),
    }
}

/// Walks a directory recursively in name order. Hidden entries (`.git`) are skipped, and
/// symbolic links to directories are not followed.
fn walk(dir: &Path, limits: &Limits, summary: &mut ImportSummary, sink: &mut Sink<'_>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect::<Vec<_>>(),
        Err(e) => {
            summary.issue(
                dir.display().to_string(),
                IssueKind::Skipped,
                format!("cannot read directory: {e}"),
            );
            return;
        }
    };
    let mut entries = entries;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let Ok(lmeta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if lmeta.is_dir() {
            walk(&path, limits, summary, sink);
        } else if lmeta.is_symlink() {
            if fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                read_file(&path, limits, summary, sink);
            }
        } else if lmeta.is_file() {
            read_file(&path, limits, summary, sink);
        }
    }
}

fn read_file(path: &Path, limits: &Limits, summary: &mut ImportSummary, sink: &mut Sink<'_>) {
    let display = path.display().to_string();
    let Some(kind) = path.file_name().and_then(|n| n.to_str()).and_then(kind_of) else {
        return;
    };
    if kind == Kind::Zip {
        read_zip(path, &display, limits, summary, sink);
        return;
    }
    let size = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            summary.files += 1;
            summary.issue(display, IssueKind::Skipped, format!("cannot read: {e}"));
            return;
        }
    };
    if size > limits.max_file_size {
        summary.files += 1;
        summary.issue(
            display,
            IssueKind::Skipped,
            format!(
                "refused: the file is {} bytes, over the {}-byte limit for one advisory; not read",
                size, limits.max_file_size
            ),
        );
        return;
    }
    let mut bytes = Vec::new();
    let read =
        File::open(path).and_then(|f| f.take(limits.max_file_size + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        summary.files += 1;
        summary.issue(display, IssueKind::Skipped, format!("cannot read: {e}"));
        return;
    }
    if bytes.len() as u64 > limits.max_file_size {
        summary.files += 1;
        summary.issue(
            display,
            IssueKind::Skipped,
            format!(
                "refused: the file grew past the {}-byte limit while being read",
                limits.max_file_size
            ),
        );
        return;
    }
    let components: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    handle(&display, kind, &bytes, &components, summary, sink);
}

/// Parses one candidate and hands a valid record to the sink.
fn handle(
    display: &str,
    kind: Kind,
    bytes: &[u8],
    components: &[String],
    summary: &mut ImportSummary,
    sink: &mut Sink<'_>,
) {
    let parsed = match kind {
        Kind::Json => Advisory::from_json(bytes).map_err(|e| e.to_string()),
        Kind::Yaml => match std::str::from_utf8(bytes) {
            Ok(text) => Advisory::from_yaml(text).map_err(|e| e.to_string()),
            Err(e) => Err(format!("not UTF-8: {e}")),
        },
        Kind::Markdown => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return; // not a RustSec advisory (those are UTF-8 Markdown)
            };
            if !rustsec::looks_like_advisory(text) {
                return; // README.md and friends
            }
            // advisory-db: `crates/<crate>/<id>.md`; `rust/<component>/<id>.md` is the toolchain.
            let n = components.len();
            if n >= 3 && components[n - 3] == "rust" {
                summary.files += 1;
                summary.issue(
                    display,
                    IssueKind::Ignored,
                    "RustSec advisory for the Rust toolchain (std, cargo, rustdoc): no OSV ecosystem to match",
                );
                return;
            }
            rustsec::parse(text)
                .map_err(|e| format!("invalid RustSec advisory: {e}"))
                .and_then(|adv| {
                    adv.validate()
                        .map(|()| adv)
                        .map_err(|e| format!("invalid RustSec advisory: {e}"))
                })
        }
        Kind::Zip => return,
    };
    summary.files += 1;
    match parsed {
        Ok(adv) => {
            let lint = adv.lint();
            if !lint.is_empty() {
                summary.issue(
                    display,
                    IssueKind::Warning,
                    format!("{}: {}", adv.id, lint.join("; ")),
                );
            }
            sink(display, adv, summary);
        }
        Err(message) => summary.issue(display, IssueKind::Skipped, message),
    }
}

fn read_zip(
    path: &Path,
    display: &str,
    limits: &Limits,
    summary: &mut ImportSummary,
    sink: &mut Sink<'_>,
) {
    let refuse = |summary: &mut ImportSummary, message: String| {
        summary.issue(display, IssueKind::Skipped, message);
    };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return refuse(summary, format!("cannot read: {e}")),
    };
    let size = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return refuse(summary, format!("cannot read: {e}")),
    };
    if size > limits.max_archive_size {
        return refuse(
            summary,
            format!(
                "refused: the archive is {size} bytes, over the {}-byte limit; not read",
                limits.max_archive_size
            ),
        );
    }
    match preflight(&mut file, size) {
        Err(e) => return refuse(summary, format!("not a readable zip archive: {e}")),
        Ok(dir) => {
            if dir.entries > limits.max_archive_entries {
                return refuse(
                    summary,
                    format!(
                        "refused: the archive lists {} entries, over the limit of {}",
                        dir.entries, limits.max_archive_entries
                    ),
                );
            }
            if dir.size > limits.max_central_directory {
                return refuse(
                    summary,
                    format!(
                        "refused: the archive's central directory is {} bytes, over the limit of {}",
                        dir.size, limits.max_central_directory
                    ),
                );
            }
        }
    }
    if let Err(e) = file.seek(SeekFrom::Start(0)) {
        return refuse(summary, format!("cannot read: {e}"));
    }
    let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => return refuse(summary, format!("not a readable zip archive: {e}")),
    };
    let mut total: u64 = 0;
    let count = archive.len();
    for i in 0..count {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                summary.files += 1;
                summary.issue(
                    format!("{display}!#{i}"),
                    IssueKind::Skipped,
                    format!("cannot read archive entry: {e}"),
                );
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => format!("#{i}"),
        };
        let Some(kind) = kind_of(&name) else {
            continue;
        };
        let entry_display = format!("{display}!{name}");
        if kind == Kind::Zip {
            summary.issue(
                entry_display,
                IssueKind::Ignored,
                "nested archives are not opened",
            );
            continue;
        }
        if entry.size() > limits.max_file_size {
            summary.files += 1;
            summary.issue(
                entry_display,
                IssueKind::Skipped,
                format!(
                    "refused: the entry declares {} bytes decompressed, over the {}-byte limit",
                    entry.size(),
                    limits.max_file_size
                ),
            );
            continue;
        }
        let remaining = limits.max_archive_uncompressed.saturating_sub(total);
        let budget = limits.max_file_size.min(remaining);
        let mut bytes = Vec::new();
        let read = (&mut entry).take(budget + 1).read_to_end(&mut bytes);
        total += bytes.len() as u64;
        if let Err(e) = read {
            summary.files += 1;
            summary.issue(
                entry_display,
                IssueKind::Skipped,
                format!("cannot decompress: {e}"),
            );
            continue;
        }
        if bytes.len() as u64 > budget {
            summary.files += 1;
            if budget < limits.max_file_size {
                summary.issue(
                    entry_display,
                    IssueKind::Skipped,
                    format!(
                        "refused: the archive decompresses to more than {} bytes in total; \
                         this and the remaining {} entries are not read",
                        limits.max_archive_uncompressed,
                        count - i - 1
                    ),
                );
                break;
            }
            summary.issue(
                entry_display,
                IssueKind::Skipped,
                format!(
                    "refused: the entry decompresses to more than {} bytes (its header says {})",
                    limits.max_file_size,
                    entry.size()
                ),
            );
            continue;
        }
        drop(entry);
        let components: Vec<String> = name.split('/').map(str::to_string).collect();
        handle(&entry_display, kind, &bytes, &components, summary, sink);
    }
}

struct CentralDirectory {
    entries: u64,
    size: u64,
}

/// Reads the end-of-central-directory record (and its zip64 variant) to learn how many
/// entries an archive lists before any of them is parsed.
fn preflight(file: &mut File, size: u64) -> Result<CentralDirectory, String> {
    const EOCD_MIN: u64 = 22;
    if size < EOCD_MIN {
        return Err(format!(
            "{size} bytes is too short for a zip archive (truncated?)"
        ));
    }
    let tail_len = size.min(EOCD_MIN + u64::from(u16::MAX));
    let start = size - tail_len;
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| e.to_string())?;
    let pos = (0..=tail.len() - EOCD_MIN as usize)
        .rev()
        .find(|&i| tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or("no end-of-central-directory record (truncated or not a zip archive)")?;
    let eocd = &tail[pos..];
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let u32_at =
        |b: &[u8], i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    let mut entries = u16_at(eocd, 10);
    let mut cd_size = u32_at(eocd, 12);
    if entries == 0xffff || cd_size == 0xffff_ffff || u32_at(eocd, 16) == 0xffff_ffff {
        // zip64: the locator sits right before the EOCD record.
        let loc_pos = (start + pos as u64)
            .checked_sub(20)
            .ok_or("zip64 locator missing")?;
        let mut loc = [0u8; 20];
        file.seek(SeekFrom::Start(loc_pos))
            .and_then(|_| file.read_exact(&mut loc))
            .map_err(|e| e.to_string())?;
        if loc[..4] != [0x50, 0x4b, 0x06, 0x07] {
            return Err("zip64 end-of-central-directory locator missing".into());
        }
        let rec_pos = u64::from_le_bytes(loc[8..16].try_into().expect("8 bytes"));
        if rec_pos.saturating_add(56) > size {
            return Err("zip64 end-of-central-directory record lies past the end".into());
        }
        let mut rec = [0u8; 56];
        file.seek(SeekFrom::Start(rec_pos))
            .and_then(|_| file.read_exact(&mut rec))
            .map_err(|e| e.to_string())?;
        if rec[..4] != [0x50, 0x4b, 0x06, 0x06] {
            return Err("zip64 end-of-central-directory record missing".into());
        }
        entries = u64::from_le_bytes(rec[32..40].try_into().expect("8 bytes"));
        cd_size = u64::from_le_bytes(rec[40..48].try_into().expect("8 bytes"));
    }
    if cd_size > size {
        return Err(format!(
            "the central directory claims {cd_size} bytes in a {size}-byte file (truncated?)"
        ));
    }
    Ok(CentralDirectory {
        entries,
        size: cd_size,
    })
}
