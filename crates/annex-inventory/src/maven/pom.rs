//! The raw model of one POM file: what it says, before inheritance and interpolation.
//! Profiles are applied here (Maven injects them into each raw model): a profile is active
//! when its `<property>` activation holds for the user's properties, and `activeByDefault`
//! ones are active when no other profile of the POM is. JDK, OS and file activations are not
//! evaluated (those profiles stay inactive). Build plugins and their dependencies are not
//! read: they are not the artifact's dependencies.

use std::collections::BTreeMap;

use crate::parse::error::{ParseError, check_size, invalid, unsupported};
use crate::parse::java::xml::{self, El};
use crate::parse::text::no_bom;

/// One `<dependency>` as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepDecl {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    pub scope: Option<String>,
    pub typ: Option<String>,
    pub classifier: Option<String>,
    pub optional: Option<String>,
    /// `(groupId, artifactId)`, either may be `*`.
    pub exclusions: Vec<(String, String)>,
    pub path: String,
    pub line: u64,
}

impl DepDecl {
    fn from_el(e: &El, path: &str) -> DepDecl {
        let t = |n: &str| e.text_of(n).map(str::to_string);
        DepDecl {
            group: t("groupId").unwrap_or_default(),
            artifact: t("artifactId").unwrap_or_default(),
            version: t("version"),
            scope: t("scope"),
            typ: t("type"),
            classifier: t("classifier"),
            optional: t("optional"),
            exclusions: e
                .child("exclusions")
                .into_iter()
                .flat_map(|x| x.children("exclusion"))
                .map(|x| {
                    (
                        x.text_of("groupId").unwrap_or("*").to_string(),
                        x.text_of("artifactId").unwrap_or("*").to_string(),
                    )
                })
                .collect(),
            path: path.to_string(),
            line: e.line,
        }
    }

    /// Maven's management key as written: `groupId:artifactId:type[:classifier]`.
    pub fn key(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.group,
            self.artifact,
            self.typ.as_deref().unwrap_or("jar"),
            self.classifier.as_deref().unwrap_or("")
        )
    }
}

/// `<parent>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentRef {
    pub group: String,
    pub artifact: String,
    pub version: String,
    /// `None`: an empty `<relativePath/>`, the lookup in the checkout is off.
    pub relative: Option<String>,
    pub line: u64,
}

/// `<distributionManagement><relocation>`: parts not given keep the original's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocation {
    pub group: Option<String>,
    pub artifact: Option<String>,
    pub version: Option<String>,
}

/// One POM file as written, with its active profiles merged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPom {
    pub path: String,
    pub line: u64,
    pub group: Option<String>,
    pub artifact: Option<String>,
    pub version: Option<String>,
    pub packaging: Option<String>,
    pub parent: Option<ParentRef>,
    /// `(name, value, line)`, in order; later ones override.
    pub props: Vec<(String, String, u64)>,
    pub managed: Vec<DepDecl>,
    pub deps: Vec<DepDecl>,
    pub modules: Vec<String>,
    pub relocation: Option<Relocation>,
}

/// Merge `extra` into `base` by management key: an existing entry is replaced in place,
/// new ones are appended (Maven's profile injection).
fn inject(base: &mut Vec<DepDecl>, extra: Vec<DepDecl>) {
    for d in extra {
        let k = d.key();
        match base.iter_mut().find(|b| b.key() == k) {
            Some(b) => *b = d,
            None => base.push(d),
        }
    }
}

fn props_of(e: Option<&El>) -> Vec<(String, String, u64)> {
    e.map(|p| {
        p.children
            .iter()
            .map(|c| (c.name.clone(), c.text.trim().to_string(), c.line))
            .collect()
    })
    .unwrap_or_default()
}

fn deps_of(e: Option<&El>, path: &str) -> Vec<DepDecl> {
    e.map(|d| {
        d.children("dependency")
            .map(|x| DepDecl::from_el(x, path))
            .collect()
    })
    .unwrap_or_default()
}

fn modules_of(e: Option<&El>) -> Vec<String> {
    e.map(|m| {
        m.children("module")
            .map(|x| x.text.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Whether a `<property>` activation holds: `name` (or `!name`) and an optional `value`
/// (or `!value`), against the user's properties.
fn property_active(p: &El, user: &BTreeMap<String, String>) -> bool {
    let name = p.text_of("name").unwrap_or("");
    let (negated, name) = match name.strip_prefix('!') {
        Some(n) => (true, n),
        None => (false, name),
    };
    let have = user.get(name);
    match p.text_of("value") {
        None => have.is_some() != negated,
        Some(v) => match v.strip_prefix('!') {
            Some(v) => have.map(String::as_str) != Some(v),
            None => have.map(String::as_str) == Some(v),
        },
    }
}

/// Reads one POM. `user` are the properties the user passes (profile activation).
pub fn read(path: &str, text: &str, user: &BTreeMap<String, String>) -> Result<RawPom, ParseError> {
    let text = no_bom(text);
    check_size(path, text)?;
    let root = xml::parse(path, text)?;
    if root.name != "project" {
        return Err(invalid(
            path,
            root.line,
            1,
            format!("a POM has a <project> root, not <{}>", root.name),
        ));
    }
    if let Some(mv) = root.child("modelVersion") {
        let v = mv.text.trim();
        if !matches!(v, "4.0.0" | "4.1.0") {
            return Err(unsupported(path, mv.line, "pom.xml modelVersion", v));
        }
    }
    let parent = root.child("parent").map(|p| ParentRef {
        group: p.text_of("groupId").unwrap_or("").to_string(),
        artifact: p.text_of("artifactId").unwrap_or("").to_string(),
        version: p.text_of("version").unwrap_or("").to_string(),
        relative: match p.child("relativePath") {
            Some(r) if r.text.trim().is_empty() => None,
            Some(r) => Some(r.text.trim().to_string()),
            None => Some("../pom.xml".to_string()),
        },
        line: p.line,
    });
    let mut pom = RawPom {
        path: path.to_string(),
        line: root.line,
        group: root.text_of("groupId").map(str::to_string),
        artifact: root.text_of("artifactId").map(str::to_string),
        version: root.text_of("version").map(str::to_string),
        packaging: root.text_of("packaging").map(str::to_string),
        parent,
        props: props_of(root.child("properties")),
        managed: deps_of(root.path("dependencyManagement/dependencies"), path),
        deps: deps_of(root.child("dependencies"), path),
        modules: modules_of(root.child("modules")),
        relocation: root
            .path("distributionManagement/relocation")
            .map(|r| Relocation {
                group: r.text_of("groupId").map(str::to_string),
                artifact: r.text_of("artifactId").map(str::to_string),
                version: r.text_of("version").map(str::to_string),
            }),
    };
    let profiles: Vec<&El> = root
        .child("profiles")
        .into_iter()
        .flat_map(|p| p.children("profile"))
        .collect();
    let by_property: Vec<&El> = profiles
        .iter()
        .copied()
        .filter(|p| {
            p.path("activation/property")
                .is_some_and(|a| property_active(a, user))
        })
        .collect();
    let active: Vec<&El> = if by_property.is_empty() {
        profiles
            .iter()
            .copied()
            .filter(|p| p.path("activation/activeByDefault").map(|a| a.text.trim()) == Some("true"))
            .collect()
    } else {
        by_property
    };
    for prof in active {
        pom.props.extend(props_of(prof.child("properties")));
        inject(&mut pom.deps, deps_of(prof.child("dependencies"), path));
        inject(
            &mut pom.managed,
            deps_of(prof.path("dependencyManagement/dependencies"), path),
        );
        pom.modules.extend(modules_of(prof.child("modules")));
    }
    Ok(pom)
}
