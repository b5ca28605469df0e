//! Escaping text for the XML family (HTML, SVG, JUnit XML), shared by the CRA documents and
//! the reports.

/// `s` safe as XML/HTML text or a quoted attribute value. Control characters XML 1.0 cannot
/// carry are dropped (tab, line feed and carriage return are kept).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            super::escape("<a href=\"x\">&'\u{1}\t</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\t&lt;/a&gt;"
        );
    }
}
