//! A small document model rendered to Markdown or to a self-contained HTML page, so each
//! document is written once and comes out in either format.

use crate::document::Todo;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    Text(String),
    Strong(String),
    Em(String),
    Code(String),
    Link { text: String, url: String },
}

pub(crate) fn t(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}
pub(crate) fn b(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}
pub(crate) fn em(s: impl Into<String>) -> Inline {
    Inline::Em(s.into())
}
pub(crate) fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}
pub(crate) fn link(text: impl Into<String>, url: impl Into<String>) -> Inline {
    Inline::Link {
        text: text.into(),
        url: url.into(),
    }
}
/// A URL shown as itself, or an e-mail address as a mailto link.
pub(crate) fn url(u: &str) -> Inline {
    if let Some(addr) = u.strip_prefix("mailto:") {
        link(addr, u)
    } else if u.contains('@') && !u.contains("://") {
        link(u, format!("mailto:{u}"))
    } else {
        link(u, u)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Heading(u8, String),
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Something annex does not know; also collected into `Document::todos`.
    Todo(Todo),
    /// Invisible in the rendered page; kept in the source (catalog references).
    Comment(String),
}

/// Builder collecting blocks and the TODOs among them.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn h(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }
    pub fn p(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Para(inlines));
    }
    pub fn text(&mut self, s: impl Into<String>) {
        self.p(vec![t(s)]);
    }
    pub fn list(&mut self, items: Vec<Vec<Inline>>) {
        if !items.is_empty() {
            self.blocks.push(Block::List(items));
        }
    }
    pub fn table(&mut self, head: &[&str], rows: Vec<Vec<Vec<Inline>>>) {
        self.blocks.push(Block::Table {
            head: head.iter().map(|s| s.to_string()).collect(),
            rows,
        });
    }
    pub fn todo(&mut self, item: impl Into<String>, what: impl Into<String>) {
        self.blocks.push(Block::Todo(Todo {
            item: item.into(),
            what: what.into(),
        }));
    }
    pub fn comment(&mut self, s: impl Into<String>) {
        self.blocks.push(Block::Comment(s.into()));
    }
    pub fn todos(&self) -> Vec<Todo> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Todo(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Markdown

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_inline(i: &Inline) -> String {
    match i {
        Inline::Text(s) => md_escape(s),
        Inline::Strong(s) => wrap("**", s),
        Inline::Em(s) => wrap("*", s),
        Inline::Code(s) => {
            if s.contains('`') {
                format!("`` {s} ``")
            } else {
                format!("`{s}`")
            }
        }
        Inline::Link { text, url } => {
            if text == url && (url.contains("://") || url.starts_with("mailto:")) {
                format!("<{url}>")
            } else {
                let target = if url.contains([' ', '(', ')']) {
                    format!("<{url}>")
                } else {
                    url.clone()
                };
                format!("[{}]({target})", md_escape(text))
            }
        }
    }
}

/// Emphasis with surrounding spaces kept outside the markers (CommonMark needs that).
fn wrap(marker: &str, s: &str) -> String {
    let inner = s.trim();
    if inner.is_empty() {
        return md_escape(s);
    }
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    format!("{lead}{marker}{}{marker}{trail}", md_escape(inner))
}

fn md_inlines(v: &[Inline]) -> String {
    v.iter().map(md_inline).collect()
}

fn todo_label(t: &Todo) -> String {
    if t.item.is_empty() {
        "TODO".to_string()
    } else {
        format!("TODO ({})", t.item)
    }
}

pub(crate) fn to_markdown(doc: &Doc) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(*level as usize));
                out.push(' ');
                out.push_str(&md_escape(text));
                out.push('\n');
            }
            Block::Para(v) => {
                out.push_str(&md_inlines(v));
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&md_inlines(item));
                    out.push('\n');
                }
            }
            Block::Table { head, rows } => {
                out.push_str("| ");
                out.push_str(
                    &head
                        .iter()
                        .map(|h| md_escape(h))
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
                out.push_str(" |\n|");
                for _ in head {
                    out.push_str(" --- |");
                }
                out.push('\n');
                for row in rows {
                    out.push_str("| ");
                    out.push_str(
                        &row.iter()
                            .map(|c| md_inlines(c).replace('\n', " "))
                            .collect::<Vec<_>>()
                            .join(" | "),
                    );
                    out.push_str(" |\n");
                }
            }
            Block::Todo(t) => {
                out.push_str(&format!(
                    "> **{}:** {}\n",
                    todo_label(t),
                    md_escape(&t.what)
                ));
            }
            Block::Comment(s) => {
                out.push_str(&format!("<!-- {} -->\n", s.replace("--", "- -")));
            }
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------
// HTML

pub(crate) use annex_types::xml::escape as html_escape;

fn html_inline(i: &Inline) -> String {
    match i {
        Inline::Text(s) => html_escape(s),
        Inline::Strong(s) => format!("<strong>{}</strong>", html_escape(s)),
        Inline::Em(s) => format!("<em>{}</em>", html_escape(s)),
        Inline::Code(s) => format!("<code>{}</code>", html_escape(s)),
        Inline::Link { text, url } => {
            format!("<a href=\"{}\">{}</a>", html_escape(url), html_escape(text))
        }
    }
}

fn html_inlines(v: &[Inline]) -> String {
    v.iter().map(html_inline).collect()
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}\
h1,h2,h3{line-height:1.2}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}\
.todo{background:#fff4d6;border-left:4px solid #e0a800;padding:.4rem .8rem}code{background:#f2f2f2;padding:0 .2rem}";

pub(crate) fn to_html(doc: &Doc, title: &str, lang: &str) -> String {
    let mut body = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                body.push_str(&format!("<h{level}>{}</h{level}>\n", html_escape(text)));
            }
            Block::Para(v) => body.push_str(&format!("<p>{}</p>\n", html_inlines(v))),
            Block::List(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    body.push_str(&format!("<li>{}</li>\n", html_inlines(item)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                body.push_str("<table>\n<thead><tr>");
                for h in head {
                    body.push_str(&format!("<th>{}</th>", html_escape(h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for cell in row {
                        body.push_str(&format!("<td>{}</td>", html_inlines(cell)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Block::Todo(t) => body.push_str(&format!(
                "<p class=\"todo\"><strong>{}:</strong> {}</p>\n",
                html_escape(&todo_label(t)),
                html_escape(&t.what)
            )),
            Block::Comment(s) => body.push_str(&format!(
                "<!-- {} -->\n",
                html_escape(&s.replace("--", "- -"))
            )),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html_escape(lang),
        html_escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_and_links() {
        let mut d = Doc::default();
        d.h(1, "A_b");
        d.p(vec![
            t("x*y "),
            url("sec@example.org"),
            t(" "),
            url("https://e.org/"),
        ]);
        d.todo("Annex II, point 5", "say <what>");
        let md = to_markdown(&d);
        assert_eq!(
            md,
            "# A\\_b\n\nx\\*y [sec@example.org](mailto:sec@example.org) <https://e.org/>\n\n> **TODO (Annex II, point 5):** say \\<what>\n"
        );
        let html = to_html(&d, "T", "en");
        assert!(html.contains("<a href=\"mailto:sec@example.org\">sec@example.org</a>"));
        assert!(html.contains("say &lt;what&gt;"));
    }
}
