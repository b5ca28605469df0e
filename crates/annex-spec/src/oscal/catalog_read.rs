//! Catalog import: an OSCAL catalog (annex's own or a foreign one) as an annex catalog and
//! the mapping sets it carries.

use super::encoding::dec;
use super::read::{Cx, parse_json, part_prose, slug, spanned};
use super::schema::*;
use crate::error::SpecError;
use crate::model::*;
use std::collections::BTreeMap;

fn lifecycle_in(props: &[Prop], path: &str, cx: &Cx) -> Result<Lifecycle, SpecError> {
    match annex_value(props, "state").as_deref() {
        None | Some("Active") => Ok(Lifecycle::Active),
        Some("Draft") => Ok(Lifecycle::Draft),
        Some("Deprecated") => Ok(Lifecycle::Deprecated),
        Some("Retired") => Ok(Lifecycle::Retired),
        Some(other) => Err(cx.invalid(format!(
            "{path}: unknown state `{other}` (expected Active, Draft, Deprecated or Retired)"
        ))),
    }
}

fn relationship_in(s: &str) -> Option<Relationship> {
    Some(match s {
        "implements" => Relationship::Implements,
        "supports" => Relationship::Supports,
        "equivalent" => Relationship::Equivalent,
        "subsumes" => Relationship::Subsumes,
        "relates-to" => Relationship::RelatesTo,
        _ => return None,
    })
}

struct CatalogCx<'a> {
    cx: Cx<'a>,
    /// Whether annex wrote the document (its annex props are then authoritative).
    annex: bool,
    sets: Vec<MappingSet>,
    set_by_group: BTreeMap<String, usize>,
}

impl CatalogCx<'_> {
    fn mappings(&mut self, source: &str, props: &[Prop], path: &str) -> Result<(), SpecError> {
        for p in props.iter().filter(|p| p.is_annex("mapping")) {
            let target = p.decoded();
            let rel = p.class.as_deref().unwrap_or("");
            let relationship = relationship_in(rel).ok_or_else(|| {
                self.cx.invalid(format!(
                    "{path}: mapping to `{target}` has relationship `{rel}` in its class \
                     (expected implements, supports, equivalent, subsumes or relates-to)"
                ))
            })?;
            let grp = p.group.as_deref().unwrap_or("");
            let &i = self.set_by_group.get(grp).ok_or_else(|| {
                self.cx.invalid(format!(
                    "{path}: mapping to `{target}` names mapping set group `{grp}`, which \
                     metadata does not declare with a `mapping-set` prop"
                ))
            })?;
            self.sets[i].mappings.push(Mapping {
                source: spanned(source),
                target: spanned(&target),
                relationship,
                rationale: p.remarks.clone().unwrap_or_default(),
            });
        }
        Ok(())
    }

    fn requirement(
        &mut self,
        c: &OControl,
        path: &str,
        out: &mut Vec<Requirement>,
    ) -> Result<(), SpecError> {
        let id = label(&c.props).or_else(|| c.id.clone()).ok_or_else(|| {
            self.cx
                .invalid(format!("{path}: control has neither an id nor a label"))
        })?;
        self.mappings(&id, &c.props, path)?;
        out.push(Requirement {
            id: spanned(&id),
            text: part_prose(&c.parts, &["statement"]).unwrap_or_default(),
            applicability: annex_values(&c.props, "applicability").collect(),
            recommendation: part_prose(&c.parts, &["guidance"]),
            state: lifecycle_in(&c.props, path, &self.cx)?,
            anchor: annex_value(&c.props, "anchor"),
            parameters: annex_values(&c.props, "parameter").collect(),
            // An unknown kind from a newer annex reads as the strictest default.
            kind: annex_value(&c.props, "kind")
                .and_then(|k| RequirementKind::parse(&k))
                .unwrap_or_default(),
        });
        // Deeper nesting (an enhancement's enhancement) flattens into the same control.
        for (i, sub) in c.controls.iter().enumerate() {
            self.requirement(sub, &format!("{path}.controls[{i}]"), out)?;
        }
        Ok(())
    }

    fn control(
        &mut self,
        c: &OControl,
        path: &str,
        group: Option<&str>,
    ) -> Result<Control, SpecError> {
        let id = label(&c.props).or_else(|| c.id.clone()).ok_or_else(|| {
            self.cx
                .invalid(format!("{path}: control has neither an id nor a label"))
        })?;
        let group = match group {
            Some(g) => g.to_string(),
            None => annex_value(&c.props, "group").unwrap_or_default(),
        };
        self.mappings(&id, &c.props, path)?;
        let mut guidelines: Vec<MultiEntryMapping> = Vec::new();
        let mut guideline_by_group: BTreeMap<String, usize> = BTreeMap::new();
        for p in &c.props {
            if p.is_annex("guideline") {
                guideline_by_group.insert(p.group.clone().unwrap_or_default(), guidelines.len());
                guidelines.push(MultiEntryMapping {
                    reference_id: p.decoded(),
                    entries: Vec::new(),
                });
            } else if p.is_annex("guideline-entry") {
                let grp = p.group.clone().unwrap_or_default();
                let &i = guideline_by_group.get(&grp).ok_or_else(|| {
                    self.cx.invalid(format!(
                        "{path}: guideline-entry `{}` names group `{grp}` with no guideline before it",
                        p.decoded()
                    ))
                })?;
                guidelines[i].entries.push(MappingEntry {
                    reference_id: p.decoded(),
                    remarks: p.remarks.clone(),
                });
            }
        }
        let objective =
            part_prose(&c.parts, &["statement", "objective", "overview"]).unwrap_or_default();
        let mut requirements = Vec::new();
        if !self.annex && c.parts.iter().any(|p| p.name == "statement") {
            // A foreign control's own statement is a requirement of the same id.
            requirements.push(Requirement {
                id: spanned(&id),
                text: objective.clone(),
                applicability: Vec::new(),
                recommendation: part_prose(&c.parts, &["guidance"]),
                state: Lifecycle::Active,
                anchor: None,
                parameters: Vec::new(),
                kind: RequirementKind::default(),
            });
        }
        for (i, sub) in c.controls.iter().enumerate() {
            self.requirement(sub, &format!("{path}.controls[{i}]"), &mut requirements)?;
        }
        let withdrawn = c
            .props
            .iter()
            .any(|p| p.is_nist("status") && p.value.eq_ignore_ascii_case("withdrawn"));
        let mut state = lifecycle_in(&c.props, path, &self.cx)?;
        if !self.annex && withdrawn {
            state = Lifecycle::Retired;
        }
        Ok(Control {
            id: spanned(&id),
            title: c.title.clone().unwrap_or_default(),
            objective,
            group,
            guidelines,
            state,
            assessment_requirements: requirements,
        })
    }

    fn group(
        &mut self,
        g: &OGroup,
        path: &str,
        groups: &mut Vec<Group>,
        controls: &mut Vec<Control>,
    ) -> Result<(), SpecError> {
        let title = g.title.clone().unwrap_or_default();
        let id = label(&g.props)
            .or_else(|| g.id.clone())
            .unwrap_or_else(|| slug(&title));
        groups.push(Group {
            id: id.clone(),
            title,
            description: part_prose(&g.parts, &["overview"]).unwrap_or_default(),
        });
        for (i, c) in g.controls.iter().enumerate() {
            controls.push(self.control(c, &format!("{path}.controls[{i}]"), Some(&id))?);
        }
        for (i, sub) in g.groups.iter().enumerate() {
            self.group(sub, &format!("{path}.groups[{i}]"), groups, controls)?;
        }
        Ok(())
    }
}

/// Read an OSCAL catalog: the annex catalog and the mapping sets it carries (source = this
/// catalog). Malformed JSON gives [`SpecError::Parse`] at its line and column; a document
/// that is not a usable catalog gives [`SpecError::Invalid`].
pub fn catalog_from_oscal(
    json: &str,
    origin: &str,
) -> Result<(Catalog, Vec<MappingSet>), SpecError> {
    let doc: CatalogDoc = parse_json(json, origin)?;
    let cx = Cx { origin };
    let Some(oc) = doc.catalog else {
        return Err(cx.invalid(if doc.profile.is_some() {
            "this is an OSCAL profile, not a catalog (import it as a profile)"
        } else {
            "not an OSCAL catalog: no top-level `catalog` object"
        }));
    };
    let Some(meta) = oc.metadata else {
        return Err(cx.invalid(
            "catalog.metadata is missing: an OSCAL catalog needs metadata with a title and version",
        ));
    };
    let annex = meta.props.iter().any(|p| p.is_annex("catalog-id"));
    let title = meta.title.clone().unwrap_or_default();
    let id = annex_value(&meta.props, "catalog-id")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| match slug(&title) {
            s if s.is_empty() => "oscal-catalog".to_string(),
            s => s,
        });
    let kind = match annex_value(&meta.props, "catalog-type").as_deref() {
        None | Some("ControlCatalog") => CatalogKind::ControlCatalog,
        Some("GuidanceCatalog") => CatalogKind::GuidanceCatalog,
        Some(other) => {
            return Err(cx.invalid(format!(
                "catalog.metadata: unknown catalog-type `{other}` (expected ControlCatalog or GuidanceCatalog)"
            )));
        }
    };
    let source = annex_value(&meta.props, "source")
        .or_else(|| {
            meta.links
                .iter()
                .find(|l| l.rel.as_deref() == Some("source"))
                .map(|l| l.href.clone())
        })
        .unwrap_or_default();

    let mut applicability_groups = Vec::new();
    let mut sets = Vec::new();
    let mut set_by_group = BTreeMap::new();
    for p in &meta.props {
        let grp = p.group.as_deref();
        let paired = |name: &str| {
            meta.props
                .iter()
                .find(|q| q.is_annex(name) && q.group.is_some() && q.group.as_deref() == grp)
                .map(Prop::decoded)
        };
        if p.is_annex("applicability-group") {
            applicability_groups.push(Group {
                id: p.decoded(),
                title: paired("applicability-group-title").unwrap_or_default(),
                description: p.remarks.clone().unwrap_or_default(),
            });
        } else if p.is_annex("mapping-set") {
            let Some(g) = grp else {
                return Err(cx.invalid(format!(
                    "catalog.metadata: mapping-set `{}` has no group to pair it with its mappings",
                    p.decoded()
                )));
            };
            set_by_group.insert(g.to_string(), sets.len());
            sets.push(MappingSet {
                metadata: MappingSetMetadata {
                    id: p.decoded(),
                    source_catalog: id.clone(),
                    target_catalog: paired("mapping-set-target").unwrap_or_default(),
                    version: paired("mapping-set-version").unwrap_or_default(),
                    description: p.remarks.clone().unwrap_or_default(),
                },
                mappings: Vec::new(),
                omitted: Vec::new(),
                origin: Origin(origin.to_string()),
            });
        }
    }

    let mut ccx = CatalogCx {
        cx,
        annex,
        sets,
        set_by_group,
    };
    let mut groups = Vec::new();
    let mut controls = Vec::new();
    for (i, g) in oc.groups.iter().enumerate() {
        ccx.group(
            g,
            &format!("catalog.groups[{i}]"),
            &mut groups,
            &mut controls,
        )?;
    }
    for (i, c) in oc.controls.iter().enumerate() {
        controls.push(ccx.control(c, &format!("catalog.controls[{i}]"), None)?);
    }
    let catalog = Catalog {
        title,
        metadata: CatalogMetadata {
            id,
            kind,
            version: meta.version.as_deref().map(dec).unwrap_or_default(),
            description: meta.remarks.clone().unwrap_or_default(),
            source,
            applicability_groups,
        },
        groups,
        controls,
        origin: Origin(origin.to_string()),
    };
    Ok((catalog, ccx.sets))
}
