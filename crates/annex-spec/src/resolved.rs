//! A profile after resolution: the flat list of requirements it selects, with their rules,
//! mappings and parameter values. The result of `resolve`, read by lint, compare and the
//! OSCAL profile export.

use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogRef {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapRef {
    pub target: String,
    pub relationship: Relationship,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rationale: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResolvedRequirement {
    pub id: String,
    /// The catalog it comes from, or the profile id for a requirement the profile adds.
    pub catalog: String,
    pub control: String,
    pub control_title: String,
    pub group: String,
    pub group_title: String,
    pub text: String,
    pub applicability: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    #[serde(skip_serializing_if = "RequirementKind::is_default")]
    pub kind: RequirementKind,
    pub rule: Option<Rule>,
    pub maps: Vec<MapRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResolvedProfile {
    pub id: String,
    pub title: String,
    pub version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub sources: Vec<String>,
    /// The profiles this one extends, nearest first.
    pub extends: Vec<String>,
    pub catalogs: Vec<CatalogRef>,
    pub applicability: Vec<String>,
    pub cra_role: Option<CraRole>,
    pub product_class: Option<ProductClass>,
    pub parameters: BTreeMap<String, ParamValue>,
    /// Claims of the profile no cited source states (the profile's own, not inherited).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    pub requirements: Vec<ResolvedRequirement>,
    pub excluded: Vec<String>,
}

impl ResolvedProfile {
    pub fn requirement(&self, id: &str) -> Option<&ResolvedRequirement> {
        self.requirements.iter().find(|r| r.id == id)
    }
}
