//! `project`: languages by extension, and the git remote from `.git/config`.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;

use crate::model::{Knowable, Project};
use crate::record::FileRecord;
use crate::text::{decode, extension};

/// `.git/config` larger than this is not read.
const MAX_GIT_CONFIG: u64 = 1024 * 1024;

/// The programming language of a lowercase file extension.
pub(crate) fn language(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "rs" => "Rust",
        "py" | "pyi" | "pyx" => "Python",
        "js" | "mjs" | "cjs" | "jsx" => "JavaScript",
        "ts" | "mts" | "cts" | "tsx" => "TypeScript",
        "go" => "Go",
        "java" => "Java",
        "kt" | "kts" => "Kotlin",
        "scala" | "sc" => "Scala",
        "groovy" | "gradle" => "Groovy",
        "c" | "h" => "C",
        "cc" | "cpp" | "cxx" | "c++" | "hh" | "hpp" | "hxx" | "h++" => "C++",
        "m" => "Objective-C",
        "mm" => "Objective-C++",
        "cs" => "C#",
        "fs" | "fsx" => "F#",
        "vb" => "Visual Basic",
        "rb" => "Ruby",
        "php" => "PHP",
        "swift" => "Swift",
        "pl" | "pm" => "Perl",
        "lua" => "Lua",
        "r" => "R",
        "jl" => "Julia",
        "hs" => "Haskell",
        "ml" | "mli" => "OCaml",
        "ex" | "exs" => "Elixir",
        "erl" | "hrl" => "Erlang",
        "clj" | "cljs" | "cljc" => "Clojure",
        "dart" => "Dart",
        "zig" => "Zig",
        "nim" => "Nim",
        "cr" => "Crystal",
        "sh" | "bash" | "zsh" => "Shell",
        "ps1" | "psm1" => "PowerShell",
        "sol" => "Solidity",
        "f" | "f90" | "f95" | "f03" | "f08" => "Fortran",
        "asm" | "s" => "Assembly",
        "ada" | "adb" | "ads" => "Ada",
        "d" => return None, // also make dependency files
        "v" | "sv" => "Verilog",
        "vhd" | "vhdl" => "VHDL",
        "elm" => "Elm",
        "purs" => "PureScript",
        "rkt" => "Racket",
        "lisp" | "el" => "Lisp",
        "vue" => "Vue",
        "svelte" => "Svelte",
        _ => return None,
    })
}

pub(crate) fn probe(root: &Path, files: &[FileRecord], bytes_read: &mut u64) -> Project {
    let languages: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| language(&extension(f.name())))
        .collect();
    let (is_git, remote_url) = git(root, bytes_read);
    Project {
        has_code: !languages.is_empty(),
        languages: languages.into_iter().map(String::from).collect(),
        is_git,
        origin: origin(remote_url.as_deref()),
        remote_url,
    }
}

/// A clone of a local path or mirror has that path as its origin: where the project is
/// published cannot be told from the checkout, which is not the same as "nowhere".
fn origin(remote: Option<&str>) -> Knowable {
    match remote {
        Some(url) if url.starts_with(['/', '.', '~']) || url.starts_with("file:") => Knowable {
            status: "unknown".into(),
            reason: Some(format!(
                "the origin remote is a local path or mirror ({url}), so the public repository cannot be told from the checkout"
            )),
        },
        _ => Knowable::default(),
    }
}

/// `.git` at the root (a directory, or a file pointing elsewhere for worktrees and
/// submodules), and the origin URL from `.git/config`. Symlinks are not followed.
fn git(root: &Path, bytes_read: &mut u64) -> (bool, Option<String>) {
    let dot_git = root.join(".git");
    let Ok(meta) = fs::symlink_metadata(&dot_git) else {
        return (false, None);
    };
    if meta.is_file() {
        return (true, None);
    }
    if !meta.is_dir() {
        return (false, None);
    }
    let config = dot_git.join("config");
    let Ok(meta) = fs::symlink_metadata(&config) else {
        return (true, None);
    };
    if !meta.is_file() || meta.len() > MAX_GIT_CONFIG {
        return (true, None);
    }
    let mut buf = Vec::new();
    let read = fs::File::open(&config).and_then(|f| f.take(MAX_GIT_CONFIG).read_to_end(&mut buf));
    *bytes_read += buf.len() as u64;
    if read.is_err() {
        return (true, None);
    }
    (true, origin_url(&decode(&buf)))
}

/// The `url` of `[remote "origin"]`, with any credentials removed.
pub(crate) fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let header: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            in_origin = header.eq_ignore_ascii_case("[remote\"origin\"]");
            continue;
        }
        if !in_origin {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("url") {
            let value = value.trim().trim_matches('"').trim();
            if value.is_empty() {
                return None;
            }
            return Some(strip_credentials(value));
        }
    }
    None
}

/// `https://user:token@host/x` → `https://host/x`; scp-like `git@host:x` is kept.
fn strip_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{path}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origin() {
        let cfg = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://x/up\n[remote \"origin\"]\n\turl = https://user:tok@github.com/o/r.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        assert_eq!(
            origin_url(cfg).as_deref(),
            Some("https://github.com/o/r.git")
        );
        assert_eq!(
            origin_url("[remote \"origin\"]\nurl = git@github.com:o/r.git").as_deref(),
            Some("git@github.com:o/r.git")
        );
        assert_eq!(origin_url("[remote \"upstream\"]\nurl = x"), None);
        assert_eq!(origin_url(""), None);
    }

    #[test]
    fn a_local_origin_cannot_tell_where_the_project_is_published() {
        for local in [
            "/work/.mirror/o+r/repo",
            "../r",
            "file:///srv/r.git",
            "~/src/r",
        ] {
            let k = origin(Some(local));
            assert_eq!(k.status, "unknown", "{local}");
            assert!(k.reason.unwrap().contains(local));
        }
        for hosted in ["https://github.com/o/r", "git@gitlab.com:o/r.git"] {
            assert_eq!(origin(Some(hosted)), Knowable::default(), "{hosted}");
        }
        assert_eq!(origin(None), Knowable::default());
    }
}
