//! The set of specifications annex knows: the built-in files plus any the user loads.

use crate::error::{Pos, SpecError, nearest};
use crate::load::{Document, parse_document};
use crate::model::*;
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// The built-in files as (relative path, content), sorted by path.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    embedded::BUILTIN_FILES
}

#[derive(Debug, Clone, Default)]
pub struct Library {
    pub catalogs: BTreeMap<String, Catalog>,
    pub mapping_sets: Vec<MappingSet>,
    pub rule_packs: Vec<RulePack>,
    pub profiles: BTreeMap<String, Profile>,
}

impl Library {
    /// The embedded catalogs, mappings, rule packs and profiles.
    pub fn builtin() -> Result<Library, SpecError> {
        let mut lib = Library::default();
        let mut errors = Vec::new();
        for (name, text) in builtin_files() {
            match parse_document(text, &format!("builtin:{name}")) {
                Ok(doc) => lib.add(doc),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(lib)
        } else {
            Err(SpecError::many(errors))
        }
    }

    /// Add a document; a later one with the same id replaces an earlier one.
    pub fn add(&mut self, doc: Document) {
        match doc {
            Document::Catalog(c) => {
                self.catalogs.insert(c.metadata.id.clone(), c);
            }
            Document::MappingSet(m) => {
                self.mapping_sets.retain(|x| x.metadata.id != m.metadata.id);
                self.mapping_sets.push(m);
            }
            Document::RulePack(r) => {
                self.rule_packs.retain(|x| x.metadata.id != r.metadata.id);
                self.rule_packs.push(r);
            }
            Document::Profile(p) => {
                self.profiles.insert(p.metadata.id.clone(), *p);
            }
            Document::Part(_) | Document::Ignored { .. } => {}
        }
    }

    /// Load a profile given by id (built-in or already added) or by path to a file.
    pub fn profile_or_file(&mut self, id_or_path: &str) -> Result<String, SpecError> {
        if self.profiles.contains_key(id_or_path) {
            return Ok(id_or_path.to_string());
        }
        let path = Path::new(id_or_path);
        if path.is_file() {
            let imported = crate::load::import_paths(&[path])?;
            let mut kinds = Vec::new();
            for doc in imported.documents {
                match doc {
                    Document::Profile(p) => {
                        let id = p.metadata.id.clone();
                        self.profiles.insert(id.clone(), *p);
                        return Ok(id);
                    }
                    other => kinds.push(other.kind()),
                }
            }
            return Err(SpecError::invalid(
                Pos::new(id_or_path, 1, 1),
                format!("expected a profile, found: {}", kinds.join(", ")),
            ));
        }
        Err(SpecError::NotFound {
            what: "profile",
            id: id_or_path.to_string(),
            suggestion: nearest(id_or_path, self.profiles.keys().map(String::as_str)),
        })
    }

    /// Find a requirement in any catalog.
    pub fn requirement(&self, id: &str) -> Option<(&Catalog, &Control, &Requirement)> {
        self.catalogs
            .values()
            .find_map(|cat| cat.requirement(id).map(|(c, r)| (cat, c, r)))
    }

    pub fn requirement_ids(&self) -> impl Iterator<Item = &str> {
        self.catalogs
            .values()
            .flat_map(|c| c.requirements().map(|(_, r)| r.id.value.as_str()))
    }

    /// The rule for a requirement: the last pack that defines one wins.
    pub fn rule_for(&self, requirement: &str) -> Option<&Rule> {
        self.rule_packs
            .iter()
            .rev()
            .find_map(|p| p.rules.iter().find(|r| r.requirement.value == requirement))
    }

    /// Mappings whose source is the requirement.
    pub fn mappings_from(&self, requirement: &str) -> Vec<(&MappingSet, &Mapping)> {
        self.mapping_sets
            .iter()
            .flat_map(|s| s.mappings.iter().map(move |m| (s, m)))
            .filter(|(_, m)| m.source.value == requirement)
            .collect()
    }

    /// An error for an id that is not a known requirement, with the nearest known one.
    pub fn unknown_requirement(&self, file: &str, id: &Id) -> SpecError {
        SpecError::UnknownId {
            pos: Pos::of(file, id),
            what: "requirement",
            id: id.value.clone(),
            suggestion: nearest(&id.value, self.requirement_ids()),
        }
    }
}
