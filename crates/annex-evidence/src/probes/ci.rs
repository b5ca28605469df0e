//! `ci`: CI providers and files, whether CI runs tests and runs on pull requests (line
//! level), plus the YAML-aware analysis of `probes::workflows` (findings, permissions,
//! pinning, and the steps that test, scan, sign and publish).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Ci, Fact};
use crate::probes::docs::whole;
use crate::probes::names::ci_provider;
use crate::probes::scripts::{StepKind, runs_tests};
use crate::probes::workflows;
use crate::record::FileRecord;
use crate::text::{compile, is_comment, numbered_lines};

struct Rules {
    github_pr: Regex,
    gitlab_mr: Regex,
    azure_pr: Regex,
    jenkins_pr: Regex,
    buildkite_pr: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    github_pr: compile(r"\bpull_request(?:_target)?\b"),
    gitlab_mr: compile(r"merge_request_event|\$CI_MERGE_REQUEST_"),
    azure_pr: compile(r"^\s*pr\s*:"),
    jenkins_pr: compile(r"changeRequest\(\)|\bCHANGE_ID\b"),
    buildkite_pr: compile(r"BUILDKITE_PULL_REQUEST"),
});

pub(crate) fn is_ci_file(rec: &FileRecord) -> bool {
    ci_provider(&rec.rel).is_some()
}

pub(crate) fn probe(files: &[FileRecord]) -> Ci {
    let rules = &*RULES;
    let mut ci = Ci::default();
    let mut providers = BTreeSet::new();
    for rec in files {
        let Some(provider) = ci_provider(&rec.rel) else {
            continue;
        };
        providers.insert(provider);
        ci.workflows.push(whole(rec));
        let Some(text) = rec.text() else { continue };
        let pr_rule = match provider {
            "github-actions" => Some(&rules.github_pr),
            "gitlab" => Some(&rules.gitlab_mr),
            "azure" => Some(&rules.azure_pr),
            "jenkins" => Some(&rules.jenkins_pr),
            "buildkite" => Some(&rules.buildkite_pr),
            _ => None,
        };
        for (n, line) in numbered_lines(&text) {
            if is_comment(line) {
                continue;
            }
            let fact = || Fact {
                path: rec.rel.clone(),
                line: n,
                digest: None,
            };
            if ci.runs_tests.is_none() && runs_tests(line) {
                ci.runs_tests = Some(fact());
            }
            if ci.runs_on_pull_request.is_none() && pr_rule.is_some_and(|r| r.is_match(line)) {
                ci.runs_on_pull_request = Some(fact());
            }
        }
    }
    ci.providers = providers.into_iter().map(String::from).collect();
    let deep = workflows::analyse(files);
    ci.test_steps = deep.steps_of(StepKind::Test);
    ci.sast_steps = deep.steps_of(StepKind::Sast);
    ci.sca_steps = deep.steps_of(StepKind::Sca);
    ci.sbom_steps = deep.steps_of(StepKind::Sbom);
    ci.signing_steps = deep.steps_of(StepKind::Signing);
    ci.publish_steps = deep.steps_of(StepKind::Publish);
    ci.workflow_findings = deep.findings;
    ci.workflow_permissions = deep.permissions;
    ci.pinning = deep.pinning;
    ci
}
