//! Relative paths inside the checkout, as lockfiles and manifests write them.

/// Appends `segments` to `out`, dropping empty and `.` segments and letting `..` remove the
/// last one; `None` when `..` climbs above what `out` holds.
pub(crate) fn push_segments<'a>(
    out: &mut Vec<&'a str>,
    segments: impl Iterator<Item = &'a str>,
) -> Option<()> {
    for seg in segments {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(())
}
