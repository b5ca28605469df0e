//! What the CI analysers (GitHub workflows, GitLab CI, Dockerfiles, scripts) write into:
//! findings, permissions, pinning counts and the steps that test, scan, sign and publish.
//! A leaf below them all, so that none of them imports another to share it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{CiStep, PinCount, Pinning, WorkflowFinding, WorkflowPermissions};
use crate::probes::scripts::{self, Fetch, StepKind};
use crate::probes::yaml_tree::{self, Node};

/// Everything the deep CI analysis adds to `ci`.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub findings: Vec<WorkflowFinding>,
    pub permissions: Vec<WorkflowPermissions>,
    pub pinning: Pinning,
    pub steps: BTreeMap<StepKind, BTreeSet<CiStep>>,
}

impl Analysis {
    pub(crate) fn finding(
        &mut self,
        path: &str,
        line: u64,
        kind: &str,
        job: Option<&str>,
        detail: String,
    ) {
        self.findings.push(WorkflowFinding {
            path: path.to_string(),
            line: line.max(1),
            kind: kind.to_string(),
            job: job.map(str::to_string),
            detail,
        });
    }

    /// Parses a CI file, or records an `invalid-yaml` finding saying that `what` (the
    /// pipeline, the workflow…) could not be read.
    pub(crate) fn parse_yaml(&mut self, path: &str, text: &str, what: &str) -> Option<Node> {
        match yaml_tree::parse(text) {
            Ok(doc) => Some(doc),
            Err(e) => {
                self.finding(
                    path,
                    e.line,
                    "invalid-yaml",
                    None,
                    format!("{what} could not be read: {}", e.message),
                );
                None
            }
        }
    }

    pub(crate) fn step(&mut self, kind: StepKind, tool: &str, path: &str, line: u64, ctx: &Ctx) {
        self.steps.entry(kind).or_default().insert(CiStep {
            path: path.to_string(),
            line: line.max(1),
            tool: tool.to_string(),
            on_pull_request: ctx.on_pull_request,
            release: ctx.release,
        });
    }

    pub(crate) fn steps_of(&self, kind: StepKind) -> Vec<CiStep> {
        self.steps
            .get(&kind)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Record an image reference: pinned when it names a digest.
    pub(crate) fn image(&mut self, path: &str, line: u64, image: &str, job: Option<&str>) {
        let image = image.trim();
        if image.is_empty() || image.contains("${{") {
            return;
        }
        let pinned = image.contains("@sha256:");
        count(&mut self.pinning.container_images, pinned);
        if !pinned {
            self.finding(
                path,
                line,
                "unpinned-image",
                job,
                format!("container image `{image}` is not pinned by digest (@sha256:)"),
            );
        }
    }

    /// Shell lines: downloads run, package installs, and the tools they run.
    pub(crate) fn shell(
        &mut self,
        path: &str,
        text: &str,
        first_line: u64,
        job: Option<&str>,
        ctx: &Ctx,
        hashed: &dyn Fn(&str) -> bool,
    ) {
        for (n, line) in scripts::logical_lines(text, first_line) {
            for hit in scripts::fetches(&line, n, hashed) {
                let (counter, kind) = match hit.fetch {
                    Fetch::DownloadThenRun => {
                        (&mut self.pinning.download_then_run, "download-then-run")
                    }
                    Fetch::Pip => (&mut self.pinning.pip, "pip-unpinned"),
                    Fetch::Npm => (&mut self.pinning.npm, "npm-install"),
                };
                count(counter, hit.pinned);
                if !hit.pinned {
                    self.finding(path, hit.line, kind, job, hit.detail);
                }
            }
            if ctx.ci {
                for (kind, tool) in scripts::tools(&line) {
                    self.step(kind, tool, path, n, ctx);
                }
            }
        }
    }
}

pub(crate) fn count(c: &mut PinCount, pinned: bool) {
    c.total += 1;
    if pinned {
        c.pinned += 1;
    }
}

/// Where a step runs: in CI at all, on pull requests, on releases.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ctx {
    pub ci: bool,
    pub on_pull_request: bool,
    pub release: bool,
}

/// The line on which a scalar's text starts: the line after a block indicator
/// (`run: |`), else the node's own line.
pub(crate) fn content_line(src: &[&str], node: &Node) -> u64 {
    let idx = (node.line as usize).saturating_sub(1);
    let Some(line) = src.get(idx) else {
        return node.line;
    };
    let t = line.split(" #").next().unwrap_or(line).trim_end();
    let last = t.rsplit([' ', ':']).next().unwrap_or("");
    if !last.is_empty() && (last.starts_with('|') || last.starts_with('>')) {
        node.line + 1
    } else {
        node.line
    }
}
