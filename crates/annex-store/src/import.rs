//! A foundation's project list (`annex fleet import`): YAML (a list, or `projects:` with a
//! list) or CSV with a header row naming `location` and optionally `name`, `profile`,
//! `tags` (separated by `;` or spaces).

use std::path::Path;

use serde::Deserialize;

use crate::{NewProject, StoreError};

/// Largest list file read.
pub const MAX_IMPORT_FILE: u64 = 16 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(untagged)]
enum YamlList {
    Wrapped { projects: Vec<YamlProject> },
    Bare(Vec<YamlProject>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlProject {
    name: Option<String>,
    #[serde(alias = "url", alias = "path", alias = "repository")]
    location: String,
    profile: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Relative local paths are relative to the list's directory `base`; URLs are kept.
fn project(
    name: Option<String>,
    location: String,
    profile: Option<String>,
    tags: Vec<String>,
    base: &Path,
) -> NewProject {
    let location = if annex_core::fleet::is_remote(&location) || Path::new(&location).is_absolute()
    {
        location
    } else {
        base.join(&location).display().to_string()
    };
    NewProject {
        name: name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| annex_core::fleet::name_of(&location)),
        location,
        profile: profile.filter(|p| !p.is_empty()),
        tags,
    }
}

/// The projects a list names. `csv` picks the format (else YAML).
pub fn parse_list(text: &str, csv: bool, base: &Path) -> Result<Vec<NewProject>, StoreError> {
    if csv {
        return parse_csv(text, base);
    }
    let list: YamlList = serde_saphyr::from_str(text).map_err(|e| StoreError::Invalid {
        what: "project list",
        why: e.to_string(),
    })?;
    let items = match list {
        YamlList::Wrapped { projects } | YamlList::Bare(projects) => projects,
    };
    Ok(items
        .into_iter()
        .map(|p| project(p.name, p.location, p.profile, p.tags, base))
        .collect())
}

/// One CSV line's fields: commas separate, double quotes quote (`""` is a quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = out.last_mut() {
                    f.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

fn parse_csv(text: &str, base: &Path) -> Result<Vec<NewProject>, StoreError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = fields(header).iter().map(|h| h.to_lowercase()).collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let location =
        col(&["location", "url", "path", "repository"]).ok_or_else(|| StoreError::Invalid {
            what: "project list",
            why: "the CSV header names no location (or url, path, repository) column".into(),
        })?;
    let (name, profile, tags) = (col(&["name"]), col(&["profile"]), col(&["tags"]));
    let mut out = Vec::new();
    for (i, line) in lines {
        let f = fields(line);
        let get = |c: Option<usize>| c.and_then(|c| f.get(c)).cloned();
        let Some(loc) = get(Some(location)).filter(|l| !l.is_empty()) else {
            return Err(StoreError::Invalid {
                what: "project list",
                why: format!("line {}: no location", i + 1),
            });
        };
        let tags = get(tags)
            .map(|t| {
                t.split([';', ' '])
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(project(get(name), loc, get(profile), tags, base));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_csv_give_the_same_projects() {
        let base = Path::new("/lists");
        let yaml = "projects:\n  - location: https://example.org/a/kafka.git\n    tags: [apache]\n  - name: local\n    path: repos/x\n    profile: osps-l2\n";
        let csv = "name,location,profile,tags\n,https://example.org/a/kafka.git,,apache\nlocal,repos/x,osps-l2,\n";
        let a = parse_list(yaml, false, base).unwrap();
        let b = parse_list(csv, true, base).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].name, "kafka");
        assert_eq!(a[1].location, "/lists/repos/x");
        assert_eq!(a[1].profile.as_deref(), Some("osps-l2"));
    }

    #[test]
    fn csv_quotes_and_errors() {
        assert_eq!(fields("a,\"b,c\",\"d\"\"e\""), ["a", "b,c", "d\"e"]);
        assert!(parse_list("name\nx\n", true, Path::new("/")).is_err());
        assert!(
            parse_list("location\n\n", true, Path::new("/"))
                .unwrap()
                .is_empty()
        );
        assert!(parse_list("- {bogus: 1}", false, Path::new("/")).is_err());
    }
}
