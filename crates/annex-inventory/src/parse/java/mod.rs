//! Java: `pom.xml` (Maven, resolved by [`crate::maven`]), `gradle.lockfile` and
//! `gradle/verification-metadata.xml`.

pub(crate) mod xml;

use crate::model::{Scope, Subject};
use crate::parse::builder::{Builder, Part, make};
use crate::parse::error::{ParseError, check_size, invalid};
use crate::parse::hashes::hash_of;
use crate::parse::text::no_bom;

const ECO: &str = annex_types::ecosystem::MAVEN;
/// Deepest chain of parent POMs followed.
pub const MAX_PARENT_DEPTH: usize = crate::maven::model::MAX_PARENT_DEPTH;

fn maven_purl(group: &str, artifact: &str, version: &str) -> String {
    crate::maven::purl(group, artifact, version, "jar", "")
}

/// `pom.xml` alone: no parent POM and no local repository is read (what depends on them is
/// unresolved, with the reason).
pub fn pom(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    pom_with(rel_path, text, &mut |_| None)
}

/// `pom.xml` resolved with the POMs of the checkout only (no local repository; see
/// [`crate::maven`]): `read` gets a repository-relative, `/`-separated path and returns the
/// file's text, or `None`.
pub fn pom_with(
    rel_path: &str,
    text: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Subject, ParseError> {
    let read = std::cell::RefCell::new(read);
    let checkout = |p: &str| (read.borrow_mut())(p);
    crate::maven::subject(
        rel_path,
        text,
        &crate::maven::repo::Sources {
            checkout: &checkout,
            local: None,
        },
    )
}

// ---------------------------------------------------------------------------------------
// Gradle

/// Scope from the configurations a locked module is in.
fn gradle_scope(confs: &[&str]) -> Scope {
    let is_test = |c: &str| c.to_ascii_lowercase().contains("test");
    let is_build = |c: &str| {
        let l = c.to_ascii_lowercase();
        l.contains("annotationprocessor")
            || l.starts_with("kapt")
            || l.starts_with("ksp")
            || l == "classpath"
    };
    if confs.is_empty() || confs.iter().any(|c| !is_test(c) && !is_build(c)) {
        Scope::Required
    } else if confs.iter().any(|c| is_build(c) && !is_test(c)) {
        Scope::Build
    } else {
        Scope::Dev
    }
}

/// `gradle.lockfile` (and the per-configuration `gradle/dependency-locks/*.lockfile`):
/// `group:artifact:version=conf1,conf2`. Configurations whose name says `test` only →
/// dev; only annotation processors / `kapt` / `ksp` / buildscript `classpath` → build.
pub fn gradle_lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let mut b = Builder::new(rel_path, ECO, "gradle.lockfile");
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coord, confs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coord.split(':').collect();
        let valid = parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && !p.contains(char::is_whitespace));
        if !valid {
            let col = (raw.len() - raw.trim_start().len()) as u64 + 1;
            return Err(ParseError::syntax(
                rel_path,
                line_no,
                col,
                "`group:artifact:version=configurations`",
            ));
        }
        let confs: Vec<&str> = confs
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let name = format!("{}:{}", parts[0], parts[1]);
        let purl = maven_purl(parts[0], parts[1], parts[2]);
        let c = make(
            &b,
            Part {
                name: &name,
                version: parts[2],
                purl,
                scope: gradle_scope(&confs),
                direct: false,
                line: line_no,
            },
        );
        b.push(c);
    }
    Ok(b.finish())
}

/// `gradle/verification-metadata.xml`: every `<component>` with the checksums of its
/// artifacts (`sha256`, `sha512`, `sha1`, `md5`). It lists what the build may download,
/// for any configuration: every component is reported as required.
pub fn gradle_verification(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let root = xml::parse(rel_path, text)?;
    if root.name != "verification-metadata" {
        return Err(invalid(
            rel_path,
            root.line,
            1,
            format!("expected <verification-metadata>, found <{}>", root.name),
        ));
    }
    let mut b = Builder::new(rel_path, ECO, "gradle verification-metadata.xml");
    let Some(components) = root.child("components") else {
        return Ok(b.finish());
    };
    for comp in components.children("component") {
        let (Some(g), Some(a)) = (comp.attr("group"), comp.attr("name")) else {
            return Err(invalid(
                rel_path,
                comp.line,
                1,
                "a <component> without `group` or `name`",
            ));
        };
        let name = format!("{g}:{a}");
        let Some(v) = comp.attr("version").filter(|v| !v.is_empty()) else {
            b.unresolved(&name, "", comp.line);
            continue;
        };
        let mut c = make(
            &b,
            Part {
                name: &name,
                version: v,
                purl: maven_purl(g, a, v),
                scope: Scope::Required,
                direct: false,
                line: comp.line,
            },
        );
        for art in comp.children("artifact") {
            for h in &art.children {
                if let Some(hash) = h.attr("value").and_then(|val| hash_of(&h.name, val)) {
                    c.hashes.push(hash);
                }
                // Alternative checksums Gradle also accepts.
                for alt in h.children("also-trust") {
                    if let Some(hash) = alt.attr("value").and_then(|val| hash_of(&h.name, val)) {
                        c.hashes.push(hash);
                    }
                }
            }
        }
        b.push(c);
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_scopes() {
        use crate::maven::model::pom_at;
        assert_eq!(
            pom_at("a/b/pom.xml", "../pom.xml").as_deref(),
            Some("a/pom.xml")
        );
        assert_eq!(pom_at("pom.xml", "../pom.xml"), None);
        assert_eq!(
            pom_at("a/pom.xml", "../parent").as_deref(),
            Some("parent/pom.xml")
        );
        assert_eq!(gradle_scope(&["testRuntimeClasspath"]), Scope::Dev);
        assert_eq!(gradle_scope(&["annotationProcessor"]), Scope::Build);
        assert_eq!(
            gradle_scope(&["runtimeClasspath", "testRuntimeClasspath"]),
            Scope::Required
        );
    }
}
