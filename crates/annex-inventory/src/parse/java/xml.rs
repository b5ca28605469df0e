//! A bounded XML element tree (quick-xml underneath) with the line of each element: enough
//! for `pom.xml` and Gradle's verification metadata. Namespaces are dropped (local names);
//! entity and character references are resolved; DTDs are not read.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::parse::error::{MAX_DEPTH, ParseError, ParseError as PE};
use annex_types::location::LineIndex as Lines;

/// Most elements read from one document.
const MAX_ELEMENTS: usize = 2_000_000;

#[derive(Debug, Clone, Default)]
pub(crate) struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<El>,
    pub line: u64,
}

impl El {
    pub(crate) fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(crate) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed text of a child element, if present and not empty.
    pub(crate) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `a/b/c` below this element.
    pub(crate) fn path(&self, path: &str) -> Option<&El> {
        let mut cur = self;
        for seg in path.split('/') {
            cur = cur.child(seg)?;
        }
        Some(cur)
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

/// XML `Name`: no markup or `$`, `{`, `}` and friends; not starting with a digit, `-`, `.`.
fn valid_name(n: &str) -> bool {
    let mut it = n.chars();
    let Some(first) = it.next() else { return false };
    let ok =
        |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.') || (c as u32) > 0x7f;
    (first.is_alphabetic() || first == '_' || first == ':' || (first as u32) > 0x7f) && it.all(ok)
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => num.parse().ok()?,
            };
            return char::from_u32(code).filter(|c| *c != '\0');
        }
    })
}

/// Parses a whole document and returns its root element.
pub(crate) fn parse(path: &str, text: &str) -> Result<El, ParseError> {
    let lines = Lines::new(text);
    let err_at = |off: u64, expected: String| {
        let (l, c) = lines.line_col(off as usize);
        PE::syntax(path, l, c, expected)
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let mut count = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let msg = e.to_string();
                return Err(err_at(
                    reader.error_position(),
                    format!("well-formed XML ({msg})"),
                ));
            }
        };
        let start_line = || {
            let off = text
                .get(before..)
                .and_then(|t| t.find('<'))
                .map_or(before, |i| before + i);
            lines.line(off)
        };
        match ev {
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let _ = e;
                return Err(err_at(before as u64, "a single root element".to_string()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(PE::TooLarge {
                        path: path.to_string(),
                        size: text.len() as u64,
                    });
                }
                let qname = e.name();
                let raw_name: &str = qname.as_ref();
                if !valid_name(raw_name) {
                    return Err(err_at(
                        before as u64,
                        format!("a valid element name, not `{raw_name}`"),
                    ));
                }
                let mut el = El {
                    name: local(raw_name),
                    line: start_line(),
                    ..El::default()
                };
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    el.attrs.push((local(a.key.as_ref()), v));
                }
                if matches!(ev, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(p) => p.children.push(el),
                        None => root = Some(el),
                    }
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return Err(PE::TooDeep {
                            path: path.to_string(),
                            line: el.line,
                            col: 1,
                            limit: MAX_DEPTH,
                        });
                    }
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(err_at(
                        before as u64,
                        "no closing tag without an opening one".to_string(),
                    ));
                };
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(t.as_ref());
                } else if !t.as_ref().trim().is_empty() {
                    return Err(err_at(
                        before as u64,
                        "an element, not text outside the root".to_string(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                match (stack.last_mut(), entity(&name)) {
                    (Some(top), Some(c)) => top.text.push(c),
                    // A DTD entity (`&xxe;`) is never expanded, and kept as text it would
                    // become part of a name or version without a word: refused, as Maven's
                    // own parser refuses an undeclared entity.
                    (_, None) => {
                        let shown: String = name.chars().take(64).collect();
                        return Err(err_at(
                            before as u64,
                            format!(
                                "a character reference or one of XML's five entities, not \
                                 `&{shown};` (annex does not expand DTD entities)"
                            ),
                        ));
                    }
                    (None, Some(_)) => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(err_at(
            text.len() as u64,
            format!(
                "`</{}>` closing the element of line {}",
                open.name, open.line
            ),
        ));
    }
    root.ok_or_else(|| err_at(0, "an XML root element".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_entity_is_an_error_not_text() {
        let pom = "<project>\n  <artifactId>lib&xxe;</artifactId>\n</project>\n";
        let e = parse("pom.xml", pom).expect_err("entity");
        let text = e.to_string();
        assert!(text.starts_with("pom.xml:2:"), "{text}");
        assert!(text.contains("not `&xxe;`"), "{text}");
        let ok = "<project><artifactId>a&amp;b&#46;c</artifactId></project>";
        assert!(parse("pom.xml", ok).is_ok());
    }

    #[test]
    fn tree_lines_and_errors() {
        let x = parse("p.xml", "<?xml version=\"1.0\"?>\n<a xmlns=\"u\">\n  <b k='v'>x &amp; y&#65;</b>\n  <c/>\n</a>\n").unwrap();
        assert_eq!(x.name, "a");
        let b = x.child("b").unwrap();
        assert_eq!(
            (b.line, b.text.as_str(), b.attr("k")),
            (3, "x & yA", Some("v"))
        );
        assert_eq!(x.child("c").unwrap().line, 4);
        let e = parse("p.xml", "<a>\n<b>\n").unwrap_err();
        assert!(matches!(e, ParseError::Syntax { .. }), "{e:?}");
        assert!(parse("p.xml", &"<a>".repeat(10_000)).is_err());
        assert!(parse("p.xml", "").is_err());
    }
}
