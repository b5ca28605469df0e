//! Decoding a file's bytes as text, with the position of the first bad byte.

use super::error::ParseError;
use annex_types::location::LineIndex;

/// The content as text without a byte-order mark: UTF-8, or UTF-16 when it starts with a
/// UTF-16 byte-order mark (pip accepts such requirements files). Invalid UTF-8 is a syntax
/// error at the first bad byte.
pub fn text<'a>(path: &str, content: &'a [u8]) -> Result<std::borrow::Cow<'a, str>, ParseError> {
    let utf16 = |le: bool| -> Result<std::borrow::Cow<'a, str>, ParseError> {
        let units = content[2..].chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let mut out = String::with_capacity(content.len() / 2);
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => out.push(c),
                Err(_) => {
                    let (line, col) = LineIndex::new(&out).line_col(out.len());
                    return Err(ParseError::syntax(path, line, col, "UTF-16 text"));
                }
            }
        }
        Ok(std::borrow::Cow::Owned(out))
    };
    if content.starts_with(b"\xFF\xFE") {
        return utf16(true);
    }
    if content.starts_with(b"\xFE\xFF") {
        return utf16(false);
    }
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    match std::str::from_utf8(content) {
        Ok(t) => Ok(std::borrow::Cow::Borrowed(t)),
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&content[..good]).unwrap_or("");
            let (line, col) = LineIndex::new(prefix).line_col(good);
            match declared_encoding(path, content) {
                Some(name) => decode_declared(path, content, &name, (line, col)),
                None => Err(ParseError::syntax(path, line, col, "UTF-8 text")),
            }
        }
    }
}

/// The encoding a Python file declares in its first two lines (PEP 263: a comment matching
/// `coding[:=]\s*([-\w.]+)`), which pip also honours in requirements files. Only Python
/// sources and requirements files are asked: other formats are UTF-8 by their specification.
fn declared_encoding(path: &str, content: &[u8]) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if ![".py", ".txt", ".in"].iter().any(|ext| name.ends_with(ext)) {
        return None;
    }
    for line in content.split(|b| *b == b'\n').take(2) {
        let trimmed = line.trim_ascii_start();
        if !trimmed.starts_with(b"#") {
            continue;
        }
        let Some(at) = trimmed.windows(6).position(|w| w == b"coding") else {
            continue;
        };
        let rest = &trimmed[at + 6..];
        let Some(rest) = rest.strip_prefix(b":").or_else(|| rest.strip_prefix(b"=")) else {
            continue;
        };
        let name: String = rest
            .trim_ascii_start()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .map(|b| char::from(*b))
            .collect();
        if !name.is_empty() {
            return Some(name.to_ascii_lowercase().replace('_', "-"));
        }
    }
    None
}

/// Decode with a declared single-byte encoding; `at` is where UTF-8 decoding failed.
fn decode_declared<'a>(
    path: &str,
    content: &[u8],
    name: &str,
    at: (u64, u64),
) -> Result<std::borrow::Cow<'a, str>, ParseError> {
    let windows_1252 = matches!(name, "cp1252" | "windows-1252");
    let latin_1 = matches!(
        name,
        "latin-1" | "latin1" | "l1" | "iso-8859-1" | "iso8859-1" | "iso-8859-15" | "iso8859-15"
    );
    if !latin_1 && !windows_1252 {
        let expected = if matches!(name, "utf-8" | "utf8") {
            "UTF-8 text".to_string()
        } else {
            format!(
                "text in a supported encoding (the file declares `{name}`; annex reads UTF-8, \
                 UTF-16, Latin-1 and Windows-1252)"
            )
        };
        return Err(ParseError::syntax(path, at.0, at.1, expected));
    }
    let mut out = String::with_capacity(content.len());
    for &b in content {
        let c = match b {
            0x80..=0x9F if windows_1252 => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            // ISO-8859-15 differs from Latin-1 in eight letters that a dependency
            // declaration does not use; both are read as Latin-1.
            _ => char::from(b),
        };
        out.push(c);
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Windows-1252's 0x80..=0x9F; the five undefined bytes stay their C1 code points.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// The text without a leading byte-order mark (callers other than `parse_file` may pass one).
pub(crate) fn no_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
