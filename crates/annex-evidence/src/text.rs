//! Small text helpers shared by the probes.

use std::borrow::Cow;

use regex::Regex;

// The one offset → line index, shared with the parsers.
pub(crate) use annex_types::location::LineIndex;

/// Compile a built-in pattern. The patterns are constants covered by the unit tests, so a
/// failure here is a programming error, never a property of the scanned input.
pub(crate) fn compile(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(e) => panic!("built-in pattern {pattern:?} does not compile: {e}"),
    }
}

/// `sha256:<lowercase hex>` of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", annex_types::digest::sha256_hex(bytes))
}

/// Decode bytes as UTF-8, replacing invalid sequences, without a leading BOM.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes)
}

/// Lines with their 1-based numbers (`\n` or `\r\n` separated).
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines().zip(1u64..).map(|(l, n)| (n, l))
}

/// Whether a line is a comment in YAML / shell / Makefile style (`#`) or `//` style.
pub(crate) fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//")
}

/// Headings of a Markdown, reStructuredText, AsciiDoc or plain-text document: ATX
/// (`# Title`), AsciiDoc (`== Title`), and underlined (`Title` followed by `===`/`---`/`~~~`).
/// Returns (line, heading text).
pub(crate) fn headings(text: &str) -> Vec<(u64, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let n = i as u64 + 1;
        for marker in ['#', '='] {
            if trimmed.starts_with(marker) {
                let rest = trimmed.trim_start_matches(marker);
                let level = trimmed.len() - rest.len();
                if level <= 6 && rest.starts_with(' ') && !rest.trim().is_empty() {
                    let title = rest.trim().trim_end_matches(marker).trim();
                    out.push((n, title.to_string()));
                }
            }
        }
        if let Some(next) = lines.get(i + 1) {
            let next = next.trim();
            let underline = next.len() >= 3
                && ['=', '-', '~', '^', '*']
                    .iter()
                    .any(|c| next.chars().all(|x| x == *c));
            if underline && !trimmed.is_empty() && !trimmed.starts_with(['#', '=', '-', '|', '*']) {
                out.push((n, trimmed.to_string()));
            }
        }
    }
    out
}

/// The lowercase extension of a file name (`""` when there is none).
pub(crate) fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The file name of a `/`-separated relative path.
pub(crate) fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

/// The parent directory of a `/`-separated relative path (`""` for the root).
pub(crate) fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            digest(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn headings_of_markdown_and_rst() {
        let text = "# Title\n\nintro\n\nSupported Versions\n------------------\n\n## Build it ##\n```\n# not a heading\n```\n= Asciidoc\n";
        let h = headings(text);
        assert_eq!(
            h,
            vec![
                (1, "Title".to_string()),
                (5, "Supported Versions".to_string()),
                (8, "Build it".to_string()),
                (12, "Asciidoc".to_string()),
            ]
        );
    }

    #[test]
    fn names() {
        assert_eq!(extension("a.TXT"), "txt");
        assert_eq!(extension(".gitignore"), "");
        assert_eq!(extension("Makefile"), "");
        assert_eq!(file_name("a/b/c.md"), "c.md");
        assert_eq!(parent("a/b/c.md"), "a/b");
        assert_eq!(parent("c.md"), "");
    }
}
