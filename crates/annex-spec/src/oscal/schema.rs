//! The subset of the OSCAL 1.1.2 JSON model annex writes and (leniently) reads, and the
//! property helpers both directions use.

use super::encoding::{dec, enc};
use super::timestamp::timestamp;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// The OSCAL version annex writes.
pub const OSCAL_VERSION: &str = "1.1.2";
/// The namespace of annex's own OSCAL properties.
pub const ANNEX_NS: &str = "https://annex.dev/ns/oscal";
const NIST_NS: &str = "http://csrc.nist.gov/ns/oscal";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Prop {
    pub(super) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ns: Option<String>,
    pub(super) value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) remarks: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Link {
    pub(super) href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) text: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    pub(super) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) prose: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) parts: Vec<Part>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Param {
    pub(super) id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) label: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct OControl {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<String>,
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) controls: Vec<OControl>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct OGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<String>,
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) groups: Vec<OGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) controls: Vec<OControl>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Metadata {
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) published: Option<String>,
    #[serde(default)]
    pub(super) last_modified: Option<String>,
    #[serde(default)]
    pub(super) version: Option<String>,
    #[serde(default)]
    pub(super) oscal_version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) remarks: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Base64 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) media_type: Option<String>,
    pub(super) value: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Resource {
    #[serde(default)]
    pub(super) uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) base64: Option<Base64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct BackMatter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) resources: Vec<Resource>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct OCatalog {
    #[serde(default)]
    pub(super) uuid: String,
    #[serde(default)]
    pub(super) metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) groups: Vec<OGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) controls: Vec<OControl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) back_matter: Option<BackMatter>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct SelectById {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) with_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct IncludeAll {}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Import {
    #[serde(default)]
    pub(super) href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) include_all: Option<IncludeAll>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) include_controls: Vec<SelectById>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) exclude_controls: Vec<SelectById>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Merge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) as_is: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct SetParameter {
    #[serde(default)]
    pub(super) param_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) values: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Modify {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) set_parameters: Vec<SetParameter>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct OProfile {
    #[serde(default)]
    pub(super) uuid: String,
    #[serde(default)]
    pub(super) metadata: Option<Metadata>,
    #[serde(default)]
    pub(super) imports: Vec<Import>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) merge: Option<Merge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) modify: Option<Modify>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) back_matter: Option<BackMatter>,
}

#[derive(Debug, Deserialize)]
pub(super) struct CatalogDoc {
    #[serde(default)]
    pub(super) catalog: Option<OCatalog>,
    #[serde(default)]
    pub(super) profile: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ProfileDoc {
    #[serde(default)]
    pub(super) profile: Option<OProfile>,
    #[serde(default)]
    pub(super) catalog: Option<IgnoredAny>,
}

impl Prop {
    pub(super) fn annex(name: &str, value: &str) -> Prop {
        Prop {
            name: name.to_string(),
            ns: Some(ANNEX_NS.to_string()),
            value: enc(value),
            ..Prop::default()
        }
    }

    pub(super) fn nist(name: &str, value: &str) -> Prop {
        Prop {
            name: name.to_string(),
            value: enc(value),
            ..Prop::default()
        }
    }

    pub(super) fn group(mut self, g: &str) -> Self {
        self.group = Some(g.to_string());
        self
    }

    pub(super) fn class(mut self, c: &str) -> Self {
        self.class = Some(c.to_string());
        self
    }

    pub(super) fn remarks(mut self, r: Option<&str>) -> Self {
        self.remarks = r.map(str::to_string);
        self
    }

    pub(super) fn is_annex(&self, name: &str) -> bool {
        self.ns.as_deref() == Some(ANNEX_NS) && self.name == name
    }

    pub(super) fn is_nist(&self, name: &str) -> bool {
        matches!(self.ns.as_deref(), None | Some(NIST_NS)) && self.name == name
    }

    pub(super) fn decoded(&self) -> String {
        dec(&self.value)
    }
}

impl Metadata {
    /// Document metadata as annex writes it: both timestamps from [`timestamp`], the version
    /// as a prop-safe value, the description (when there is one) as remarks.
    pub(super) fn written(
        title: &str,
        version: &str,
        description: &str,
        props: Vec<Prop>,
        links: Vec<Link>,
        build_time: annex_types::BuildTime,
    ) -> Metadata {
        let stamp = timestamp(build_time, version);
        Metadata {
            title: Some(title.to_string()),
            published: Some(stamp.clone()),
            last_modified: Some(stamp),
            version: Some(enc(version)),
            oscal_version: Some(OSCAL_VERSION.into()),
            props,
            links,
            remarks: non_empty(description).map(str::to_string),
        }
    }
}

pub(super) fn annex_values<'a>(
    props: &'a [Prop],
    name: &'a str,
) -> impl Iterator<Item = String> + 'a {
    props
        .iter()
        .filter(move |p| p.is_annex(name))
        .map(Prop::decoded)
}

pub(super) fn annex_value(props: &[Prop], name: &str) -> Option<String> {
    annex_values(props, name).next()
}

/// The original id kept in a `label` prop: the first without a class, else the first.
pub(super) fn label(props: &[Prop]) -> Option<String> {
    let labels: Vec<&Prop> = props.iter().filter(|p| p.is_nist("label")).collect();
    labels
        .iter()
        .find(|p| p.class.is_none())
        .or(labels.first())
        .map(|p| p.decoded())
}

pub(super) fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

pub(super) fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    // Our structs hold only strings, vectors and maps with string keys: this cannot fail.
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
