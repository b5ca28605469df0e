//! Profile export: an annex profile and its resolved selection as an OSCAL profile.

use super::base64::b64_encode;
use super::encoding::enc;
use super::extensions::{ImportExtra, ProfileExtra};
use super::schema::*;
use super::tokens::control_id;
use super::uuid::{content_uuid, uuid_of};
use crate::model::*;
use crate::resolved::ResolvedProfile;
use std::collections::BTreeSet;

fn list_props(props: &mut Vec<Prop>, name: &str, values: &[String], mark_list: bool) {
    if values.is_empty() {
        props.push(Prop::annex(name, "").class("empty-list"));
    }
    for v in values {
        let p = Prop::annex(name, v);
        props.push(if mark_list { p.class("list") } else { p });
    }
}

fn param_out(name: &str, value: &ParamValue, inherited: bool) -> SetParameter {
    use serde_json::Value;
    let (kind, values): (&str, Vec<String>) = match value {
        Value::String(s) => ("string", vec![enc(s)]),
        Value::Bool(b) => ("boolean", vec![b.to_string()]),
        Value::Number(n) => ("number", vec![n.to_string()]),
        Value::Array(items) if items.iter().all(Value::is_string) => (
            "list",
            items.iter().filter_map(Value::as_str).map(enc).collect(),
        ),
        other => (
            "json",
            vec![enc(&serde_json::to_string(other).unwrap_or_default())],
        ),
    };
    let token = control_id(name);
    let mut props = Vec::new();
    if token != name {
        props.push(Prop::annex("param-name", name));
    }
    props.push(Prop::annex("value-type", kind));
    SetParameter {
        param_id: Some(token),
        class: inherited.then(|| "inherited".to_string()),
        props,
        values,
    }
}

/// The profile as an OSCAL 1.1.2 profile document (`{"profile": {...}}`). `resolved` is the
/// profile resolved against the library: its selection fills `include-controls` and its
/// parameter values `set-parameters`; the profile's own declarations travel as annex props.
pub fn profile_to_oscal(
    profile: &Profile,
    resolved: &ResolvedProfile,
    build_time: annex_types::BuildTime,
) -> serde_json::Value {
    let meta = &profile.metadata;
    let ext = &profile.annex;
    let mut props = vec![Prop::annex("profile-id", &meta.id)];
    if !meta.kind.is_empty() {
        props.push(Prop::annex("profile-type", &meta.kind));
    }
    match &meta.source {
        Some(SourceRef::One(s)) => props.push(Prop::annex("source", s)),
        Some(SourceRef::Many(v)) => list_props(&mut props, "source", v, true),
        None => {}
    }
    if let Some(e) = &ext.extends {
        props.push(Prop::annex("extends", &e.value));
    }
    if let Some(a) = &ext.applicability {
        list_props(&mut props, "applicability", a, false);
    }
    if let Some(r) = ext.cra_role {
        props.push(Prop::annex("cra-role", r.as_str()));
    }
    if let Some(c) = ext.product_class {
        props.push(Prop::annex("product-class", c.as_str()));
    }
    props.extend(ext.include.iter().map(|i| Prop::annex("include", &i.value)));
    // Claims no cited source states travel with the profile.
    props.extend(ext.assumptions.iter().map(|a| Prop::annex("assumption", a)));

    // One OSCAL import per declared import, then one per catalog inherited through `extends`.
    let mut plans: Vec<(Option<&str>, &str, Option<&CatalogImport>)> = Vec::new();
    for imp in &profile.imports.catalogs {
        plans.push((Some("catalogs"), &imp.reference_id.value, Some(imp)));
    }
    for imp in &profile.imports.guidance {
        plans.push((Some("guidance"), &imp.reference_id.value, Some(imp)));
    }
    let declared: BTreeSet<&str> = profile
        .imports
        .all()
        .map(|i| i.reference_id.value.as_str())
        .collect();
    for c in &resolved.catalogs {
        if !declared.contains(c.id.as_str()) {
            plans.push((None, &c.id, None));
        }
    }
    let mut imports = Vec::new();
    let mut resources = Vec::new();
    for (i, (kind, cat, imp)) in plans.iter().enumerate() {
        let uuid =
            uuid_of(format!("annex-oscal-profile-import\0{}\0{i}\0{cat}", meta.id).as_bytes());
        let version = resolved
            .catalogs
            .iter()
            .find(|c| c.id == *cat)
            .map(|c| c.version.as_str())
            .unwrap_or("");
        let mut rprops = vec![Prop::annex("catalog-id", cat)];
        if !version.is_empty() {
            rprops.push(Prop::annex("catalog-version", version));
        }
        if let Some(k) = kind {
            rprops.push(Prop::annex("import-kind", k));
        }
        if let Some(v) = imp.and_then(|i| i.version.as_deref()) {
            rprops.push(Prop::annex("import-version", v));
        }
        resources.push(Resource {
            uuid: uuid.clone(),
            title: Some(format!("annex catalog {cat}")),
            description: Some(if version.is_empty() {
                format!("The annex catalog `{cat}`.")
            } else {
                format!("The annex catalog `{cat}`, version {version}.")
            }),
            props: rprops,
            base64: None,
        });
        let with_ids: Vec<String> = resolved
            .requirements
            .iter()
            .filter(|r| r.catalog == *cat)
            .map(|r| control_id(&r.id))
            .collect();
        let excluded: Vec<String> = imp
            .map(|i| i.exclusions.iter().map(|e| control_id(&e.value)).collect())
            .unwrap_or_default();
        imports.push(Import {
            href: Some(format!("#{uuid}")),
            include_all: None,
            include_controls: if with_ids.is_empty() {
                Vec::new()
            } else {
                vec![SelectById { with_ids }]
            },
            exclude_controls: if excluded.is_empty() {
                Vec::new()
            } else {
                vec![SelectById { with_ids: excluded }]
            },
        });
    }

    let mut names: BTreeSet<&str> = resolved.parameters.keys().map(String::as_str).collect();
    names.extend(ext.parameters.keys().map(String::as_str));
    let set_parameters: Vec<SetParameter> = names
        .into_iter()
        .filter_map(|n| match ext.parameters.get(n) {
            Some(v) => Some(param_out(n, v, false)),
            None => resolved.parameters.get(n).map(|v| param_out(n, v, true)),
        })
        .collect();

    let extra = ProfileExtra {
        author: meta.author.clone(),
        contacts: profile.contacts.clone(),
        scope: profile.scope.clone(),
        adherence: profile.adherence.clone(),
        catalogs: profile
            .imports
            .catalogs
            .iter()
            .map(ImportExtra::of)
            .collect(),
        guidance: profile
            .imports
            .guidance
            .iter()
            .map(ImportExtra::of)
            .collect(),
        requirements: ext.requirements.clone(),
        rules: ext.rules.clone(),
    };
    if !extra.is_empty() {
        let json = serde_json::to_vec(&extra).unwrap_or_default();
        resources.push(Resource {
            uuid: uuid_of(format!("annex-oscal-profile-extensions\0{}", meta.id).as_bytes()),
            title: Some("annex profile extensions".into()),
            description: Some(
                "What the annex profile declares that OSCAL has no place for: author, contacts, \
                 scope, adherence, constraints, requirement modifications, the profile's own \
                 requirements and rule overrides, as JSON (docs/formats.md)."
                    .into(),
            ),
            props: vec![Prop::annex("annex-extensions", "profile")],
            base64: Some(Base64 {
                filename: Some("annex-profile-extensions.json".into()),
                media_type: Some("application/json".into()),
                value: b64_encode(&json),
            }),
        });
    }

    let mut doc = OProfile {
        uuid: String::new(),
        metadata: Some(Metadata::written(
            &profile.title,
            &meta.version,
            &meta.description,
            props,
            Vec::new(),
            build_time,
        )),
        imports,
        merge: Some(Merge { as_is: Some(true) }),
        modify: (!set_parameters.is_empty()).then_some(Modify { set_parameters }),
        back_matter: (!resources.is_empty()).then_some(BackMatter { resources }),
    };
    doc.uuid = content_uuid("profile", &doc);
    serde_json::json!({ "profile": to_json(&doc) })
}
