//! YAML-aware analysis of GitHub Actions workflows (`.github/workflows/*.yml|yaml`) and
//! local composite actions (`action.yml` under `.github/actions/`): dangerous triggers,
//! script injection, token permissions, pinning of actions and images, self-hosted
//! runners on public triggers, secrets reachable from pull requests, and the steps that
//! test, scan, sign and publish. GitLab CI, Dockerfiles and scripts are analysed in
//! their own modules and merged here into the `ci` evidence.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{JobPermissions, WorkflowPermissions};
use crate::probes::ci_analysis::{Analysis, Ctx, content_line, count};
use crate::probes::names::{ci_provider, is_action_file, is_dockerfile};
use crate::probes::scripts::{self, StepKind};
use crate::probes::yaml_tree::{Node, Value};
use crate::probes::{dockerfile, gitlab, job_purpose};
use crate::record::FileRecord;
use crate::text::{compile, file_name};

struct Rules {
    untrusted: Regex,
    expression: Regex,
    inputs: Regex,
    pr_head_ref: Regex,
    secret: Regex,
    full_sha: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    untrusted: compile(concat!(
        r"\bgithub\.event\.(?:",
        r"issue\.(?:title|body)|pull_request\.(?:title|body)|comment\.body|review\.body",
        r"|review_comment\.body|discussion\.(?:title|body)",
        r"|pages(?:\.\*|\[\d+\]|\.\d+)\.page_name",
        r"|commits(?:\.\*|\[\d+\]|\.\d+)\.(?:message|author\.(?:email|name))",
        r"|head_commit\.(?:message|author\.(?:email|name))",
        r"|pull_request\.head\.(?:ref|label|repo\.default_branch)",
        r"|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.(?:email|name))|pull_requests(?:\.\*|\[\d+\])\.head\.ref)",
        r")\b|\bgithub\.head_ref\b",
    )),
    expression: compile(r"\$\{\{(.*?)\}\}"),
    inputs: compile(r"\b(?:github\.event\.)?inputs\.[A-Za-z_][A-Za-z0-9_-]*"),
    pr_head_ref: compile(concat!(
        r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref",
        r"|github\.event\.workflow_run\.head_(?:sha|branch)|refs/pull/",
        r"|github\.event\.pull_request\.merge_commit_sha",
    )),
    secret: compile(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)|\bsecrets\[\s*'([^']+)'"),
    full_sha: compile(r"^[0-9a-f]{40}$"),
});

/// Triggers anyone who can open an issue or pull request can fire.
const PUBLIC_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "fork",
    "watch",
    "workflow_run",
];

/// Triggers that run with the base repository's secrets and a write token while the event
/// comes from a pull request.
const PRIVILEGED_PR_TRIGGERS: &[&str] = &["pull_request_target", "workflow_run"];

pub(crate) fn is_workflow(rel: &str) -> bool {
    ci_provider(rel) == Some("github-actions")
}

/// Analyse every workflow, composite action, GitLab CI file, Dockerfile and script.
pub(crate) fn analyse(files: &[FileRecord]) -> Analysis {
    let mut a = Analysis::default();
    let hashed = |req: &str| -> bool {
        let req = req.trim_start_matches("./");
        files
            .iter()
            .find(|f| f.rel == req || f.rel.ends_with(&format!("/{req}")))
            .and_then(|f| f.text())
            .is_some_and(|t| scripts::requirements_hashed(&t))
    };
    let names = workflow_names(files);
    for rec in files {
        let rel = rec.rel.as_str();
        let Some(text) = rec.text() else { continue };
        if is_workflow(rel) {
            workflow(&mut a, rel, &text, &hashed, &names);
        } else if is_action_file(rel) || ci_provider(rel) == Some("gitlab") {
            // Their findings stand, but their pins are not counted: Scorecard's
            // Pinned-Dependencies reads neither composite actions nor GitLab CI.
            let counted = a.pinning.clone();
            if is_action_file(rel) {
                composite_action(&mut a, rel, &text, &hashed);
            } else {
                gitlab::analyse(&mut a, rel, &text, &hashed);
            }
            a.pinning = counted;
        } else if is_dockerfile(rel) {
            dockerfile::analyse(&mut a, rel, &text, &hashed);
        } else if is_shell_script(rel) {
            a.shell(rel, &text, 1, None, &Ctx::default(), &hashed);
        }
    }
    a.findings.sort();
    a.findings.dedup();
    a.permissions.sort_by(|x, y| x.path.cmp(&y.path));
    a
}

/// Triggers that run a workflow for a pull request, whose code may then be untrusted.
const PULL_REQUEST_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
];

/// Each workflow's `name:` (the file name when it has none, as GitHub shows it) with its
/// path and triggers, so that a `workflow_run` workflow can look at what starts it.
type Names = Vec<(String, String, BTreeSet<String>)>;

fn workflow_names(files: &[FileRecord]) -> Names {
    let mut out = Names::new();
    for rec in files.iter().filter(|f| is_workflow(&f.rel)) {
        let Some(doc) = rec
            .text()
            .and_then(|t| crate::probes::yaml_tree::parse(&t).ok())
        else {
            continue;
        };
        let name = doc
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| rec.rel.clone());
        out.push((name, rec.rel.clone(), triggers(&doc).0));
    }
    out
}

/// When a workflow runs only on `workflow_run` of upstream workflows in this repository
/// that no pull request can start, why its checkout of the upstream's head is not
/// untrusted code. `None` (dangerous) when an upstream is not found or a pull request,
/// or another workflow_run, can start it.
fn upstream_trusted(on: Option<&Node>, privileged: &[&str], names: &Names) -> Option<String> {
    if privileged != ["workflow_run"] {
        return None;
    }
    let mut upstream = Vec::new();
    on?.get("workflow_run")?
        .get("workflows")?
        .strings(&mut upstream);
    if upstream.is_empty() {
        return None;
    }
    let mut said = Vec::new();
    for (want, _) in &upstream {
        let (_, path, events) = names.iter().find(|(n, _, _)| n == want)?;
        if events
            .iter()
            .any(|e| PULL_REQUEST_TRIGGERS.contains(&e.as_str()) || e == "workflow_run")
        {
            return None;
        }
        let events: Vec<&str> = events.iter().map(String::as_str).collect();
        said.push(format!(
            "`{want}` ({path}) runs only on {}",
            events.join(", ")
        ));
    }
    Some(said.join("; "))
}

/// Shell scripts and Makefiles whose lines are checked for unpinned fetches.
pub(crate) fn is_shell_script(rel: &str) -> bool {
    let name = file_name(rel);
    let ext = crate::text::extension(name);
    matches!(ext.as_str(), "sh" | "bash") || matches!(name, "Makefile" | "GNUmakefile" | "makefile")
}

/// The file line of a byte offset within a scalar's text: block scalars keep one text
/// line per file line; other scalars are searched for in the source.
fn line_in_scalar(src: &[&str], node: &Node, text: &str, offset: usize, needle: &str) -> u64 {
    let start = content_line(src, node);
    if start != node.line {
        return start + text[..offset].matches('\n').count() as u64;
    }
    let from = (node.line as usize).saturating_sub(1);
    src.iter()
        .enumerate()
        .skip(from)
        .take(50)
        .find(|(_, l)| l.contains(needle))
        .map_or(node.line, |(i, _)| i as u64 + 1)
}

fn triggers(doc: &Node) -> (BTreeSet<String>, Option<&Node>) {
    let on = doc.get("on").or_else(|| doc.get("true"));
    let mut out = BTreeSet::new();
    if let Some(on) = on {
        match &on.value {
            Value::Str(s) => {
                out.insert(s.clone());
            }
            Value::Seq(items) => out.extend(items.iter().filter_map(Node::scalar_text)),
            Value::Map(entries) => out.extend(entries.iter().filter_map(|(k, _)| k.as_key())),
            _ => {}
        }
    }
    (out, on)
}

fn workflow(a: &mut Analysis, rel: &str, text: &str, hashed: &dyn Fn(&str) -> bool, names: &Names) {
    let Some(doc) = a.parse_yaml(rel, text, "the workflow") else {
        return;
    };
    if !doc.is_map() {
        a.finding(
            rel,
            1,
            "invalid-yaml",
            None,
            "the workflow could not be read: not a mapping".into(),
        );
        return;
    }
    let src: Vec<&str> = text.lines().collect();
    let (events, on) = triggers(&doc);
    let has = |e: &str| events.contains(e);
    let on_pr = has("pull_request") || has("pull_request_target");
    let release_by_push = on
        .and_then(|o| o.get("push"))
        .is_some_and(|p| p.get("tags").is_some() || p.get("tags-ignore").is_some());
    let name = file_name(rel).to_ascii_lowercase();
    let release =
        has("release") || release_by_push || name.contains("release") || name.contains("publish");
    let privileged: Vec<&str> = PRIVILEGED_PR_TRIGGERS
        .iter()
        .copied()
        .filter(|t| has(t))
        .collect();
    let public: Vec<&str> = PUBLIC_TRIGGERS.iter().copied().filter(|t| has(t)).collect();
    let trusted_upstream = upstream_trusted(on, &privileged, names);
    let ctx = Ctx {
        ci: true,
        on_pull_request: on_pr,
        release,
    };

    // Permissions.
    let (top, top_writes, top_line) = match doc.entry("permissions") {
        Some((k, p)) => {
            let (level, writes) = permission_level(p);
            (level, writes, k.line)
        }
        None => ("undeclared".to_string(), Vec::new(), 1),
    };
    if top == "undeclared" {
        a.finding(
            rel,
            1,
            "permissions-undeclared",
            None,
            "no top-level `permissions`: jobs without their own get the repository's default token permissions".into(),
        );
    } else if top == "write-all" {
        a.finding(
            rel,
            top_line,
            "permissions-write-all",
            None,
            "top-level `permissions: write-all`".into(),
        );
    } else if !top_writes.is_empty() {
        a.finding(
            rel,
            top_line,
            "permissions-write",
            None,
            format!("top-level write permissions: {}", top_writes.join(", ")),
        );
    }
    let mut perms = WorkflowPermissions {
        path: rel.to_string(),
        line: top_line.max(1),
        top,
        top_writes,
        jobs: Vec::new(),
        purposes: Vec::new(),
        needed_writes: Vec::new(),
    };

    let empty = Node {
        line: 0,
        value: Value::Null,
    };
    let jobs = doc.get("jobs").unwrap_or(&empty);
    perms.purposes = job_purpose::purposes(jobs);
    perms.needed_writes = job_purpose::needed_writes(&perms.purposes);
    for (key, job) in jobs.entries() {
        let Some(job_name) = key.as_key() else {
            continue;
        };
        let jn = Some(job_name.as_str());
        let (jp, jw, jline) = match job.entry("permissions") {
            Some((k, p)) => {
                let (level, writes) = permission_level(p);
                (level, writes, k.line)
            }
            None => ("undeclared".to_string(), Vec::new(), key.line),
        };
        if jp == "write-all" {
            a.finding(
                rel,
                jline,
                "permissions-write-all",
                jn,
                "job `permissions: write-all`".into(),
            );
        } else if !jw.is_empty() {
            a.finding(
                rel,
                jline,
                "permissions-write",
                jn,
                format!("job write permissions: {}", jw.join(", ")),
            );
        }
        perms.jobs.push(JobPermissions {
            job: job_name.clone(),
            line: jline.max(1),
            permissions: jp,
            writes: jw,
        });

        // Runners.
        if let Some(runs_on) = job.get("runs-on") {
            let mut labels = Vec::new();
            runs_on.strings(&mut labels);
            if labels
                .iter()
                .any(|(l, _)| l.eq_ignore_ascii_case("self-hosted"))
                && !public.is_empty()
            {
                a.finding(
                    rel,
                    runs_on.line,
                    "self-hosted-runner",
                    jn,
                    format!(
                        "self-hosted runner on a public trigger ({})",
                        public.join(", ")
                    ),
                );
            }
        }
        // Container and service images.
        if let Some(c) = job.get("container") {
            let img = c.as_str().map(|s| (s.to_string(), c.line)).or_else(|| {
                c.get("image")
                    .and_then(|i| i.as_str().map(|s| (s.to_string(), i.line)))
            });
            if let Some((img, line)) = img {
                a.image(rel, line, &img, jn);
            }
        }
        if let Some(services) = job.get("services") {
            for (_, svc) in services.entries() {
                if let Some(i) = svc.get("image").or(svc.as_str().map(|_| svc))
                    && let Some(img) = i.as_str()
                {
                    a.image(rel, i.line, img, jn);
                }
            }
        }
        // A job that calls a reusable workflow.
        if let Some(uses) = job
            .get("uses")
            .and_then(|u| u.as_str().map(|s| (s, u.line)))
        {
            action_ref(a, rel, uses.0, uses.1, jn, &ctx);
        }
        // Secrets reachable from privileged pull-request triggers.
        if !privileged.is_empty() {
            let mut strings = Vec::new();
            job.strings(&mut strings);
            if let Some((name, line)) = strings.iter().find_map(|(s, line)| {
                RULES
                    .secret
                    .captures_iter(s)
                    .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
                    .find(|n| n != "GITHUB_TOKEN")
                    .map(|n| (n, *line))
            }) {
                let line = line_of(&src, line, &format!("secrets.{name}"));
                a.finding(
                    rel,
                    line,
                    "secrets-on-pull-request",
                    jn,
                    format!(
                        "secret `{name}` used by a job that {} can start",
                        privileged.join(", ")
                    ),
                );
            }
        }
        if let Some(steps) = job.get("steps") {
            for step in steps.items() {
                let trigger = Trigger {
                    privileged: &privileged,
                    trusted_upstream: trusted_upstream.as_deref(),
                };
                self::step(a, rel, &src, step, jn, &ctx, &trigger, hashed);
            }
        }
    }
    a.permissions.push(perms);
}

fn line_of(src: &[&str], from: u64, needle: &str) -> u64 {
    let start = (from as usize).saturating_sub(1);
    src.iter()
        .enumerate()
        .skip(start)
        .take(200)
        .find(|(_, l)| l.contains(needle))
        .map_or(from, |(i, _)| i as u64 + 1)
}

fn composite_action(a: &mut Analysis, rel: &str, text: &str, hashed: &dyn Fn(&str) -> bool) {
    let Some(doc) = a.parse_yaml(rel, text, "the action") else {
        return;
    };
    let src: Vec<&str> = text.lines().collect();
    let ctx = Ctx {
        ci: true,
        on_pull_request: false,
        release: false,
    };
    if let Some(steps) = doc.get("runs").and_then(|r| r.get("steps")) {
        for step in steps.items() {
            let trigger = Trigger {
                privileged: &[],
                trusted_upstream: None,
            };
            self::step(a, rel, &src, step, None, &ctx, &trigger, hashed);
        }
    }
}

/// `actions/checkout@v4`, `./local`, `docker://image@sha256:…`, `o/r/.github/workflows/x.yml@ref`.
fn action_ref(a: &mut Analysis, rel: &str, uses: &str, line: u64, job: Option<&str>, ctx: &Ctx) {
    let uses = uses.trim();
    if uses.starts_with("./") || uses.starts_with(".\\") {
        return;
    }
    if let Some(image) = uses.strip_prefix("docker://") {
        a.image(rel, line, image, job);
        return;
    }
    for (kind, tool) in scripts::tools(uses) {
        a.step(kind, tool, rel, line, ctx);
    }
    let (name, reference) = uses.split_once('@').unwrap_or((uses, ""));
    let owner = name.split('/').next().unwrap_or("").to_ascii_lowercase();
    let github_owned = owner == "actions" || owner == "github";
    let pinned = RULES.full_sha.is_match(reference);
    let counter = if github_owned {
        &mut a.pinning.actions_github_owned
    } else {
        &mut a.pinning.actions_third_party
    };
    count(counter, pinned);
    if !pinned {
        let who = if github_owned {
            "GitHub-owned"
        } else {
            "third-party"
        };
        let at = if reference.is_empty() {
            "no version".to_string()
        } else {
            format!("`{reference}`")
        };
        a.finding(
            rel,
            line,
            "unpinned-action",
            job,
            format!("{who} action `{name}` pinned to {at}, not a full commit SHA"),
        );
    }
}

/// The privileged triggers of a step's workflow, and whether its `workflow_run`
/// upstream is trusted (see [`upstream_trusted`]).
struct Trigger<'a> {
    privileged: &'a [&'a str],
    trusted_upstream: Option<&'a str>,
}

#[allow(clippy::too_many_arguments)]
fn step(
    a: &mut Analysis,
    rel: &str,
    src: &[&str],
    step: &Node,
    job: Option<&str>,
    ctx: &Ctx,
    trigger: &Trigger,
    hashed: &dyn Fn(&str) -> bool,
) {
    let privileged = trigger.privileged;
    let uses = step
        .get("uses")
        .and_then(|u| u.as_str().map(|s| (s.to_string(), u.line)));
    if let Some((uses, line)) = &uses {
        action_ref(a, rel, uses, *line, job, ctx);
        let name = uses.split('@').next().unwrap_or("").to_ascii_lowercase();
        // A privileged trigger that checks out the pull request's code.
        if name == "actions/checkout"
            && !privileged.is_empty()
            && let Some(r) = step.get("with").and_then(|w| w.get("ref"))
            && let Some(value) = r.scalar_text()
            && RULES.pr_head_ref.is_match(&value)
        {
            match trigger.trusted_upstream {
                // Scorecard still calls it dangerous; the OSPS rules do not.
                Some(why) => a.finding(
                    rel,
                    r.line,
                    "workflow-run-checkout",
                    job,
                    format!(
                        "workflow_run workflow checks out its upstream's head (ref: {}), but no pull request can start the upstream: {why}",
                        value.trim()
                    ),
                ),
                None => a.finding(
                    rel,
                    r.line,
                    "untrusted-checkout",
                    job,
                    format!(
                        "{} workflow checks out the pull request's code (ref: {})",
                        privileged.join("/"),
                        value.trim()
                    ),
                ),
            }
        }
        // Publishing with docker/build-push-action only when it pushes.
        if name == "docker/build-push-action" {
            let pushes = step
                .get("with")
                .and_then(|w| w.get("push"))
                .and_then(Node::scalar_text)
                .is_some_and(|p| p != "false");
            if !pushes && let Some(set) = a.steps.get_mut(&StepKind::Publish) {
                set.retain(|s| !(s.path == rel && s.line == *line));
            }
        }
        if name == "actions/github-script"
            && let Some(script) = step.get("with").and_then(|w| w.get("script"))
            && let Some(text) = script.as_str()
        {
            injection(a, rel, src, script, text, job, "script");
        }
    }
    if let Some(run) = step.get("run")
        && let Some(text) = run.scalar_text()
    {
        injection(a, rel, src, run, &text, job, "run");
        let first = content_line(src, run);
        a.shell(rel, &text, first, job, ctx, hashed);
    }
}

fn injection(
    a: &mut Analysis,
    rel: &str,
    src: &[&str],
    node: &Node,
    text: &str,
    job: Option<&str>,
    what: &str,
) {
    for c in RULES.expression.captures_iter(text) {
        let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if let Some(m) = RULES.untrusted.find(inner.as_str()) {
            let line = line_in_scalar(src, node, text, whole.start(), whole.as_str());
            a.finding(
                rel,
                line,
                "script-injection",
                job,
                format!(
                    "untrusted `{}` interpolated into `{what}:`; pass it through env: instead",
                    m.as_str()
                ),
            );
        } else if let Some(m) = RULES.inputs.find(inner.as_str()) {
            let line = line_in_scalar(src, node, text, whole.start(), whole.as_str());
            a.finding(
                rel,
                line,
                "input-interpolation",
                job,
                format!(
                    "input `{}` interpolated into `{what}:` unvalidated; pass it through env: and check it",
                    m.as_str()
                ),
            );
        }
    }
}

/// A `permissions` value: its level and the scopes it grants `write`.
fn permission_level(p: &Node) -> (String, Vec<String>) {
    match &p.value {
        Value::Str(s) => match s.as_str() {
            "write-all" => ("write-all".into(), vec!["all".into()]),
            "read-all" => ("read-all".into(), Vec::new()),
            other => (other.to_string(), Vec::new()),
        },
        Value::Map(entries) => {
            let mut writes = Vec::new();
            let mut reads = false;
            for (k, v) in entries {
                match v.scalar_text().as_deref() {
                    Some("write") => writes.push(k.as_key().unwrap_or_default()),
                    Some("read") => reads = true,
                    _ => {}
                }
            }
            writes.sort();
            let level = if !writes.is_empty() {
                "write"
            } else if reads {
                "read"
            } else {
                "none"
            };
            (level.into(), writes)
        }
        Value::Null => ("none".into(), Vec::new()),
        _ => ("unknown".into(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_contexts() {
        let re = &RULES.untrusted;
        for yes in [
            "github.event.issue.title",
            "github.event.pull_request.body",
            "github.event.comment.body",
            "github.event.commits[0].message",
            "github.event.commits.*.author.email",
            "github.event.pages[1].page_name",
            "github.head_ref",
            "github.event.pull_request.head.ref",
            "github.event.workflow_run.head_commit.message",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in [
            "github.event.pull_request.number",
            "github.sha",
            "github.event.issue.number",
        ] {
            assert!(!re.is_match(no), "{no}");
        }
    }

    #[test]
    fn block_scalar_lines() {
        let src = [
            "    steps:",
            "      - run: |",
            "          echo a",
            "          echo b",
        ];
        let node = Node {
            line: 2,
            value: Value::Str("echo a\necho b\n".into()),
        };
        assert_eq!(content_line(&src, &node), 3);
        assert_eq!(
            line_in_scalar(&src, &node, "echo a\necho b\n", 7, "echo b"),
            4
        );
    }
}
