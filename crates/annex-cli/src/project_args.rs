//! The flags every command that reads a checkout shares, turned into `annex-core` options,
//! and the one way warnings and skipped files reach stderr.

use std::path::{Path, PathBuf};

use annex_core::{AssessRequest, ForgeRequest, Project, ProjectOptions, Skipped, VulnSource};
use annex_spec::Library;
use anyhow::Context;
use clap::{Args, ValueEnum};

/// How the checkout is walked: the same flags for every command, so every command reads the
/// same files.
#[derive(Args, Debug, Clone)]
pub struct WalkArgs {
    /// Extra paths to leave out (gitignore-style globs), added to annex.toml's
    /// `[scope] exclude` and the defaults (vendor/, node_modules/, third_party/, target/,
    /// test fixtures, examples…; see --no-default-excludes).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also read what the default excludes leave out (vendored code, test fixtures,
    /// examples…). Each default-excluded lockfile is listed as skipped otherwise.
    #[arg(long)]
    pub no_default_excludes: bool,
    /// Threads for the walk and the parsers (0: one per core; at most four per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// The local Maven repository pom.xml dependencies are resolved from (its POMs,
    /// maven-metadata and .sha1 files; nothing is downloaded). Default: ~/.m2/repository
    /// when it exists.
    #[arg(long, value_name = "DIR")]
    pub maven_repo: Option<PathBuf>,
}

impl WalkArgs {
    /// `--maven-repo`, else `~/.m2/repository` if there is one (the environment is read
    /// here, in the binary).
    pub fn maven_repo(&self) -> Option<PathBuf> {
        self.maven_repo.clone().or_else(|| {
            let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
            Some(PathBuf::from(home).join(".m2/repository")).filter(|p| p.is_dir())
        })
    }
}

/// Evidence-only reading flags.
#[derive(Args, Debug, Clone)]
pub struct ProbeArgs {
    /// Files larger than this many bytes are counted but not read.
    #[arg(long, value_name = "BYTES", default_value_t = annex_evidence::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Verify SSH-signed commits and tags against this OpenSSH allowed_signers file.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Verify OpenPGP-signed commits and tags against these public keys (armored or binary).
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<PathBuf>,
}

impl Default for ProbeArgs {
    fn default() -> Self {
        ProbeArgs {
            max_file_size: annex_evidence::DEFAULT_MAX_FILE_SIZE,
            allowed_signers: None,
            keyring: None,
        }
    }
}

/// Dependency flags shared by the commands that read lockfiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct DepFlags {
    pub include_dev: bool,
    pub keep_going: bool,
}

/// The default advisory database directory: `$XDG_CACHE_HOME/annex/db`, else
/// `~/.cache/annex/db` (`~/Library/Caches/annex/db` on macOS, `%LOCALAPPDATA%\annex\db` on
/// Windows). The environment is read here, in the binary, never by the libraries.
pub fn default_db_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if let Some(x) = env("XDG_CACHE_HOME") {
        x
    } else if cfg!(windows) {
        env("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        env("HOME")?.join("Library/Caches")
    } else {
        env("HOME")?.join(".cache")
    };
    Some(base.join("annex").join("db"))
}

/// "Now" from the system clock, in Unix seconds: read here, passed to the libraries.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Open the project at `path`: annex.toml and the file index, read once. Warnings go to
/// stderr.
pub fn open_project(
    path: &Path,
    walk: &WalkArgs,
    evidence: &ProbeArgs,
    deps: DepFlags,
) -> anyhow::Result<Project> {
    // A key file that is not there would verify nothing while looking as if it had.
    for (flag, file) in [
        ("--allowed-signers", &evidence.allowed_signers),
        ("--keyring", &evidence.keyring),
        ("--maven-repo", &walk.maven_repo),
    ] {
        if let Some(f) = file {
            std::fs::metadata(f)
                .with_context(|| format!("{flag} {}: cannot read it", f.display()))?;
        }
    }
    let project = Project::open(path, project_options(walk, evidence, deps))?;
    warn_all(&project.warnings);
    Ok(project)
}

/// The options [`open_project`] opens a checkout with.
pub fn project_options(walk: &WalkArgs, evidence: &ProbeArgs, deps: DepFlags) -> ProjectOptions {
    let signers = (evidence.allowed_signers.is_some() || evidence.keyring.is_some()).then(|| {
        annex_evidence::Signers {
            allowed_signers: evidence.allowed_signers.clone(),
            keyring: evidence.keyring.clone(),
        }
    });
    ProjectOptions {
        exclude: walk.exclude.clone(),
        default_excludes: !walk.no_default_excludes,
        threads: walk.threads,
        max_file_size: evidence.max_file_size,
        include_dev: deps.include_dev,
        keep_going: deps.keep_going,
        now: now_unix(),
        signers,
        maven_repo: walk.maven_repo(),
    }
}

/// The built-in specifications plus the given files; loading warnings go to stderr.
pub fn library_with(extra: &[PathBuf]) -> anyhow::Result<Library> {
    let (lib, warnings) = annex_core::load_library(extra)?;
    warn_all(&warnings);
    Ok(lib)
}

/// Print warnings on stderr, one per line.
pub fn warn_all(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {}", annex_types::escape_control_lines(w));
    }
}

/// The most skipped files listed one per line on stderr; the JSON output lists them all.
const SKIPPED_SHOWN: usize = 10;

/// Say on stderr which lockfiles and manifests were not read, and why; say so too when the
/// scan found none at all. Files left out by the same exclude pattern are one line (a
/// vendored tree can hold hundreds); the others are listed one by one.
pub fn report_skipped(skipped: &[Skipped], subjects: usize) {
    use annex_core::SkipReason;
    use annex_types::escape_control;
    let mut by_pattern = std::collections::BTreeMap::<&str, Vec<&Skipped>>::new();
    let mut single = Vec::new();
    for s in skipped {
        match s.reason {
            SkipReason::DefaultExcluded | SkipReason::Excluded => {
                by_pattern.entry(s.detail.as_str()).or_default().push(s)
            }
            _ => single.push(s),
        }
    }
    for (detail, files) in &by_pattern {
        match files.as_slice() {
            [one] => eprintln!("skipped: {}", escape_control(&one.to_string())),
            many => eprintln!(
                "skipped: {} lockfiles and manifests, e.g. {} ({}: {})",
                many.len(),
                escape_control(&many[0].path),
                many[0].reason.code(),
                escape_control(detail)
            ),
        }
    }
    for s in single.iter().take(SKIPPED_SHOWN) {
        eprintln!("skipped: {}", escape_control(&s.to_string()));
    }
    if single.len() > SKIPPED_SHOWN {
        eprintln!(
            "skipped: … {} more (--format json lists every one)",
            single.len() - SKIPPED_SHOWN
        );
    }
    if subjects == 0 {
        eprintln!("note: no lockfile or manifest was read, so no dependency was checked");
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForgeArg {
    Github,
    Gitlab,
}

/// What an assessment is computed from; shared by `check`, `docs` and `fix`.
#[derive(Args, Debug, Clone)]
pub struct AssessArgs {
    /// The checkout to assess.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Profile id (see `annex spec list`) or path to a profile file (default: osps-l1 for
    /// check and fix; cra-manufacturer or cra-steward, by annex.toml's role, for docs).
    #[arg(long, short)]
    pub profile: Option<String>,
    /// Keep only OSPS maturity levels 1..=N of the profile.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub level: Option<u8>,
    /// Extra catalogs, rule packs, mapping sets or profiles to load (files or directories).
    #[arg(long = "spec", value_name = "PATH")]
    pub spec: Vec<PathBuf>,
    /// The advisory database for the known-vulnerability requirements (default: the user
    /// cache dir when it holds one; see `annex db import`).
    #[arg(long, value_name = "DIR", env = "ANNEX_DB")]
    pub db: Option<PathBuf>,
    /// Do not match dependencies against advisories (those requirements then need review).
    /// Wins over --db and ANNEX_DB (an exported ANNEX_DB must not make it an error).
    #[arg(long)]
    pub no_vulns: bool,
    /// The date attestations' expiry is checked against (YYYY-MM-DD; default today).
    #[arg(long, hide = true)]
    pub today: Option<chrono::NaiveDate>,
    /// Also ask the forge's API for what a checkout cannot show (branch protection, 2FA,
    /// private vulnerability reporting …). Off by default; the repository comes from the
    /// origin remote. A setting the token may not see gives not-run, never fail.
    #[arg(long, value_enum)]
    pub forge: Option<ForgeArg>,
    /// Environment variable holding the API token for --forge (default GITHUB_TOKEN) or,
    /// with `check --upload`, for the fleet server (default ANNEX_TOKEN).
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// The forge API root (default: the public GitHub or GitLab API).
    #[arg(long, value_name = "URL", requires = "forge", hide = true)]
    pub forge_api: Option<String>,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub evidence: ProbeArgs,
}

impl AssessArgs {
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Open the project (lockfiles that fail to parse are skipped and reported, not fatal:
    /// an assessment still says what it can).
    pub fn open(&self) -> anyhow::Result<Project> {
        open_project(&self.path, &self.walk, &self.evidence, Self::DEPS)
    }

    const DEPS: DepFlags = DepFlags {
        include_dev: false,
        keep_going: true,
    };

    /// The options [`AssessArgs::open`] opens a checkout with (for fleet runs).
    pub fn open_options(&self) -> ProjectOptions {
        project_options(&self.walk, &self.evidence, Self::DEPS)
    }

    /// The request `annex-core` evaluates, with the database looked up and the forge token
    /// read from the environment here.
    pub fn request(&self, default_profile: &str) -> AssessRequest {
        let vulns = if self.no_vulns {
            VulnSource::Off
        } else {
            match &self.db {
                Some(d) => VulnSource::Db(d.clone()),
                None => match default_db_dir() {
                    Some(d) if d.join("manifest.json").is_file() => VulnSource::Db(d),
                    _ => VulnSource::Missing(
                        "no advisory database: run `annex db import …` or pass --db".into(),
                    ),
                },
            }
        };
        let forge = self.forge.map(|kind| ForgeRequest {
            kind: match kind {
                ForgeArg::Github => annex_forge::ForgeKind::GitHub,
                ForgeArg::Gitlab => annex_forge::ForgeKind::GitLab,
            },
            token: std::env::var(self.token_env.as_deref().unwrap_or("GITHUB_TOKEN"))
                .ok()
                .filter(|t| !t.is_empty()),
            api_base: self.forge_api.clone(),
        });
        AssessRequest {
            profile: self.profile.clone(),
            default_profile: default_profile.to_string(),
            level: self.level,
            spec: self.spec.clone(),
            vulns,
            forge,
            today: self.today(),
        }
    }

    /// Open, assess, and print the warnings and skipped files.
    /// For commands without `--upload` (`docs`, `fix`): `--token-env` names only the
    /// forge's token, so without `--forge` it would be silently ignored.
    pub fn token_env_needs_forge(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.token_env.is_none() || self.forge.is_some(),
            "--token-env names the token of --forge, which was not given"
        );
        Ok(())
    }

    pub fn assess(&self, default_profile: &str) -> anyhow::Result<(Project, annex_core::Assessed)> {
        let project = self.open()?;
        let assessed = project.assess(&self.request(default_profile))?;
        warn_all(&assessed.warnings);
        Ok((project, assessed))
    }
}
