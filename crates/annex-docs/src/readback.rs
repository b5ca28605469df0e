//! Closing the loop: what the CRA documents `annex docs` wrote say for each numbered item
//! of Annexes II, V, VI and VII, read back for `annex check`. An item is `filled` when its
//! section carries no TODO, `todo` with the first TODO's text otherwise, and `missing` with
//! the command that writes the document when the file is absent. Whether filled content is
//! *right* is not decided here: that stays with the rules and attestations.

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
}

/// The documents read back, and the catalog control whose items each holds.
const DOCUMENTS: [(Kind, &str); 4] = [
    (Kind::UserInformation, "CRA-AII"),
    (Kind::Declaration, "CRA-AV"),
    (Kind::SimplifiedDeclaration, "CRA-AVI"),
    (Kind::TechnicalDocumentation, "CRA-AVII"),
];

/// Each Annex item's fact, by catalog id. `read` returns a document's text by its path
/// relative to the checkout, or `None` when it cannot be read (absent counts as missing).
pub fn read_back(read: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, ItemFact> {
    let mut out = BTreeMap::new();
    for (kind, control) in DOCUMENTS {
        let path = kind.file_name(Format::Markdown);
        let command = format!("annex docs --kind {}", kind.name());
        let sections = read(&path).map(|text| sections(&text));
        for item in catalog::items(control).unwrap_or_default() {
            let fact = match sections.as_ref().and_then(|s| s.get(&item.id)) {
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
            };
            out.insert(item.id, fact);
        }
    }
    out
}

struct Section {
    line: u64,
    todos: Vec<(u64, String)>,
}

/// Sections by item id: from an item's marker comment (`<!-- CRA-AII.1 · … -->`) to the next
/// marker or heading, with the TODO lines (`> **TODO (…):** text`) inside.
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
        } else if t.starts_with('#') {
            current = None;
        } else if let Some(rest) = t.strip_prefix("> **TODO (")
            && let Some(sec) = current.as_ref().and_then(|c| out.get_mut(c))
        {
            let what = rest.split_once(":**").map_or(rest, |(_, w)| w).trim();
            sec.todos.push((n, what.to_string()));
        }
    }
    out
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
}
