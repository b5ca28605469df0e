//! [`escape_control`]: the one escaping of text from files and advisories before it reaches
//! a terminal, so that a package name or an advisory summary cannot move the cursor, clear
//! the screen, start a new line that looks like annex's own, or reorder text.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every control character (C0 including `\n`, `\r` and `\t`, DEL, C1) and every
/// bidirectional override or isolate written as `\u{XX}`. Anything else, backslashes
/// included, is kept as it is: the result is for people, one field on one line.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape_control`] for a message of several lines that annex composed (an error listing
/// choices): each line escaped, the line breaks kept, and every line after the first indented
/// so none can pass for a line of annex's own (`error: …`).
pub fn escape_control_lines(s: &str) -> String {
    s.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_breaks_indented_and_escape_the_rest() {
        assert_eq!(
            escape_control_lines("choose one:\nerror: fake\r\x1b[2J"),
            "choose one:\n  error: fake\\u{d}\\u{1b}[2J"
        );
    }

    #[test]
    fn controls_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(
            escape_control("serde 1.0 ünïcode \\ ok"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_control("a\u{1b}[2J\r\n0 vulnerabilities\u{7}\u{9b}x\u{202e}y\tz"),
            "a\\u{1b}[2J\\u{d}\\u{a}0 vulnerabilities\\u{7}\\u{9b}x\\u{202e}y\\u{9}z"
        );
    }

    #[test]
    fn the_result_never_holds_a_control_character() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let out = escape_control(&all);
        assert!(!out.chars().any(needs_escape));
        assert!(!out.contains('\n'));
    }
}
