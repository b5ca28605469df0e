//! What documents are filled from besides annex.toml: the latest assessment, a summary of
//! the SBOM, the vulnerability findings and the profile's parameters.

use crate::metadata::Metadata;
use annex_assess::Assessment;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Everything a document may use. Only `metadata` and `today` are required.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub metadata: &'a Metadata,
    /// The latest assessment (`annex check --format json`), if any.
    pub assessment: Option<&'a Assessment>,
    pub sbom_summary: Option<&'a SbomSummary>,
    pub findings: Option<&'a FindingsSummary>,
    /// The profile's parameters (`vuln-response-days`, `disclosure-days`,
    /// `vuln-report-contact`, `cna`, `advisories-url`, …), as `ResolvedProfile::parameters`.
    pub params: BTreeMap<String, Json>,
    /// The date documents are dated and expiry is computed from.
    pub today: NaiveDate,
}

impl<'a> Inputs<'a> {
    pub fn new(metadata: &'a Metadata, today: NaiveDate) -> Self {
        Inputs {
            metadata,
            assessment: None,
            sbom_summary: None,
            findings: None,
            params: BTreeMap::new(),
            today,
        }
    }
    pub fn with_assessment(mut self, a: &'a Assessment) -> Self {
        self.assessment = Some(a);
        self
    }
    pub fn with_sbom(mut self, s: &'a SbomSummary) -> Self {
        self.sbom_summary = Some(s);
        self
    }
    pub fn with_findings(mut self, f: &'a FindingsSummary) -> Self {
        self.findings = Some(f);
        self
    }
    pub fn with_params(mut self, p: BTreeMap<String, Json>) -> Self {
        self.params = p;
        self
    }

    pub(crate) fn param_str(&self, key: &str) -> Option<String> {
        match self.params.get(key)? {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    pub(crate) fn param_u64(&self, key: &str) -> Option<u64> {
        match self.params.get(key)? {
            Json::Number(n) => n.as_u64(),
            Json::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub(crate) fn param_bool(&self, key: &str) -> Option<bool> {
        match self.params.get(key)? {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// What the documents say about the SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SbomSummary {
    /// `CycloneDX` or `SPDX`.
    pub format: String,
    /// `1.6`, `2.3`, `3.0.1`.
    pub spec_version: String,
    /// Number of components (packages) listed.
    pub components: usize,
    /// Where the SBOM file is (path or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Serial number / document namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Creation time as written in the SBOM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

impl SbomSummary {
    /// Summarise a CycloneDX document annex built (typed: no JSON round trip).
    pub fn from_cyclonedx(bom: &annex_sbom::cyclonedx::Bom) -> SbomSummary {
        SbomSummary {
            format: "CycloneDX".into(),
            spec_version: bom.spec_version.clone(),
            components: bom.components.len(),
            file: None,
            id: Some(bom.serial_number.clone()),
            created: Some(bom.metadata.timestamp.clone()),
        }
    }

    /// Summarise a CycloneDX JSON, SPDX 2.x JSON or SPDX 3 JSON-LD document; `None` when
    /// it is none of these.
    pub fn from_json(doc: &Json, file: Option<&str>) -> Option<SbomSummary> {
        let s = |v: &Json| v.as_str().map(str::to_string);
        if doc.get("bomFormat").and_then(Json::as_str) == Some("CycloneDX") {
            fn count(v: Option<&Json>) -> usize {
                v.and_then(Json::as_array)
                    .map(|a| a.iter().map(|c| 1 + count(c.get("components"))).sum())
                    .unwrap_or(0)
            }
            return Some(SbomSummary {
                format: "CycloneDX".into(),
                spec_version: doc.get("specVersion").and_then(s).unwrap_or_default(),
                components: count(doc.get("components")),
                file: file.map(str::to_string),
                id: doc.get("serialNumber").and_then(s),
                created: doc.pointer("/metadata/timestamp").and_then(s),
            });
        }
        if let Some(v) = doc.get("spdxVersion").and_then(Json::as_str) {
            return Some(SbomSummary {
                format: "SPDX".into(),
                spec_version: v.trim_start_matches("SPDX-").to_string(),
                components: doc
                    .get("packages")
                    .and_then(Json::as_array)
                    .map_or(0, Vec::len),
                file: file.map(str::to_string),
                id: doc.get("documentNamespace").and_then(s),
                created: doc.pointer("/creationInfo/created").and_then(s),
            });
        }
        let context = doc
            .get("@context")
            .map(|c| c.to_string())
            .unwrap_or_default();
        if context.contains("spdx.org/rdf/3") {
            let graph = doc.get("@graph").and_then(Json::as_array)?;
            let version = context
                .split("/rdf/")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or("3")
                .to_string();
            let of_type = |t: &str| {
                graph
                    .iter()
                    .filter(|e| e.get("type").and_then(Json::as_str) == Some(t))
                    .count()
            };
            return Some(SbomSummary {
                format: "SPDX".into(),
                spec_version: version,
                components: of_type("software_Package"),
                file: file.map(str::to_string),
                id: graph
                    .iter()
                    .find(|e| e.get("type").and_then(Json::as_str) == Some("SpdxDocument"))
                    .and_then(|e| e.get("spdxId"))
                    .and_then(s),
                created: graph.iter().find_map(|e| e.get("created")).and_then(s),
            });
        }
        None
    }

    pub(crate) fn describe(&self) -> String {
        let mut s = format!(
            "{} {} listing {} component{}",
            self.format,
            self.spec_version,
            self.components,
            if self.components == 1 { "" } else { "s" }
        );
        if let Some(c) = &self.created {
            s.push_str(&format!(", created {c}"));
        }
        s
    }
}

/// What the documents say about known vulnerabilities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FindingsSummary {
    /// The advisory database snapshot used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    pub findings: Vec<FindingBrief>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FindingBrief {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// `crates.io/serde 1.0.1` style: ecosystem, name and version.
    pub package: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// `7.5 (high)` or the rating alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// VEX status when triaged (`not_affected`, `fixed`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vex: Option<String>,
}

impl FindingsSummary {
    /// Read an `annex/findings/v1` document (`annex vulns --format json`). Unknown fields
    /// are ignored; a document without `findings` gives an empty summary.
    pub fn from_json(doc: &Json) -> FindingsSummary {
        let s = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_string);
        let database = match doc.get("database") {
            Some(Json::String(d)) => Some(d.clone()),
            Some(Json::Object(o)) => ["snapshot", "id", "digest", "name", "updated", "imported"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Json::as_str).map(str::to_string)),
            _ => None,
        };
        let findings = doc
            .get("findings")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| {
                        let id = s(f.get("id"))?;
                        let p = f.get("package");
                        let field = |k: &str| s(p.and_then(|p| p.get(k))).unwrap_or_default();
                        let package = format!(
                            "{}/{} {}",
                            field("ecosystem"),
                            field("name"),
                            field("version")
                        )
                        .trim_start_matches('/')
                        .trim()
                        .to_string();
                        let strings = |v: Option<&Json>| -> Vec<String> {
                            v.and_then(Json::as_array)
                                .map(|a| {
                                    a.iter()
                                        .filter_map(|x| x.as_str().map(str::to_string))
                                        .collect()
                                })
                                .unwrap_or_default()
                        };
                        let sev = f.get("severity");
                        let score = sev.and_then(|v| v.get("score")).and_then(Json::as_f64);
                        let rating = s(sev.and_then(|v| v.get("rating")));
                        let severity = match (score, rating) {
                            (Some(sc), Some(r)) => Some(format!("{sc:.1} ({r})")),
                            (Some(sc), None) => Some(format!("{sc:.1}")),
                            (None, Some(r)) => Some(r),
                            (None, None) => None,
                        };
                        let vex = match f.get("vex") {
                            Some(Json::String(v)) => Some(v.clone()),
                            Some(Json::Object(o)) => s(o.get("status")),
                            _ => None,
                        };
                        Some(FindingBrief {
                            id,
                            aliases: strings(f.get("aliases")),
                            package,
                            fixed: strings(f.get("fixed")),
                            severity,
                            vex,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        FindingsSummary { database, findings }
    }

    /// Findings not triaged away by VEX (`not_affected`, `fixed`).
    pub fn open(&self) -> impl Iterator<Item = &FindingBrief> {
        self.findings.iter().filter(|f| {
            !matches!(
                f.vex.as_deref(),
                Some("not_affected" | "not-affected" | "fixed")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summarises_sboms() {
        let cdx = json!({"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:1",
            "components":[{"name":"a","components":[{"name":"b"}]},{"name":"c"}]});
        let s = SbomSummary::from_json(&cdx, Some("sbom.cdx.json")).unwrap();
        assert_eq!((s.format.as_str(), s.components), ("CycloneDX", 3));
        let spdx =
            json!({"spdxVersion":"SPDX-2.3","packages":[{},{}],"documentNamespace":"https://x"});
        let s = SbomSummary::from_json(&spdx, None).unwrap();
        assert_eq!((s.spec_version.as_str(), s.components), ("2.3", 2));
        assert!(SbomSummary::from_json(&json!({"a":1}), None).is_none());
    }

    #[test]
    fn reads_findings() {
        let doc = json!({"schema":"annex/findings/v1","findings":[
            {"id":"RUSTSEC-2026-0001","aliases":["CVE-2026-1"],"package":{"ecosystem":"crates.io","name":"foo","version":"1.0.0"},
             "fixed":["1.0.1"],"severity":{"vector":"CVSS:3.1/…","score":7.5,"rating":"high"}},
            {"id":"GHSA-x","package":{"ecosystem":"npm","name":"bar","version":"2.0.0"},"vex":{"status":"not_affected"}}]});
        let f = FindingsSummary::from_json(&doc);
        assert_eq!(f.findings.len(), 2);
        assert_eq!(f.findings[0].package, "crates.io/foo 1.0.0");
        assert_eq!(f.findings[0].severity.as_deref(), Some("7.5 (high)"));
        assert_eq!(f.open().count(), 1);
    }
}
