//! OpenSSF Scorecard-style scores from the evidence of a checkout: each check of a score
//! pack (the built-in `rules/scorecard.yaml` mirrors Scorecard's eleven checks that run on a
//! local directory) is a CEL expression returning 0–10, or -1 when the evidence cannot
//! decide; the aggregate is Scorecard's risk-weighted mean of the conclusive checks
//! (Critical 10, High 7.5, Medium 5, Low 2.5).

use annex_spec::score::{ScoreCheck, ScorePack, builtin_score_pack};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::{AssessError, EvidenceRef, cel_eval, collect_refs, unread};

/// The id of the built-in score pack.
pub const SCORECARD_PACK: &str = "scorecard";

/// Score meaning "the evidence cannot decide"; left out of the aggregate.
pub const INCONCLUSIVE: i64 = -1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckResult {
    pub name: String,
    /// `Critical`, `High`, `Medium` or `Low`.
    pub risk: String,
    /// 0–10, or -1 for inconclusive.
    pub score: i64,
    pub reason: String,
    pub evidence: Vec<EvidenceRef>,
    /// Requirements of other packs that decide the same thing (e.g. OSPS ids).
    pub related: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScorecardResult {
    /// The score pack's id and version.
    pub pack: String,
    pub version: String,
    pub checks: Vec<CheckResult>,
    /// Risk-weighted mean of the conclusive checks, one decimal; `null` when none is.
    pub aggregate: Option<f64>,
}

/// The built-in Scorecard pack.
pub fn builtin() -> Result<ScorePack, AssessError> {
    match builtin_score_pack(SCORECARD_PACK) {
        Some(r) => Ok(r?),
        None => Err(AssessError::Spec(annex_spec::SpecError::NotFound {
            what: "score pack",
            id: SCORECARD_PACK.to_string(),
            suggestion: None,
        })),
    }
}

/// Score every check of `pack` over the evidence document (annex/evidence/v1 as JSON) and,
/// when given, the vulnerability findings document (annex/findings/v1).
pub fn evaluate(pack: &ScorePack, evidence: &Json, findings: Option<&Json>) -> ScorecardResult {
    let findings = findings.cloned().unwrap_or(Json::Null);
    let ctx = cel_eval::context(&[("evidence", evidence), ("findings", &findings)]);
    let checks: Vec<CheckResult> = pack
        .checks
        .iter()
        .map(|c| score_one(c, &ctx, evidence))
        .collect();
    ScorecardResult {
        pack: pack.metadata.id.clone(),
        version: pack.metadata.version.clone(),
        aggregate: aggregate(pack, &checks),
        checks,
    }
}

fn score_one(check: &ScoreCheck, ctx: &cel::Context, evidence: &Json) -> CheckResult {
    let refs = collect_refs(evidence, &check.evidence);
    let unread = unread::feeding(&check.score.value, evidence);
    // Only a worst score that points at a file that was read stands beside unread files.
    let undecided =
        |s: i64| unread::undecided(&unread, s == 0, refs.iter().map(|r| r.path.as_str()));
    let (score, reason) = match run(&check.score.value, ctx) {
        Ok(s) if undecided(s) => (INCONCLUSIVE, unread::reason(&unread)),
        Ok(s) => {
            let text = match s {
                10 => check.max.as_deref(),
                0 => check.min.as_deref(),
                INCONCLUSIVE => check.inconclusive.as_deref(),
                _ => check.partial.as_deref(),
            };
            let text = text
                .or(check.partial.as_deref())
                .unwrap_or("scored")
                .to_string();
            (s, text)
        }
        Err(e) => (
            INCONCLUSIVE,
            format!("score of {} could not be evaluated: {e}", check.name.value),
        ),
    };
    let at = if refs.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = refs.iter().take(3).map(|r| r.to_string()).collect();
        let more = if refs.len() > 3 { ", …" } else { "" };
        format!(" ({}{more})", shown.join(", "))
    };
    CheckResult {
        name: check.name.value.clone(),
        risk: check.risk.as_str().to_string(),
        score,
        reason: format!("{reason}{at}"),
        evidence: refs,
        related: check.related.clone(),
        remediation: if score == 10 {
            None
        } else {
            check.remediation.clone()
        },
    }
}

fn run(expr: &str, ctx: &cel::Context) -> Result<i64, String> {
    let program = cel_eval::compile(expr)?;
    match cel_eval::execute(&program, ctx) {
        Ok(cel::Value::Int(i)) if (INCONCLUSIVE..=10).contains(&i) => Ok(i),
        Ok(cel::Value::UInt(u)) if u <= 10 => Ok(u as i64),
        Ok(cel::Value::Int(i)) => Err(format!("score {i} is outside -1..10")),
        Ok(other) => Err(format!(
            "score returned {:?}, expected an int",
            other.type_of()
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Scorecard's aggregate: Σ(score × weight) / Σ weight over conclusive checks.
fn aggregate(pack: &ScorePack, checks: &[CheckResult]) -> Option<f64> {
    let mut sum = 0.0;
    let mut weights = 0.0;
    for (def, res) in pack.checks.iter().zip(checks) {
        if res.score < 0 {
            continue;
        }
        let w = def.risk.weight();
        sum += res.score as f64 * w;
        weights += w;
    }
    (weights > 0.0).then(|| (sum / weights * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn evidence_of(files: &[(&str, &str)]) -> Json {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let e = annex_evidence::collect(dir.path(), &annex_evidence::Options::default()).unwrap();
        serde_json::to_value(e).unwrap()
    }

    /// As `evidence_of`, with a file size cap.
    fn evidence_capped(files: &[(&str, &str)], max_file_size: u64) -> Json {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let options = annex_evidence::Options {
            max_file_size,
            ..annex_evidence::Options::default()
        };
        serde_json::to_value(annex_evidence::collect(dir.path(), &options).unwrap()).unwrap()
    }

    fn score_of(r: &ScorecardResult, name: &str) -> (i64, String) {
        let c = r.checks.iter().find(|c| c.name == name).unwrap();
        (c.score, c.reason.clone())
    }

    /// Issue 16 item 6: a dangerous workflow above the size cap, or one that does not
    /// parse, was scored 10 (safe). Unread, it is inconclusive and says which file.
    #[test]
    fn unread_workflows_are_inconclusive_never_safe() {
        let pack = builtin().unwrap();
        let dangerous = format!(
            "on: pull_request_target\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      \
             - uses: actions/checkout@{SHA}\n        with:\n          ref: ${{{{ github.event.pull_request.head.sha }}}}\n{}",
            "# padding\n".repeat(200)
        );
        let read = evidence_capped(&[(".github/workflows/x.yml", &dangerous)], 1 << 20);
        assert_eq!(
            score_of(&evaluate(&pack, &read, None), "Dangerous-Workflow").0,
            0
        );
        let big = evidence_capped(&[(".github/workflows/x.yml", &dangerous)], 1024);
        let (score, reason) = score_of(&evaluate(&pack, &big, None), "Dangerous-Workflow");
        assert_eq!(score, INCONCLUSIVE, "{reason}");
        assert!(
            reason.contains(".github/workflows/x.yml (too-large"),
            "{reason}"
        );

        let bad = evidence_of(&[(".github/workflows/x.yml", "on: [push\njobs: {\n")]);
        let (score, reason) = score_of(&evaluate(&pack, &bad, None), "Dangerous-Workflow");
        assert_eq!(score, INCONCLUSIVE, "{reason}");
        assert!(reason.contains("(invalid:"), "{reason}");
    }

    fn scores(r: &ScorecardResult) -> Vec<(&str, i64)> {
        r.checks
            .iter()
            .map(|c| (c.name.as_str(), c.score))
            .collect()
    }

    const SHA: &str = "b4ffde65f46336ab88eb53be808477a3936bae11";

    const MIT: &str = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

    #[test]
    fn builtin_pack_has_the_eleven_local_checks_with_their_risks() {
        let pack = builtin().unwrap();
        let got: Vec<(&str, &str)> = pack
            .checks
            .iter()
            .map(|c| (c.name.value.as_str(), c.risk.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Binary-Artifacts", "High"),
                ("Dangerous-Workflow", "Critical"),
                ("Dependency-Update-Tool", "High"),
                ("Fuzzing", "Medium"),
                ("License", "Low"),
                ("Packaging", "Medium"),
                ("Pinned-Dependencies", "Medium"),
                ("SAST", "Medium"),
                ("Security-Policy", "Medium"),
                ("Token-Permissions", "High"),
                ("Vulnerabilities", "High"),
            ]
        );
    }

    #[test]
    fn empty_repository() {
        let pack = builtin().unwrap();
        let r = evaluate(&pack, &evidence_of(&[("README.md", "# x\n")]), None);
        assert_eq!(
            scores(&r),
            vec![
                ("Binary-Artifacts", 10),
                ("Dangerous-Workflow", -1),
                ("Dependency-Update-Tool", 0),
                ("Fuzzing", 0),
                ("License", 0),
                ("Packaging", -1),
                ("Pinned-Dependencies", -1),
                ("SAST", 0),
                ("Security-Policy", 0),
                ("Token-Permissions", -1),
                ("Vulnerabilities", -1),
            ]
        );
        // (10×7.5 + 0×7.5 + 0×5 + 0×2.5 + 0×5 + 0×5) / 32.5
        assert_eq!(r.aggregate, Some(2.3));
        assert!(r.checks[0].reason.contains("no binary"));
    }

    #[test]
    fn well_kept_repository() {
        let pack = builtin().unwrap();
        let ci = format!(
            "on:\n  pull_request:\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{SHA}\n      - uses: github/codeql-action/analyze@{SHA}\n      - run: npm ci\n"
        );
        let release = format!(
            "on:\n  release:\npermissions: {{}}\njobs:\n  p:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n      id-token: write\n    steps:\n      - uses: actions/checkout@{SHA}\n      - uses: some/action@v1\n      - run: cargo publish\n"
        );
        let e = evidence_of(&[
            (".github/workflows/ci.yml", &ci),
            (".github/workflows/release.yml", &release),
            (".github/dependabot.yml", "version: 2\n"),
            ("LICENSE", MIT),
            (
                "SECURITY.md",
                "# Security\n\nReport vulnerabilities privately to security@example.org.\nWe respond within 7 days and publish an advisory on disclosure.\n",
            ),
            (
                "fuzz/Cargo.toml",
                "[package]\nname = \"f\"\n\n[package.metadata]\ncargo-fuzz = true\n\n[dependencies]\nlibfuzzer-sys = \"0.4\"\n",
            ),
        ]);
        let findings = serde_json::json!({"schema": "annex/findings/v1", "findings": [{"id": "RUSTSEC-2024-0001"}]});
        let r = evaluate(&pack, &e, Some(&findings));
        assert_eq!(
            scores(&r),
            vec![
                ("Binary-Artifacts", 10),
                ("Dangerous-Workflow", 10),
                ("Dependency-Update-Tool", 10),
                ("Fuzzing", 10),
                ("License", 10),
                ("Packaging", 10),
                // GitHub-owned 3/3 weigh 2, third-party 0/1 weighs 8, npm 1/1 weighs 10:
                // 10 × (3×2 + 0×8 + 1×10) / (3×2 + 1×8 + 1×10) = 160 / 24 = 6.
                ("Pinned-Dependencies", 6),
                ("SAST", 10),
                ("Security-Policy", 10),
                ("Token-Permissions", 10),
                ("Vulnerabilities", 9),
            ]
        );
        let pinned = &r.checks[6];
        assert!(
            pinned
                .evidence
                .iter()
                .any(|e| e.path == ".github/workflows/release.yml" && e.line == 12),
            "{pinned:?}"
        );
        assert!(
            r.aggregate.is_some_and(|a| a > 9.0 && a < 10.0),
            "{:?}",
            r.aggregate
        );
    }

    #[test]
    fn dangerous_workflow_and_token_permissions() {
        let pack = builtin().unwrap();
        let wf = "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"\n";
        let r = evaluate(
            &pack,
            &evidence_of(&[(".github/workflows/x.yml", wf)]),
            None,
        );
        let s: std::collections::BTreeMap<&str, i64> = scores(&r).into_iter().collect();
        assert_eq!(s["Dangerous-Workflow"], 0);
        // Undeclared at the top and in the job: the job gets the default token.
        assert_eq!(s["Token-Permissions"], 0);

        let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n      - run: make\n";
        let r = evaluate(
            &pack,
            &evidence_of(&[(".github/workflows/x.yml", wf)]),
            None,
        );
        let s: std::collections::BTreeMap<&str, i64> = scores(&r).into_iter().collect();
        // Undeclared top (−0.5) and a job that writes under it (−0.5).
        assert_eq!(s["Token-Permissions"], 9);
        assert_eq!(s["Dangerous-Workflow"], 10);
    }

    #[test]
    fn a_broken_expression_is_inconclusive_not_a_crash() {
        let mut pack = builtin().unwrap();
        pack.checks[0].score.value = "evidence.no_such_key.x".into();
        let r = evaluate(&pack, &evidence_of(&[("README.md", "x\n")]), None);
        assert_eq!(r.checks[0].score, -1);
        assert!(r.checks[0].reason.contains("could not be evaluated"));
    }

    /// Scorecard's per-scope Token-Permissions rules (checks/evaluation/permissions.go):
    /// job-level writes cost nothing, top-level scopes cost by weight, and only an
    /// undeclared or write-all top over an undeclared or writing job scores 0.
    #[test]
    fn token_permissions_follow_scorecards_per_scope_rules() {
        let pack = builtin().unwrap();
        let score = |files: &[(&str, &str)]| {
            score_of(
                &evaluate(&pack, &evidence_of(files), None),
                "Token-Permissions",
            )
            .0
        };
        let job = |perms: &str| {
            format!(
                "on: push\n{perms}jobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n      - run: make\n"
            )
        };
        // Read-only top, a job that writes contents (not a release tool): 10.
        assert_eq!(
            score(&[(
                ".github/workflows/a.yml",
                &job("permissions:\n  contents: read\n")
            )]),
            10
        );
        // Undeclared top over declared jobs: half a point per workflow, rounded down.
        assert_eq!(score(&[(".github/workflows/a.yml", &job(""))]), 9);
        assert_eq!(
            score(&[
                (".github/workflows/a.yml", &job("")),
                (".github/workflows/b.yml", &job("")),
                (".github/workflows/c.yml", &job("")),
            ]),
            8
        );
        // Undeclared top over an undeclared job: 0.
        let bare = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n";
        assert_eq!(score(&[(".github/workflows/a.yml", bare)]), 0);
        // Top-level scopes by weight: contents write costs all ten points, checks and
        // statuses half a point each, security-events one; scopes Scorecard does not weigh
        // (id-token, pull-requests) nothing.
        let top = |scopes: &str| {
            format!(
                "on: push\npermissions:\n{scopes}jobs:\n  a:\n    runs-on: x\n    permissions: read-all\n    steps:\n      - run: make\n"
            )
        };
        // write-all at the top: 0 over a job writing contents, unless the workflow needs it
        // (a release tool), then half a point.
        let all = |step: &str| {
            format!(
                "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n{step}"
            )
        };
        for (wf, want) in [
            (top("  contents: write\n"), 0),
            (top("  checks: write\n  statuses: write\n"), 9),
            (top("  security-events: write\n  checks: write\n"), 8),
            (top("  id-token: write\n  pull-requests: write\n"), 10),
            (all("      - run: make\n"), 0),
            (all("      - run: npx semantic-release\n"), 9),
        ] {
            assert_eq!(score(&[(".github/workflows/a.yml", &wf)]), want, "{wf}");
        }
    }

    /// Scorecard's Security-Policy text scoring (checks/raw/security_policy.go): 6 for a
    /// link or e-mail, 3 for text beyond the links, 1 for two or more hints (numbers,
    /// "disclos", "vuln"); a well-written policy without a timeline still gets 10.
    #[test]
    fn security_policy_uses_scorecards_text_scoring() {
        let pack = builtin().unwrap();
        let score = |text: &str| {
            score_of(
                &evaluate(&pack, &evidence_of(&[("SECURITY.md", text)]), None),
                "Security-Policy",
            )
            .0
        };
        assert_eq!(
            score(
                "# Security\n\nPlease use GitHub's private vulnerability reporting at https://github.com/o/r/security/advisories/new to report a vulnerability.\n"
            ),
            10
        );
        // Only a link: no text beyond it, no hints.
        assert_eq!(score("https://example.org/report\n"), 6);
        // Text and hints but nowhere to report.
        assert_eq!(
            score("We fix vulnerabilities within 30 days of disclosure.\n"),
            4
        );
        // Text, no link, one hint only.
        assert_eq!(score("Talk to the maintainers about vulnerabilities.\n"), 3);
        assert_eq!(score(""), 0);
    }

    /// Scorecard counts wheels and jars wherever they are, test fixtures included, and
    /// does not count other archives (.tgz): a Python project with wheels under
    /// tests/fixtures and a packed .tgz fixture loses two points.
    #[test]
    fn binary_artifacts_count_fixture_wheels_not_tarballs() {
        let pack = builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let put = |rel: &str, bytes: &[u8]| {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        };
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest-of-a-zip";
        put("tests/fixtures/twine-4.0.2-py3-none-any.whl", zip);
        put("tests/fixtures/pkg/lib.jar", zip);
        put(
            "tests/fixtures/twine-4.0.2.tar.gz",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        );
        put("docs/bundle.zip", zip);
        // fixtures/ is excluded from annex's walk; its files git tracks are still sniffed.
        for args in [&["init", "-q"][..], &["add", "-A"][..]] {
            let ok = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return;
            }
        }
        let e = serde_json::to_value(
            annex_evidence::collect(dir.path(), &annex_evidence::Options::default()).unwrap(),
        )
        .unwrap();
        let r = evaluate(&pack, &e, None);
        let c = r
            .checks
            .iter()
            .find(|c| c.name == "Binary-Artifacts")
            .unwrap();
        assert_eq!(c.score, 8, "{c:?}");
        // The evidence names the counted binaries, not the tarball or the zip.
        let paths: Vec<&str> = c.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "tests/fixtures/pkg/lib.jar",
                "tests/fixtures/twine-4.0.2-py3-none-any.whl"
            ]
        );
    }

    /// Publishing through a package script (`npm run publish-ci`) after setup-node with
    /// the npm registry is Scorecard's npm packaging pattern.
    #[test]
    fn packaging_through_a_publish_script() {
        let pack = builtin().unwrap();
        let wf = "on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          registry-url: https://registry.npmjs.org\n      - run: yarn run publish-ci\n";
        let s = score_of(
            &evaluate(
                &pack,
                &evidence_of(&[(".github/workflows/publish-ci.yml", wf)]),
                None,
            ),
            "Packaging",
        );
        // "yarn run publish-ci" does not match Scorecard's `npm.*publish`.
        assert_eq!(s.0, -1, "{s:?}");
        let npm = wf.replace("yarn run", "npm run");
        let s = score_of(
            &evaluate(
                &pack,
                &evidence_of(&[(".github/workflows/publish-ci.yml", &npm)]),
                None,
            ),
            "Packaging",
        );
        assert_eq!(s.0, 10, "{s:?}");
    }

    /// License: 9 for a licence file at the top, the tenth point for an approved licence
    /// read from the text (Scorecard --local gives it only for names like LICENSE-MIT;
    /// online it gives it from the forge, as annex does). A licence file only in a
    /// subdirectory does not count.
    #[test]
    fn license_points() {
        let pack = builtin().unwrap();
        let score = |files: &[(&str, &str)]| {
            score_of(&evaluate(&pack, &evidence_of(files), None), "License").0
        };
        assert_eq!(score(&[("LICENSE", MIT)]), 10);
        assert_eq!(
            score(&[("LICENSE", "All rights reserved. Do not copy.\n")]),
            9
        );
        assert_eq!(score(&[("vendor/x/LICENSE", MIT)]), 0);
    }

    /// A workflow that only uploads SARIF (sigstore-python's scorecards-analysis.yml:
    /// ossf/scorecard-action, then codeql-action/upload-sarif) runs no SAST tool: Scorecard
    /// counts CodeQL by `github/codeql-action/analyze`.
    #[test]
    fn sarif_upload_alone_is_not_sast() {
        let pack = builtin().unwrap();
        let wf = |step: &str| {
            format!(
                "on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n    permissions:\n      security-events: write\n    steps:\n      - uses: ossf/scorecard-action@{SHA}\n      - uses: github/codeql-action/{step}@{SHA}\n"
            )
        };
        let sast = |step: &str| {
            score_of(
                &evaluate(
                    &pack,
                    &evidence_of(&[(".github/workflows/s.yml", &wf(step))]),
                    None,
                ),
                "SAST",
            )
            .0
        };
        assert_eq!(sast("upload-sarif"), 0);
        assert_eq!(sast("analyze"), 10);
    }
}
