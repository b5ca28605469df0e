//! `Gemfile.lock` (and `gems.locked`): the `GEM`, `GIT` and `PATH` sections' specs (4-space
//! indent `name (version[-platform])`), their nested dependencies (6-space indent) as edges,
//! `DEPENDENCIES` as the direct ones, `CHECKSUMS` (Bundler 2.5+) as hashes and `BUNDLED
//! WITH` in `format`. A platform suffix (`1.16.0-x86_64-linux`) is split off the version
//! into the purl qualifier `platform`. The lockfile records no groups: every gem is
//! required. Unknown sections (`PLATFORMS`, `RUBY VERSION`, plugin sources) are skipped;
//! a spec line that does not parse is a syntax error.

use std::collections::{BTreeMap, BTreeSet};

use super::builder::{Builder, Part, make};
use super::error::{ParseError, check_size};
use super::hashes::hash_from_prefixed;
use super::text::no_bom;
use crate::model::{Source, Subject};

const ECO: &str = annex_types::ecosystem::RUBYGEMS;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Gem,
    Git,
    Path,
    Plugin,
    Dependencies,
    Checksums,
    BundledWith,
    Other,
}

/// `name (version)` → (name, Some(version)); `name` → (name, None).
fn name_and_paren(s: &str) -> Option<(&str, Option<&str>)> {
    let s = s.trim();
    match s.find(" (") {
        Some(i) => {
            let inner = s[i + 2..].strip_suffix(')')?;
            Some((&s[..i], Some(inner)))
        }
        None => (!s.is_empty() && !s.contains(' ')).then_some((s, None)),
    }
}

fn valid_gem_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `1.16.0-x86_64-linux` → (`1.16.0`, Some(`x86_64-linux`)).
fn split_platform(v: &str) -> (&str, Option<&str>) {
    match v.split_once('-') {
        Some((ver, plat)) if !plat.is_empty() => (ver, Some(plat)),
        _ => (v, None),
    }
}

fn gem_purl(name: &str, version: &str, platform: Option<&str>) -> String {
    match platform {
        Some(p) => crate::purl::purl(ECO, None, name, version, &[("platform", p)]),
        None => crate::purl::purl(ECO, None, name, version, &[]),
    }
}

struct Spec {
    idx: usize,
    deps: Vec<String>,
}

/// `Gemfile.lock` / `gems.locked`.
pub fn gemfile_lock(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let mut b = Builder::new(rel_path, ECO, "Gemfile.lock");
    let mut section = Section::Other;
    let mut remote: Option<String> = None;
    let mut revision: Option<String> = None;
    let mut in_specs = false;
    let mut specs: Vec<Spec> = Vec::new();
    let mut direct: BTreeSet<String> = BTreeSet::new();
    let mut checksums: BTreeMap<String, Vec<crate::model::Hash>> = BTreeMap::new();
    let mut bundled_with: Option<String> = None;

    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            section = match line.trim_end() {
                "GEM" => Section::Gem,
                "GIT" => Section::Git,
                "PATH" => Section::Path,
                "PLUGIN SOURCE" => Section::Plugin,
                "DEPENDENCIES" => Section::Dependencies,
                "CHECKSUMS" => Section::Checksums,
                "BUNDLED WITH" => Section::BundledWith,
                _ => Section::Other,
            };
            remote = None;
            revision = None;
            in_specs = false;
            continue;
        }
        let body = line.trim();
        match section {
            Section::Gem | Section::Git | Section::Path | Section::Plugin => {
                if indent == 2 {
                    if let Some(r) = body.strip_prefix("remote:") {
                        remote = Some(r.trim().to_string());
                    } else if let Some(r) = body.strip_prefix("revision:") {
                        revision = Some(r.trim().to_string());
                    }
                    in_specs = body == "specs:";
                    continue;
                }
                if !in_specs || section == Section::Plugin {
                    continue;
                }
                if indent == 4 {
                    let parsed =
                        name_and_paren(body).filter(|(n, v)| valid_gem_name(n) && v.is_some());
                    let Some((name, Some(full))) = parsed else {
                        let col = indent as u64 + 1;
                        return Err(ParseError::syntax(
                            rel_path,
                            line_no,
                            col,
                            "a spec `name (version)`",
                        ));
                    };
                    let (version, platform) = split_platform(full.trim());
                    let mut c = make(
                        &b,
                        Part {
                            name,
                            version,
                            purl: gem_purl(name, version, platform),
                            scope: crate::model::Scope::Required,
                            direct: false,
                            line: line_no,
                        },
                    );
                    c.source = match section {
                        Section::Git => Source::Git {
                            url: remote.clone().unwrap_or_default(),
                            rev: revision.clone(),
                        },
                        Section::Path => Source::Path {
                            path: remote.clone().unwrap_or_default(),
                        },
                        _ => Source::Registry {
                            url: remote.clone(),
                        },
                    };
                    let idx = b.push(c);
                    specs.push(Spec {
                        idx,
                        deps: Vec::new(),
                    });
                } else if indent >= 6
                    && let (Some(s), Some((dep, _))) = (specs.last_mut(), name_and_paren(body))
                {
                    s.deps.push(dep.to_string());
                }
            }
            Section::Dependencies => {
                if let Some((name, _)) = name_and_paren(body) {
                    direct.insert(name.trim_end_matches('!').to_string());
                }
            }
            Section::Checksums => {
                // `name (version[-platform]) sha256=hex[,sha512=hex]`
                if let Some(close) = body.find(") ") {
                    let key = body[..=close].to_string();
                    let hs: Vec<_> = body[close + 2..]
                        .split(',')
                        .filter_map(|h| hash_from_prefixed(h.trim()))
                        .collect();
                    checksums.entry(key).or_default().extend(hs);
                }
            }
            Section::BundledWith => bundled_with = Some(body.to_string()),
            Section::Other => {}
        }
    }

    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in b.components().iter().enumerate() {
        by_name.entry(c.name.clone()).or_default().push(i);
    }
    for i in 0..b.components().len() {
        let Some(c) = b.get_mut(i) else { continue };
        c.direct = direct.contains(&c.name);
        let platform = c.purl.split_once("?platform=").map(|(_, p)| p.to_string());
        let key = match &platform {
            Some(p) => format!("{} ({}-{})", c.name, c.version, p.replace("%2B", "+")),
            None => format!("{} ({})", c.name, c.version),
        };
        if let Some(hs) = checksums.get(&key) {
            c.hashes.extend(hs.iter().cloned());
        }
    }
    for s in &specs {
        for d in &s.deps {
            for &to in by_name.get(d).map(Vec::as_slice).unwrap_or(&[]) {
                if to != s.idx {
                    b.edge(s.idx, to);
                }
            }
        }
    }
    b.edges_complete = !specs.is_empty();
    if let Some(v) = bundled_with {
        b.format = format!("Gemfile.lock (bundler {v})");
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(
            name_and_paren("rack (2.2.3)"),
            Some(("rack", Some("2.2.3")))
        );
        assert_eq!(name_and_paren("foo!"), Some(("foo!", None)));
        assert_eq!(
            split_platform("1.16.0-x86_64-linux"),
            ("1.16.0", Some("x86_64-linux"))
        );
        assert_eq!(split_platform("7.0.2.2"), ("7.0.2.2", None));
    }
}
