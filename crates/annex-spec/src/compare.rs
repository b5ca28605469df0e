//! Comparing profiles (`annex spec diff`) and crosswalking them to a framework
//! (`annex spec crosswalk`).

use crate::library::Library;
use crate::resolved::ResolvedProfile;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Changed {
    pub requirement: String,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ParamChange {
    pub parameter: String,
    pub a: Option<serde_json::Value>,
    pub b: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProfileDiff {
    pub a: String,
    pub b: String,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
    pub changed: Vec<Changed>,
    pub parameters: Vec<ParamChange>,
    pub same: usize,
}

impl ProfileDiff {
    pub fn is_empty(&self) -> bool {
        self.only_in_a.is_empty()
            && self.only_in_b.is_empty()
            && self.changed.is_empty()
            && self.parameters.is_empty()
    }
}

pub fn diff(a: &ResolvedProfile, b: &ResolvedProfile) -> ProfileDiff {
    let ma: BTreeMap<&str, _> = a.requirements.iter().map(|r| (r.id.as_str(), r)).collect();
    let mb: BTreeMap<&str, _> = b.requirements.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out = ProfileDiff {
        a: a.id.clone(),
        b: b.id.clone(),
        only_in_a: ma
            .keys()
            .filter(|k| !mb.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        only_in_b: mb
            .keys()
            .filter(|k| !ma.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        changed: Vec::new(),
        parameters: Vec::new(),
        same: 0,
    };
    for (id, ra) in &ma {
        let Some(rb) = mb.get(id) else { continue };
        let mut fields = Vec::new();
        if ra.text != rb.text {
            fields.push("text".to_string());
        }
        if ra.applicability != rb.applicability {
            fields.push("applicability".to_string());
        }
        if ra
            .rule
            .as_ref()
            .map(|r| (&r.source, r.rule.as_ref().map(|x| &x.value)))
            != rb
                .rule
                .as_ref()
                .map(|r| (&r.source, r.rule.as_ref().map(|x| &x.value)))
        {
            fields.push("rule".to_string());
        }
        if ra.constraints != rb.constraints {
            fields.push("constraints".to_string());
        }
        if fields.is_empty() {
            out.same += 1;
        } else {
            out.changed.push(Changed {
                requirement: id.to_string(),
                fields,
            });
        }
    }
    let keys: std::collections::BTreeSet<&String> =
        a.parameters.keys().chain(b.parameters.keys()).collect();
    for k in keys {
        let (va, vb) = (a.parameters.get(k), b.parameters.get(k));
        if va != vb {
            out.parameters.push(ParamChange {
                parameter: k.clone(),
                a: va.cloned(),
                b: vb.cloned(),
            });
        }
    }
    out
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cover {
    pub requirement: String,
    pub relationship: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrosswalkRow {
    pub requirement: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// profile id → the profile's requirements that map to this item.
    pub covered_by: BTreeMap<String, Vec<Cover>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Crosswalk {
    pub framework: String,
    pub profiles: Vec<String>,
    pub rows: Vec<CrosswalkRow>,
    /// Framework items no profile covers.
    pub uncovered: Vec<String>,
}

/// For every requirement of `framework`, which requirements of each profile map to it.
pub fn crosswalk(
    lib: &Library,
    framework: &str,
    profiles: &[ResolvedProfile],
) -> Option<Crosswalk> {
    let cat = lib.catalogs.get(framework)?;
    let mut rows = Vec::new();
    let mut uncovered = Vec::new();
    for (_, req) in cat.requirements() {
        if req.state != crate::Lifecycle::Active {
            continue;
        }
        let id = &req.id.value;
        let mut covered_by = BTreeMap::new();
        for p in profiles {
            let mut covers: Vec<Cover> = Vec::new();
            for r in &p.requirements {
                if &r.id == id {
                    covers.push(Cover {
                        requirement: r.id.clone(),
                        relationship: "self".into(),
                    });
                }
                for m in r.maps.iter().filter(|m| &m.target == id) {
                    covers.push(Cover {
                        requirement: r.id.clone(),
                        relationship: m.relationship.as_str().into(),
                    });
                }
            }
            if !covers.is_empty() {
                covered_by.insert(p.id.clone(), covers);
            }
        }
        if covered_by.is_empty() {
            uncovered.push(id.clone());
        }
        rows.push(CrosswalkRow {
            requirement: id.clone(),
            text: req.text.clone(),
            anchor: req.anchor.clone(),
            covered_by,
        });
    }
    Some(Crosswalk {
        framework: framework.to_string(),
        profiles: profiles.iter().map(|p| p.id.clone()).collect(),
        rows,
        uncovered,
    })
}

/// One link, at control level, with what the set says about it (rationale or reason).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub source: String,
    pub target: String,
    pub note: String,
}

/// One framework item and the controls each of two mapping sets links to it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MappingDiffRow {
    pub target: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// Two mapping sets between the same catalogs, compared link by link. Sources are lifted to
/// their control, since a published mapping may link controls where another links
/// requirements.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MappingDiff {
    pub from: String,
    pub to: String,
    pub from_links: usize,
    pub to_links: usize,
    pub rows: Vec<MappingDiffRow>,
    pub kept: Vec<Link>,
    /// In `from`, not in `to`: the note is `to`'s stated reason for leaving it out.
    pub dropped: Vec<Link>,
    /// In `to`, not in `from`: the note is `to`'s rationale.
    pub added: Vec<Link>,
}

/// The note for a dropped link that `to` gives no reason for.
pub const NO_REASON: &str = "no reason stated";

/// Compare mapping set `from` with `to` (ids); `None` when either is unknown.
pub fn mapping_diff(lib: &Library, from: &str, to: &str) -> Option<MappingDiff> {
    let set = |id: &str| lib.mapping_sets.iter().find(|s| s.metadata.id == id);
    let (a, b) = (set(from)?, set(to)?);
    let control_of = |set: &crate::MappingSet, id: &str| -> String {
        lib.catalogs
            .get(&set.metadata.source_catalog)
            .and_then(|c| c.requirement(id))
            .map_or_else(|| id.to_string(), |(c, _)| c.id.value.clone())
    };
    let links = |set: &crate::MappingSet| -> BTreeMap<(String, String), String> {
        let mut out = BTreeMap::new();
        for m in &set.mappings {
            out.entry((control_of(set, &m.source.value), m.target.value.clone()))
                .or_insert_with(|| m.rationale.clone());
        }
        out
    };
    let (la, lb) = (links(a), links(b));
    let reasons: BTreeMap<(String, String), &str> = b
        .omitted
        .iter()
        .map(|o| {
            (
                (control_of(b, &o.source.value), o.target.value.clone()),
                o.reason.as_str(),
            )
        })
        .collect();
    let link = |(s, t): &(String, String), note: &str| Link {
        source: s.clone(),
        target: t.clone(),
        note: note.to_string(),
    };
    let kept = lb
        .iter()
        .filter(|(k, _)| la.contains_key(*k))
        .map(|(k, n)| link(k, n))
        .collect();
    let dropped = la
        .keys()
        .filter(|k| !lb.contains_key(*k))
        .map(|k| link(k, reasons.get(k).copied().unwrap_or(NO_REASON)))
        .collect();
    let added = lb
        .iter()
        .filter(|(k, _)| !la.contains_key(*k))
        .map(|(k, n)| link(k, n))
        .collect();
    let mut rows: BTreeMap<&str, MappingDiffRow> = BTreeMap::new();
    for ((s, t), side) in la
        .keys()
        .map(|k| (k, true))
        .chain(lb.keys().map(|k| (k, false)))
    {
        let row = rows.entry(t).or_insert_with(|| MappingDiffRow {
            target: t.clone(),
            from: Vec::new(),
            to: Vec::new(),
        });
        if side {
            row.from.push(s.clone());
        } else {
            row.to.push(s.clone());
        }
    }
    // Rows in the target catalog's order, so the table reads like the Regulation.
    let order: Vec<String> = lib
        .catalogs
        .get(&b.metadata.target_catalog)
        .map(|c| c.requirements().map(|(_, r)| r.id.value.clone()).collect())
        .unwrap_or_default();
    let mut rows: Vec<MappingDiffRow> = rows.into_values().collect();
    rows.sort_by_key(|r| {
        order
            .iter()
            .position(|o| *o == r.target)
            .unwrap_or(usize::MAX)
    });
    Some(MappingDiff {
        from: from.to_string(),
        to: to.to_string(),
        from_links: la.len(),
        to_links: lb.len(),
        rows,
        kept,
        dropped,
        added,
    })
}
