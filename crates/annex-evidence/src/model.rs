//! The evidence document (`annex/evidence/v1`, see `docs/evidence.md`).
//!
//! Every key is always serialised: absent things are `null`, `false`, `0` or `[]`.

use annex_inventory::detect::Kind;
use serde::{Deserialize, Serialize};

/// The schema identifier written into [`Evidence::schema`].
pub const SCHEMA: &str = "annex/evidence/v1";

/// Everything `collect` found in a checkout.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Evidence {
    pub schema: String,
    pub generator: Generator,
    /// Absolute path of the walked root.
    pub root: String,
    pub walk: Walk,
    pub project: Project,
    pub docs: Docs,
    pub license: License,
    pub deps: Deps,
    pub ci: Ci,
    pub tests: Tests,
    pub fuzzing: Tools<FuzzTool>,
    pub sast: Tools<SastTool>,
    pub binaries: Binaries,
    pub secrets: Secrets,
    pub insights: Option<Insights>,
    pub sbom: Sbom,
    pub release: Release,
    pub git: Git,
    /// Files a probe needed but could not read or parse (too large, unreadable, invalid),
    /// sorted by path. A rule over a section they feed is `unknown` while they are listed:
    /// an unread file is never taken as absent or safe.
    #[serde(default)]
    pub unread: Vec<UnreadFile>,
}

/// A file a probe needed whose content was not read or could not be parsed.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnreadFile {
    /// Relative, `/`-separated path.
    pub path: String,
    /// Why: `too-large`, `unreadable` or `invalid`.
    pub reason: UnreadReason,
    /// The particulars: the size and limit, the I/O error, the parse error.
    pub detail: String,
    /// The evidence sections the file feeds (`ci`, `docs`, `license`, …): what cannot be
    /// told until it is read.
    pub sections: Vec<String>,
}

/// Why a file was not read.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum UnreadReason {
    /// Larger than `--max-file-size`.
    TooLarge,
    /// Opening or reading it failed (permissions, I/O error).
    Unreadable,
    /// Read, but its format could not be parsed (a workflow that is not valid YAML).
    Invalid,
}

impl UnreadReason {
    /// The kebab-case code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            UnreadReason::TooLarge => "too-large",
            UnreadReason::Unreadable => "unreadable",
            UnreadReason::Invalid => "invalid",
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

/// Where a thing was found. `line` is 1-based (1 for a whole file); `digest` is
/// `sha256:<hex>` of the file for whole-file facts, else `null`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fact {
    pub path: String,
    pub line: u64,
    pub digest: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    /// Regular files seen (not excluded, not ignored, not symlinks).
    pub files: u64,
    /// Directories seen below the root.
    pub dirs: u64,
    pub bytes_read: u64,
    /// Files above `max_file_size`: not read except for an 8-byte-to-1-KiB magic sniff.
    pub skipped_large: u64,
    pub skipped_symlinks: u64,
    /// The exclusion globs in force (defaults and options), sorted.
    pub excluded: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Project {
    pub has_code: bool,
    pub languages: Vec<String>,
    pub is_git: bool,
    pub remote_url: Option<String>,
    /// Whether the origin remote can tell where the project is published: `ok` for a hosted
    /// URL or no remote at all, `unknown` for a local path or mirror, which hides it.
    #[serde(default)]
    pub origin: Knowable,
}

/// A fact that the checkout may be unable to tell (`status` `ok` or `unknown`, with the
/// reason when unknown).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Knowable {
    pub status: String,
    pub reason: Option<String>,
}

impl Default for Knowable {
    fn default() -> Self {
        Knowable {
            status: "ok".into(),
            reason: None,
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Docs {
    pub readme: Option<Fact>,
    pub contributing: Option<Fact>,
    pub code_of_conduct: Option<Fact>,
    pub changelog: Option<Fact>,
    pub governance: Option<Fact>,
    pub maintainers: Option<Fact>,
    pub support: Option<Fact>,
    pub user_docs: Option<Fact>,
    pub build_instructions: Option<Fact>,
    pub contributing_requirements: Option<Fact>,
    pub security_policy: Option<SecurityPolicy>,
    pub security_txt: Option<SecurityTxt>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SecurityPolicy {
    pub path: String,
    pub line: u64,
    pub digest: Option<String>,
    pub contacts: Vec<Contact>,
    pub private_reporting: Option<Fact>,
    pub response_days: Option<ResponseDays>,
    pub disclosure: Option<Fact>,
    pub supported_versions: Option<Fact>,
    /// Counts of the policy's text as OpenSSF Scorecard measures it (its score is built
    /// from these, not from the facts above).
    #[serde(default)]
    pub text: PolicyText,
}

/// The size of a security policy and what its text links to, counted with Scorecard's
/// patterns (`checks/raw/security_policy.go`): URLs and e-mail addresses, and "hints"
/// (numbers of up to four digits, `disclos…`, `vuln…`).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyText {
    /// Bytes.
    pub size: u64,
    /// Distinct URLs plus distinct e-mail addresses.
    pub links: u64,
    /// Bytes of those distinct links.
    pub linked_chars: u64,
    /// Every hint match, repeats included.
    pub hints: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Email,
    Url,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
    pub line: u64,
}

/// A promised response time, converted to calendar days (weeks × 7, business days × 7/5,
/// hours / 24, months × 30, each rounded up).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseDays {
    pub days: u64,
    pub line: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SecurityTxt {
    pub path: String,
    pub line: u64,
    pub digest: Option<String>,
    pub contacts: Vec<String>,
    pub expires: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct License {
    pub files: Vec<LicenseFile>,
    pub declared: Vec<DeclaredLicense>,
    pub spdx_ids: Vec<String>,
    pub all_osi_approved: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LicenseFile {
    pub path: String,
    pub line: u64,
    pub digest: Option<String>,
    /// An SPDX id, or an expression when the file carries an `SPDX-License-Identifier:`
    /// line with one.
    pub spdx: Option<String>,
    pub osi_approved: bool,
    pub fsf_libre: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct DeclaredLicense {
    pub path: String,
    pub line: u64,
    pub expression: String,
    /// The expression parses as a strict SPDX expression.
    pub valid: bool,
    /// The expression can be satisfied with OSI-approved licences only.
    pub osi_approved: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Deps {
    pub manifests: Vec<DepFile>,
    pub lockfiles: Vec<DepFile>,
    pub ecosystems: Vec<String>,
    pub unlocked_ecosystems: Vec<String>,
    pub update_tool: Option<UpdateTool>,
    pub sca: Option<Fact>,
    /// Lockfiles and manifests the inventory did not read, and why (filled by the
    /// pipeline, which parses them; empty when the evidence is collected alone).
    #[serde(default)]
    pub skipped: Vec<annex_checkout::Skipped>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct DepFile {
    pub path: String,
    pub ecosystem: String,
    pub kind: Kind,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UpdateToolKind {
    Dependabot,
    Renovate,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct UpdateTool {
    pub tool: UpdateToolKind,
    pub path: String,
    pub line: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Ci {
    /// `github-actions`, `gitlab`, `circleci`, `azure`, `travis`, `jenkins`, `buildkite`.
    pub providers: Vec<String>,
    pub workflows: Vec<Fact>,
    pub runs_tests: Option<Fact>,
    pub runs_on_pull_request: Option<Fact>,
    /// Findings of the YAML-aware analysis of workflows, GitLab CI, Dockerfiles and scripts.
    pub workflow_findings: Vec<WorkflowFinding>,
    /// Declared token permissions of each GitHub Actions workflow.
    pub workflow_permissions: Vec<WorkflowPermissions>,
    pub pinning: Pinning,
    pub test_steps: Vec<CiStep>,
    pub sast_steps: Vec<CiStep>,
    pub sca_steps: Vec<CiStep>,
    pub sbom_steps: Vec<CiStep>,
    /// Signing and provenance steps (cosign, sigstore, slsa-github-generator, attest…).
    pub signing_steps: Vec<CiStep>,
    pub publish_steps: Vec<CiStep>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Tests {
    pub present: bool,
    /// Top-most test directories, then test files outside them (at most 200 entries).
    pub paths: Vec<String>,
    /// Test files: source files under test directories, files named by a test convention,
    /// Rust files with `#[test]`.
    pub count: u64,
}

/// A list of tools found, each with where it was found.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Tools<T> {
    pub present: bool,
    pub tools: Vec<ToolHit<T>>,
}

impl<T> Default for Tools<T> {
    fn default() -> Self {
        Tools {
            present: false,
            tools: Vec::new(),
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ToolHit<T> {
    pub tool: T,
    pub path: String,
    pub line: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum FuzzTool {
    CargoFuzz,
    OssFuzz,
    GoFuzz,
    Atheris,
    Jazzer,
    Libfuzzer,
    Clusterfuzzlite,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum SastTool {
    Codeql,
    Semgrep,
    Sonar,
    Clippy,
    Bandit,
    Gosec,
    EslintSecurity,
    Scorecard,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Binaries {
    pub files: Vec<BinaryFile>,
    /// Binaries among the files git tracks in excluded directories (`fixtures/`,
    /// `vendor/`…), recognised by their first bytes only. The OSPS rules do not read them;
    /// Scorecard's Binary-Artifacts counts them, as Scorecard walks every file.
    #[serde(default)]
    pub pruned: Vec<BinaryFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum BinaryKind {
    Elf,
    Pe,
    Macho,
    JavaClass,
    Wasm,
    Jar,
    Archive,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct BinaryFile {
    pub path: String,
    pub kind: BinaryKind,
    pub size: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Secrets {
    pub findings: Vec<SecretFinding>,
    pub gitignore: Option<GitignoreCoverage>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    PrivateKey,
    AwsAccessKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    GoogleApiKey,
    StripeKey,
    NpmToken,
    PypiToken,
}

/// A high-confidence secret pattern. The matched value is never recorded.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretFinding {
    pub kind: SecretKind,
    pub path: String,
    pub line: u64,
    /// Where it sits: shipped code and configuration, or a sample (test, fixture, docs,
    /// example) that a reviewer should confirm is not a live credential.
    #[serde(default)]
    pub place: SecretPlace,
}

/// Where a secret was found, from its path.
#[derive(
    Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum SecretPlace {
    /// Code or configuration that is built, shipped or deployed.
    #[default]
    Shipped,
    /// A test file (`*.spec.ts`, `*_test.go`) or a file under a tests directory.
    Test,
    /// Test data: under `fixtures/`, `testdata/`, `__mocks__/`…
    Fixture,
    /// Documentation: Markdown, reStructuredText, AsciiDoc, or under `docs/`.
    Docs,
    /// Under `examples/` or `samples/`.
    Example,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct GitignoreCoverage {
    pub path: String,
    pub line: u64,
    /// `.env` is ignored.
    pub ignores_env: bool,
    /// `*.pem` or `*.key` files are ignored.
    pub ignores_keys: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Insights {
    pub path: String,
    pub line: u64,
    pub digest: Option<String>,
    pub schema_version: Option<String>,
    pub has_vulnerability_reporting: bool,
    pub has_security_contacts: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Sbom {
    pub files: Vec<SbomFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SbomFormat {
    Cyclonedx,
    Spdx,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SbomFile {
    pub path: String,
    pub format: SbomFormat,
    pub line: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Release {
    pub signing: Option<Fact>,
    pub provenance: Option<Fact>,
    pub sbom_generation: Option<Fact>,
}

/// `git`: what the checkout's history tells (docs/evidence.md, "git"). Counts are `null`
/// with a `reason` when the history cannot tell (no repository, no commits, a shallow
/// clone, an unreadable object store), never `0`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Git {
    /// A repository was found and its HEAD commit read.
    pub present: bool,
    /// Why some values are `null`; `null` when every value could be computed.
    pub reason: Option<String>,
    /// The HEAD commit id.
    pub head: Option<String>,
    pub shallow: bool,
    /// How far the history walk went, and its bounds.
    pub walk: GitWalk,
    pub commits_90d: Option<u64>,
    pub commits_365d: Option<u64>,
    /// Distinct author e-mail addresses (lowercased) of those commits.
    pub authors_90d: Option<u64>,
    pub authors_365d: Option<u64>,
    /// Developer Certificate of Origin sign-off over the walked non-merge commits.
    pub dco: Option<Share>,
    /// Commit signatures over the walked non-merge commits.
    pub signed_commits: Option<Signatures>,
    /// Days since the HEAD commit was committed, relative to `now`.
    pub last_commit_days: Option<i64>,
    pub tags: Option<Tags>,
    /// Days since the newest release tag, relative to `now`.
    pub last_release_days: Option<i64>,
    /// `remote "origin"` with credentials removed.
    pub remote_url: Option<String>,
    /// `github`, `gitlab`, `codeberg`, `bitbucket` or `other`, from the remote's host.
    pub forge: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct GitWalk {
    /// Commits read.
    pub commits: u64,
    /// The walk stopped at `max_commits` while commits inside the window remained.
    pub truncated: bool,
    pub max_commits: u64,
    pub max_days: u64,
}

/// `count` of `total`, and `count / total` (0 when `total` is 0).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Share {
    pub total: u64,
    pub count: u64,
    pub share: f64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Signatures {
    pub total: u64,
    pub signed: u64,
    pub share: f64,
    /// Signature kinds seen: `gpg`, `ssh`, `x509`, `unknown`.
    pub kinds: Vec<String>,
    /// Whether the head commit is signed.
    pub head_signed: bool,
    /// Verification of the counted signatures against the keys given in
    /// [`crate::Options::signers`]; `null` when no keys were given.
    pub verified: Option<Verification>,
}

/// Signatures checked against the given keys (docs/evidence.md, "Git history"). A signature
/// is checked when keys of its kind were given (an allowed_signers file for `ssh`, a
/// keyring for `gpg`); `checked` = `valid` + `invalid` + `unknown_key`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verification {
    pub checked: u64,
    /// Made by a given key over the exact signed bytes.
    pub valid: u64,
    /// Claims a given key but does not verify (altered payload, wrong namespace, malformed).
    pub invalid: u64,
    /// Made by a key that is not among the given ones.
    pub unknown_key: u64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Tags {
    /// Every tag under refs/tags.
    pub count: u64,
    /// Tags that name a release: a version number (`v1.2`, `1.2.3`, `2024.01`, `name-1.0`).
    pub release: u64,
    /// Release tags following a semver-like scheme (`v1.2.3`, `1.2.3-rc.1`, `name-v1.2.3`).
    pub semver: u64,
    pub annotated: u64,
    /// Annotated tags carrying a signature block.
    pub signed: u64,
    pub kinds: Vec<String>,
    /// Verification of the signed tags (see [`Signatures::verified`]).
    pub verified: Option<Verification>,
    /// The newest release tag by date.
    pub latest: Option<TagInfo>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TagInfo {
    pub name: String,
    /// Days since it was tagged (tagger date, or its commit's date for lightweight tags).
    pub days: Option<i64>,
    pub semver: bool,
    pub annotated: bool,
    pub signed: bool,
    pub kind: Option<String>,
    /// `true` when its signature verifies with a given key, `false` when it does not (invalid
    /// or unknown key), `null` when unsigned or no keys of its kind were given.
    #[serde(default)]
    pub verified: Option<bool>,
}

/// A problem or fact found in a CI configuration, Dockerfile or script, with its line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkflowFinding {
    pub path: String,
    pub line: u64,
    /// See docs/evidence.md for the list of kinds.
    pub kind: String,
    /// The job (GitHub Actions) or job name (GitLab) it is in, when it is in one.
    pub job: Option<String>,
    pub detail: String,
}

/// Permissions declared by one GitHub Actions workflow.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct WorkflowPermissions {
    pub path: String,
    pub line: u64,
    /// `undeclared`, `none` (`{}`), `read-all`, `write-all`, `read` (only read scopes),
    /// `write` (some write scope).
    pub top: String,
    /// Scopes granted `write` at the top level (`all` for write-all).
    pub top_writes: Vec<String>,
    pub jobs: Vec<JobPermissions>,
    /// What a job of the workflow evidently does, recognised by the steps Scorecard looks
    /// for: `publish` (a package registry upload), `release` (a release tool), `pages`
    /// (a GitHub Pages deployment), `sarif` (an allowed SARIF upload).
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Job write scopes those purposes need, so that they are not excessive: `packages`
    /// to publish, `contents` to release or deploy pages, `security-events` for SARIF.
    #[serde(default)]
    pub needed_writes: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct JobPermissions {
    pub job: String,
    pub line: u64,
    /// As [`WorkflowPermissions::top`].
    pub permissions: String,
    pub writes: Vec<String>,
}

/// A CI step of a kind the rules care about (tests, SAST, SCA, SBOM, signing, publishing).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CiStep {
    pub path: String,
    pub line: u64,
    pub tool: String,
    /// The workflow/pipeline runs on pull or merge requests.
    pub on_pull_request: bool,
    /// The workflow/pipeline runs on tags or releases.
    pub release: bool,
}

/// Dependencies pinned by hash, of one kind: `pinned` of `total`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinCount {
    pub pinned: u64,
    pub total: u64,
}

/// Pinning of build dependencies by kind, over GitHub workflows, Dockerfiles and scripts:
/// what Scorecard's Pinned-Dependencies reads, in its groups. Composite actions and GitLab CI
/// are not counted here (Scorecard reads neither); their unpinned uses are still findings.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Pinning {
    /// `actions/*` and `github/*` actions.
    pub actions_github_owned: PinCount,
    pub actions_third_party: PinCount,
    /// Dockerfile `FROM`, GitLab `image:`, workflow `container:`/`services:`, `docker://`.
    pub container_images: PinCount,
    /// `curl … | sh` and the like (never pinned).
    pub download_then_run: PinCount,
    /// `pip install` (pinned with `--require-hashes`/`--hash`, or `-r` a hashed file).
    pub pip: PinCount,
    /// `npm install` (unpinned) against `npm ci` (pinned).
    pub npm: PinCount,
}
