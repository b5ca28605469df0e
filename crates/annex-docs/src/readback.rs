//! Closing the loop: what the CRA documents `annex docs` wrote say for each numbered item
//! of Annexes II, V, VI and VII, read back for `annex check`. An item is `filled` when its
//! section carries no TODO, `todo` with the first TODO's text otherwise, and `missing` with
//! the command that writes the document when the file is absent, and `unreadable` with the
//! reason when the file is there but could not be read (too large, not text, a symlink…), so
//! the item is unknown rather than failed. The Markdown document is read first, its HTML
//! counterpart when only that was written. Whether filled content is *right* is not decided
//! here: that stays with the rules and attestations.

use crate::catalog;
use crate::document::{Format, Kind};
use serde::Serialize;
use std::collections::BTreeMap;

/// What one Annex item's document says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ItemFact {
    /// The item's section is present and has no TODO; `line` is its marker comment.
    Filled { path: String, line: u64 },
    /// The item's section still carries a TODO (the first one's text and line).
    Todo {
        path: String,
        line: u64,
        todo: String,
        /// TODOs in the section in all.
        count: usize,
    },
    /// The document is not in the checkout, or has no section for the item.
    Missing { path: String, command: String },
    /// The document is there but could not be read: the item cannot be told.
    Unreadable { path: String, reason: String },
}

/// What reading one document gave: its text, nothing (absent), or why it could not be read.
pub type Read = Result<Option<String>, String>;

/// The documents read back, and the catalog control whose items each holds.
const DOCUMENTS: [(Kind, &str); 4] = [
    (Kind::UserInformation, "CRA-AII"),
    (Kind::Declaration, "CRA-AV"),
    (Kind::SimplifiedDeclaration, "CRA-AVI"),
    (Kind::TechnicalDocumentation, "CRA-AVII"),
];

/// Each Annex item's fact, by catalog id. `read` returns a document's text by its path
/// relative to the checkout, `Ok(None)` when it is absent, or why it could not be read.
pub fn read_back(read: &dyn Fn(&str) -> Read) -> BTreeMap<String, ItemFact> {
    let mut out = BTreeMap::new();
    for (kind, control) in DOCUMENTS {
        let command = format!("annex docs --kind {}", kind.name());
        let (path, text) = read_either(read, kind);
        let sections = text.as_ref().map(|t| t.as_deref().map(sections));
        for item in catalog::items(control).unwrap_or_default() {
            let fact = match &sections {
                Err(reason) => ItemFact::Unreadable {
                    path: path.clone(),
                    reason: reason.to_string(),
                },
                Ok(s) => match s.as_ref().and_then(|s| s.get(&item.id)) {
                    None => ItemFact::Missing {
                        path: path.clone(),
                        command: command.clone(),
                    },
                    Some(sec) => match sec.todos.first() {
                        None => ItemFact::Filled {
                            path: path.clone(),
                            line: sec.line,
                        },
                        Some((line, todo)) => ItemFact::Todo {
                            path: path.clone(),
                            line: *line,
                            todo: todo.clone(),
                            count: sec.todos.len(),
                        },
                    },
                },
            };
            out.insert(item.id, fact);
        }
    }
    out
}

/// The Markdown document, or its HTML counterpart when only that was written; the path
/// named is the Markdown one when neither is there.
fn read_either(read: &dyn Fn(&str) -> Read, kind: Kind) -> (String, Read) {
    let markdown = kind.file_name(Format::Markdown);
    match read(&markdown) {
        Ok(None) => {
            let html = kind.file_name(Format::Html);
            match read(&html) {
                Ok(None) => (markdown, Ok(None)),
                other => (html, other),
            }
        }
        other => (markdown, other),
    }
}

struct Section {
    line: u64,
    todos: Vec<(u64, String)>,
}

/// Sections by item id: from an item's marker comment (`<!-- CRA-AII.1 · … -->`) to the next
/// marker or heading, with the TODO lines inside. Both renderings of `annex docs` are read:
/// Markdown (`# …`, `> **TODO (…):** text`) and HTML (`<h2>…`, `<p class="todo"><strong>TODO
/// (…):</strong> text</p>`, text escaped).
fn sections(text: &str) -> BTreeMap<String, Section> {
    let mut out: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let t = line.trim();
        if let Some(id) = t
            .strip_prefix("<!-- ")
            .and_then(|r| r.split(" · ").next())
            .filter(|id| id.starts_with("CRA-"))
        {
            out.insert(
                id.to_string(),
                Section {
                    line: n,
                    todos: Vec::new(),
                },
            );
            current = Some(id.to_string());
        } else if is_heading(t) {
            current = None;
        } else if let Some(what) = todo_text(t)
            && let Some(sec) = current.as_ref().and_then(|c| out.get_mut(c))
        {
            sec.todos.push((n, what));
        }
    }
    out
}

fn is_heading(line: &str) -> bool {
    line.starts_with('#')
        || line
            .strip_prefix("<h")
            .is_some_and(|r| r.starts_with(|c: char| ('1'..='6').contains(&c)))
}

/// The text of a TODO line in either rendering.
fn todo_text(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("> **TODO (") {
        let what = rest.split_once(":**").map_or(rest, |(_, w)| w).trim();
        return Some(what.to_string());
    }
    let rest = line.strip_prefix("<p class=\"todo\"><strong>TODO")?;
    let what = rest.split_once(":</strong>").map_or(rest, |(_, w)| w);
    let what = what.strip_suffix("</p>").unwrap_or(what).trim();
    Some(unescape_html(what))
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_end_at_the_next_marker_or_heading() {
        let text = "## 1. A\n\n<!-- CRA-AII.1 · x -->\n\n> **TODO (Annex II, point 1):** give the address\n\n## 2. B\n\n<!-- CRA-AII.2 · y -->\n\nfilled\n\n## After\n\n> **TODO (Article 30):** not an item\n";
        let s = sections(text);
        assert_eq!(s["CRA-AII.1"].line, 3);
        assert_eq!(
            s["CRA-AII.1"].todos,
            vec![(5, "give the address".to_string())]
        );
        assert!(s["CRA-AII.2"].todos.is_empty());
    }

    #[test]
    fn html_sections_and_todos_are_read_like_markdown() {
        let text = "<h2>1. A</h2>\n<!-- CRA-AII.1 · x -->\n<p class=\"todo\"><strong>TODO (Annex II, point 1):</strong> give the &lt;address&gt; &amp; phone</p>\n<h2>2. B</h2>\n<!-- CRA-AII.2 · y -->\n<p>filled</p>\n<h2>After</h2>\n<p class=\"todo\"><strong>TODO (Article 30):</strong> not an item</p>\n";
        let s = sections(text);
        assert_eq!(s["CRA-AII.1"].line, 2);
        assert_eq!(
            s["CRA-AII.1"].todos,
            vec![(3, "give the <address> & phone".to_string())]
        );
        assert!(s["CRA-AII.2"].todos.is_empty());
    }

    #[test]
    fn an_unreadable_document_is_unreadable_not_missing() {
        let facts = read_back(&|rel| {
            if rel == "docs/cra/user-information.md" {
                Err(format!("{rel}: 9999999 bytes, over the limit"))
            } else {
                Ok(None)
            }
        });
        let ua: Vec<_> = facts
            .iter()
            .filter(|(id, _)| id.starts_with("CRA-AII."))
            .collect();
        assert!(!ua.is_empty());
        for (id, fact) in ua {
            assert!(
                matches!(fact, ItemFact::Unreadable { reason, .. } if reason.contains("over the limit")),
                "{id}: {fact:?}"
            );
        }
        assert!(
            facts
                .iter()
                .filter(|(id, _)| id.starts_with("CRA-AV."))
                .all(|(_, f)| matches!(f, ItemFact::Missing { .. }))
        );
    }
}
