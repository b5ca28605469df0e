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
            Err(ParseError::syntax(path, line, col, "UTF-8 text"))
        }
    }
}

/// The text without a leading byte-order mark (callers other than `parse_file` may pass one).
pub(crate) fn no_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
