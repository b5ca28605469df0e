//! Catalog export: an annex catalog and its mapping sets as an OSCAL catalog.

use super::schema::*;
use super::tokens::{Tokens, control_id, group_token};
use super::uuid::content_uuid;
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

fn lifecycle_str(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Active => "Active",
        Lifecycle::Draft => "Draft",
        Lifecycle::Deprecated => "Deprecated",
        Lifecycle::Retired => "Retired",
    }
}

fn kind_str(k: CatalogKind) -> &'static str {
    match k {
        CatalogKind::ControlCatalog => "ControlCatalog",
        CatalogKind::GuidanceCatalog => "GuidanceCatalog",
    }
}

/// A plain http(s) URL that the schema's `uri-reference` format accepts as it is.
fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && s.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

struct MapIndex<'a> {
    /// source id → (mapping set group token, mapping)
    by_source: BTreeMap<&'a str, Vec<(String, &'a Mapping)>>,
}

fn mapping_props(maps: &MapIndex, source: &str) -> Vec<Prop> {
    maps.by_source
        .get(source)
        .into_iter()
        .flatten()
        .map(|(grp, m)| {
            Prop::annex("mapping", &m.target.value)
                .class(m.relationship.as_str())
                .group(grp)
                .remarks(non_empty(&m.rationale))
        })
        .collect()
}

fn guideline_props(guidelines: &[MultiEntryMapping]) -> Vec<Prop> {
    let mut props = Vec::new();
    for (i, g) in guidelines.iter().enumerate() {
        let grp = format!("gl-{}", i + 1);
        props.push(Prop::annex("guideline", &g.reference_id).group(&grp));
        for e in &g.entries {
            props.push(
                Prop::annex("guideline-entry", &e.reference_id)
                    .group(&grp)
                    .remarks(e.remarks.as_deref()),
            );
        }
    }
    props
}

fn statement(prose: &str) -> Part {
    Part {
        name: "statement".into(),
        prose: Some(prose.to_string()),
        ..Part::default()
    }
}

fn requirement_out(r: &Requirement, tokens: &mut Tokens, maps: &MapIndex) -> OControl {
    let mut props = vec![Prop::nist("label", &r.id.value)];
    props.extend(
        r.applicability
            .iter()
            .map(|a| Prop::annex("applicability", a)),
    );
    if r.state != Lifecycle::Active {
        props.push(Prop::annex("state", lifecycle_str(r.state)));
    }
    if r.state == Lifecycle::Retired {
        props.push(Prop::nist("status", "withdrawn"));
    }
    if let Some(a) = &r.anchor {
        props.push(Prop::annex("anchor", a));
    }
    props.extend(r.parameters.iter().map(|p| Prop::annex("parameter", p)));
    if !r.kind.is_default() {
        props.push(Prop::annex("kind", r.kind.as_str()));
    }
    props.extend(mapping_props(maps, &r.id.value));
    let mut parts = Vec::new();
    if !r.text.is_empty() {
        parts.push(statement(&r.text));
    }
    if let Some(rec) = &r.recommendation {
        parts.push(Part {
            name: "guidance".into(),
            prose: Some(rec.clone()),
            ..Part::default()
        });
    }
    OControl {
        id: Some(tokens.take(control_id(&r.id.value))),
        class: None,
        title: Some(r.id.value.clone()),
        props,
        links: Vec::new(),
        parts,
        controls: Vec::new(),
    }
}

fn control_out(c: &Control, tokens: &mut Tokens, maps: &MapIndex, group_prop: bool) -> OControl {
    let mut props = vec![Prop::nist("label", &c.id.value)];
    if group_prop && !c.group.is_empty() {
        props.push(Prop::annex("group", &c.group));
    }
    if c.state != Lifecycle::Active {
        props.push(Prop::annex("state", lifecycle_str(c.state)));
    }
    if c.state == Lifecycle::Retired {
        props.push(Prop::nist("status", "withdrawn"));
    }
    props.extend(guideline_props(&c.guidelines));
    props.extend(mapping_props(maps, &c.id.value));
    let id = tokens.take(control_id(&c.id.value));
    OControl {
        id: Some(id),
        class: None,
        title: Some(c.title.clone()),
        props,
        links: Vec::new(),
        parts: if c.objective.is_empty() {
            Vec::new()
        } else {
            vec![statement(&c.objective)]
        },
        controls: c
            .assessment_requirements
            .iter()
            .map(|r| requirement_out(r, tokens, maps))
            .collect(),
    }
}

/// The catalog as an OSCAL 1.1.2 catalog document (`{"catalog": {...}}`), with the mappings
/// of every set in `mappings` whose source catalog is this one.
pub fn catalog_to_oscal(
    cat: &Catalog,
    mappings: &[&MappingSet],
    build_time: annex_types::BuildTime,
) -> serde_json::Value {
    let sets: Vec<&MappingSet> = mappings
        .iter()
        .copied()
        .filter(|s| s.metadata.source_catalog == cat.metadata.id)
        .collect();
    let meta = &cat.metadata;
    let mut props = vec![
        Prop::annex("catalog-id", &meta.id),
        Prop::annex("catalog-type", kind_str(meta.kind)),
    ];
    let mut links = Vec::new();
    if is_plain_url(&meta.source) {
        links.push(Link {
            href: meta.source.clone(),
            rel: Some("source".into()),
            text: None,
        });
    } else if !meta.source.is_empty() {
        props.push(Prop::annex("source", &meta.source));
    }
    for (i, g) in meta.applicability_groups.iter().enumerate() {
        let grp = format!("ag-{}", i + 1);
        props.push(
            Prop::annex("applicability-group", &g.id)
                .group(&grp)
                .remarks(non_empty(&g.description)),
        );
        props.push(Prop::annex("applicability-group-title", &g.title).group(&grp));
    }
    let mut index = MapIndex {
        by_source: BTreeMap::new(),
    };
    for (i, s) in sets.iter().enumerate() {
        let grp = format!("ms-{}", i + 1);
        props.push(
            Prop::annex("mapping-set", &s.metadata.id)
                .group(&grp)
                .remarks(non_empty(&s.metadata.description)),
        );
        props.push(Prop::annex("mapping-set-target", &s.metadata.target_catalog).group(&grp));
        if !s.metadata.version.is_empty() {
            props.push(Prop::annex("mapping-set-version", &s.metadata.version).group(&grp));
        }
        for m in &s.mappings {
            index
                .by_source
                .entry(m.source.value.as_str())
                .or_default()
                .push((grp.clone(), m));
        }
    }

    // Parameters the requirements use, in order of first use.
    let mut params = Vec::new();
    let mut seen_params = BTreeSet::new();
    let mut param_tokens = Tokens::default();
    for (_, r) in cat.requirements() {
        for p in &r.parameters {
            if seen_params.insert(p.as_str()) {
                params.push(Param {
                    id: param_tokens.take(control_id(p)),
                    props: Vec::new(),
                    label: Some(p.clone()),
                });
            }
        }
    }

    let mut tokens = Tokens::default();
    let mut groups = Vec::new();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    for g in &cat.groups {
        let first = placed.insert(g.id.as_str());
        let controls = if first {
            cat.controls
                .iter()
                .filter(|c| c.group == g.id)
                .map(|c| control_out(c, &mut tokens, &index, false))
                .collect()
        } else {
            Vec::new()
        };
        groups.push(OGroup {
            id: Some(tokens.take(group_token(&g.id))),
            class: None,
            title: Some(g.title.clone()),
            props: vec![Prop::nist("label", &g.id)],
            parts: match non_empty(&g.description) {
                Some(d) => vec![Part {
                    name: "overview".into(),
                    prose: Some(d.to_string()),
                    ..Part::default()
                }],
                None => Vec::new(),
            },
            groups: Vec::new(),
            controls,
        });
    }
    let controls: Vec<OControl> = cat
        .controls
        .iter()
        .filter(|c| !placed.contains(c.group.as_str()))
        .map(|c| control_out(c, &mut tokens, &index, true))
        .collect();

    let mut doc = OCatalog {
        uuid: String::new(),
        metadata: Some(Metadata::written(
            &cat.title,
            &meta.version,
            &meta.description,
            props,
            links,
            build_time,
        )),
        params,
        groups,
        controls,
        back_matter: None,
    };
    doc.uuid = content_uuid("catalog", &doc);
    serde_json::json!({ "catalog": to_json(&doc) })
}
