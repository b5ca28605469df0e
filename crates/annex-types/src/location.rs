//! Places in files: [`Location`] (path, line, column) and [`LineIndex`], the one map from
//! byte offsets to 1-based lines and columns that every parser and probe uses.
//!
//! Lines are split at `\n` only, so a `\r\n` line ends like a `\n` one. Columns count
//! characters (Unicode scalar values), not bytes, unless a method says otherwise. Offsets
//! past the end of the text are clamped to the end, never a panic.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A position in a file: relative `/`-separated path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Relative, `/`-separated path.
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub col: u64,
}

impl fmt::Display for Location {
    /// `path:line:col`, as compilers write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

/// Byte offset → 1-based line and column of one text. Built once per text (one pass to
/// find line starts and count characters); each lookup is a binary search plus at most
/// [`CHAR_STRIDE`] bytes of counting, so a minified one-line file costs no more per lookup
/// than a pretty-printed one.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    /// `chars_before[k]`: characters in `text[..k * CHAR_STRIDE]`.
    chars_before: Vec<usize>,
}

/// Bytes between two character-count checkpoints: the most a column lookup counts.
pub const CHAR_STRIDE: usize = 128;

impl<'a> LineIndex<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> Self {
        Self::from_bytes(text.as_bytes())
    }

    /// Index bytes that may not be UTF-8 (a document read before decoding). Columns then
    /// count a byte that is not part of a UTF-8 sequence as one character.
    pub fn from_bytes(text: &'a [u8]) -> Self {
        let mut starts = vec![0];
        let mut chars_before = Vec::with_capacity(text.len() / CHAR_STRIDE + 1);
        chars_before.push(0);
        let mut count = 0;
        for (k, chunk) in text.chunks(CHAR_STRIDE).enumerate() {
            let base = k * CHAR_STRIDE;
            starts.extend(
                chunk
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| base + i + 1),
            );
            count += chars(chunk);
            chars_before.push(count);
        }
        LineIndex {
            text,
            starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]` (offset within the text): the checkpoint below it
    /// plus fewer than [`CHAR_STRIDE`] bytes counted.
    fn chars_to(&self, offset: usize) -> usize {
        let k = offset / CHAR_STRIDE;
        self.chars_before[k] + chars(&self.text[k * CHAR_STRIDE..offset])
    }

    /// Characters in `text[start..end]`; `chars` is additive, so two prefix counts suffice.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        self.chars_to(end) - self.chars_to(start)
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line of byte `offset` (clamped to the text).
    pub fn line(&self, offset: usize) -> u64 {
        self.line_start(offset).0 as u64
    }

    /// (1-based line, byte offset where that line starts) for a clamped offset.
    fn line_start(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, self.starts[line - 1])
    }

    /// 1-based line and column (in characters) of byte `offset`, clamped to the text.
    /// Every character before the offset on its line counts, a `\r` included.
    pub fn line_col(&self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        let (line, start) = self.line_start(offset);
        (line as u64, self.chars_between(start, offset) as u64 + 1)
    }

    /// As [`LineIndex::line_col`], but `\r` just before the offset does not count: the
    /// column of a `\r\n` line break is where the line's text ends, as an editor shows it.
    pub fn line_col_ignoring_cr(&self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        let (line, start) = self.line_start(offset);
        let mut end = offset;
        while end > start && self.text[end - 1] == b'\r' {
            end -= 1;
        }
        (line as u64, self.chars_between(start, end) as u64 + 1)
    }

    /// 1-based line and column counted in bytes of byte `offset`, clamped to the text.
    pub fn line_byte_col(&self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        let (line, start) = self.line_start(offset);
        (line as u64, (offset - start) as u64 + 1)
    }

    /// The [`Location`] of byte `offset` in the file at `path`.
    pub fn location(&self, path: &str, offset: usize) -> Location {
        let (line, col) = self.line_col(offset);
        Location {
            path: path.to_string(),
            line,
            col,
        }
    }
}

/// Characters in UTF-8 bytes: every byte that does not continue a sequence starts one.
/// A cut through a character counts that character.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(4), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line_col(3), (2, 2));
        assert_eq!(idx.lines(), 4);
    }

    #[test]
    fn empty_text() {
        let idx = LineIndex::new("");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(10), (1, 1));
        assert_eq!(idx.lines(), 1);
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let idx = LineIndex::new("ab\ncd");
        assert_eq!(idx.line_col(99), (2, 3));
        let idx = LineIndex::new("ab\n");
        assert_eq!(idx.line_col(99), (2, 1));
        assert_eq!(idx.line(usize::MAX), 2);
    }

    #[test]
    fn crlf() {
        let t = "a = 1\nbb = 2\r\nccc";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(6), (2, 1));
        assert_eq!(idx.line_col(9), (2, 4));
        assert_eq!(idx.line_col(14), (3, 1));
        // At the `\n` of `\r\n`: the `\r` counts in one method and not in the other.
        assert_eq!(idx.line_col(13), (2, 8));
        assert_eq!(idx.line_col_ignoring_cr(13), (2, 7));
        assert_eq!(idx.line_col_ignoring_cr(9), (2, 4));
    }

    #[test]
    fn columns_count_characters_or_bytes() {
        let idx = LineIndex::new("é = ü");
        assert_eq!(idx.line_col(3), (1, 3));
        assert_eq!(idx.line_byte_col(3), (1, 4));
        let idx = LineIndex::from_bytes(b"\xff\xfe\nx");
        assert_eq!(idx.line_col(2), (1, 3));
        assert_eq!(idx.line_col(4), (2, 2));
    }

    /// The checkpointed count agrees with counting from the line start, for any text
    /// (multi-byte characters and invalid bytes straddling checkpoints included).
    #[test]
    fn checkpoints_match_a_plain_count() {
        let mut text = Vec::new();
        for i in 0..2000u32 {
            match i % 7 {
                0 => text.extend_from_slice("é".as_bytes()),
                1 => text.extend_from_slice("日".as_bytes()),
                2 if i % 301 == 2 => text.push(b'\n'),
                3 => text.push(0xff),
                4 => text.extend_from_slice("😀".as_bytes()),
                5 if i % 97 == 5 => text.push(b'\r'),
                _ => text.push(b'a'),
            }
        }
        let idx = LineIndex::from_bytes(&text);
        for offset in 0..=text.len() {
            let line_start = text[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let line = text[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            let col = chars(&text[line_start..offset]) + 1;
            assert_eq!(
                idx.line_col(offset),
                (line as u64, col as u64),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn location_display() {
        let idx = LineIndex::new("x\n  y");
        let loc = idx.location("a/b.toml", 4);
        assert_eq!(loc.to_string(), "a/b.toml:2:3");
    }
}
