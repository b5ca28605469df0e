//! Parsing YAML/JSON documents into the model, and assembling the official OSPS Baseline
//! layouts (one file per family plus metadata.yaml) into one catalog.

use crate::error::{Pos, SpecError};
use crate::model::*;
use serde::Deserialize;
use std::path::Path;

/// Largest specification file we read; the official ones are ~30 KiB.
pub const MAX_SPEC_FILE: u64 = 16 * 1024 * 1024;

/// What a file turned out to be.
#[derive(Debug, Clone)]
pub enum Document {
    Catalog(Catalog),
    MappingSet(MappingSet),
    RulePack(RulePack),
    Profile(Box<Profile>),
    /// A piece of a catalog split over files (OSPS release and Gemara v1 layouts).
    Part(CatalogPart),
    /// A file of a known kind that carries nothing annex uses (lexicon, framework list).
    Ignored {
        origin: Origin,
        kind: &'static str,
    },
}

impl Document {
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Catalog(_) => "catalog",
            Document::MappingSet(_) => "mapping set",
            Document::RulePack(_) => "rule pack",
            Document::Profile(_) => "profile",
            Document::Part(_) => "catalog part",
            Document::Ignored { kind, .. } => kind,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CatalogPart {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub metadata: Option<CatalogMetadata>,
    /// Release layout metadata.yaml keeps these at the top level.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub applicability_categories: Vec<Group>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub controls: Vec<Control>,
    #[serde(skip)]
    pub origin: Origin,
}

fn yaml_options() -> serde_saphyr::Options {
    // The default budget bounds events, nesting and alias expansion (billion laughs).
    serde_saphyr::Options::default()
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, origin: &str) -> Result<T, SpecError> {
    serde_saphyr::from_str_with_options(text, yaml_options())
        .map_err(|e| SpecError::from_yaml(origin, &e))
}

/// Parse one document, deciding its kind from its top-level keys.
pub fn parse_document(text: &str, origin: &str) -> Result<Document, SpecError> {
    let shape: serde_json::Value = parse(text, origin)?;
    let top = match &shape {
        serde_json::Value::Array(_) => {
            return Ok(Document::Ignored {
                origin: Origin(origin.into()),
                kind: "lexicon",
            });
        }
        serde_json::Value::Object(map) => map,
        _ => {
            return Err(SpecError::invalid(
                Pos::new(origin, 1, 1),
                "expected a mapping at the top level (a catalog, mapping set, rule pack or profile)",
            ));
        }
    };
    let has = |k: &str| top.contains_key(k);
    let meta_type = top
        .get("metadata")
        .and_then(|m| m.get("type"))
        .and_then(|t| t.as_str())
        .unwrap_or("");
    let origin_owned = Origin(origin.into());
    if has("rules") {
        let mut pack: RulePack = parse(text, origin)?;
        pack.origin = origin_owned;
        return Ok(Document::RulePack(pack));
    }
    if has("mappings") {
        let mut set: MappingSet = parse(text, origin)?;
        set.origin = origin_owned;
        return Ok(Document::MappingSet(set));
    }
    if has("imports") || has("annex") || meta_type == "Policy" {
        let mut profile: Profile = parse(text, origin)?;
        profile.origin = origin_owned;
        return Ok(Document::Profile(Box::new(profile)));
    }
    if has("controls") || has("groups") || has("metadata") || has("applicability-categories") {
        let mut part: CatalogPart = parse(text, origin)?;
        part.origin = origin_owned.clone();
        let complete =
            part.metadata.as_ref().is_some_and(|m| !m.id.is_empty()) && !part.controls.is_empty();
        if complete {
            return assemble(vec![part], origin).map(Document::Catalog);
        }
        return Ok(Document::Part(part));
    }
    if has("mapping-references") {
        return Ok(Document::Ignored {
            origin: origin_owned,
            kind: "framework list",
        });
    }
    Err(SpecError::invalid(
        Pos::new(origin, 1, 1),
        "not a catalog, mapping set, rule pack or profile: expected a top-level `controls`, \
         `mappings`, `rules` or `imports` key",
    ))
}

/// Read a file with a size cap and parse it.
pub fn read_document(path: &Path) -> Result<Document, SpecError> {
    let display = path.display().to_string();
    let text = read_capped(path)?;
    parse_document(&text, &display)
}

pub(crate) fn read_capped(path: &Path) -> Result<String, SpecError> {
    let display = path.display().to_string();
    let io = |source| SpecError::Io {
        path: display.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_SPEC_FILE {
        return Err(SpecError::invalid(
            Pos::new(&display, 0, 0),
            format!(
                "file is {} bytes; specification files are limited to {MAX_SPEC_FILE}",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes)
        .map_err(|_| SpecError::invalid(Pos::new(&display, 0, 0), "file is not valid UTF-8"))
}

/// Top-level keys whose block may be dropped when it alone is malformed: they carry
/// references to other frameworks, nothing a requirement or its selection depends on.
const RECOVERABLE_KEYS: &[&str] = &["mapping-references", "last-modified"];

/// Parse, and if the YAML error lies inside a recoverable top-level block, parse again
/// without that block and report the problem as a warning instead of failing the file.
fn parse_recovering(
    text: &str,
    origin: &str,
    warnings: &mut Vec<SpecError>,
) -> Result<Document, SpecError> {
    match parse_document(text, origin) {
        Err(SpecError::Parse { pos, message }) if pos.line > 0 => {
            let lines: Vec<&str> = text.lines().collect();
            let err_idx = (pos.line as usize)
                .saturating_sub(1)
                .min(lines.len().saturating_sub(1));
            let is_top = |l: &str| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']);
            let Some(start) = (0..=err_idx).rev().find(|&i| is_top(lines[i])) else {
                return Err(SpecError::Parse { pos, message });
            };
            let key = lines[start].split(':').next().unwrap_or("").trim();
            if !RECOVERABLE_KEYS.contains(&key) {
                return Err(SpecError::Parse { pos, message });
            }
            let end = (err_idx + 1..lines.len())
                .find(|&i| is_top(lines[i]))
                .unwrap_or(lines.len());
            let kept: Vec<&str> = lines[..start]
                .iter()
                .chain(lines[end..].iter())
                .copied()
                .collect();
            let doc = parse_document(&kept.join("\n"), origin)?;
            warnings.push(SpecError::Parse {
                pos,
                message: format!(
                    "{message} (the `{key}` block was skipped; nothing else depends on it)"
                ),
            });
            Ok(doc)
        }
        other => other,
    }
}

/// An OSCAL catalog or profile (JSON with a top-level `catalog` or `profile`), if the text
/// is one: a catalog brings back the mapping sets exported with it.
pub fn oscal_documents(text: &str, origin: &str) -> Result<Option<Vec<Document>>, SpecError> {
    if !text.trim_start().starts_with('{') {
        return Ok(None);
    }
    let Ok(serde_json::Value::Object(top)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Ok(None);
    };
    if top.contains_key("catalog") {
        let (mut cat, sets) = crate::oscal::catalog_from_oscal(text, origin)?;
        cat.origin = Origin(origin.to_string());
        let mut docs = vec![Document::Catalog(cat)];
        docs.extend(sets.into_iter().map(|mut m| {
            m.origin = Origin(origin.to_string());
            Document::MappingSet(m)
        }));
        return Ok(Some(docs));
    }
    if top.contains_key("profile") {
        let mut profile = crate::oscal::profile_from_oscal(text, origin)?;
        profile.origin = Origin(origin.to_string());
        return Ok(Some(vec![Document::Profile(Box::new(profile))]));
    }
    Ok(None)
}

/// Documents read by [`import_paths`], and the problems that did not stop the import.
#[derive(Debug, Default)]
pub struct Imported {
    pub documents: Vec<Document>,
    pub warnings: Vec<SpecError>,
}

/// Read every document of the given files and directories (directories: their *.yaml,
/// *.yml and *.json files, not recursive), assembling catalog parts into catalogs: the
/// parts found in one directory form one catalog.
pub fn import_paths(paths: &[impl AsRef<Path>]) -> Result<Imported, SpecError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let read = |file: &Path, warnings: &mut Vec<SpecError>| -> Result<Vec<Document>, SpecError> {
        let text = read_capped(file)?;
        let origin = file.display().to_string();
        if let Some(docs) = oscal_documents(&text, &origin)? {
            return Ok(docs);
        }
        parse_recovering(&text, &origin, warnings).map(|d| vec![d])
    };
    let mut errors = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(|source| SpecError::Io {
                    path: path.display().to_string(),
                    source,
                })?
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && matches!(
                            p.extension().and_then(|e| e.to_str()),
                            Some("yaml" | "yml" | "json")
                        )
                })
                .collect();
            files.sort();
            let mut parts = Vec::new();
            for file in files {
                match read(&file, &mut warnings) {
                    Ok(docs) => {
                        for doc in docs {
                            match doc {
                                Document::Part(p) => parts.push(p),
                                doc => out.push(doc),
                            }
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
            if !parts.is_empty() {
                let label = path.display().to_string();
                match assemble(parts, &label) {
                    Ok(mut cat) => {
                        if cat.metadata.version.is_empty() {
                            cat.metadata.version = dir_version(path);
                        }
                        out.push(Document::Catalog(cat))
                    }
                    Err(e) => errors.push(e),
                }
            }
        } else if path.exists() {
            match read(path, &mut warnings) {
                Ok(docs) => {
                    for doc in docs {
                        match doc {
                            Document::Part(p) => {
                                let label = path.display().to_string();
                                match assemble(vec![p], &label) {
                                    Ok(cat) => out.push(Document::Catalog(cat)),
                                    Err(e) => errors.push(e),
                                }
                            }
                            doc => out.push(doc),
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        } else {
            errors.push(SpecError::Io {
                path: path.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(Imported {
            documents: out,
            warnings,
        })
    } else {
        Err(SpecError::many(errors))
    }
}

/// A release directory is named after its version (`v2026.02.19`); use that when the
/// metadata leaves the version empty.
fn dir_version(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name.starts_with('v') && name[1..].starts_with(|c: char| c.is_ascii_digit()) {
        name.to_string()
    } else {
        String::new()
    }
}

/// Merge parts into one catalog and normalise it: groups derived for release-layout family
/// files, applicability written as category titles turned into ids, `retired` marked.
pub fn assemble(parts: Vec<CatalogPart>, label: &str) -> Result<Catalog, SpecError> {
    let mut metadata = CatalogMetadata::default();
    let mut title = String::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut controls: Vec<Control> = Vec::new();
    for part in parts {
        if let Some(m) = part.metadata {
            merge_metadata(&mut metadata, m);
            if title.is_empty() {
                title = part.title.clone();
            }
        }
        if let Some(id) = part.id
            && metadata.id.is_empty()
        {
            metadata.id = id;
            title = part.title.clone();
            if metadata.description.is_empty() {
                metadata.description = part.description.trim().to_string();
            }
        }
        if let Some(v) = part.version
            && metadata.version.is_empty()
        {
            metadata.version = v;
        }
        if metadata.applicability_groups.is_empty() {
            metadata.applicability_groups = part.applicability_categories.clone();
        }
        for g in part.groups {
            if !groups.iter().any(|x| x.id == g.id) {
                groups.push(g);
            }
        }
        // Release layout: a family file has a title and controls but no groups.
        let derived =
            if !part.controls.is_empty() && part.controls.iter().all(|c| c.group.is_empty()) {
                part.controls
                    .first()
                    .and_then(|c| family_of(&c.id.value))
                    .map(|id| Group {
                        id,
                        title: part.title.trim().to_string(),
                        description: part.description.trim().to_string(),
                    })
            } else {
                None
            };
        if let Some(g) = &derived
            && !groups.iter().any(|x| x.id == g.id)
        {
            groups.push(g.clone());
        }
        for mut c in part.controls {
            if c.group.is_empty()
                && let Some(g) = &derived
            {
                c.group = g.id.clone();
            }
            controls.push(c);
        }
    }
    if metadata.id.is_empty() {
        return Err(SpecError::invalid(
            Pos::new(label, 0, 0),
            "catalog has no metadata.id (for a split catalog, import the whole directory with its metadata.yaml)",
        ));
    }
    let categories = metadata.applicability_groups.clone();
    for c in &mut controls {
        c.title = c.title.trim().to_string();
        c.objective = c.objective.trim().to_string();
        for r in &mut c.assessment_requirements {
            r.text = r.text.trim().to_string();
            if let Some(rec) = &mut r.recommendation {
                *rec = rec.trim().to_string();
            }
            let mut normalised = Vec::new();
            for a in &r.applicability {
                if a.eq_ignore_ascii_case("retired") {
                    r.state = Lifecycle::Retired;
                    continue;
                }
                normalised.push(normalise_applicability(a, &categories));
            }
            r.applicability = normalised;
        }
    }
    Ok(Catalog {
        title: title.trim().to_string(),
        metadata,
        groups,
        controls,
        origin: Origin(label.to_string()),
    })
}

fn merge_metadata(into: &mut CatalogMetadata, from: CatalogMetadata) {
    if into.id.is_empty() {
        into.id = from.id;
    }
    if into.version.is_empty() {
        into.version = from.version;
    }
    if into.description.is_empty() {
        into.description = from.description.trim().to_string();
    }
    if into.source.is_empty() {
        into.source = from.source;
    }
    if into.applicability_groups.is_empty() {
        into.applicability_groups = from.applicability_groups;
    }
    into.kind = from.kind;
}

/// `OSPS-AC-01` → `AC`.
fn family_of(control_id: &str) -> Option<String> {
    let mut it = control_id.split('-');
    let _prefix = it.next()?;
    let family = it.next()?;
    (!family.is_empty()).then(|| family.to_string())
}

/// `Maturity Level 2` → `maturity-2` using the catalog's categories (title or id).
fn normalise_applicability(value: &str, categories: &[Group]) -> String {
    let v = value.trim();
    if let Some(g) = categories
        .iter()
        .find(|g| g.id == v || g.title.eq_ignore_ascii_case(v))
    {
        return g.id.clone();
    }
    let lower = v.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix("maturity level ") {
        return format!("maturity-{}", n.trim());
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_is_second_segment() {
        assert_eq!(family_of("OSPS-AC-01").as_deref(), Some("AC"));
        assert_eq!(family_of("X"), None);
    }

    #[test]
    fn applicability_titles_become_ids() {
        let cats = vec![Group {
            id: "maturity-1".into(),
            title: "Maturity Level 1".into(),
            description: String::new(),
        }];
        assert_eq!(
            normalise_applicability("Maturity Level 1", &cats),
            "maturity-1"
        );
        assert_eq!(
            normalise_applicability("Maturity Level 3", &cats),
            "maturity-3"
        );
        assert_eq!(normalise_applicability("steward", &cats), "steward");
    }

    #[test]
    fn bad_yaml_has_position() {
        let err = parse_document("controls:\n  - id: [unclosed\n", "x.yaml").unwrap_err();
        let s = err.to_string();
        assert!(s.starts_with("x.yaml:"), "{s}");
        assert!(matches!(err, SpecError::Parse { pos, .. } if pos.line >= 2));
    }

    #[test]
    fn scalar_top_level_is_rejected() {
        let err = parse_document("42\n", "x.yaml").unwrap_err();
        assert!(err.to_string().contains("expected a mapping"));
    }
}
