//! What the catalog and profile readers share: JSON errors with positions, prose, slugs.

use super::schema::*;
use crate::error::{Pos, SpecError};
use crate::model::*;
use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

pub(super) fn spanned(v: &str) -> Id {
    Spanned::new(v.to_string(), Location::UNKNOWN, Location::UNKNOWN)
}

pub(super) fn parse_json<T: DeserializeOwned>(json: &str, origin: &str) -> Result<T, SpecError> {
    serde_json::from_str(json).map_err(|e| {
        let pos = Pos::new(origin, e.line() as u64, e.column() as u64);
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        match e.classify() {
            serde_json::error::Category::Data => SpecError::Invalid {
                pos,
                message: format!("not a valid OSCAL document: {message}"),
            },
            _ => SpecError::Parse {
                pos,
                message: format!("malformed JSON: {message}"),
            },
        }
    })
}

pub(super) struct Cx<'a> {
    pub(super) origin: &'a str,
}

impl Cx<'_> {
    pub(super) fn invalid(&self, message: impl Into<String>) -> SpecError {
        SpecError::invalid(Pos::new(self.origin, 0, 0), message)
    }
}

/// A part's prose with its sub-parts' prose (NIST statements list items as sub-parts).
pub(super) fn flat_prose(part: &Part) -> String {
    let mut lines = Vec::new();
    if let Some(p) = &part.prose {
        lines.push(p.clone());
    }
    for sub in &part.parts {
        let text = flat_prose(sub);
        if text.is_empty() {
            continue;
        }
        match label(&sub.props) {
            Some(l) => lines.push(format!("{l} {text}")),
            None => lines.push(text),
        }
    }
    lines.join("\n")
}

pub(super) fn part_prose(parts: &[Part], names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| parts.iter().find(|p| p.name == *n))
        .map(flat_prose)
}

/// A short id from a title for documents annex did not write.
pub(super) use annex_types::slug::slug;
