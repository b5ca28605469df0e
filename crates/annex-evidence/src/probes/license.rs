//! `license`: licence texts (identified by distinctive phrases or `SPDX-License-Identifier`
//! lines) and the licences manifests declare.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use spdx::{Expression, LicenseReq};

use crate::model::{DeclaredLicense, License, LicenseFile};
use crate::probes::names::is_license_file;
use crate::probes::toml_lines;
use crate::record::FileRecord;
use crate::text::{compile, extension, file_name, numbered_lines};

/// A licence recognised by phrases of its text. Each group must match (any phrase of the
/// group); none of `absent` may occur. Phrases are in normalised form (see [`normalise`]).
struct Rule {
    id: &'static str,
    groups: &'static [&'static [&'static str]],
    absent: &'static [&'static str],
}

const REDISTRIBUTION: &str = "redistribution and use in source and binary forms with or without modification are permitted provided that";
const MIT_GRANT: &str =
    "permission is hereby granted free of charge to any person obtaining a copy";
const ISC_GRANTS: &[&str] = &[
    "permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted",
    "permission to use copy modify and distribute this software for any purpose with or without fee is hereby granted",
];

/// Checked in order; of the rules that match, the one whose first phrase occurs earliest
/// in the text wins (so a licence file that quotes another licence later keeps its own).
const RULES: &[Rule] = &[
    Rule {
        id: "Apache-2.0 WITH LLVM-exception",
        groups: &[&["apache license v2.0 with llvm exceptions"]],
        absent: &[],
    },
    Rule {
        id: "Apache-2.0",
        groups: &[&[
            "apache license version 2.0",
            "apache license v2.0",
            "www.apache.org licenses license 2.0",
        ]],
        absent: &[],
    },
    Rule {
        id: "AGPL-3.0-only",
        groups: &[&["gnu affero general public license version 3"]],
        absent: &[],
    },
    Rule {
        id: "LGPL-3.0-only",
        groups: &[&["gnu lesser general public license version 3"]],
        absent: &[],
    },
    Rule {
        id: "LGPL-2.1-only",
        groups: &[&["gnu lesser general public license version 2.1"]],
        absent: &[],
    },
    Rule {
        id: "LGPL-2.0-only",
        groups: &[&["gnu library general public license version 2"]],
        absent: &[],
    },
    Rule {
        id: "GPL-3.0-only",
        groups: &[&["gnu general public license version 3"]],
        absent: &[],
    },
    Rule {
        id: "GPL-2.0-only",
        groups: &[&["gnu general public license version 2"]],
        absent: &[],
    },
    Rule {
        id: "MPL-2.0",
        groups: &[&[
            "mozilla public license version 2.0",
            "mozilla public license v 2.0",
            "mozilla.org mpl 2.0",
        ]],
        absent: &[],
    },
    Rule {
        id: "EPL-2.0",
        groups: &[&[
            "eclipse public license v 2.0",
            "eclipse public license v2.0",
            "eclipse public license version 2.0",
        ]],
        absent: &[],
    },
    Rule {
        id: "EPL-1.0",
        groups: &[&[
            "eclipse public license v 1.0",
            "eclipse public license v1.0",
            "eclipse public license version 1.0",
        ]],
        absent: &[],
    },
    Rule {
        id: "EUPL-1.2",
        groups: &[&["european union public licence v 1.2", "eupl v1.2"]],
        absent: &[],
    },
    Rule {
        id: "BSD-4-Clause",
        groups: &[&[REDISTRIBUTION], &["all advertising materials mentioning"]],
        absent: &[],
    },
    Rule {
        id: "BSD-3-Clause",
        groups: &[
            &[REDISTRIBUTION],
            &["neither the name", "may be used to endorse or promote"],
        ],
        absent: &["all advertising materials mentioning"],
    },
    Rule {
        id: "BSD-2-Clause",
        groups: &[&[REDISTRIBUTION]],
        absent: &["endorse or promote", "all advertising materials mentioning"],
    },
    Rule {
        id: "MIT",
        groups: &[
            &[MIT_GRANT],
            &["above copyright notice and this permission notice shall be included"],
        ],
        absent: &[],
    },
    Rule {
        id: "MIT-0",
        groups: &[&[MIT_GRANT]],
        absent: &["shall be included"],
    },
    Rule {
        id: "ISC",
        groups: &[
            ISC_GRANTS,
            &[
                "provided that the above copyright notice and this permission notice appear in all copies",
            ],
        ],
        absent: &[],
    },
    Rule {
        id: "0BSD",
        groups: &[ISC_GRANTS],
        absent: &["provided that the above copyright notice"],
    },
    Rule {
        id: "Unlicense",
        groups: &[&["this is free and unencumbered software released into the public domain"]],
        absent: &[],
    },
    Rule {
        id: "PHP-3.01",
        groups: &[&["the php license version 3.01"]],
        absent: &[],
    },
    Rule {
        id: "PHP-3.0",
        groups: &[&["the php license version 3.0"]],
        absent: &[],
    },
    Rule {
        id: "PSF-2.0",
        groups: &[&["python software foundation license version 2"]],
        absent: &[],
    },
    Rule {
        id: "Zlib",
        groups: &[
            &["this software is provided as is without any express or implied warranty"],
            &["altered source versions must be plainly marked as such"],
        ],
        absent: &[],
    },
    Rule {
        id: "BSL-1.0",
        groups: &[&["boost software license version 1.0"]],
        absent: &[],
    },
    Rule {
        id: "CC0-1.0",
        groups: &[&["cc0 1.0 universal"]],
        absent: &[],
    },
    Rule {
        id: "Artistic-2.0",
        groups: &[&["the artistic license 2.0"]],
        absent: &[],
    },
];

/// Lowercase words separated by single spaces; dots survive inside words (`2.0`,
/// `www.apache.org`) but not at their ends. Starts and ends with a space so that phrase
/// search can demand whole words.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    for word in mapped.split(' ') {
        let word = word.trim_matches('.');
        if !word.is_empty() {
            out.push_str(word);
            out.push(' ');
        }
    }
    out
}

/// Byte position of a whole-word phrase in normalised text.
fn find(hay: &str, phrase: &str) -> Option<usize> {
    hay.find(&format!(" {phrase} "))
}

/// The licence a text is, by its phrases.
pub(crate) fn detect_text(text: &str) -> Option<&'static str> {
    let hay = normalise(text);
    let mut best: Option<(usize, &'static str)> = None;
    for rule in RULES {
        if rule.absent.iter().any(|p| find(&hay, p).is_some()) {
            continue;
        }
        let mut first = usize::MAX;
        let all = rule.groups.iter().all(|group| {
            let pos = group.iter().filter_map(|p| find(&hay, p)).min();
            if let Some(pos) = pos {
                first = first.min(pos);
            }
            pos.is_some()
        });
        if all && best.is_none_or(|(pos, _)| first < pos) {
            best = Some((first, rule.id));
        }
    }
    best.map(|(_, id)| id)
}

static SPDX_LINE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"SPDX-License-Identifier:\s*([^\r\n]+)"));

/// The expression of the first `SPDX-License-Identifier:` line that parses.
fn spdx_identifier_line(text: &str) -> Option<String> {
    for caps in SPDX_LINE.captures_iter(text).take(16) {
        let Some(m) = caps.get(1) else { continue };
        let expr = m
            .as_str()
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim();
        if Expression::parse(expr).is_ok() {
            return Some(expr.to_string());
        }
    }
    None
}

/// The licence of one licence file: an `SPDX-License-Identifier:` line, else its text,
/// else (REUSE `LICENSES/<id>.txt`) its file name.
fn identify(rec: &FileRecord) -> Option<String> {
    if let Some(text) = rec.text() {
        if let Some(expr) = spdx_identifier_line(&text) {
            return Some(expr);
        }
        if let Some(id) = detect_text(&text) {
            return Some(id.to_string());
        }
    }
    if rec.rel.starts_with("LICENSES/") {
        let name = file_name(&rec.rel);
        let stem = name
            .strip_suffix(&format!(".{}", extension(name)))
            .unwrap_or(name);
        if spdx::license_id(stem).is_some() {
            return Some(stem.to_string());
        }
    }
    None
}

fn flags(expr: &str) -> (bool, bool) {
    let Ok(e) = Expression::parse(expr) else {
        return (false, false);
    };
    let osi = e.evaluate(|r: &LicenseReq| r.license.id().is_some_and(|id| id.is_osi_approved()));
    let fsf = e.evaluate(|r: &LicenseReq| r.license.id().is_some_and(|id| id.is_fsf_free_libre()));
    (osi, fsf)
}

fn ids(expr: &str, out: &mut BTreeSet<String>) {
    if let Ok(e) = Expression::parse(expr) {
        for r in e.requirements() {
            if let Some(id) = r.req.license.id() {
                out.insert(id.name.to_string());
            }
        }
    }
}

pub(crate) fn probe(files: &[FileRecord]) -> License {
    let mut lic = License::default();
    for rec in files.iter().filter(|f| is_license_file(&f.rel)) {
        let spdx = identify(rec);
        let (osi_approved, fsf_libre) = spdx.as_deref().map_or((false, false), flags);
        lic.files.push(LicenseFile {
            path: rec.rel.clone(),
            line: 1,
            digest: rec.digest.clone(),
            spdx,
            osi_approved,
            fsf_libre,
        });
    }
    for rec in files {
        let Some(text) = rec.text() else { continue };
        let found = match file_name(&rec.rel) {
            "Cargo.toml" => declared_toml(
                &text,
                &[("package", "license"), ("workspace.package", "license")],
            ),
            "pyproject.toml" => declared_toml(
                &text,
                &[
                    ("project", "license"),
                    ("project.license", "text"),
                    ("tool.poetry", "license"),
                ],
            ),
            "package.json" | "composer.json" => declared_json(&text),
            _ => Vec::new(),
        };
        for (line, expression) in found {
            let valid = Expression::parse(&expression).is_ok();
            let osi_approved = valid && flags(&expression).0;
            lic.declared.push(DeclaredLicense {
                path: rec.rel.clone(),
                line,
                expression,
                valid,
                osi_approved,
            });
        }
    }
    lic.declared
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));

    let mut all = BTreeSet::new();
    for f in &lic.files {
        if let Some(s) = &f.spdx {
            ids(s, &mut all);
        }
    }
    for d in lic.declared.iter().filter(|d| d.valid) {
        ids(&d.expression, &mut all);
    }
    lic.all_osi_approved = !all.is_empty()
        && all
            .iter()
            .all(|id| spdx::license_id(id).is_some_and(|l| l.is_osi_approved()))
        && lic.declared.iter().all(|d| d.osi_approved);
    lic.spdx_ids = all.into_iter().collect();
    lic
}

/// String values (or `{ text = "…" }` tables) of the given (section, key) pairs.
fn declared_toml(text: &str, wanted: &[(&str, &str)]) -> Vec<(u64, String)> {
    toml_lines::entries(text)
        .into_iter()
        .filter(|e| wanted.iter().any(|(s, k)| e.section == *s && e.key == *k))
        .filter_map(|e| {
            let value = match e.value {
                toml_lines::Value::String(s) => s,
                toml_lines::Value::InlineTable(t) => {
                    t.into_iter().find(|(k, _)| k == "text").map(|(_, v)| v)?
                }
                toml_lines::Value::Other => return None,
            };
            let value = value.trim().to_string();
            (!value.is_empty()).then_some((e.line, value))
        })
        .collect()
}

/// The top-level `license` of package.json or composer.json (string, array of strings
/// joined with `OR`, or the legacy `{ "type": … }` object), with the line of its key.
fn declared_json(text: &str) -> Vec<(u64, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(value) = map.get("license") else {
        return Vec::new();
    };
    let expression = match value {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(|v| v.as_str()).collect();
            parts.join(" OR ")
        }
        serde_json::Value::Object(o) => o
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    if expression.is_empty() {
        return Vec::new();
    }
    let line = numbered_lines(text)
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix("\"license\"")
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |(n, _)| n);
    vec![(line, expression)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(
            normalise("Apache License,\n  Version 2.0. (\"x\")"),
            " apache license version 2.0 x "
        );
    }

    #[test]
    fn detects_main_licences() {
        let mit = "MIT License\n\nCopyright (c) 2024 X\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software... The above copyright notice and this permission notice shall be included in\nall copies.";
        assert_eq!(detect_text(mit), Some("MIT"));
        assert_eq!(
            detect_text(
                "                                 Apache License\n                           Version 2.0, January 2004"
            ),
            Some("Apache-2.0")
        );
        assert_eq!(
            detect_text(
                "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n... GNU Affero General Public License ..."
            ),
            Some("GPL-3.0-only")
        );
        assert_eq!(
            detect_text(
                "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\nversion 3 of the GNU General Public License"
            ),
            Some("LGPL-3.0-only")
        );
        assert_eq!(
            detect_text(
                "Redistribution and use in source and binary forms, with or without modification, are permitted provided that ... Neither the name of the copyright holder nor"
            ),
            Some("BSD-3-Clause")
        );
        assert_eq!(
            detect_text(
                "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met"
            ),
            Some("BSD-2-Clause")
        );
        assert_eq!(
            detect_text("The PHP License, version 3.01\nCopyright"),
            Some("PHP-3.01")
        );
        assert_eq!(
            detect_text("Boost Software License - Version 1.0 - August 17th, 2003"),
            Some("BSL-1.0")
        );
        assert_eq!(
            detect_text("Mozilla Public License Version 2.0\n=================="),
            Some("MPL-2.0")
        );
        assert_eq!(detect_text("hello"), None);
    }

    #[test]
    fn spdx_lines_win() {
        assert_eq!(
            spdx_identifier_line("/* SPDX-License-Identifier: MIT OR Apache-2.0 */").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            spdx_identifier_line("SPDX-License-Identifier: NOPE-1"),
            None
        );
    }

    #[test]
    fn json_declared() {
        assert_eq!(
            declared_json("{\n  \"name\": \"x\",\n  \"license\": \"MIT\"\n}"),
            vec![(3, "MIT".to_string())]
        );
        assert_eq!(
            declared_json("{\"license\": [\"MIT\", \"GPL-2.0-only\"]}"),
            vec![(1, "MIT OR GPL-2.0-only".to_string())]
        );
        assert!(declared_json("not json").is_empty());
    }

    #[test]
    fn toml_declared() {
        let cargo = "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\" # dual\n[dependencies]\nlicense = \"no\"\n";
        assert_eq!(
            declared_toml(cargo, &[("package", "license")]),
            vec![(3, "MIT OR Apache-2.0".to_string())]
        );
        let py = "[project]\nlicense = { text = \"BSD-3-Clause\" }\n";
        assert_eq!(
            declared_toml(py, &[("project", "license")]),
            vec![(2, "BSD-3-Clause".to_string())]
        );
    }
}
