//! Profile import: an OSCAL profile (annex's own or a foreign one) as an annex profile.

use super::base64::b64_decode;
use super::encoding::dec;
use super::extensions::ProfileExtra;
use super::read::{Cx, parse_json, slug, spanned};
use super::schema::*;
use crate::error::SpecError;
use crate::model::*;
use std::collections::BTreeMap;

fn param_in(sp: &SetParameter, path: &str, cx: &Cx) -> Result<(String, ParamValue), SpecError> {
    use serde_json::Value;
    let token = sp
        .param_id
        .clone()
        .ok_or_else(|| cx.invalid(format!("{path}: set-parameter has no param-id")))?;
    let name = annex_value(&sp.props, "param-name").unwrap_or(token);
    let first = || sp.values.first().map(|v| dec(v)).unwrap_or_default();
    let bad = |what: &str| {
        cx.invalid(format!(
            "{path}: parameter `{name}` has value-type {what} but value `{}`",
            first()
        ))
    };
    let value = match annex_value(&sp.props, "value-type").as_deref() {
        Some("string") => Value::String(first()),
        Some("boolean") => match first().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad("boolean")),
        },
        Some("number") => Value::Number(serde_json::from_str(&first()).map_err(|_| bad("number"))?),
        Some("list") => Value::Array(sp.values.iter().map(|v| Value::String(dec(v))).collect()),
        Some("json") => serde_json::from_str(&first()).map_err(|_| bad("json"))?,
        Some(other) => {
            return Err(cx.invalid(format!(
                "{path}: parameter `{name}` has unknown value-type `{other}` \
                 (expected string, boolean, number, list or json)"
            )));
        }
        None if sp.values.len() == 1 => Value::String(first()),
        None => Value::Array(sp.values.iter().map(|v| Value::String(dec(v))).collect()),
    };
    Ok((name, value))
}

fn list_in(props: &[Prop], name: &str) -> Option<(Vec<String>, bool)> {
    let found: Vec<&Prop> = props.iter().filter(|p| p.is_annex(name)).collect();
    if found.is_empty() {
        return None;
    }
    let marked = found
        .iter()
        .any(|p| matches!(p.class.as_deref(), Some("list" | "empty-list")));
    let values = found
        .iter()
        .filter(|p| p.class.as_deref() != Some("empty-list"))
        .map(|p| p.decoded())
        .collect();
    Some((values, marked))
}

/// The id a foreign import's href points at: the file name without its extension.
fn href_stem(href: &str) -> String {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    name.split('.').next().unwrap_or("").to_string()
}

/// Read an OSCAL profile back into an annex profile. A profile annex wrote comes back as it
/// was declared (extends, applicability, inclusions, imports, parameters, extensions); for
/// any other profile, each import becomes a catalog import and its `with-ids` inclusions.
pub fn profile_from_oscal(json: &str, origin: &str) -> Result<Profile, SpecError> {
    let doc: ProfileDoc = parse_json(json, origin)?;
    let cx = Cx { origin };
    let Some(op) = doc.profile else {
        return Err(cx.invalid(if doc.catalog.is_some() {
            "this is an OSCAL catalog, not a profile (import it as a catalog)"
        } else {
            "not an OSCAL profile: no top-level `profile` object"
        }));
    };
    let Some(meta) = op.metadata else {
        return Err(cx.invalid(
            "profile.metadata is missing: an OSCAL profile needs metadata with a title and version",
        ));
    };
    if op.imports.is_empty() {
        return Err(cx.invalid(
            "profile.imports is missing or empty: an OSCAL profile imports at least one catalog",
        ));
    }
    let annex = meta.props.iter().any(|p| p.is_annex("profile-id"));
    let title = meta.title.clone().unwrap_or_default();
    let resources: Vec<Resource> = op.back_matter.map(|b| b.resources).unwrap_or_default();

    let mut extra = ProfileExtra::default();
    if let Some(r) = resources
        .iter()
        .find(|r| r.props.iter().any(|p| p.is_annex("annex-extensions")))
    {
        let what = format!("back-matter resource {}: annex extensions", r.uuid);
        let b64 = r
            .base64
            .as_ref()
            .ok_or_else(|| cx.invalid(format!("{what} have no base64 content")))?;
        let bytes = b64_decode(&b64.value)
            .ok_or_else(|| cx.invalid(format!("{what} are not valid base64")))?;
        extra = serde_json::from_slice(&bytes)
            .map_err(|e| cx.invalid(format!("{what} are not valid: {e}")))?;
    }

    let mut imports = Imports::default();
    let mut include: Vec<Id> = Vec::new();
    for (i, imp) in op.imports.iter().enumerate() {
        let path = format!("profile.imports[{i}]");
        let href = imp
            .href
            .as_deref()
            .ok_or_else(|| cx.invalid(format!("{path}: import has no href")))?;
        let resource = href
            .strip_prefix('#')
            .and_then(|u| resources.iter().find(|r| r.uuid == u));
        if href.starts_with('#') && resource.is_none() {
            return Err(cx.invalid(format!(
                "{path}: href `{href}` names no back-matter resource"
            )));
        }
        let reference = resource
            .and_then(|r| annex_value(&r.props, "catalog-id"))
            .or_else(|| resource.and_then(|r| r.title.as_deref()).map(slug))
            .unwrap_or_else(|| href_stem(href));
        if reference.is_empty() {
            return Err(cx.invalid(format!("{path}: cannot tell which catalog `{href}` is")));
        }
        let kind = resource.and_then(|r| annex_value(&r.props, "import-kind"));
        let list = match kind.as_deref() {
            Some("catalogs") => &mut imports.catalogs,
            Some("guidance") => &mut imports.guidance,
            Some(other) => {
                return Err(cx.invalid(format!(
                    "{path}: unknown import-kind `{other}` (expected catalogs or guidance)"
                )));
            }
            // Inherited through `extends`: the parent declares it.
            None if annex => continue,
            None => &mut imports.catalogs,
        };
        if !annex {
            for id in imp.include_controls.iter().flat_map(|s| &s.with_ids) {
                if !include.iter().any(|x| x.value == *id) {
                    include.push(spanned(id));
                }
            }
        }
        list.push(CatalogImport {
            reference_id: spanned(&reference),
            version: resource.and_then(|r| annex_value(&r.props, "import-version")),
            exclusions: imp
                .exclude_controls
                .iter()
                .flat_map(|s| &s.with_ids)
                .map(|id| spanned(id))
                .collect(),
            constraints: Vec::new(),
            assessment_requirement_modifications: Vec::new(),
        });
    }
    for (list, extras) in [
        (&mut imports.catalogs, &extra.catalogs),
        (&mut imports.guidance, &extra.guidance),
    ] {
        for (imp, x) in list.iter_mut().zip(extras) {
            imp.constraints = x.constraints.clone();
            imp.assessment_requirement_modifications =
                x.assessment_requirement_modifications.clone();
        }
    }

    let mut parameters = BTreeMap::new();
    for (i, sp) in op.modify.iter().flat_map(|m| &m.set_parameters).enumerate() {
        if annex && sp.class.as_deref() == Some("inherited") {
            continue;
        }
        let (name, value) = param_in(sp, &format!("profile.modify.set-parameters[{i}]"), &cx)?;
        parameters.insert(name, value);
    }

    let cra_role = match annex_value(&meta.props, "cra-role").as_deref() {
        None => None,
        Some("manufacturer") => Some(CraRole::Manufacturer),
        Some("steward") => Some(CraRole::Steward),
        Some(other) => {
            return Err(cx.invalid(format!(
                "profile.metadata: unknown cra-role `{other}` (expected manufacturer or steward)"
            )));
        }
    };
    let product_class = match annex_value(&meta.props, "product-class").as_deref() {
        None => None,
        Some("default") => Some(ProductClass::Default),
        Some("important-I") => Some(ProductClass::ImportantI),
        Some("important-II") => Some(ProductClass::ImportantII),
        Some("critical") => Some(ProductClass::Critical),
        Some(other) => {
            return Err(cx.invalid(format!(
                "profile.metadata: unknown product-class `{other}` \
                 (expected default, important-I, important-II or critical)"
            )));
        }
    };
    if annex {
        include = annex_values(&meta.props, "include")
            .map(|s| spanned(&s))
            .collect();
    }
    let source = list_in(&meta.props, "source").map(|(v, marked)| {
        if !marked && v.len() == 1 {
            SourceRef::One(v[0].clone())
        } else {
            SourceRef::Many(v)
        }
    });
    let id = annex_value(&meta.props, "profile-id")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| match slug(&title) {
            s if s.is_empty() => "oscal-profile".to_string(),
            s => s,
        });
    Ok(Profile {
        title,
        metadata: ProfileMetadata {
            id,
            kind: annex_value(&meta.props, "profile-type").unwrap_or_else(|| {
                if annex {
                    String::new()
                } else {
                    "Policy".into()
                }
            }),
            version: meta.version.as_deref().map(dec).unwrap_or_default(),
            description: meta.remarks.clone().unwrap_or_default(),
            author: extra.author,
            source,
        },
        contacts: extra.contacts,
        scope: extra.scope,
        imports,
        adherence: extra.adherence,
        annex: ProfileExtension {
            extends: annex_value(&meta.props, "extends").map(|s| spanned(&s)),
            applicability: list_in(&meta.props, "applicability").map(|(v, _)| v),
            cra_role,
            product_class,
            include,
            parameters,
            requirements: extra.requirements,
            rules: extra.rules,
            assumptions: list_in(&meta.props, "assumption")
                .map(|(v, _)| v)
                .unwrap_or_default(),
        },
        origin: Origin(origin.to_string()),
    })
}
