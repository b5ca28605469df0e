//! Where POMs come from, in Maven's order: the checkout (the reactor's own modules and
//! parents by `relativePath`), then a local Maven repository (`~/.m2/repository` layout).
//! Nothing here touches the network. Files of the checkout are read through the scan's
//! safe reader (no symlinks, no `..`); files of the local repository through
//! `annex_checkout::read_file` below the repository's root, size-bounded.

use std::path::Path;

use crate::model::Hash;
use crate::parse::MAX_FILE_SIZE;
use crate::parse::hashes::hash_of;

/// Most versions listed for one artifact.
const MAX_VERSIONS: usize = 10_000;
/// Largest POM or metadata file read from the local repository.
const MAX_REPO_FILE: u64 = 16 * 1024 * 1024;

/// The two places POMs are read from.
pub struct Sources<'a> {
    /// Reads a checkout-relative, `/`-separated path; `None` when absent or refused.
    pub checkout: &'a dyn Fn(&str) -> Option<String>,
    /// The local Maven repository, if any.
    pub local: Option<&'a Path>,
}

/// `org/example/lib/1.0/lib-1.0.pom`.
pub fn artifact_path(
    group: &str,
    artifact: &str,
    version: &str,
    classifier: &str,
    ext: &str,
) -> String {
    let dir = group.replace('.', "/");
    let cls = if classifier.is_empty() {
        String::new()
    } else {
        format!("-{classifier}")
    };
    format!("{dir}/{artifact}/{version}/{artifact}-{version}{cls}.{ext}")
}

/// Coordinates that could escape the repository directory are never looked up.
fn safe(parts: &[&str]) -> bool {
    parts.iter().all(|p| {
        !p.is_empty()
            && !p.contains(['/', '\\', '$', '{', '}'])
            // No empty segment, so no `.` or `..` either.
            && p.split('.').all(|s| !s.is_empty())
    })
}

impl Sources<'_> {
    fn read_local(&self, rel: &str) -> Option<String> {
        let root = self.local?;
        let bytes = annex_checkout::read_file(root, rel, MAX_REPO_FILE.min(MAX_FILE_SIZE)).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// A label for a local repository file in messages and locations.
    pub fn local_label(&self, rel: &str) -> String {
        match self.local {
            Some(root) => format!("{}/{rel}", root.display()),
            None => rel.to_string(),
        }
    }

    /// The POM of `group:artifact:version` in the local repository: `(label, text)`.
    pub fn local_pom(
        &self,
        group: &str,
        artifact: &str,
        version: &str,
    ) -> Option<(String, String)> {
        if !safe(&[group, artifact, version]) {
            return None;
        }
        let rel = artifact_path(group, artifact, version, "", "pom");
        let text = self.read_local(&rel)?;
        Some((self.local_label(&rel), text))
    }

    /// Versions of `group:artifact` present: `maven-metadata*.xml` beside them, and the
    /// version directories holding a POM.
    pub fn versions(&self, group: &str, artifact: &str) -> Vec<String> {
        let (Some(root), true) = (self.local, safe(&[group, artifact])) else {
            return Vec::new();
        };
        let rel = format!("{}/{artifact}", group.replace('.', "/"));
        let Ok(dir) = std::fs::read_dir(root.join(&rel)) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for entry in dir.flatten().take(MAX_VERSIONS) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_file() && name.starts_with("maven-metadata") && name.ends_with(".xml") {
                let Some(text) = self.read_local(&format!("{rel}/{name}")) else {
                    continue;
                };
                if let Ok(root) = crate::parse::java::xml::parse(&name, &text)
                    && let Some(vs) = root.path("versioning/versions")
                {
                    out.extend(vs.children("version").map(|v| v.text.trim().to_string()));
                }
            } else if ft.is_dir()
                && root
                    .join(&rel)
                    .join(&name)
                    .join(format!("{artifact}-{name}.pom"))
                    .is_file()
            {
                out.push(name);
            }
        }
        out.retain(|v| !v.is_empty());
        out.sort();
        out.dedup();
        out
    }

    /// The `.sha1`/`.sha256`/`.sha512` files next to an artifact in the local repository.
    pub fn hashes(
        &self,
        group: &str,
        artifact: &str,
        version: &str,
        classifier: &str,
        ext: &str,
    ) -> Vec<Hash> {
        if !safe(&[group, artifact, version]) {
            return Vec::new();
        }
        let rel = artifact_path(group, artifact, version, classifier, ext);
        let mut out = Vec::new();
        for alg in ["sha1", "sha256", "sha512"] {
            let Some(text) = self.read_local(&format!("{rel}.{alg}")) else {
                continue;
            };
            // `<hex>` or `<hex>  file name`.
            let value = text
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if let Some(h) = hash_of(alg, &value) {
                out.push(h);
            }
        }
        out
    }
}
