//! Which paths the probes care about, by name. Shared by the walk (to decide what to keep
//! in memory) and by the probes (to find their files), so the two never disagree.

use crate::model::{SastTool, SbomFormat, UpdateToolKind};
use crate::text::{extension, file_name, parent};

/// Extensions of documentation files (plus none at all).
const DOC_EXTS: &[&str] = &[
    "", "md", "markdown", "mdx", "rst", "txt", "adoc", "asciidoc", "org", "html", "htm",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocKind {
    Readme,
    Contributing,
    CodeOfConduct,
    Changelog,
    Governance,
    Maintainers,
    Support,
    Install,
    Security,
}

const DOC_STEMS: &[(&str, DocKind)] = &[
    ("README", DocKind::Readme),
    ("CONTRIBUTING", DocKind::Contributing),
    ("CONTRIBUTE", DocKind::Contributing),
    ("CODE_OF_CONDUCT", DocKind::CodeOfConduct),
    ("CODE-OF-CONDUCT", DocKind::CodeOfConduct),
    ("CODEOFCONDUCT", DocKind::CodeOfConduct),
    ("CHANGELOG", DocKind::Changelog),
    ("CHANGES", DocKind::Changelog),
    ("HISTORY", DocKind::Changelog),
    ("NEWS", DocKind::Changelog),
    ("RELEASES", DocKind::Changelog),
    ("RELEASE_NOTES", DocKind::Changelog),
    ("RELEASE-NOTES", DocKind::Changelog),
    ("RELEASENOTES", DocKind::Changelog),
    ("GOVERNANCE", DocKind::Governance),
    ("MAINTAINERS", DocKind::Maintainers),
    ("CODEOWNERS", DocKind::Maintainers),
    ("OWNERS", DocKind::Maintainers),
    ("SUPPORT", DocKind::Support),
    ("INSTALL", DocKind::Install),
    ("INSTALLING", DocKind::Install),
    ("INSTALLATION", DocKind::Install),
    ("BUILDING", DocKind::Install),
    ("SECURITY", DocKind::Security),
];

/// Where community documents are looked for: root 0, `.github/` 1, `docs/` 2, `doc/` 3.
pub(crate) fn doc_location_rank(rel: &str) -> Option<u8> {
    match parent(rel) {
        "" => Some(0),
        ".github" => Some(1),
        "docs" => Some(2),
        "doc" => Some(3),
        _ => None,
    }
}

/// `name` is `stem` or `stem` followed by `.`, `-` or `_` and more (case-insensitive).
pub(crate) fn has_stem(name: &str, stem: &str) -> bool {
    let Some(head) = name.get(..stem.len()) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(stem) {
        return false;
    }
    match name.as_bytes().get(stem.len()) {
        None => true,
        Some(b'.' | b'-' | b'_') => true,
        Some(_) => false,
    }
}

/// The community document a path is, when it sits where such documents are looked for.
pub(crate) fn doc_kind(rel: &str) -> Option<DocKind> {
    doc_location_rank(rel)?;
    let name = file_name(rel);
    let ext = extension(name);
    if !DOC_EXTS.contains(&ext.as_str()) {
        return None;
    }
    // `security.txt` in lowercase at the root may be an RFC 9116 file; the probe decides.
    DOC_STEMS
        .iter()
        .find(|(stem, _)| has_stem(name, stem))
        .map(|(_, k)| *k)
}

/// Licence texts: `LICENSE*`, `LICENCE*`, `COPYING*`, `UNLICENSE` at the root, and the
/// REUSE `LICENSES/` directory.
pub(crate) fn is_license_file(rel: &str) -> bool {
    let name = file_name(rel);
    match parent(rel) {
        "" => {
            ["LICENSE", "LICENCE", "COPYING", "UNLICENSE"]
                .iter()
                .any(|s| has_stem(name, s))
                && crate::probes::project::language(&extension(name)).is_none()
        }
        "LICENSES" => true,
        _ => false,
    }
}

/// RFC 9116 locations.
pub(crate) fn is_security_txt(rel: &str) -> bool {
    rel == ".well-known/security.txt" || rel == "security.txt"
}

/// The CI provider a configuration file belongs to.
pub(crate) fn ci_provider(rel: &str) -> Option<&'static str> {
    // Every CI file is a dot-path or one of two root names: most files stop here, which
    // matters because several probes ask this of every file.
    if !(rel.starts_with('.') || rel == "Jenkinsfile" || rel.starts_with("azure-pipelines.")) {
        return None;
    }
    let name = file_name(rel);
    let ext = extension(name);
    let yaml = ext == "yml" || ext == "yaml";
    match parent(rel) {
        ".github/workflows" if yaml => Some("github-actions"),
        "" if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" => Some("gitlab"),
        ".circleci" if name == "config.yml" || name == "config.yaml" => Some("circleci"),
        "" if name == "azure-pipelines.yml" || name == "azure-pipelines.yaml" => Some("azure"),
        ".azure-pipelines" if yaml => Some("azure"),
        "" if name == ".travis.yml" || name == ".travis.yaml" => Some("travis"),
        "" if name == "Jenkinsfile" => Some("jenkins"),
        _ if rel.starts_with(".buildkite/") && (yaml || ext == "sh" || ext == "json") => {
            Some("buildkite")
        }
        _ => None,
    }
}

/// Dependency-update tool configuration files.
pub(crate) fn update_tool_file(rel: &str) -> Option<UpdateToolKind> {
    match rel {
        ".github/dependabot.yml" | ".github/dependabot.yaml" => Some(UpdateToolKind::Dependabot),
        "renovate.json"
        | "renovate.json5"
        | ".renovaterc"
        | ".renovaterc.json"
        | ".renovaterc.json5"
        | ".github/renovate.json"
        | ".github/renovate.json5"
        | ".gitlab/renovate.json"
        | ".gitlab/renovate.json5" => Some(UpdateToolKind::Renovate),
        _ => None,
    }
}

/// Dependency-audit configuration files.
pub(crate) fn is_sca_config(rel: &str) -> bool {
    matches!(
        rel,
        "deny.toml"
            | ".cargo/audit.toml"
            | ".snyk"
            | "osv-scanner.toml"
            | "audit-ci.json"
            | "audit-ci.jsonc"
            | "audit-ci.json5"
            | ".nsprc"
    )
}

/// SAST configuration files that identify their tool by name alone.
pub(crate) fn sast_config(rel: &str) -> Option<SastTool> {
    let name = file_name(rel);
    if rel.starts_with(".github/codeql/") {
        return Some(SastTool::Codeql);
    }
    if matches!(name, ".semgrep.yml" | ".semgrep.yaml") || rel.starts_with(".semgrep/") {
        return Some(SastTool::Semgrep);
    }
    match rel {
        "sonar-project.properties" => Some(SastTool::Sonar),
        ".bandit" => Some(SastTool::Bandit),
        _ => None,
    }
}

/// Files whose lines may configure a SAST tool (golangci-lint enabling gosec, an ESLint
/// configuration with the security plugin, pre-commit hooks).
pub(crate) fn is_lint_config(rel: &str) -> bool {
    let name = file_name(rel);
    matches!(
        name,
        ".golangci.yml" | ".golangci.yaml" | ".golangci.toml" | ".pre-commit-config.yaml"
    ) || name.starts_with(".eslintrc")
        || name.starts_with("eslint.config.")
}

/// OpenSSF Security Insights, at the root or in `.github/`.
pub(crate) fn is_insights(rel: &str) -> bool {
    let name = file_name(rel).to_ascii_lowercase();
    (name == "security-insights.yml" || name == "security-insights.yaml")
        && matches!(parent(rel), "" | ".github")
}

/// An SBOM by name: `Some(Some(format))` when the name says the format, `Some(None)` when
/// the content has to tell (`sbom.json`, `*.sbom.json`…).
pub(crate) fn sbom_by_name(rel: &str) -> Option<Option<SbomFormat>> {
    let name = file_name(rel).to_ascii_lowercase();
    if name.ends_with(".cdx.json")
        || name.ends_with(".cdx.xml")
        || name == "bom.json"
        || name == "bom.xml"
    {
        return Some(Some(SbomFormat::Cyclonedx));
    }
    if [
        ".spdx",
        ".spdx.json",
        ".spdx.yaml",
        ".spdx.yml",
        ".spdx.rdf",
        ".spdx.xml",
    ]
    .iter()
    .any(|s| name.ends_with(s))
    {
        return Some(Some(SbomFormat::Spdx));
    }
    let ext = extension(&name);
    if name.contains("sbom") && matches!(ext.as_str(), "json" | "xml" | "yaml" | "yml") {
        return Some(None);
    }
    None
}

/// Build and release scripts whose lines may sign, attest or generate SBOMs.
pub(crate) fn is_script(rel: &str) -> bool {
    let name = file_name(rel);
    let ext = extension(name);
    matches!(ext.as_str(), "sh" | "bash" | "ps1")
        || matches!(
            name,
            "Makefile"
                | "GNUmakefile"
                | "makefile"
                | "justfile"
                | "Justfile"
                | "Taskfile.yml"
                | "Taskfile.yaml"
                | ".goreleaser.yml"
                | ".goreleaser.yaml"
                | "goreleaser.yml"
                | "goreleaser.yaml"
        )
        || matches!(parent(rel), "scripts" | "script")
}

/// ClusterFuzzLite project files.
pub(crate) fn is_clusterfuzzlite(rel: &str) -> bool {
    rel.starts_with(".clusterfuzzlite/")
}

/// Manifests whose content some probe reads (licence fields, renovate key, build files).
pub(crate) fn is_read_manifest(rel: &str) -> bool {
    matches!(
        file_name(rel),
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "composer.json"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
    )
}

/// Local composite actions.
pub(crate) fn is_action_file(rel: &str) -> bool {
    rel.starts_with(".github/actions/") && matches!(file_name(rel), "action.yml" | "action.yaml")
}

/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`.
pub(crate) fn is_dockerfile(rel: &str) -> bool {
    let name = file_name(rel);
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
}

/// Requirements files, whose hashes the CI analysis checks (`pip install -r`).
fn is_requirements(rel: &str) -> bool {
    let name = file_name(rel);
    (name.starts_with("requirements") && name.ends_with(".txt"))
        || (parent(rel).ends_with("requirements") && name.ends_with(".txt"))
}

/// The evidence sections a file's content feeds: what cannot be told while the file is
/// unread (`unread[]`). CI files and scripts also feed the tool sections (SAST, fuzzing,
/// release, SCA lines), documents the fuzzing badges, manifests licences and tools.
pub(crate) fn sections(rel: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |yes: bool, names: &[&'static str]| {
        if yes {
            out.extend_from_slice(names);
        }
    };
    add(doc_kind(rel).is_some(), &["docs", "fuzzing"]);
    add(is_security_txt(rel), &["docs"]);
    add(is_license_file(rel), &["license"]);
    let ci = ci_provider(rel).is_some() || is_script(rel);
    add(ci, &["ci", "sast", "fuzzing", "release", "deps.sca"]);
    add(
        is_action_file(rel) || is_dockerfile(rel) || is_requirements(rel),
        &["ci"],
    );
    add(update_tool_file(rel).is_some(), &["deps.update_tool"]);
    add(is_sca_config(rel), &["deps.sca"]);
    add(sast_config(rel).is_some() || is_lint_config(rel), &["sast"]);
    add(is_insights(rel), &["insights"]);
    add(sbom_by_name(rel) == Some(None), &["sbom"]);
    add(is_clusterfuzzlite(rel), &["fuzzing"]);
    add(
        is_read_manifest(rel),
        &[
            "license",
            "deps.update_tool",
            "project",
            "sast",
            "fuzzing",
            "release",
        ],
    );
    add(rel == ".gitignore", &["secrets"]);
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether the walk should keep this file's content for the probes: whenever it feeds a
/// section, so the two lists never disagree.
pub(crate) fn wants_content(rel: &str) -> bool {
    !sections(rel).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert!(has_stem("README.md", "README"));
        assert!(has_stem("readme", "README"));
        assert!(has_stem("LICENSE-MIT", "LICENSE"));
        assert!(!has_stem("READMEFIRST", "README"));
        assert!(!has_stem("NEWSLETTER.md", "NEWS"));
        assert!(!has_stem("RE", "README"));
        assert!(!has_stem("é", "README"));
    }

    #[test]
    fn docs() {
        assert_eq!(doc_kind("README.md"), Some(DocKind::Readme));
        assert_eq!(
            doc_kind(".github/CONTRIBUTING.md"),
            Some(DocKind::Contributing)
        );
        assert_eq!(doc_kind("docs/SECURITY.rst"), Some(DocKind::Security));
        assert_eq!(doc_kind("src/README.md"), None);
        assert_eq!(doc_kind("news.py"), None);
        assert_eq!(doc_kind(".github/CODEOWNERS"), Some(DocKind::Maintainers));
    }

    #[test]
    fn licences() {
        assert!(is_license_file("LICENSE"));
        assert!(is_license_file("COPYING.LESSER"));
        assert!(is_license_file("LICENSES/MIT.txt"));
        assert!(!is_license_file("license.go"));
        assert!(!is_license_file("src/LICENSE"));
    }

    #[test]
    fn ci() {
        assert_eq!(
            ci_provider(".github/workflows/ci.yml"),
            Some("github-actions")
        );
        assert_eq!(ci_provider(".github/workflows/sub/ci.yml"), None);
        assert_eq!(ci_provider(".gitlab-ci.yml"), Some("gitlab"));
        assert_eq!(ci_provider(".circleci/config.yml"), Some("circleci"));
        assert_eq!(ci_provider("Jenkinsfile"), Some("jenkins"));
        assert_eq!(ci_provider(".buildkite/pipeline.yml"), Some("buildkite"));
        assert_eq!(ci_provider("ci.yml"), None);
    }

    #[test]
    fn sboms() {
        assert_eq!(
            sbom_by_name("x.cdx.json"),
            Some(Some(SbomFormat::Cyclonedx))
        );
        assert_eq!(sbom_by_name("a/b.spdx.json"), Some(Some(SbomFormat::Spdx)));
        assert_eq!(sbom_by_name("sbom.json"), Some(None));
        assert_eq!(sbom_by_name("package.json"), None);
    }

    #[test]
    fn dockerfiles() {
        assert!(is_dockerfile("Dockerfile"));
        assert!(is_dockerfile("docker/Dockerfile.alpine"));
        assert!(is_dockerfile("x/app.Dockerfile"));
        assert!(!is_dockerfile("Dockerfiles/README"));
    }
}
