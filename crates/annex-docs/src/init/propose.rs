//! Proposed answers from what a checkout already says: the git remote, README, LICENSE,
//! Cargo.toml / package.json / pyproject.toml and an existing SECURITY.md.

use crate::metadata::{YearMonth, is_email};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A proposed answer and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposed {
    pub value: String,
    /// `Cargo.toml`, `.git/config`, `README.md`, …
    pub source: String,
}

/// Proposed answers by question key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub values: BTreeMap<String, Proposed>,
}

impl Proposal {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|p| p.value.as_str())
    }
    /// Keep the first proposal for a key.
    fn offer(&mut self, key: &str, value: Option<String>, source: &str) {
        let Some(v) = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
        else {
            return;
        };
        self.values.entry(key.to_string()).or_insert(Proposed {
            value: v,
            source: source.to_string(),
        });
    }
    /// The proposed values as answers (to merge flags into and pass to `build`).
    pub fn answers(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }
}

/// The files init proposes from (README, Cargo.toml, package.json …) are small; the one
/// safe read refuses symlinks, FIFOs, devices and anything larger.
const MAX_PROPOSAL_SOURCE: u64 = 1024 * 1024;

fn read(root: &Path, rel: &str) -> Option<String> {
    annex_checkout::read_text(root, rel, MAX_PROPOSAL_SOURCE).ok()
}

/// Propose answers from the files of a checkout. Never fails: what cannot be read is
/// not proposed. `today` dates the proposed end of support (five years ahead).
pub fn propose(root: &Path, today: NaiveDate) -> Proposal {
    let mut p = Proposal::default();
    let remote = git_remote(root);
    from_cargo(root, &mut p);
    from_package_json(root, &mut p);
    from_pyproject(root, &mut p);
    if let Some(r) = &remote {
        p.offer("product.repository", Some(r.clone()), ".git/config");
    }
    from_readme(root, &mut p);
    from_license(root, &mut p);
    from_security_md(root, &mut p);
    let repo = p.get("product.repository").map(str::to_string);
    if let Some(repo) = repo
        .as_deref()
        .map(|r| r.trim_end_matches('/').trim_end_matches(".git"))
    {
        if let Some(name) = repo.rsplit('/').next() {
            p.offer("product.name", Some(name.to_string()), ".git/config");
        }
        if repo.starts_with("https://github.com/") {
            p.offer(
                "security.advisories",
                Some(format!("{repo}/security/advisories")),
                "GitHub repository",
            );
            if has_security_md(root) {
                p.offer(
                    "security.policy",
                    Some(format!("{repo}/security/policy")),
                    "SECURITY.md on GitHub",
                );
            }
        } else if repo.starts_with("https://gitlab.com/") && has_security_md(root) {
            p.offer(
                "security.policy",
                Some(format!("{repo}/-/blob/HEAD/SECURITY.md")),
                "SECURITY.md on GitLab",
            );
        }
    }
    if p.get("product.type").is_none() {
        let kind = if root.join("src/main.rs").is_file() || root.join("src/bin").is_dir() {
            Some("command-line tool")
        } else if root.join("src/lib.rs").is_file() {
            Some("library")
        } else {
            None
        };
        p.offer("product.type", kind.map(str::to_string), "source layout");
    }
    p.offer("role", Some("manufacturer".into()), "default");
    // No proposal for product.class: only the manufacturer can say whether the core
    // functionality is in Annex III or IV, so `annex init` asks (with the list).
    p.offer("product.languages", Some("en".into()), "default");
    p.offer(
        "support.end",
        Some(
            YearMonth::new(today.year() + 5, today.month())
                .map_or_else(String::new, |m| m.to_string()),
        ),
        "five years from now (the Article 13(8) minimum)",
    );
    p
}

fn has_security_md(root: &Path) -> bool {
    ["SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"]
        .iter()
        .any(|f| root.join(f).is_file())
}

/// The https address of the `origin` remote (or the first remote) in `.git/config`.
fn git_remote(root: &Path) -> Option<String> {
    let text = read(root, ".git/config")?;
    let mut current: Option<String> = None;
    let mut remotes: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            current = l
                .strip_prefix("[remote \"")
                .and_then(|r| r.strip_suffix("\"]"))
                .map(str::to_string);
        } else if let Some(name) = &current
            && let Some((k, v)) = l.split_once('=')
            && k.trim() == "url"
        {
            remotes.push((name.clone(), v.trim().to_string()));
        }
    }
    let (_, url) = remotes
        .iter()
        .find(|(n, _)| n == "origin")
        .or_else(|| remotes.first())?;
    web_url(url)
}

/// `git@host:owner/repo.git`, `ssh://git@host/owner/repo`, `https://user@host/…` →
/// `https://host/owner/repo`.
fn web_url(url: &str) -> Option<String> {
    let u = url.trim();
    let (host, path) = if let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .or_else(|| u.strip_prefix("ssh://"))
        .or_else(|| u.strip_prefix("git://"))
        .or_else(|| u.strip_prefix("git+https://"))
        .or_else(|| u.strip_prefix("git+ssh://"))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        (host.split(':').next()?.to_string(), path.to_string())
    } else if let Some((userhost, path)) = u.split_once(':') {
        if userhost.contains('/') {
            return None;
        }
        (userhost.rsplit('@').next()?.to_string(), path.to_string())
    } else {
        return None;
    };
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

/// `Jane Doe <jane@example.org>` → (name, email).
fn person(s: &str) -> (Option<String>, Option<String>) {
    let s = s.trim();
    match (s.find('<'), s.find('>')) {
        (Some(a), Some(b)) if a < b => {
            let name = s[..a].trim();
            let email = s[a + 1..b].trim();
            (
                (!name.is_empty()).then(|| name.to_string()),
                is_email(email).then(|| email.to_string()),
            )
        }
        _ if is_email(s) => (None, Some(s.to_string())),
        _ => (
            (!s.is_empty()).then(|| s.split(" (").next().unwrap_or(s).trim().to_string()),
            None,
        ),
    }
}

fn toml_str(v: Option<&toml::Value>) -> Option<String> {
    v.and_then(|v| v.as_str()).map(str::to_string)
}

fn from_cargo(root: &Path, p: &mut Proposal) {
    let Some(text) = read(root, "Cargo.toml") else {
        return;
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return;
    };
    let ws = doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|v| v.as_table());
    let pkg = doc.get("package").and_then(|v| v.as_table());
    // A field of [package], or of [workspace.package] when inherited or absent.
    let field = |k: &str| -> Option<String> {
        match pkg.and_then(|t| t.get(k)) {
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Table(_)) | None => toml_str(ws.and_then(|t| t.get(k))),
            _ => None,
        }
    };
    let src = "Cargo.toml";
    p.offer(
        "product.name",
        toml_str(pkg.and_then(|t| t.get("name"))),
        src,
    );
    p.offer("product.version", field("version"), src);
    p.offer("product.description", field("description"), src);
    p.offer("product.license", field("license"), src);
    p.offer(
        "product.repository",
        field("repository").and_then(|r| web_url(&r)),
        src,
    );
    let authors = pkg
        .and_then(|t| t.get("authors"))
        .or_else(|| ws.and_then(|t| t.get("authors")))
        .and_then(|a| a.as_array())
        .and_then(|a| a.first())
        .and_then(|a| a.as_str())
        .map(person);
    if let Some((name, email)) = authors {
        p.offer("party.name", name, src);
        p.offer("party.email", email, src);
    }
    if let Some(h) = field("homepage") {
        p.offer("party.website", Some(h), src);
    }
    if pkg.is_some() {
        let bin = doc.get("bin").is_some() || root.join("src/main.rs").is_file();
        let lib = doc.get("lib").is_some() || root.join("src/lib.rs").is_file();
        let kind = match (bin, lib) {
            (true, _) => Some("command-line tool"),
            (false, true) => Some("library"),
            _ => None,
        };
        p.offer("product.type", kind.map(str::to_string), src);
    }
}

fn from_package_json(root: &Path, p: &mut Proposal) {
    let Some(text) = read(root, "package.json") else {
        return;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    let s = |k: &str| doc.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let src = "package.json";
    p.offer(
        "product.name",
        s("name").map(|n| n.trim_start_matches('@').to_string()),
        src,
    );
    p.offer("product.version", s("version"), src);
    p.offer("product.description", s("description"), src);
    p.offer("product.license", s("license"), src);
    let repo = match doc.get("repository") {
        Some(serde_json::Value::String(r)) => Some(r.clone()),
        Some(o) => o.get("url").and_then(|u| u.as_str()).map(str::to_string),
        None => None,
    };
    p.offer("product.repository", repo.and_then(|r| web_url(&r)), src);
    let (name, email) = match doc.get("author") {
        Some(serde_json::Value::String(a)) => person(a),
        Some(o) => (
            o.get("name").and_then(|v| v.as_str()).map(str::to_string),
            o.get("email").and_then(|v| v.as_str()).map(str::to_string),
        ),
        None => (None, None),
    };
    p.offer("party.name", name, src);
    p.offer("party.email", email, src);
    p.offer("party.website", s("homepage"), src);
    let kind = if doc.get("bin").is_some() {
        Some("command-line tool")
    } else if doc.get("main").is_some() || doc.get("exports").is_some() {
        Some("library")
    } else {
        None
    };
    p.offer("product.type", kind.map(str::to_string), src);
}

fn from_pyproject(root: &Path, p: &mut Proposal) {
    let Some(text) = read(root, "pyproject.toml") else {
        return;
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return;
    };
    let src = "pyproject.toml";
    let project = doc.get("project").and_then(|v| v.as_table());
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|v| v.as_table());
    for t in [project, poetry].into_iter().flatten() {
        p.offer("product.name", toml_str(t.get("name")), src);
        p.offer("product.version", toml_str(t.get("version")), src);
        p.offer("product.description", toml_str(t.get("description")), src);
        let license = match t.get("license") {
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Table(l)) => toml_str(l.get("text")).filter(|s| s.len() < 64),
            _ => None,
        };
        p.offer("product.license", license, src);
        if let Some(a) = t
            .get("authors")
            .and_then(|a| a.as_array())
            .and_then(|a| a.first())
        {
            let (name, email) = match a {
                toml::Value::String(s) => person(s),
                toml::Value::Table(t) => (toml_str(t.get("name")), toml_str(t.get("email"))),
                _ => (None, None),
            };
            p.offer("party.name", name, src);
            p.offer("party.email", email, src);
        }
        if let Some(urls) = t.get("urls").and_then(|u| u.as_table()) {
            for (k, v) in urls {
                let k = k.to_ascii_lowercase();
                if matches!(k.as_str(), "repository" | "source" | "source code" | "code") {
                    p.offer(
                        "product.repository",
                        toml_str(Some(v)).and_then(|r| web_url(&r)),
                        src,
                    );
                }
                if k == "homepage" {
                    p.offer("party.website", toml_str(Some(v)), src);
                }
            }
        }
        p.offer(
            "product.repository",
            toml_str(t.get("repository")).and_then(|r| web_url(&r)),
            src,
        );
        if t.get("scripts").is_some() {
            p.offer("product.type", Some("command-line tool".into()), src);
        }
    }
}

fn from_readme(root: &Path, p: &mut Proposal) {
    for name in [
        "README.md",
        "README.rst",
        "README.txt",
        "README",
        "readme.md",
    ] {
        let Some(text) = read(root, name) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let mut title = None;
        let mut body_start = 0;
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim();
            if let Some(h) = t.strip_prefix("# ") {
                title = Some(h.trim().to_string());
                body_start = i + 1;
                break;
            }
            let underline = lines.get(i + 1).map(|n| n.trim()).unwrap_or("");
            if !t.is_empty()
                && underline.len() >= t.len().min(3)
                && !underline.is_empty()
                && underline.chars().all(|c| c == '=' || c == '#')
            {
                title = Some(t.to_string());
                body_start = i + 2;
                break;
            }
        }
        let clean = |s: String| {
            s.replace(['`', '*'], "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        p.offer("product.name", title.map(clean), name);
        // First paragraph of prose after the title (skipping badges, headings, HTML).
        let mut para = Vec::new();
        for l in &lines[body_start.min(lines.len())..] {
            let t = l.trim();
            let skip = t.starts_with('[')
                || t.starts_with('!')
                || t.starts_with('<')
                || t.starts_with('#')
                || t.starts_with("..")
                || t.starts_with('=')
                || t.starts_with('|');
            if t.is_empty() || skip {
                if !para.is_empty() {
                    break;
                }
                continue;
            }
            para.push(t);
        }
        if !para.is_empty() {
            let text = clean(para.join(" "));
            if text.len() <= 400 {
                p.offer("product.description", Some(text), name);
            }
        }
        return;
    }
}

fn from_license(root: &Path, p: &mut Proposal) {
    for name in ["LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING", "LICENCE"] {
        let Some(text) = read(root, name) else {
            continue;
        };
        let has = |s: &str| text.contains(s);
        let id = if has("Apache License") && has("Version 2.0") {
            Some("Apache-2.0")
        } else if has("Mozilla Public License Version 2.0") {
            Some("MPL-2.0")
        } else if has("GNU AFFERO GENERAL PUBLIC LICENSE") && has("Version 3") {
            Some("AGPL-3.0-or-later")
        } else if has("GNU LESSER GENERAL PUBLIC LICENSE") && has("Version 3") {
            Some("LGPL-3.0-or-later")
        } else if has("GNU GENERAL PUBLIC LICENSE") && has("Version 3") {
            Some("GPL-3.0-or-later")
        } else if has("GNU GENERAL PUBLIC LICENSE") && has("Version 2") {
            Some("GPL-2.0-or-later")
        } else if has("Permission is hereby granted, free of charge") {
            Some("MIT")
        } else if has("Permission to use, copy, modify, and/or distribute") {
            Some("ISC")
        } else if has("Redistribution and use in source and binary forms") {
            Some(if has("Neither the name") {
                "BSD-3-Clause"
            } else {
                "BSD-2-Clause"
            })
        } else if has("This is free and unencumbered software released into the public domain") {
            Some("Unlicense")
        } else {
            None
        };
        p.offer("product.license", id.map(str::to_string), name);
        let holder = text.lines().find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("Copyright")?;
            let rest = rest
                .trim_start_matches(" (c)")
                .trim_start_matches(" (C)")
                .trim_start_matches(" ©")
                .trim();
            let rest = rest.trim_start_matches(|c: char| {
                c.is_ascii_digit() || c == '-' || c == ',' || c == ' '
            });
            let holder = rest
                .split(" <")
                .next()
                .unwrap_or(rest)
                .trim()
                .trim_end_matches('.');
            (!holder.is_empty() && !holder.starts_with('[') && !holder.contains("{"))
                .then(|| holder.to_string())
        });
        p.offer("party.name", holder, name);
        return;
    }
}

fn from_security_md(root: &Path, p: &mut Proposal) {
    let email_re =
        regex::Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
            .expect("valid regex");
    let url_re = regex::Regex::new(r#"https://[^\s<>()\[\]{}"'`|]+"#).expect("valid regex");
    for name in [
        "SECURITY.md",
        ".github/SECURITY.md",
        "docs/SECURITY.md",
        "SECURITY.txt",
    ] {
        let Some(text) = read(root, name) else {
            continue;
        };
        let email = email_re.find(&text).map(|m| m.as_str().to_string());
        p.offer("security.contact", email, name);
        for m in url_re.find_iter(&text) {
            let u = m.as_str().trim_end_matches(['.', ',', ';', ':']);
            if u.contains("/security/advisories/new") {
                p.offer("security.contact", Some(u.to_string()), name);
            } else if u.contains("/security/advisories") {
                p.offer("security.advisories", Some(u.to_string()), name);
            }
        }
        return;
    }
}
