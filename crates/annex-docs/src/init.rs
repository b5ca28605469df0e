//! `annex init`: propose annex.toml values from what a checkout already says, ask the user
//! (the CLI does the asking), check the answers, and write a commented annex.toml.
//!
//! Proposals come from the git remote (`.git/config`), the README title and first
//! paragraph, LICENSE, Cargo.toml / package.json / pyproject.toml metadata and the
//! contacts in an existing SECURITY.md.

use crate::error::DocsError;
use crate::metadata::{
    Declaration, Documentation, Metadata, Party, Product, Security, Support, YearMonth, is_email,
};
use annex_spec::{CraRole, ProductClass};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// When a question matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// An answer is required.
    Required,
    /// Required when the role is manufacturer; skip the question for a steward.
    Manufacturer,
    /// May be left empty (the documents then carry a TODO).
    Optional,
}

/// One question of `annex init`, in the order to ask them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question {
    /// The answer key (`product.name`; `party.*` is the `[manufacturer]` or `[steward]`
    /// table, `role` chooses which).
    pub key: &'static str,
    pub prompt: &'static str,
    pub help: &'static str,
    pub need: Need,
    /// Allowed answers, when fixed.
    pub choices: &'static [&'static str],
}

const QUESTIONS: &[Question] = &[
    Question {
        key: "role",
        prompt: "CRA role",
        help: "manufacturer: you place the product on the EU market under your name (Article 3(13)); steward: a legal person that supports free and open-source software meant for commercial use without being its manufacturer (Article 3(14))",
        need: Need::Required,
        choices: &["manufacturer", "steward"],
    },
    Question {
        key: "product.name",
        prompt: "Product name",
        help: "as users know it",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.version",
        prompt: "Product version",
        help: "the release the documents are about",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.type",
        prompt: "Product type",
        help: "e.g. library, command-line tool, web application, firmware",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "product.description",
        prompt: "Intended purpose (one or two sentences)",
        help: "Annex II point 4 and Annex VII point 1(a)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.class",
        prompt: "Product class",
        help: "default unless the core function is listed in Annex III (important-I, important-II) or Annex IV (critical)",
        need: Need::Manufacturer,
        choices: &["default", "important-I", "important-II", "critical"],
    },
    Question {
        key: "product.repository",
        prompt: "Source repository URL",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.license",
        prompt: "Licence (SPDX expression)",
        help: "e.g. Apache-2.0, MIT OR Apache-2.0",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "product.languages",
        prompt: "Languages of documentation and reports",
        help: "BCP 47 tags separated by commas, preferred first, e.g. en, de",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "party.name",
        prompt: "Name of the manufacturer or steward",
        help: "name, registered trade name or trademark (Annex II point 1)",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "party.address",
        prompt: "Postal address",
        help: "one line, parts separated by commas",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "party.email",
        prompt: "E-mail address of the manufacturer or steward",
        help: "general contact (the security contact is asked separately)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "party.website",
        prompt: "Website",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "support.end",
        prompt: "End of the support period (YYYY-MM)",
        help: "at least five years unless the product is used for less (Article 13(8)); stated as month and year (Article 13(19))",
        need: Need::Manufacturer,
        choices: &[],
    },
    Question {
        key: "support.reason",
        prompt: "Why this support period",
        help: "required when shorter than five years; recorded in Annex VII point 4",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "support.kind",
        prompt: "Kind of security support",
        help: "e.g. security fixes as patch releases of the latest minor version (Annex II point 7)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.contact",
        prompt: "Security contact (single point of contact)",
        help: "an e-mail address or https URL where vulnerabilities are reported (Article 13(17))",
        need: Need::Required,
        choices: &[],
    },
    Question {
        key: "security.policy",
        prompt: "URL of the vulnerability disclosure policy",
        help: "e.g. the SECURITY.md page on the forge",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.advisories",
        prompt: "URL where advisories are published",
        help: "https://…",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.sbom",
        prompt: "URL where users can get the SBOM",
        help: "leave empty if the SBOM is not made available to users (Annex II point 9)",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.csaf",
        prompt: "CSAF provider-metadata.json URL",
        help: "only if you publish CSAF advisories",
        need: Need::Optional,
        choices: &[],
    },
    Question {
        key: "security.canonical",
        prompt: "URL where security.txt will be published",
        help: "https://<site>/.well-known/security.txt",
        need: Need::Optional,
        choices: &[],
    },
];

/// The questions `annex init` asks, in order. The CLI skips `Need::Manufacturer`
/// questions once `role` is `steward`.
pub fn questions() -> &'static [Question] {
    QUESTIONS
}

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

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
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
    p.offer("product.class", Some("default".into()), "default");
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
pub(crate) fn web_url(url: &str) -> Option<String> {
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

// ---------------------------------------------------------------------------------------
// Answers → Metadata

fn opt(a: &BTreeMap<String, String>, k: &str) -> Option<String> {
    a.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Build and check metadata from answers keyed as in `questions()` (plus any other
/// annex.toml key of the `[product]`, `[support]`, `[security]`, `[declaration]` and
/// `[documentation]` tables given as `table.key`). Empty answers count as unset.
/// Errors name each missing or invalid key.
pub fn build(answers: &BTreeMap<String, String>, today: NaiveDate) -> Result<Metadata, DocsError> {
    let mut errors = Vec::new();
    let mut required = |k: &str| -> String {
        opt(answers, k).unwrap_or_else(|| {
            errors.push(DocsError::Value {
                field: k.to_string(),
                message: "required: give a value (or a flag)".into(),
            });
            String::new()
        })
    };
    let role_s = required("role");
    let name = required("product.name");
    let version = required("product.version");
    let kind = required("product.type");
    let party_name = required("party.name");
    let contact = required("security.contact");
    let role = match role_s.as_str() {
        "manufacturer" | "" => CraRole::Manufacturer,
        "steward" => CraRole::Steward,
        other => {
            errors.push(DocsError::Value {
                field: "role".into(),
                message: format!("`{other}`: expected manufacturer or steward"),
            });
            CraRole::Manufacturer
        }
    };
    let class = match opt(answers, "product.class").as_deref() {
        None | Some("default") => ProductClass::Default,
        Some("important-I") => ProductClass::ImportantI,
        Some("important-II") => ProductClass::ImportantII,
        Some("critical") => ProductClass::Critical,
        Some(other) => {
            errors.push(DocsError::Value {
                field: "product.class".into(),
                message: format!(
                    "`{other}`: expected default, important-I, important-II or critical"
                ),
            });
            ProductClass::Default
        }
    };
    let month = |k: &str, errors: &mut Vec<DocsError>| -> Option<YearMonth> {
        let v = opt(answers, k)?;
        match v.parse() {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push(DocsError::Value {
                    field: k.to_string(),
                    message: e,
                });
                None
            }
        }
    };
    let end = month("support.end", &mut errors);
    let start = month("support.start", &mut errors);
    let expires = match opt(answers, "security.expires") {
        Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(DocsError::Value {
                    field: "security.expires".into(),
                    message: format!("`{v}` is not a date: write YYYY-MM-DD"),
                });
                None
            }
        },
        None => None,
    };
    let languages: Vec<String> = opt(answers, "product.languages")
        .map(|l| {
            l.split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|| vec!["en".to_string()]);
    let standards = opt(answers, "declaration.standards").map(|s| {
        s.split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty() && *x != "none")
            .map(str::to_string)
            .collect()
    });
    let g = |k: &str| opt(answers, k);
    let meta = Metadata {
        product: Product {
            name,
            version,
            kind,
            description: g("product.description"),
            class,
            repository: g("product.repository"),
            homepage: g("product.homepage"),
            license: g("product.license"),
            languages,
            hardware: g("product.hardware").is_some_and(|v| v == "true" || v == "yes"),
        },
        role,
        party: Party {
            name: party_name,
            address: g("party.address"),
            email: g("party.email"),
            website: g("party.website"),
        },
        support: Support {
            end,
            start,
            reason: g("support.reason"),
            kind: g("support.kind"),
            versions: g("support.versions"),
        },
        security: Security {
            contact,
            policy: g("security.policy"),
            advisories: g("security.advisories"),
            sbom: g("security.sbom"),
            csaf: g("security.csaf"),
            canonical: g("security.canonical"),
            acknowledgments: g("security.acknowledgments"),
            encryption: g("security.encryption"),
            expires,
        },
        declaration: Declaration {
            url: g("declaration.url"),
            standards,
            place: g("declaration.place"),
            ..Declaration::default()
        },
        documentation: Documentation::default(),
    };
    if !errors.is_empty() {
        return Err(if errors.len() == 1 {
            errors.remove(0)
        } else {
            DocsError::Many(errors)
        });
    }
    meta.check(today)?;
    Ok(meta)
}

// ---------------------------------------------------------------------------------------
// Writing annex.toml

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn kv(out: &mut String, key: &str, value: Option<String>, comment: &str, example: &str) {
    match value {
        Some(v) => out.push_str(&format!("{key} = {v}")),
        None => out.push_str(&format!("# {key} = {example}")),
    }
    if !comment.is_empty() {
        out.push_str(&format!("  # {comment}"));
    }
    out.push('\n');
}

fn s(v: &Option<String>) -> Option<String> {
    v.as_deref().map(q)
}

/// annex.toml as a document for `write_document` (which refuses to overwrite without
/// `force`).
pub fn document(m: &Metadata) -> crate::Document {
    crate::Document {
        file_name: crate::METADATA_FILE.to_string(),
        content: render_toml(m),
        todos: Vec::new(),
    }
}

/// A commented annex.toml for the metadata; unset keys are written commented out, so
/// the file shows everything that can be filled in. Parsing it gives the metadata back.
pub fn render_toml(m: &Metadata) -> String {
    let mut o = String::new();
    o.push_str(
        "# annex.toml: product metadata for the CRA documents (`annex docs`), security.txt\n",
    );
    o.push_str("# and Article 14 reports. Written by `annex init`; edit freely. Unset keys are\n");
    o.push_str(
        "# commented out; what the documents need and this file lacks shows up as a TODO.\n",
    );
    o.push_str("# Other tools' sections ([scope], [[vex]], …) may live in this file too.\n\n");

    let p = &m.product;
    o.push_str("[product]\n");
    kv(&mut o, "name", Some(q(&p.name)), "", "");
    kv(
        &mut o,
        "version",
        Some(q(&p.version)),
        "the release the documents describe",
        "",
    );
    kv(
        &mut o,
        "type",
        Some(q(&p.kind)),
        "library, command-line tool, web application, …",
        "",
    );
    kv(
        &mut o,
        "description",
        s(&p.description),
        "intended purpose (Annex II 4, Annex VII 1(a))",
        "\"…\"",
    );
    kv(
        &mut o,
        "class",
        Some(q(p.class.as_str())),
        "default | important-I | important-II | critical (Annexes III, IV)",
        "",
    );
    kv(&mut o, "repository", s(&p.repository), "", "\"https://…\"");
    kv(&mut o, "homepage", s(&p.homepage), "", "\"https://…\"");
    kv(
        &mut o,
        "license",
        s(&p.license),
        "SPDX expression",
        "\"Apache-2.0\"",
    );
    let langs = toml::Value::Array(
        p.languages
            .iter()
            .map(|l| toml::Value::String(l.clone()))
            .collect(),
    )
    .to_string();
    kv(
        &mut o,
        "languages",
        Some(langs),
        "documentation and report languages, preferred first",
        "",
    );
    kv(
        &mut o,
        "hardware",
        p.hardware.then(|| "true".to_string()),
        "the product includes hardware (Annex VII 1(c))",
        "false",
    );

    let party = &m.party;
    o.push('\n');
    match m.role {
        CraRole::Manufacturer => o.push_str("# Your CRA role is the name of this table: [manufacturer] or [steward].\n[manufacturer]\n"),
        CraRole::Steward => o.push_str("# Your CRA role is the name of this table: [manufacturer] or [steward].\n[steward]\n"),
    }
    kv(
        &mut o,
        "name",
        Some(q(&party.name)),
        "name, registered trade name or trademark",
        "",
    );
    kv(
        &mut o,
        "address",
        s(&party.address),
        "postal address",
        "\"Street 1, 12345 City, Country\"",
    );
    kv(
        &mut o,
        "email",
        s(&party.email),
        "",
        "\"contact@example.org\"",
    );
    kv(&mut o, "website", s(&party.website), "", "\"https://…\"");

    let sup = &m.support;
    o.push_str(
        "\n# The support period (Article 13(8), (19); Annex II 7; Annex VII 4).\n[support]\n",
    );
    kv(
        &mut o,
        "end",
        sup.end.map(|e| q(&e.to_string())),
        "month and year support ends",
        "\"2031-12\"",
    );
    kv(
        &mut o,
        "start",
        sup.start.map(|e| q(&e.to_string())),
        "placing on the market; defaults to the current month",
        "\"2026-12\"",
    );
    kv(
        &mut o,
        "reason",
        s(&sup.reason),
        "why this period; required under five years",
        "\"…\"",
    );
    kv(
        &mut o,
        "kind",
        s(&sup.kind),
        "the kind of security support",
        "\"security fixes as patch releases\"",
    );
    kv(
        &mut o,
        "versions",
        s(&sup.versions),
        "which releases get security updates",
        "\"1.4.x and later\"",
    );

    let sec = &m.security;
    o.push_str("\n[security]\n");
    kv(
        &mut o,
        "contact",
        Some(q(&sec.contact)),
        "single point of contact: e-mail or https URL",
        "",
    );
    kv(
        &mut o,
        "policy",
        s(&sec.policy),
        "coordinated vulnerability disclosure policy",
        "\"https://…/SECURITY.md\"",
    );
    kv(
        &mut o,
        "advisories",
        s(&sec.advisories),
        "where advisories are published",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "sbom",
        s(&sec.sbom),
        "where users can get the SBOM (Annex II 9)",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "csaf",
        s(&sec.csaf),
        "CSAF provider-metadata.json",
        "\"https://…/.well-known/csaf/provider-metadata.json\"",
    );
    kv(
        &mut o,
        "canonical",
        s(&sec.canonical),
        "where security.txt is published",
        "\"https://…/.well-known/security.txt\"",
    );
    kv(
        &mut o,
        "acknowledgments",
        s(&sec.acknowledgments),
        "",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "encryption",
        s(&sec.encryption),
        "key for encrypted reports",
        "\"https://…/pgp-key.txt\"",
    );
    kv(
        &mut o,
        "expires",
        sec.expires.map(|d| d.to_string()),
        "security.txt expiry; computed (a year ahead) when unset",
        "2027-06-30",
    );

    let d = &m.declaration;
    o.push_str("\n# The EU declaration of conformity (Annexes V and VI).\n[declaration]\n");
    kv(
        &mut o,
        "url",
        s(&d.url),
        "where the full declaration is published",
        "\"https://…\"",
    );
    kv(
        &mut o,
        "standards",
        d.standards.as_ref().map(|v| {
            toml::Value::Array(v.iter().map(|x| toml::Value::String(x.clone())).collect())
                .to_string()
        }),
        "harmonised standards / common specifications applied; [] for none",
        "[\"EN …\"]",
    );
    kv(
        &mut o,
        "legislation",
        (!d.legislation.is_empty()).then(|| {
            toml::Value::Array(
                d.legislation
                    .iter()
                    .map(|x| toml::Value::String(x.clone()))
                    .collect(),
            )
            .to_string()
        }),
        "other Union legislation the product conforms to",
        "[]",
    );
    kv(&mut o, "place", s(&d.place), "place of issue", "\"Berlin\"");
    kv(
        &mut o,
        "signatory",
        d.signatory
            .as_ref()
            .map(|x| format!("{{ name = {}, function = {} }}", q(&x.name), q(&x.function))),
        "",
        "{ name = \"…\", function = \"…\" }",
    );
    kv(
        &mut o,
        "notified-body",
        d.notified_body.as_ref().map(|x| {
            format!(
                "{{ name = {}, number = {}, procedure = {}, certificate = {} }}",
                q(&x.name),
                q(&x.number),
                q(&x.procedure),
                q(&x.certificate)
            )
        }),
        "important-II and critical products",
        "{ name = \"…\", number = \"…\", procedure = \"…\", certificate = \"…\" }",
    );

    let doc = &m.documentation;
    o.push_str("\n# Where (https URL) or what (text) each remaining Annex II / VII item is.\n[documentation]\n");
    for (key, v, what) in [
        (
            "essential-functions",
            &doc.essential_functions,
            "Annex II 4",
        ),
        (
            "security-properties",
            &doc.security_properties,
            "Annex II 4",
        ),
        (
            "risks",
            &doc.risks,
            "Annex II 5: circumstances leading to significant risks",
        ),
        ("user-instructions", &doc.user_instructions, "Annex II 8"),
        ("secure-use", &doc.secure_use, "Annex II 8(a)"),
        ("data-changes", &doc.data_changes, "Annex II 8(b)"),
        ("updates", &doc.updates, "Annex II 8(c)"),
        ("decommissioning", &doc.decommissioning, "Annex II 8(d)"),
        ("automatic-updates", &doc.automatic_updates, "Annex II 8(e)"),
        ("integrators", &doc.integrators, "Annex II 8(f)"),
        ("architecture", &doc.architecture, "Annex VII 2(a)"),
        (
            "update-distribution",
            &doc.update_distribution,
            "Annex VII 2(b)",
        ),
        ("production", &doc.production, "Annex VII 2(c)"),
        ("risk-assessment", &doc.risk_assessment, "Annex VII 3"),
        ("test-reports", &doc.test_reports, "Annex VII 6"),
    ] {
        kv(&mut o, key, s(v), what, "\"…\"");
    }
    o
}
