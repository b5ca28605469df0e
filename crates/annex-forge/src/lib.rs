//! Optional forge evidence: repository settings read from the GitHub or GitLab REST API.
//!
//! [`collect`] never fails as a whole: every fact carries its own `status` (`ok`, `forbidden`,
//! `not-found`, `error`) and a `reason`, so a token without a permission leads to `not-run` for
//! the rules that need that fact, never to a `fail`. See docs/evidence.md, "Forge".

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

/// The forge whose API is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ForgeKind {
    GitHub,
    GitLab,
}

impl ForgeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ForgeKind::GitHub => "github",
            ForgeKind::GitLab => "gitlab",
        }
    }

    /// The public API root of the hosted forge.
    pub fn default_api_base(&self) -> &'static str {
        match self {
            ForgeKind::GitHub => "https://api.github.com",
            ForgeKind::GitLab => "https://gitlab.com/api/v4",
        }
    }
}

impl fmt::Display for ForgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ForgeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "github" => Ok(ForgeKind::GitHub),
            "gitlab" => Ok(ForgeKind::GitLab),
            other => Err(format!(
                "unknown forge `{other}` (expected github or gitlab)"
            )),
        }
    }
}

/// What to ask and how.
#[derive(Debug, Clone)]
pub struct ForgeOptions {
    pub kind: ForgeKind,
    /// API root without a trailing slash, e.g. `https://api.github.com`.
    pub api_base: String,
    pub token: Option<String>,
    /// Organisation or user (GitHub); group path, possibly nested `a/b` (GitLab).
    pub owner: String,
    pub repo: String,
    /// Timeout of each request.
    pub timeout: Duration,
}

impl ForgeOptions {
    /// Options for the hosted forge's default API root, no token, 20 s timeout.
    pub fn new(kind: ForgeKind, owner: impl Into<String>, repo: impl Into<String>) -> Self {
        ForgeOptions {
            kind,
            api_base: kind.default_api_base().to_string(),
            token: None,
            owner: owner.into(),
            repo: repo.into(),
            timeout: Duration::from_secs(20),
        }
    }
}

/// How a fact was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactStatus {
    Ok,
    Forbidden,
    NotFound,
    Error,
}

/// One forge fact: `value` is `null` unless `status` is `ok`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub value: Value,
    pub status: FactStatus,
    pub reason: Option<String>,
}

impl Fact {
    pub fn ok(value: Value) -> Self {
        Fact {
            value,
            status: FactStatus::Ok,
            reason: None,
        }
    }
    pub fn ok_because(value: Value, reason: impl Into<String>) -> Self {
        Fact {
            value,
            status: FactStatus::Ok,
            reason: Some(reason.into()),
        }
    }
    pub fn unavailable(status: FactStatus, reason: impl Into<String>) -> Self {
        Fact {
            value: Value::Null,
            status,
            reason: Some(reason.into()),
        }
    }
    pub fn is_ok(&self) -> bool {
        self.status == FactStatus::Ok
    }
}

/// The facts (docs/evidence.md, "Forge").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForgeFacts {
    /// `"main"`.
    pub default_branch: Fact,
    /// Classic protection and rulesets merged; see [`protection_value`] for the shape.
    pub branch_protection: Fact,
    /// Whether the owning organisation/group requires two-factor authentication.
    pub org_two_factor_required: Fact,
    /// Whether private vulnerability reporting is on.
    pub private_vulnerability_reporting: Fact,
    /// `"public"`, `"private"` or `"internal"`.
    pub repository_visibility: Fact,
    /// Whether the issue tracker is enabled.
    pub issues_enabled: Fact,
    /// Base permission of organisation members: `"none"`, `"read"`, `"write"`, `"admin"`.
    pub collaborators_default_permission: Fact,
    /// Default `GITHUB_TOKEN` permissions of workflows: `"read"` or `"write"`.
    pub actions_default_workflow_permissions: Fact,
}

impl ForgeFacts {
    fn all(status: FactStatus, reason: &str) -> Self {
        let f = || Fact::unavailable(status, reason);
        ForgeFacts {
            default_branch: f(),
            branch_protection: f(),
            org_two_factor_required: f(),
            private_vulnerability_reporting: f(),
            repository_visibility: f(),
            issues_enabled: f(),
            collaborators_default_permission: f(),
            actions_default_workflow_permissions: f(),
        }
    }
}

/// The `forge` section of the evidence document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForgeEvidence {
    pub kind: ForgeKind,
    /// `owner/repo` (GitLab: `group/sub/project`).
    pub repository: String,
    pub api_base: String,
    /// Whether a token was sent.
    pub authenticated: bool,
    pub facts: ForgeFacts,
}

/// The host (lower-case) and path of a remote URL in any of the forms [`parse_remote`]
/// takes.
fn split_remote(url: &str) -> Option<(String, &str)> {
    let url = url.trim();
    let (host, path) = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(
            scheme,
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git"
        ) {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split_once(':').map_or(host, |(h, _)| h);
        (host, path)
    } else {
        // scp-like: [user@]host:path
        let (authority, path) = url.split_once(':')?;
        if authority.contains('/') {
            return None;
        }
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        (host, path)
    };
    Some((host.to_ascii_lowercase(), path))
}

/// The web prefix of a file on the remote's default branch (`https://github.com/o/r/blob/HEAD/`,
/// GitLab `https://host/group/r/-/blob/HEAD/`), for links to evidence; `None` for other forges.
pub fn file_url_base(url: &str) -> Option<String> {
    let (kind, owner, repo) = parse_remote(url)?;
    let (host, _) = split_remote(url)?;
    Some(match kind {
        ForgeKind::GitHub => format!("https://github.com/{owner}/{repo}/blob/HEAD/"),
        ForgeKind::GitLab => format!("https://{host}/{owner}/{repo}/-/blob/HEAD/"),
    })
}

/// Recognise a GitHub or GitLab remote (https, http, git, ssh:// and scp-like `git@host:o/r`
/// forms; credentials and a `.git` suffix are ignored). Returns the owner (GitLab: the full
/// group path) and the repository name. Hosts other than github.com / a host whose name
/// contains `gitlab` give `None`.
pub fn parse_remote(url: &str) -> Option<(ForgeKind, String, String)> {
    let (host, path) = split_remote(url)?;
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() < 2 || segs.iter().any(|s| *s == "." || *s == "..") {
        return None;
    }
    if host == "github.com" || host == "www.github.com" {
        if segs.len() != 2 {
            return None;
        }
        return Some((ForgeKind::GitHub, segs[0].to_string(), segs[1].to_string()));
    }
    if host.split('.').any(|label| label.contains("gitlab")) {
        // `/-/` starts a GitLab route (tree, blob…), not part of the project path.
        let end = segs.iter().position(|s| *s == "-").unwrap_or(segs.len());
        if end < 2 {
            return None;
        }
        let owner = segs[..end - 1].join("/");
        return Some((ForgeKind::GitLab, owner, segs[end - 1].to_string()));
    }
    None
}

/// Ask the forge; never fails as a whole.
pub fn collect(opts: &ForgeOptions) -> ForgeEvidence {
    let client = Client::new(opts);
    let facts = match opts.kind {
        ForgeKind::GitHub => github(&client, opts),
        ForgeKind::GitLab => gitlab(&client, opts),
    };
    ForgeEvidence {
        kind: opts.kind,
        repository: format!("{}/{}", opts.owner, opts.repo),
        api_base: opts.api_base.trim_end_matches('/').to_string(),
        authenticated: opts.token.is_some(),
        facts,
    }
}

// ------------------------------------------------------------------------------------------
// HTTP

/// Why a request gave no usable JSON.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// 401/403 (not a rate limit).
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// Transport failure, rate limit, 5xx, unexpected status or a body that is not JSON.
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    fn fact(&self) -> Fact {
        let status = match self {
            FetchError::Forbidden(_) => FactStatus::Forbidden,
            FetchError::NotFound(_) => FactStatus::NotFound,
            FetchError::Other(_) => FactStatus::Error,
        };
        Fact::unavailable(status, self.to_string())
    }
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
    kind: ForgeKind,
}

/// Longest response body read (protection and rulesets are small; a repository is ~10 KiB).
const MAX_BODY: u64 = 4 * 1024 * 1024;

impl Client {
    fn new(opts: &ForgeOptions) -> Self {
        let base = opts.api_base.trim_end_matches('/').to_string();
        let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| base.starts_with(p));
        let mut cfg = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("annex/", env!("CARGO_PKG_VERSION")));
        if local {
            cfg = cfg.proxy(None);
        }
        Client {
            agent: cfg.build().new_agent(),
            base,
            token: opts.token.clone().filter(|t| !t.is_empty()),
            kind: opts.kind,
        }
    }

    /// GET `path` (already percent-encoded). `needs` names the permission the endpoint
    /// requires, used in the reason of a 401/403.
    fn get(&self, path: &str, needs: &str) -> Result<Value, FetchError> {
        let url = format!("{}{}", self.base, path);
        let mut req = self.agent.get(&url);
        req = match self.kind {
            ForgeKind::GitHub => req
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28"),
            ForgeKind::GitLab => req.header("Accept", "application/json"),
        };
        if let Some(t) = &self.token {
            req = match self.kind {
                ForgeKind::GitHub => req.header("Authorization", &format!("Bearer {t}")),
                ForgeKind::GitLab => req.header("PRIVATE-TOKEN", t),
            };
        }
        let mut resp = req
            .call()
            .map_err(|e| FetchError::Other(format!("GET {path}: {e}")))?;
        let status = resp.status().as_u16();
        let rate_limited = resp
            .headers()
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0");
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| FetchError::Other(format!("GET {path}: reading the body: {e}")))?;
        let message = api_message(&body);
        match status {
            200..=299 => serde_json::from_str(&body)
                .map_err(|e| FetchError::Other(format!("GET {path}: not JSON: {e}"))),
            429 => Err(FetchError::Other(format!("GET {path}: rate limited (429)"))),
            403 if rate_limited => Err(FetchError::Other(format!(
                "GET {path}: rate limited (403, x-ratelimit-remaining: 0)"
            ))),
            401 | 403 => Err(FetchError::Forbidden(match &self.token {
                None => format!(
                    "GET {path} needs authentication ({status} unauthenticated{message}); give a token with {needs}"
                ),
                Some(_) => {
                    format!("GET {path} refused ({status}{message}); the token needs {needs}")
                }
            })),
            404 => Err(FetchError::NotFound(format!(
                "GET {path}: not found (404{message})"
            ))),
            _ => Err(FetchError::Other(format!(
                "GET {path}: HTTP {status}{message}"
            ))),
        }
    }
}

/// `: <message>` from an API error body (`{"message": …}` on both forges), or empty.
fn api_message(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let m = v
        .get("message")
        .or_else(|| v.get("error"))
        .map(|m| match m {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let m: String = m.chars().take(200).collect();
    if m.is_empty() { m } else { format!(": {m}") }
}

/// Percent-encode one path segment (GitLab project ids `a/b` → `a%2Fb`, branch names).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// Branch protection

/// Merged protection of the default branch. Absent protection is all `false`/`0`/`[]` with
/// `allow_force_pushes`/`allow_deletions` `true` (what an unprotected branch allows).
#[derive(Debug, Clone, Default)]
struct Protection {
    protected: bool,
    sources: Vec<&'static str>,
    requires_pull_request: bool,
    required_reviews: u64,
    dismiss_stale: bool,
    require_code_owner: bool,
    enforce_admins: bool,
    required_status_checks: Vec<String>,
    blocks_force_pushes: bool,
    blocks_deletions: bool,
}

/// The `branch_protection` value.
fn protection_value(p: &Protection) -> Value {
    let mut checks = p.required_status_checks.clone();
    checks.sort();
    checks.dedup();
    json!({
        "protected": p.protected,
        "sources": p.sources,
        "requires_pull_request": p.requires_pull_request,
        "required_reviews": p.required_reviews,
        "dismiss_stale": p.dismiss_stale,
        "require_code_owner": p.require_code_owner,
        "enforce_admins": p.enforce_admins,
        "required_status_checks": checks,
        "allow_force_pushes": !p.blocks_force_pushes,
        "allow_deletions": !p.blocks_deletions,
    })
}

fn enabled(v: &Value, key: &str) -> bool {
    v.get(key)
        .and_then(|e| e.get("enabled").or(Some(e)))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Pull-request review settings; classic protection and rulesets name two of them apart.
fn merge_reviews(p: &mut Protection, r: &Value, dismiss_stale_key: &str, code_owner_key: &str) {
    p.requires_pull_request = true;
    let n = r
        .get("required_approving_review_count")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    p.required_reviews = p.required_reviews.max(n);
    let flag = |key: &str| r.get(key).and_then(Value::as_bool).unwrap_or(false);
    p.dismiss_stale |= flag(dismiss_stale_key);
    p.require_code_owner |= flag(code_owner_key);
}

/// Classic branch protection (`GET /repos/{o}/{r}/branches/{b}/protection`).
fn merge_classic(p: &mut Protection, c: &Value) {
    p.protected = true;
    p.sources.push("classic");
    if let Some(r) = c
        .get("required_pull_request_reviews")
        .filter(|r| r.is_object())
    {
        merge_reviews(p, r, "dismiss_stale_reviews", "require_code_owner_reviews");
    }
    if let Some(s) = c.get("required_status_checks").filter(|s| s.is_object()) {
        let mut names: Vec<String> = Vec::new();
        if let Some(cs) = s.get("checks").and_then(Value::as_array) {
            names.extend(
                cs.iter()
                    .filter_map(|c| c.get("context")?.as_str().map(str::to_string)),
            );
        }
        if let Some(cs) = s.get("contexts").and_then(Value::as_array) {
            names.extend(cs.iter().filter_map(|c| c.as_str().map(str::to_string)));
        }
        p.required_status_checks.extend(names);
    }
    p.enforce_admins |= enabled(c, "enforce_admins");
    p.blocks_force_pushes |= !enabled(c, "allow_force_pushes");
    p.blocks_deletions |= !enabled(c, "allow_deletions");
}

/// Active ruleset rules for the branch (`GET /repos/{o}/{r}/rules/branches/{b}`).
fn merge_rules(p: &mut Protection, rules: &Value) {
    let Some(rules) = rules.as_array() else {
        return;
    };
    let mut any = false;
    for r in rules {
        let params = r.get("parameters").cloned().unwrap_or(Value::Null);
        match r.get("type").and_then(Value::as_str).unwrap_or("") {
            "pull_request" => {
                any = true;
                merge_reviews(
                    p,
                    &params,
                    "dismiss_stale_reviews_on_push",
                    "require_code_owner_review",
                );
            }
            "required_status_checks" => {
                any = true;
                if let Some(cs) = params
                    .get("required_status_checks")
                    .and_then(Value::as_array)
                {
                    p.required_status_checks.extend(
                        cs.iter()
                            .filter_map(|c| c.get("context")?.as_str().map(str::to_string)),
                    );
                }
            }
            "deletion" => {
                any = true;
                p.blocks_deletions = true;
            }
            "non_fast_forward" => {
                any = true;
                p.blocks_force_pushes = true;
            }
            "update" | "required_linear_history" | "required_signatures" | "creation" => any = true,
            _ => {}
        }
    }
    if any {
        p.protected = true;
        p.sources.push("rulesets");
    }
}

// ------------------------------------------------------------------------------------------
// GitHub

const GH_METADATA: &str = "read access to the repository (fine-grained: Metadata: read)";
const GH_ADMIN: &str =
    "admin access to the repository (fine-grained: Administration: read; classic: repo scope)";
const GH_ORG_OWNER: &str = "an organisation owner's token (fine-grained: organisation Administration: read; classic: read:org)";

fn github(c: &Client, o: &ForgeOptions) -> ForgeFacts {
    let repo_path = format!("/repos/{}/{}", enc(&o.owner), enc(&o.repo));
    let repo = match c.get(&repo_path, GH_METADATA) {
        Ok(r) => r,
        Err(e) => {
            let f = e.fact();
            return ForgeFacts::all(f.status, f.reason.as_deref().unwrap_or(""));
        }
    };
    let default_branch = repo
        .get("default_branch")
        .and_then(Value::as_str)
        .map(str::to_string);
    let visibility = repo
        .get("visibility")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            repo.get("private")
                .and_then(Value::as_bool)
                .map(|p| if p { "private" } else { "public" }.to_string())
        });
    let missing = |what: &str| {
        Fact::unavailable(
            FactStatus::Error,
            format!("GET {repo_path}: no `{what}` in the response"),
        )
    };

    let branch_protection = match &default_branch {
        None => missing("default_branch"),
        Some(b) => {
            let mut p = Protection::default();
            let classic = c.get(
                &format!("{repo_path}/branches/{}/protection", enc(b)),
                GH_ADMIN,
            );
            let rules = c.get(
                &format!("{repo_path}/rules/branches/{}", enc(b)),
                GH_METADATA,
            );
            let mut failure = None;
            match classic {
                Ok(v) => merge_classic(&mut p, &v),
                // "Branch not protected": no classic protection.
                Err(FetchError::NotFound(_)) => {}
                Err(e) => failure = Some(e),
            }
            match rules {
                Ok(v) => merge_rules(&mut p, &v),
                Err(FetchError::NotFound(_)) => {}
                Err(e) => failure = failure.or(Some(e)),
            }
            match failure {
                Some(e) => e.fact(),
                None => Fact::ok(protection_value(&p)),
            }
        }
    };

    let is_org = repo
        .get("owner")
        .and_then(|w| w.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == "Organization");
    let (org_two_factor_required, collaborators_default_permission) = if is_org {
        match c.get(&format!("/orgs/{}", enc(&o.owner)), GH_ORG_OWNER) {
            Ok(org) => {
                let owner_only = |key: &str| match org.get(key) {
                    Some(v) if !v.is_null() => Fact::ok(v.clone()),
                    _ => Fact::unavailable(
                        FactStatus::Forbidden,
                        format!(
                            "GitHub shows `{key}` of /orgs/{} only to organisation owners; use {GH_ORG_OWNER}",
                            o.owner
                        ),
                    ),
                };
                (
                    owner_only("two_factor_requirement_enabled"),
                    owner_only("default_repository_permission"),
                )
            }
            Err(e) => (e.fact(), e.fact()),
        }
    } else {
        let r = format!(
            "`{}` is a personal account: there are no organisation settings to read",
            o.owner
        );
        (
            Fact::unavailable(FactStatus::NotFound, r.clone()),
            Fact::unavailable(FactStatus::NotFound, r),
        )
    };

    let private_vulnerability_reporting = match c.get(
        &format!("{repo_path}/private-vulnerability-reporting"),
        GH_ADMIN,
    ) {
        Ok(v) => match v.get("enabled").and_then(Value::as_bool) {
            Some(b) => Fact::ok(Value::Bool(b)),
            None => missing("enabled"),
        },
        Err(e) => e.fact(),
    };
    let actions_default_workflow_permissions = match c.get(
        &format!("{repo_path}/actions/permissions/workflow"),
        GH_ADMIN,
    ) {
        Ok(v) => match v
            .get("default_workflow_permissions")
            .and_then(Value::as_str)
        {
            Some(p) => Fact::ok(Value::String(p.to_string())),
            None => missing("default_workflow_permissions"),
        },
        Err(e) => e.fact(),
    };

    ForgeFacts {
        default_branch: default_branch
            .map(|b| Fact::ok(Value::String(b)))
            .unwrap_or_else(|| missing("default_branch")),
        branch_protection,
        org_two_factor_required,
        private_vulnerability_reporting,
        repository_visibility: visibility
            .map(|v| Fact::ok(Value::String(v)))
            .unwrap_or_else(|| missing("visibility")),
        issues_enabled: match repo.get("has_issues").and_then(Value::as_bool) {
            Some(b) => Fact::ok(Value::Bool(b)),
            None => missing("has_issues"),
        },
        collaborators_default_permission,
        actions_default_workflow_permissions,
    }
}

// ------------------------------------------------------------------------------------------
// GitLab

const GL_READ: &str = "read access to the project (scope read_api)";
const GL_MAINTAINER: &str = "the Maintainer role on the project (scope read_api)";

/// GitLab access level 0 is "No one".
fn only_no_one(levels: Option<&Value>) -> bool {
    levels.and_then(Value::as_array).is_some_and(|ls| {
        !ls.is_empty()
            && ls
                .iter()
                .all(|l| l.get("access_level").and_then(Value::as_u64) == Some(0))
    })
}

fn gitlab(c: &Client, o: &ForgeOptions) -> ForgeFacts {
    let id = enc(&format!("{}/{}", o.owner, o.repo));
    let proj_path = format!("/projects/{id}");
    let proj = match c.get(&proj_path, GL_READ) {
        Ok(p) => p,
        Err(e) => {
            let f = e.fact();
            return ForgeFacts::all(f.status, f.reason.as_deref().unwrap_or(""));
        }
    };
    let missing = |what: &str| {
        Fact::unavailable(
            FactStatus::Error,
            format!("GET {proj_path}: no `{what}` in the response"),
        )
    };
    let default_branch = proj
        .get("default_branch")
        .and_then(Value::as_str)
        .map(str::to_string);

    let branch_protection = match &default_branch {
        None => missing("default_branch"),
        Some(b) => {
            let mut p = Protection {
                // GitLab refuses to delete a project's default branch.
                blocks_deletions: true,
                ..Protection::default()
            };
            let mut failure = None;
            match c.get(
                &format!("{proj_path}/protected_branches/{}", enc(b)),
                GL_MAINTAINER,
            ) {
                Ok(pb) => {
                    p.protected = true;
                    p.sources.push("protected-branch");
                    p.requires_pull_request = only_no_one(pb.get("push_access_levels"));
                    p.enforce_admins = p.requires_pull_request;
                    p.blocks_force_pushes = !pb
                        .get("allow_force_push")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    p.require_code_owner = pb
                        .get("code_owner_approval_required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                }
                Err(FetchError::NotFound(_)) => {}
                Err(e) => failure = Some(e),
            }
            if proj
                .get("only_allow_merge_if_pipeline_succeeds")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                && p.requires_pull_request
            {
                p.required_status_checks.push("pipeline".to_string());
            }
            match c.get(&format!("{proj_path}/approvals"), GL_MAINTAINER) {
                Ok(a) => {
                    p.required_reviews = a
                        .get("approvals_before_merge")
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                    p.dismiss_stale = a
                        .get("reset_approvals_on_push")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                }
                Err(FetchError::NotFound(_)) => {}
                Err(e) => failure = failure.or(Some(e)),
            }
            if !p.requires_pull_request {
                // Approvals only gate merge requests; direct pushes bypass them.
                p.required_reviews = 0;
            }
            match failure {
                Some(e) => e.fact(),
                None => Fact::ok(protection_value(&p)),
            }
        }
    };

    let ns = proj.get("namespace").cloned().unwrap_or(Value::Null);
    let is_group = ns.get("kind").and_then(Value::as_str) == Some("group");
    let group_path = ns
        .get("full_path")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| o.owner.clone());
    let org_two_factor_required = if is_group {
        match c.get(&format!("/groups/{}", enc(&group_path)), GL_READ) {
            Ok(g) => match g
                .get("require_two_factor_authentication")
                .and_then(Value::as_bool)
            {
                Some(b) => Fact::ok(Value::Bool(b)),
                None => Fact::unavailable(
                    FactStatus::Forbidden,
                    format!(
                        "GitLab shows `require_two_factor_authentication` of group {group_path} only to its members; use a member's token with read_api"
                    ),
                ),
            },
            Err(e) => e.fact(),
        }
    } else {
        Fact::unavailable(
            FactStatus::NotFound,
            format!("`{group_path}` is a personal namespace: there is no group setting to read"),
        )
    };

    ForgeFacts {
        default_branch: default_branch
            .map(|b| Fact::ok(Value::String(b)))
            .unwrap_or_else(|| missing("default_branch")),
        branch_protection,
        org_two_factor_required,
        private_vulnerability_reporting: Fact::unavailable(
            FactStatus::NotFound,
            "GitLab has no private vulnerability reporting switch (confidential issues serve instead)",
        ),
        repository_visibility: match proj.get("visibility").and_then(Value::as_str) {
            Some(v) => Fact::ok(Value::String(v.to_string())),
            None => missing("visibility"),
        },
        issues_enabled: match proj
            .get("issues_enabled")
            .and_then(Value::as_bool)
            .or_else(|| {
                proj.get("issues_access_level")
                    .and_then(Value::as_str)
                    .map(|l| l != "disabled")
            }) {
            Some(b) => Fact::ok(Value::Bool(b)),
            None => missing("issues_enabled"),
        },
        collaborators_default_permission: Fact::ok_because(
            Value::String("none".to_string()),
            "GitLab has no base permission: each member's role is chosen when they are added",
        ),
        actions_default_workflow_permissions: Fact::unavailable(
            FactStatus::NotFound,
            "GitLab CI has no default job-token permission setting",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_links_for_github_and_gitlab_remotes() {
        assert_eq!(
            file_url_base("git@github.com:o/r.git").as_deref(),
            Some("https://github.com/o/r/blob/HEAD/")
        );
        assert_eq!(
            file_url_base("https://user:pw@gitlab.example.org/g/sub/p.git").as_deref(),
            Some("https://gitlab.example.org/g/sub/p/-/blob/HEAD/")
        );
        assert_eq!(file_url_base("https://codeberg.org/o/r"), None);
    }

    #[test]
    fn encodes_segments() {
        assert_eq!(enc("group/sub/proj"), "group%2Fsub%2Fproj");
        assert_eq!(enc("release/1.x"), "release%2F1.x");
    }

    #[test]
    fn kind_round_trips() {
        for k in [ForgeKind::GitHub, ForgeKind::GitLab] {
            assert_eq!(k.as_str().parse::<ForgeKind>().unwrap(), k);
            assert_eq!(serde_json::to_value(k).unwrap(), json!(k.as_str()));
        }
        assert!("bitbucket".parse::<ForgeKind>().is_err());
    }

    #[test]
    fn unprotected_branch_allows_everything() {
        let v = protection_value(&Protection::default());
        assert_eq!(v["protected"], json!(false));
        assert_eq!(v["allow_deletions"], json!(true));
        assert_eq!(v["allow_force_pushes"], json!(true));
        assert_eq!(v["required_reviews"], json!(0));
    }
}
