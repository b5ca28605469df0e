//! Resolving a profile: follow `extends`, select requirements from the imported catalogs by
//! applicability, apply exclusions, inclusions and modifications, add the profile's own
//! requirements, and attach each requirement's rule and CRA mappings.

use crate::error::{Pos, SpecError, nearest};
use crate::library::Library;
use crate::model::*;
pub use crate::resolved::{CatalogRef, MapRef, ResolvedProfile, ResolvedRequirement};
use std::collections::{BTreeMap, BTreeSet};

/// How deep `extends` chains may go; a loop is reported long before this.
const MAX_EXTENDS_DEPTH: usize = 16;

/// Options that narrow a profile at run time (`annex check --level N`).
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Keep only maturity levels 1..=N in the applicability selection.
    pub max_level: Option<u8>,
}

/// The effective profile after flattening `extends`: child values win.
#[derive(Debug, Clone, Default)]
struct Flat {
    chain: Vec<String>,
    imports: Vec<(CatalogImport, String)>,
    applicability: Option<Vec<String>>,
    cra_role: Option<CraRole>,
    product_class: Option<ProductClass>,
    include: Vec<(Id, String)>,
    parameters: BTreeMap<String, ParamValue>,
    requirements: Vec<(AddedRequirement, String)>,
    rules: Vec<(RuleOverride, String)>,
}

fn flatten(
    lib: &Library,
    id: &str,
    depth: usize,
    seen: &mut Vec<String>,
) -> Result<Flat, SpecError> {
    let profile = lib.profiles.get(id).ok_or_else(|| SpecError::NotFound {
        what: "profile",
        id: id.to_string(),
        suggestion: nearest(id, lib.profiles.keys().map(String::as_str)),
    })?;
    let file = profile.origin.0.clone();
    if seen.iter().any(|s| s == id) || depth > MAX_EXTENDS_DEPTH {
        return Err(SpecError::invalid(
            Pos::new(&file, 0, 0),
            format!("profile `{id}` extends itself through {}", seen.join(" → ")),
        ));
    }
    seen.push(id.to_string());
    let ext = &profile.annex;
    let mut flat = match &ext.extends {
        Some(parent) => {
            if !lib.profiles.contains_key(&parent.value) {
                return Err(SpecError::UnknownId {
                    pos: Pos::of(&file, parent),
                    what: "profile",
                    id: parent.value.clone(),
                    suggestion: nearest(&parent.value, lib.profiles.keys().map(String::as_str)),
                });
            }
            let mut f = flatten(lib, &parent.value, depth + 1, seen)?;
            f.chain.insert(0, parent.value.clone());
            f
        }
        None => Flat::default(),
    };
    for imp in profile.imports.all() {
        // A child's import of the same catalog adds its exclusions and modifications.
        if let Some((existing, _)) = flat
            .imports
            .iter_mut()
            .find(|(e, _)| e.reference_id.value == imp.reference_id.value)
        {
            existing.exclusions.extend(imp.exclusions.iter().cloned());
            existing.constraints.extend(imp.constraints.iter().cloned());
            existing
                .assessment_requirement_modifications
                .extend(imp.assessment_requirement_modifications.iter().cloned());
            if imp.version.is_some() {
                existing.version = imp.version.clone();
            }
        } else {
            flat.imports.push((imp.clone(), file.clone()));
        }
    }
    if ext.applicability.is_some() {
        flat.applicability = ext.applicability.clone();
    }
    if ext.cra_role.is_some() {
        flat.cra_role = ext.cra_role;
    }
    if ext.product_class.is_some() {
        flat.product_class = ext.product_class;
    }
    flat.include
        .extend(ext.include.iter().map(|i| (i.clone(), file.clone())));
    for (k, v) in &ext.parameters {
        flat.parameters.insert(k.clone(), v.clone());
    }
    flat.requirements
        .extend(ext.requirements.iter().map(|r| (r.clone(), file.clone())));
    flat.rules
        .extend(ext.rules.iter().map(|r| (r.clone(), file.clone())));
    seen.pop();
    Ok(flat)
}

/// The dimension an applicability group belongs to; selection is any-of within a dimension
/// and all-of across dimensions.
fn dimension(group: &str) -> &str {
    if group.starts_with("maturity-") {
        "maturity"
    } else if group.starts_with("class-") {
        "class"
    } else if group == "manufacturer" || group == "steward" {
        "role"
    } else {
        group
    }
}

fn selected(applicability: &[String], selection: &BTreeSet<String>) -> bool {
    let dims: BTreeSet<&str> = applicability.iter().map(|a| dimension(a)).collect();
    dims.into_iter().all(|d| {
        let chosen: Vec<&String> = selection.iter().filter(|s| dimension(s) == d).collect();
        chosen.is_empty() || applicability.iter().any(|a| chosen.contains(&a))
    })
}

fn level_of(group: &str) -> Option<u8> {
    group.strip_prefix("maturity-")?.parse().ok()
}

pub fn resolve(
    lib: &Library,
    profile_id: &str,
    opts: &ResolveOptions,
) -> Result<ResolvedProfile, SpecError> {
    let profile = lib
        .profiles
        .get(profile_id)
        .ok_or_else(|| SpecError::NotFound {
            what: "profile",
            id: profile_id.to_string(),
            suggestion: nearest(profile_id, lib.profiles.keys().map(String::as_str)),
        })?;
    let flat = flatten(lib, profile_id, 0, &mut Vec::new())?;
    let mut errors = Vec::new();

    let mut selection: BTreeSet<String> = flat
        .applicability
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    if let Some(max) = opts.max_level {
        selection.retain(|g| level_of(g).is_none_or(|l| l <= max));
        if !selection.iter().any(|g| level_of(g).is_some()) {
            selection.extend((1..=max).map(|l| format!("maturity-{l}")));
        }
    }
    if let Some(role) = flat.cra_role {
        selection.insert(role.as_str().to_string());
    }
    if let Some(class) = flat.product_class {
        selection.insert(class.group());
    }

    let mut requirements: Vec<ResolvedRequirement> = Vec::new();
    let mut excluded = BTreeSet::new();
    let mut catalogs = Vec::new();
    for (imp, file) in &flat.imports {
        let Some(cat) = lib.catalogs.get(&imp.reference_id.value) else {
            errors.push(SpecError::UnknownId {
                pos: Pos::of(file, &imp.reference_id),
                what: "catalog",
                id: imp.reference_id.value.clone(),
                suggestion: nearest(
                    &imp.reference_id.value,
                    lib.catalogs.keys().map(String::as_str),
                ),
            });
            continue;
        };
        if let Some(v) = &imp.version
            && !cat.metadata.version.is_empty()
            && *v != cat.metadata.version
        {
            errors.push(SpecError::invalid(
                Pos::of(file, &imp.reference_id),
                format!(
                    "imports `{}` at version {v}, but the catalog loaded is version {}",
                    cat.metadata.id, cat.metadata.version
                ),
            ));
        }
        catalogs.push(CatalogRef {
            id: cat.metadata.id.clone(),
            version: cat.metadata.version.clone(),
        });
        let mut removed: BTreeSet<&str> = BTreeSet::new();
        for ex in &imp.exclusions {
            if cat.requirement(&ex.value).is_none() {
                errors.push(lib.unknown_requirement(file, ex));
            }
            removed.insert(&ex.value);
        }
        let mut forced: BTreeSet<&str> = BTreeSet::new();
        for m in &imp.assessment_requirement_modifications {
            if cat.requirement(&m.target_id.value).is_none() {
                errors.push(lib.unknown_requirement(file, &m.target_id));
            }
            match m.modification_type {
                ModificationType::Remove => {
                    removed.insert(&m.target_id.value);
                }
                ModificationType::Add => {
                    forced.insert(&m.target_id.value);
                }
                _ => {}
            }
        }
        for (inc, _) in &flat.include {
            if cat.requirement(&inc.value).is_some() {
                forced.insert(&inc.value);
            }
        }
        for c in &imp.constraints {
            if cat.requirement(&c.target_id.value).is_none()
                && !cat.controls.iter().any(|x| x.id.value == c.target_id.value)
            {
                errors.push(lib.unknown_requirement(file, &c.target_id));
            }
        }
        for (control, req) in cat.requirements() {
            if req.state == Lifecycle::Retired {
                continue;
            }
            let id = req.id.value.as_str();
            let chosen = forced.contains(id) || selected(&req.applicability, &selection);
            if !chosen {
                continue;
            }
            if removed.contains(id) {
                excluded.insert(id.to_string());
                continue;
            }
            let group = cat.group(&control.group);
            let mut r = ResolvedRequirement {
                id: id.to_string(),
                catalog: cat.metadata.id.clone(),
                control: control.id.value.clone(),
                control_title: control.title.clone(),
                group: control.group.clone(),
                group_title: group.map(|g| g.title.clone()).unwrap_or_default(),
                text: req.text.clone(),
                applicability: req.applicability.clone(),
                recommendation: req.recommendation.clone(),
                anchor: req.anchor.clone(),
                kind: req.kind,
                constraints: imp
                    .constraints
                    .iter()
                    .filter(|c| c.target_id.value == id || c.target_id.value == control.id.value)
                    .map(|c| c.text.clone())
                    .collect(),
                rule: lib.rule_for(id).cloned(),
                maps: lib
                    .mappings_from(id)
                    .into_iter()
                    .map(|(_, m)| MapRef {
                        target: m.target.value.clone(),
                        relationship: m.relationship,
                        rationale: m.rationale.clone(),
                    })
                    .collect(),
            };
            for m in imp
                .assessment_requirement_modifications
                .iter()
                .filter(|m| m.target_id.value == id)
            {
                if let Some(t) = &m.text {
                    r.text = t.trim().to_string();
                }
                if let Some(a) = &m.applicability {
                    r.applicability = a.clone();
                }
                if let Some(rec) = &m.recommendation {
                    r.recommendation = Some(rec.trim().to_string());
                }
            }
            requirements.push(r);
        }
    }
    // Inclusions must name a requirement of some imported catalog.
    for (inc, file) in &flat.include {
        let known = flat.imports.iter().any(|(imp, _)| {
            lib.catalogs
                .get(&imp.reference_id.value)
                .is_some_and(|c| c.requirement(&inc.value).is_some())
        });
        if !known {
            errors.push(lib.unknown_requirement(file, inc));
        }
    }
    let all_ids: BTreeSet<String> = lib.requirement_ids().map(str::to_string).collect();
    for (added, file) in &flat.requirements {
        if requirements.iter().any(|r| r.id == added.id.value) {
            errors.push(SpecError::invalid(
                Pos::of(file, &added.id),
                format!(
                    "requirement `{}` is already defined by an imported catalog",
                    added.id.value
                ),
            ));
            continue;
        }
        for m in &added.maps {
            if !all_ids.contains(&m.target.value) {
                errors.push(lib.unknown_requirement(file, &m.target));
            }
        }
        requirements.push(ResolvedRequirement {
            id: added.id.value.clone(),
            catalog: profile_id.to_string(),
            control: added.id.value.clone(),
            control_title: added.title.clone(),
            group: profile_id.to_string(),
            group_title: profile.title.clone(),
            text: added.text.trim().to_string(),
            applicability: Vec::new(),
            recommendation: None,
            anchor: None,
            kind: RequirementKind::default(),
            constraints: Vec::new(),
            rule: Some(added.to_rule()),
            maps: added
                .maps
                .iter()
                .map(|m| MapRef {
                    target: m.target.value.clone(),
                    relationship: m.relationship,
                    rationale: String::new(),
                })
                .collect(),
        });
    }
    for (ov, file) in &flat.rules {
        let Some(r) = requirements
            .iter_mut()
            .find(|r| r.id == ov.requirement.value)
        else {
            errors.push(lib.unknown_requirement(file, &ov.requirement));
            continue;
        };
        let rule = r
            .rule
            .get_or_insert_with(|| Rule::empty(ov.requirement.clone()));
        if let Some(s) = ov.source {
            rule.source = s;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if ov.$f.is_some() { rule.$f = ov.$f.clone(); } )* };
        }
        take!(
            applies_when,
            rule,
            review_when,
            pass,
            fail,
            review,
            remediation
        );
    }
    if !errors.is_empty() {
        return Err(SpecError::many(errors));
    }
    Ok(ResolvedProfile {
        id: profile.metadata.id.clone(),
        title: profile.title.clone(),
        version: profile.metadata.version.clone(),
        description: profile.metadata.description.trim().to_string(),
        sources: profile
            .metadata
            .source
            .as_ref()
            .map(|s| s.urls().into_iter().map(str::to_string).collect())
            .unwrap_or_default(),
        extends: flat.chain.iter().rev().cloned().collect(),
        catalogs,
        applicability: selection.into_iter().collect(),
        cra_role: flat.cra_role,
        product_class: flat.product_class,
        parameters: flat.parameters,
        assumptions: profile.annex.assumptions.clone(),
        requirements,
        excluded: excluded.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn levels_are_sets() {
        let l1_only = vec!["maturity-1".to_string()];
        assert!(selected(&l1_only, &sel(&["maturity-1"])));
        assert!(!selected(&l1_only, &sel(&["maturity-2"])));
        assert!(selected(&l1_only, &sel(&["maturity-1", "maturity-2"])));
    }

    #[test]
    fn dimensions_combine_with_and() {
        let a = vec!["manufacturer".to_string(), "class-critical".to_string()];
        assert!(selected(&a, &sel(&["manufacturer"])));
        assert!(!selected(&a, &sel(&["steward"])));
        assert!(!selected(&a, &sel(&["manufacturer", "class-default"])));
        assert!(selected(&a, &sel(&["manufacturer", "class-critical"])));
        // No selection in a dimension means no constraint from it.
        assert!(selected(&a, &sel(&[])));
    }
}
