//! Bounds on what annex reads from a repository's object database. A loose object or pack
//! entry states its own size, and gix allocates what it states: a 28-byte object claiming
//! 8 GB would otherwise take 8 GB. Every object annex reads (commits and tags, never blobs)
//! is checked here first, from its header alone.

use gix::ObjectId;

/// The largest commit or tag object annex reads. Real ones are a few KB; a signed merge
/// commit with a long message stays far below.
pub const MAX_GIT_OBJECT: u64 = 4 * 1024 * 1024;

/// The largest `.git/index` annex reads (the index of a 400,000-file monorepo is ~60 MB).
pub const MAX_GIT_INDEX: u64 = 1024 * 1024 * 1024;

/// Whether the object `id` may be read: its header's size is within [`MAX_GIT_OBJECT`].
/// The error says what the object claims.
pub fn check_object_size(repo: &gix::Repository, id: ObjectId) -> Result<(), String> {
    let header = repo
        .find_header(id)
        .map_err(|e| format!("cannot read object {id}: {e}"))?;
    let size = header.size();
    if size > MAX_GIT_OBJECT {
        return Err(format!(
            "object {id} claims {size} bytes, over the {MAX_GIT_OBJECT}-byte limit for a \
             commit or tag (a damaged or hostile repository)"
        ));
    }
    Ok(())
}
