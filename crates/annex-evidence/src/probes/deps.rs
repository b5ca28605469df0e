//! `deps`: manifests and lockfiles per ecosystem, update tooling, dependency audit.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use annex_inventory::detect::{Kind, classify};

use crate::model::{DepFile, Deps, UpdateTool, UpdateToolKind};
use crate::probes::docs::whole;
use crate::probes::names::{is_sca_config, update_tool_file};
use crate::probes::tools;
use crate::record::FileRecord;
use crate::text::{numbered_lines, parent};

pub(crate) fn probe(files: &[FileRecord]) -> Deps {
    let mut deps = Deps::default();
    for rec in files {
        let Some(d) = classify(Path::new(&rec.rel)) else {
            continue;
        };
        let entry = DepFile {
            path: rec.rel.clone(),
            ecosystem: d.ecosystem.to_string(),
            kind: d.kind,
        };
        match d.kind {
            Kind::Manifest => deps.manifests.push(entry),
            Kind::Lockfile => deps.lockfiles.push(entry),
        }
    }
    let ecosystems: BTreeSet<&str> = deps
        .manifests
        .iter()
        .chain(&deps.lockfiles)
        .map(|d| d.ecosystem.as_str())
        .collect();
    deps.ecosystems = ecosystems.into_iter().map(String::from).collect();
    deps.unlocked_ecosystems = unlocked(&deps.manifests, &deps.lockfiles);
    deps.update_tool = update_tool(files);
    deps.sca = files
        .iter()
        .find(|f| is_sca_config(&f.rel))
        .map(whole)
        .or_else(|| tools::sca_line(files));
    deps
}

/// Ecosystems with a manifest that has no lockfile of its ecosystem in its directory or
/// an ancestor directory (workspaces lock at their root).
fn unlocked(manifests: &[DepFile], lockfiles: &[DepFile]) -> Vec<String> {
    let locked: HashSet<(&str, &str)> = lockfiles
        .iter()
        .map(|l| (l.ecosystem.as_str(), parent(&l.path)))
        .collect();
    let mut out = BTreeSet::new();
    for m in manifests {
        let mut dir = parent(&m.path);
        let covered = loop {
            if locked.contains(&(m.ecosystem.as_str(), dir)) {
                break true;
            }
            if dir.is_empty() {
                break false;
            }
            dir = parent(dir);
        };
        if !covered {
            out.insert(m.ecosystem.clone());
        }
    }
    out.into_iter().collect()
}

/// Dependabot or Renovate configuration; also a `renovate` key in the root package.json.
fn update_tool(files: &[FileRecord]) -> Option<UpdateTool> {
    if let Some((rec, tool)) = files
        .iter()
        .find_map(|f| update_tool_file(&f.rel).map(|t| (f, t)))
    {
        return Some(UpdateTool {
            tool,
            path: rec.rel.clone(),
            line: 1,
        });
    }
    let pkg = files.iter().find(|f| f.rel == "package.json")?;
    let text = pkg.text()?;
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&text)
    else {
        return None;
    };
    map.get("renovate")?;
    let line = numbered_lines(&text)
        .find(|(_, l)| l.trim_start().starts_with("\"renovate\""))
        .map_or(1, |(n, _)| n);
    Some(UpdateTool {
        tool: UpdateToolKind::Renovate,
        path: pkg.rel.clone(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(path: &str, eco: &str, kind: Kind) -> DepFile {
        DepFile {
            path: path.into(),
            ecosystem: eco.into(),
            kind,
        }
    }

    #[test]
    fn lockfile_in_ancestor_covers_manifest() {
        let manifests = vec![
            dep("Cargo.toml", "crates.io", Kind::Manifest),
            dep("crates/a/Cargo.toml", "crates.io", Kind::Manifest),
            dep("web/package.json", "npm", Kind::Manifest),
            dep("go.mod", "Go", Kind::Manifest),
        ];
        let lockfiles = vec![
            dep("Cargo.lock", "crates.io", Kind::Lockfile),
            dep("go.sum", "Go", Kind::Lockfile),
            dep("other/package-lock.json", "npm", Kind::Lockfile),
        ];
        assert_eq!(unlocked(&manifests, &lockfiles), vec!["npm".to_string()]);
    }
}
