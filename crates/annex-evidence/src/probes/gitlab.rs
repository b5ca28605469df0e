//! `.gitlab-ci.yml`: merge-request pipelines, release (tag) pipelines, image pinning,
//! `include: remote`, and the shell lines of every job's scripts.

use crate::probes::ci_analysis::{Analysis, Ctx, content_line};
use crate::probes::yaml_tree::{Node, Value};

/// Top-level keys that are not jobs.
const GLOBAL_KEYS: &[&str] = &[
    "stages",
    "variables",
    "include",
    "default",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "pages:deploy",
];

const SCRIPT_KEYS: &[&str] = &["before_script", "script", "after_script"];

pub(crate) fn analyse(a: &mut Analysis, rel: &str, text: &str, hashed: &dyn Fn(&str) -> bool) {
    let Some(doc) = a.parse_yaml(rel, text, "the pipeline") else {
        return;
    };
    let src: Vec<&str> = text.lines().collect();
    // Merge-request and tag pipelines, anywhere in rules:/only:/workflow:.
    let mut strings = Vec::new();
    doc.strings(&mut strings);
    let on_mr = strings.iter().any(|(s, _)| {
        s.contains("merge_request_event")
            || s == "merge_requests"
            || s.contains("$CI_MERGE_REQUEST_")
    });
    let release = strings
        .iter()
        .any(|(s, _)| s.contains("$CI_COMMIT_TAG") || s == "tags");
    let ctx = Ctx {
        ci: true,
        on_pull_request: on_mr,
        release,
    };

    // include: remote
    if let Some(inc) = doc.get("include") {
        let mut items: Vec<&Node> = inc.items().iter().collect();
        if items.is_empty() {
            items.push(inc);
        }
        for item in items {
            let remote = match &item.value {
                Value::Str(s) if s.starts_with("http://") || s.starts_with("https://") => {
                    Some((s.clone(), item.line))
                }
                Value::Map(_) => item
                    .get("remote")
                    .and_then(|r| r.as_str().map(|s| (s.to_string(), r.line))),
                _ => None,
            };
            if let Some((url, line)) = remote {
                a.finding(
                    rel,
                    line,
                    "remote-include",
                    None,
                    format!(
                        "pipeline includes remote configuration {url} that is not pinned by hash"
                    ),
                );
            }
        }
    }

    let scopes: Vec<(Option<String>, &Node)> = std::iter::once((None, &doc))
        .chain(doc.get("default").map(|d| (None, d)))
        .chain(
            doc.entries()
                .iter()
                .filter_map(|(k, v)| k.as_key().map(|k| (k, v)))
                .filter(|(k, v)| !GLOBAL_KEYS.contains(&k.as_str()) && v.is_map())
                .map(|(k, v)| (Some(k), v)),
        )
        .collect();
    for (job, node) in scopes {
        let jn = job.as_deref();
        if let Some(img) = node.get("image") {
            image(a, rel, img, jn);
        }
        if let Some(services) = node.get("services") {
            for s in services.items() {
                image(a, rel, s, jn);
            }
        }
        // The top-level scope's scripts are global defaults; jobs have their own.
        for key in SCRIPT_KEYS {
            let Some(script) = node.get(key) else {
                continue;
            };
            let lines: Vec<&Node> = match &script.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![script],
            };
            for l in lines {
                if let Some(text) = l.scalar_text() {
                    let first = content_line(&src, l);
                    a.shell(rel, &text, first, jn, &ctx, hashed);
                }
            }
        }
    }
}

fn image(a: &mut Analysis, rel: &str, node: &Node, job: Option<&str>) {
    let found = match &node.value {
        Value::Str(s) => Some((s.clone(), node.line)),
        Value::Map(_) => node
            .get("name")
            .and_then(|n| n.as_str().map(|s| (s.to_string(), n.line))),
        _ => None,
    };
    if let Some((img, line)) = found
        && !img.contains('$')
    {
        a.image(rel, line, &img, job);
    }
}
