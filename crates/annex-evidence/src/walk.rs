//! Reading the checkout's files, in parallel over the one file index (`annex-checkout`).
//! Each regular file is opened at most once: its head is sniffed for magic bytes; text files
//! below the size cap are read to the end to scan for secrets and source markers; files some
//! probe needs by name are kept in memory for the probes.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use annex_checkout::{FileIndex, choose_threads};
use annex_inventory::detect::{self, Kind};

use crate::model::UnreadReason;
use crate::options::Options;
use crate::probes::markers;
use crate::probes::names;
use crate::record::FileRecord;
use crate::sniff::{self, LARGE_HEAD};
use crate::text::{decode, digest, extension, file_name};

/// Bytes read first from every file below the cap, to sniff it.
const HEAD: usize = 8 * 1024;

#[derive(Debug, Default)]
pub(crate) struct WalkResult {
    /// Sorted by path.
    pub files: Vec<FileRecord>,
    pub dirs: u64,
    pub bytes_read: u64,
    pub skipped_large: u64,
    pub skipped_symlinks: u64,
}

#[derive(Default)]
struct Counters {
    bytes_read: AtomicU64,
    skipped_large: AtomicU64,
}

/// Read every file of the index on `threads` threads (0: one per core, capped by
/// `annex_checkout::choose_threads`); records come back sorted by path, as the index is.
pub(crate) fn read_all(index: &FileIndex, options: &Options) -> WalkResult {
    let counters = Counters::default();
    let max = options.max_file_size;
    let files = &index.files;
    let threads = choose_threads(options.threads)
        .threads
        .min(files.len().max(1));
    // One slot per indexed file, handed out in batches of 64 (small enough to keep every
    // thread busy to the end): each record is written once, in index order, with no
    // per-thread buffers to merge and no second copy.
    let mut slots: Vec<Option<FileRecord>> = Vec::with_capacity(files.len());
    slots.resize_with(files.len(), || None);
    let batches = Mutex::new(files.chunks(64).zip(slots.chunks_mut(64)));
    annex_checkout::run_workers(threads, || {
        loop {
            let batch = batches.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((batch, out)) = batch else {
                break;
            };
            for (f, slot) in batch.iter().zip(out) {
                *slot = visit_file(&index.path_of(f), f.rel.clone(), max, &counters);
            }
        }
    });
    // `filter_map` collects in place (the slots' allocation becomes the records'); `flatten`
    // would allocate and grow a second vector.
    #[allow(clippy::filter_map_identity)]
    let records: Vec<FileRecord> = slots.into_iter().filter_map(|slot| slot).collect();
    WalkResult {
        files: records,
        dirs: index.dirs,
        bytes_read: counters.bytes_read.into_inner(),
        skipped_large: counters.skipped_large.into_inner(),
        skipped_symlinks: index.symlinks,
    }
}

fn visit_file(path: &Path, rel: String, max: u64, counters: &Counters) -> Option<FileRecord> {
    let candidate = names::wants_content(&rel);
    let opened = File::open(path).and_then(|f| f.metadata().map(|m| (f, m)));
    let (mut file, meta) = match opened {
        Ok(x) => x,
        // A file a probe needs stays in the records, marked unread, so that it is reported
        // rather than taken as absent.
        Err(e) if candidate => {
            let mut rec = FileRecord::new(rel, 0, false);
            rec.unread = Some((UnreadReason::Unreadable, e.to_string()));
            return Some(rec);
        }
        Err(_) => return None,
    };
    // Check the opened handle, not the directory entry: the file may have changed since.
    if !meta.is_file() {
        return None;
    }
    let size = meta.len();
    let name = file_name(&rel);
    let ext = extension(name);
    let lockfile = detect::classify(Path::new(name)).is_some_and(|d| d.kind == Kind::Lockfile);

    let mut rec = FileRecord::new(rel, size, size > max);
    if rec.large && candidate {
        rec.unread = Some((
            UnreadReason::TooLarge,
            format!("{size} bytes, more than --max-file-size ({max} bytes)"),
        ));
    }

    // Read exactly what is wanted, knowing the size: a small file costs one read call.
    let want = if rec.large {
        LARGE_HEAD as u64
    } else {
        size.min(max)
    };
    let want = usize::try_from(want).unwrap_or(usize::MAX);
    let head_len = want.min(HEAD);
    let mut buf = Vec::with_capacity(head_len);
    let read = read_up_to(&mut file, &mut buf, head_len);
    counters
        .bytes_read
        .fetch_add(buf.len() as u64, Ordering::Relaxed);
    if let Err(e) = read {
        if candidate {
            rec.unread = Some((UnreadReason::Unreadable, e.to_string()));
        }
        return Some(rec);
    }
    rec.binary = sniff::sniff(&buf, &ext);
    if rec.large {
        counters.skipped_large.fetch_add(1, Ordering::Relaxed);
        return Some(rec);
    }
    let textual = rec.binary.is_none() && sniff::looks_textual(&buf);
    let scan_text = textual && !lockfile;
    if !(candidate || scan_text) {
        return Some(rec);
    }
    let before = buf.len();
    if want > before {
        buf.reserve_exact(want - before);
        let rest = read_up_to(&mut file, &mut buf, want);
        counters
            .bytes_read
            .fetch_add((buf.len() - before) as u64, Ordering::Relaxed);
        if let Err(e) = rest {
            if candidate {
                rec.unread = Some((UnreadReason::Unreadable, e.to_string()));
            }
            return Some(rec);
        }
    }
    if scan_text && sniff::looks_textual(&buf[before..]) {
        let text = decode(&buf);
        rec.secrets = crate::secrets::scan(&text);
        rec.markers = markers::scan(&rec.rel, &ext, &text);
    }
    if candidate {
        rec.digest = Some(digest(&buf));
        rec.content = Some(buf);
    }
    Some(rec)
}

/// Read into `buf` until it holds `limit` bytes or the file ends.
fn read_up_to(file: &mut File, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<()> {
    let mut filled = buf.len();
    if filled >= limit {
        return Ok(());
    }
    buf.resize(limit, 0);
    let result = loop {
        if filled == limit {
            break Ok(());
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => break Ok(()),
            Ok(k) => filled += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    buf.truncate(filled);
    result
}
