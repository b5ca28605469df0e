//! What a GitHub Actions job evidently does — publish a package, cut a release, deploy
//! GitHub Pages, upload SARIF — recognised by the same step patterns OpenSSF Scorecard
//! uses (`checks/fileparser/github_workflow.go`, `checks/raw/permissions.go`), so that
//! Packaging and Token-Permissions agree with it. A job matches a pattern when each of
//! the pattern's steps matches one of its steps; a job calling a reusable workflow
//! matches when the called workflow is one the pattern names.

use std::sync::LazyLock;

use regex::Regex;

use crate::probes::yaml_tree::Node;
use crate::text::compile;

/// One step of a pattern: `uses:` starting with `uses@`, `with:` holding exactly these
/// values, `run:` matching the expression (line continuations removed).
struct Step {
    uses: Option<&'static str>,
    with: &'static [(&'static str, &'static str)],
    run: Option<&'static str>,
}

const fn uses(action: &'static str) -> Step {
    Step {
        uses: Some(action),
        with: &[],
        run: None,
    }
}

const fn run(pattern: &'static str) -> Step {
    Step {
        uses: None,
        with: &[],
        run: Some(pattern),
    }
}

/// (purpose, steps that must all be present in one job)
const PATTERNS: &[(&str, &[Step])] = &[
    (
        "publish",
        &[
            Step {
                uses: Some("actions/setup-node"),
                with: &[("registry-url", "https://registry.npmjs.org")],
                run: None,
            },
            run("npm.*publish"),
        ],
    ),
    ("publish", &[uses("actions/setup-java"), run("mvn.*deploy")]),
    (
        "publish",
        &[uses("actions/setup-java"), run("gradle.*publish")],
    ),
    ("publish", &[run("sbt.*ci-release")]),
    ("publish", &[run("gem.*push")]),
    ("publish", &[run("nuget.*push")]),
    ("publish", &[run("docker.*push")]),
    ("publish", &[uses("docker/build-push-action")]),
    ("publish", &[uses("pypa/gh-action-pypi-publish")]),
    ("publish", &[uses("relekang/python-semantic-release")]),
    ("publish", &[uses("goreleaser/goreleaser-action")]),
    ("publish", &[run("cargo.*publish")]),
    (
        "publish",
        &[uses("imjasonh/setup-ko"), uses("ko-build/setup-ko")],
    ),
    ("publish", &[run("npx.*semantic-release")]),
    (
        "publish",
        &[uses("erlef/setup-elixir"), run(".*hex.publish.*")],
    ),
    ("release", &[uses("relekang/python-semantic-release")]),
    ("release", &[run("(npx|pnpm|yarn).*semantic-release")]),
    (
        "release",
        &[
            uses("actions/setup-go"),
            uses("goreleaser/goreleaser-action"),
        ],
    ),
    (
        "release",
        &[uses(
            "slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml",
        )],
    ),
    (
        "release",
        &[uses(
            "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml",
        )],
    ),
    ("release", &[run(".*mvn.*release:prepare.*")]),
    ("pages", &[uses("peaceiris/actions-gh-pages")]),
];

/// Actions whose SARIF upload needs `security-events: write` (compared without the ref).
const SARIF_ACTIONS: &[&str] = &[
    "github/codeql-action/analyze",
    "github/codeql-action/upload-sarif",
    "ossf/scorecard-action",
    "haskell-actions/hlint-scan",
    "zizmorcore/zizmor-action",
];

/// The compiled `run` expressions, in the order of `PATTERNS` and their steps.
static RUN_RES: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .flat_map(|(_, steps)| steps.iter().map(|s| s.run.map(compile)))
        .collect()
});

static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| compile(r"\\(\r\n|\n|\r)"));

/// The purposes of a workflow's jobs, sorted and distinct.
pub(crate) fn purposes(jobs: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let jobs: Vec<&Node> = jobs.entries().iter().map(|(_, j)| j).collect();
    let mut re_at = 0;
    for (purpose, steps) in PATTERNS {
        let res = &RUN_RES[re_at..re_at + steps.len()];
        re_at += steps.len();
        if jobs.iter().any(|j| job_matches(j, steps, res)) {
            out.push((*purpose).to_string());
        }
    }
    let sarif = jobs.iter().any(|j| {
        j.get("steps").is_some_and(|steps| {
            steps.items().iter().any(|s| {
                s.get("uses")
                    .and_then(Node::as_str)
                    .is_some_and(|u| SARIF_ACTIONS.contains(&u.split('@').next().unwrap_or(u)))
            })
        })
    });
    if sarif {
        out.push("sarif".to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// The job write scopes the purposes need.
pub(crate) fn needed_writes(purposes: &[String]) -> Vec<String> {
    let has = |p: &str| purposes.iter().any(|x| x == p);
    let mut out = Vec::new();
    if has("release") || has("pages") {
        out.push("contents".to_string());
    }
    if has("publish") {
        out.push("packages".to_string());
    }
    if has("sarif") {
        out.push("security-events".to_string());
    }
    out
}

fn job_matches(job: &Node, steps: &[Step], res: &[Option<Regex>]) -> bool {
    let called = job.get("uses").and_then(Node::as_str);
    let job_steps: Vec<&Node> = job
        .get("steps")
        .map(|s| s.items().iter().collect())
        .unwrap_or_default();
    for (want, re) in steps.iter().zip(res) {
        // A reusable workflow call that names any of the steps' actions matches at once.
        if let (Some(c), Some(u)) = (called, want.uses)
            && starts_with_ref(c, u)
        {
            return true;
        }
        if !job_steps.iter().any(|s| step_matches(s, want, re.as_ref())) {
            return false;
        }
    }
    true
}

fn step_matches(step: &Node, want: &Step, re: Option<&Regex>) -> bool {
    if let Some(u) = want.uses
        && !step
            .get("uses")
            .and_then(Node::as_str)
            .is_some_and(|s| starts_with_ref(s, u))
    {
        return false;
    }
    for (key, value) in want.with {
        let got = step
            .get("with")
            .and_then(|w| w.get(key))
            .and_then(Node::scalar_text);
        if got.as_deref() != Some(*value) {
            return false;
        }
    }
    if let Some(re) = re {
        let Some(text) = step.get("run").and_then(Node::scalar_text) else {
            return false;
        };
        if !re.is_match(&CONTINUATION.replace_all(&text, "")) {
            return false;
        }
    }
    true
}

fn starts_with_ref(uses: &str, action: &str) -> bool {
    uses.strip_prefix(action)
        .is_some_and(|rest| rest.starts_with('@'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probes::yaml_tree::parse;

    fn of(workflow: &str) -> Vec<String> {
        let doc = parse(workflow).unwrap();
        purposes(doc.get("jobs").unwrap())
    }

    #[test]
    fn npm_publish_needs_the_registry_url_and_a_publish_run() {
        let wf = "jobs:\n  p:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          registry-url: https://registry.npmjs.org\n      - run: pnpm run publish-ci\n";
        assert_eq!(of(wf), vec!["publish"]);
        let no_registry = wf.replace(
            "registry-url: https://registry.npmjs.org",
            "node-version: 20",
        );
        assert!(of(&no_registry).is_empty());
        // The two steps must be in the same job.
        let split = "jobs:\n  a:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          registry-url: https://registry.npmjs.org\n  b:\n    steps:\n      - run: npm publish\n";
        assert!(of(split).is_empty());
    }

    #[test]
    fn releases_pages_sarif_and_reusable_workflows() {
        let wf = "jobs:\n  r:\n    steps:\n      - uses: actions/setup-go@v5\n      - uses: goreleaser/goreleaser-action@v6\n  s:\n    steps:\n      - uses: github/codeql-action/upload-sarif@abc\n  d:\n    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n  g:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0\n";
        let p = of(wf);
        assert_eq!(p, vec!["pages", "publish", "release", "sarif"]);
        assert_eq!(
            needed_writes(&p),
            vec!["contents", "packages", "security-events"]
        );
        let cont =
            "jobs:\n  c:\n    steps:\n      - run: |\n          cargo \\\n            publish\n";
        assert_eq!(of(cont), vec!["publish"]);
    }
}
