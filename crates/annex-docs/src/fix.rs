//! The generators `annex fix` runs: rules name one in `generator:` (see
//! crates/annex-spec/rules/*.yaml) for the files their remediation asks for.

use crate::error::DocsError;
use crate::inputs::Inputs;
use crate::{Document, Format, Kind, render};
use annex_assess::{Assessment, Status};
use serde::{Deserialize, Serialize};

const GENERATORS: [&str; 3] = ["security-md", "security-txt", "contributing"];

/// The generator names annex knows.
pub fn generators() -> &'static [&'static str] {
    &GENERATORS
}

fn kind_of(name: &str) -> Option<Kind> {
    match name {
        "security-md" => Some(Kind::SecurityMd),
        "security-txt" => Some(Kind::SecurityTxt),
        "contributing" => Some(Kind::Contributing),
        _ => None,
    }
}

/// Write the file a generator produces (Markdown; `Document::file_name` is the path
/// relative to the repository root). Whether to overwrite an existing file is the
/// caller's decision.
pub fn generate(name: &str, inputs: &Inputs) -> Result<Document, DocsError> {
    let kind = kind_of(name).ok_or_else(|| DocsError::UnknownGenerator {
        name: name.to_string(),
        known: GENERATORS.join(", "),
    })?;
    render(kind, inputs, Format::Markdown)
}

/// One generator to run and the requirements it addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub generator: String,
    /// The path it writes (relative to the repository root).
    pub file_name: String,
    /// Failed or needs-review requirements naming this generator.
    pub requirements: Vec<String>,
    /// Their remediation texts, in the same order.
    pub remediations: Vec<String>,
}

/// The generators an assessment's failed and needs-review results ask for, in
/// `generators()` order; `only` (generator names) narrows it when not empty. Names in
/// results that annex does not know are returned in the second list.
pub fn plan(assessment: &Assessment, only: &[String]) -> (Vec<Planned>, Vec<String>) {
    let mut planned: Vec<Planned> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for r in &assessment.results {
        if !matches!(r.status, Status::Fail | Status::NeedsReview) {
            continue;
        }
        let Some(g) = &r.generator else { continue };
        if !only.is_empty() && !only.iter().any(|o| o == g) {
            continue;
        }
        let Some(kind) = kind_of(g) else {
            if !unknown.contains(g) {
                unknown.push(g.clone());
            }
            continue;
        };
        let entry = match planned.iter_mut().find(|p| &p.generator == g) {
            Some(e) => e,
            None => {
                planned.push(Planned {
                    generator: g.clone(),
                    file_name: kind.file_name(Format::Markdown),
                    requirements: Vec::new(),
                    remediations: Vec::new(),
                });
                planned.last_mut().expect("just pushed")
            }
        };
        entry.requirements.push(r.requirement.clone());
        entry
            .remediations
            .push(r.remediation.clone().unwrap_or_default());
    }
    planned.sort_by_key(|p| GENERATORS.iter().position(|g| *g == p.generator));
    (planned, unknown)
}
