//! What an annex profile declares that OSCAL has no place for, carried as JSON in one
//! back-matter resource.

use crate::model::*;
use serde::{Deserialize, Serialize};

/// What a profile carries that has no OSCAL place: kept as JSON in one back-matter resource.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ProfileExtra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) author: Option<Author>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub(super) contacts: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub(super) scope: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub(super) adherence: serde_json::Value,
    /// Aligned with `imports.catalogs` / `imports.guidance`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) catalogs: Vec<ImportExtra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) guidance: Vec<ImportExtra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) requirements: Vec<AddedRequirement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) rules: Vec<RuleOverride>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ImportExtra {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) constraints: Vec<Constraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) assessment_requirement_modifications: Vec<Modification>,
}

impl ImportExtra {
    pub(super) fn of(imp: &CatalogImport) -> Self {
        ImportExtra {
            constraints: imp.constraints.clone(),
            assessment_requirement_modifications: imp.assessment_requirement_modifications.clone(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.constraints.is_empty() && self.assessment_requirement_modifications.is_empty()
    }
}

impl ProfileExtra {
    pub(super) fn is_empty(&self) -> bool {
        self.author.is_none()
            && self.contacts.is_null()
            && self.scope.is_null()
            && self.adherence.is_null()
            && self.catalogs.iter().all(ImportExtra::is_empty)
            && self.guidance.iter().all(ImportExtra::is_empty)
            && self.requirements.is_empty()
            && self.rules.is_empty()
    }
}
