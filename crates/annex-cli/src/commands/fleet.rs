//! `annex fleet …` and `annex serve`: arguments, the store and server calls, printing.
//! The scan, the views and the server live in annex-store and annex-server.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};

use annex_store::fleet::{Clock, ScanOptions};
use annex_store::{NewProject, Store};

use crate::output::pretty;
use crate::project_args::{AssessArgs, default_db_dir};

/// Where the fleet is kept.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// The store: a SQLite file path (created when missing) or a postgres:// URL
    /// (default: fleet.db under the user data dir).
    #[arg(long, value_name = "URL|PATH", env = "ANNEX_STORE")]
    pub store: Option<String>,
}

impl StoreArgs {
    fn value(&self) -> anyhow::Result<String> {
        match &self.store {
            Some(s) => Ok(s.clone()),
            None => default_store()
                .map(|p| p.display().to_string())
                .context("no --store given and no home directory for the default store"),
        }
    }
}

/// `$XDG_DATA_HOME/annex/fleet.db`, else `~/.local/share/annex/fleet.db`.
fn default_store() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))?;
    Some(base.join("annex").join("fleet.db"))
}

fn clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    })
}

fn now() -> i64 {
    clock()() / 1000
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum FleetCommand {
    /// Add projects: local checkouts (read in place) or repository URLs (cloned on scan).
    Add {
        #[arg(required = true, value_name = "PATH|URL")]
        locations: Vec<String>,
        /// Profile to assess them against (default: osps-l1).
        #[arg(long, short)]
        profile: Option<String>,
        /// Tags, for filtering (`--only`, the dashboard).
        #[arg(long = "tag", short, value_name = "TAG")]
        tags: Vec<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Add the projects of a list: YAML (`projects:` with `location`, `name`, `profile`,
    /// `tags`) or CSV (header naming `location` and optionally `name`, `profile`, `tags`).
    Import {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List the fleet's projects.
    List {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Assess every project (or those tagged --only) and store the runs. A project that
    /// fails is recorded with the reason; the others go on. Exit 1 when any failed.
    Scan(Box<ScanArgs>),
    /// The latest run of each project: counts, CRA coverage, open findings.
    Status {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The runs of one project, newest first.
    History {
        project: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Retention: keep the newest N runs of each project, delete the older ones.
    Prune {
        #[arg(long, value_name = "N")]
        keep: usize,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Projects assessed at once.
    #[arg(long, short, default_value_t = 2)]
    pub jobs: usize,
    /// Only the projects with this tag.
    #[arg(long, value_name = "TAG")]
    pub only: Option<String>,
    /// After the scan, keep only the newest N runs of each project.
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
    /// Where repositories given by URL are cloned (default: the user cache dir).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Queue the projects for `annex worker` instead of assessing them here.
    #[arg(long)]
    pub enqueue: bool,
    /// With --enqueue: attempts per job before it counts as failed.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "enqueue")]
    pub max_attempts: i64,
    #[command(flatten)]
    pub store: StoreArgs,
    /// The assessment flags of `annex check` (the path is ignored).
    #[command(flatten)]
    pub assess: AssessArgs,
}

/// `annex worker`: assess queued projects (`annex fleet scan --enqueue`).
#[derive(Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// This worker's name in the queue (default: worker-PID).
    #[arg(long)]
    pub name: Option<String>,
    /// Seconds a claimed job is held without a heartbeat; after that another worker takes
    /// it over.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lease: i64,
    /// Stop when nothing is due instead of waiting for more work.
    #[arg(long)]
    pub once: bool,
    /// Where repositories given by URL are cloned (default: the user cache dir).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// The assessment flags of `annex check` (the path is ignored).
    #[command(flatten)]
    pub assess: AssessArgs,
}

pub fn run_worker(args: WorkerArgs) -> anyhow::Result<u8> {
    runtime()?.block_on(async {
        let store = Store::open(&args.store.value()?).await?;
        let opts = annex_store::worker::WorkerOptions {
            name: args
                .name
                .clone()
                .unwrap_or_else(|| format!("worker-{}", std::process::id())),
            lease: args.lease.max(3),
            poll: std::time::Duration::from_secs(2),
            once: args.once,
            scan: scan_options(&args.assess, 1, args.cache.clone())?,
        };
        let mut failed = 0;
        let n = annex_store::worker::work(&store, &opts, |done| match &done.result {
            Ok(s) => eprintln!(
                "{}: pass {} fail {} (run {})",
                done.project, s.pass, s.fail, done.run_id
            ),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {}", done.project, annex_types::escape_control_lines(e));
            }
        })
        .await?;
        eprintln!("worker {}: {n} jobs, {failed} failed attempts", opts.name);
        Ok(0)
    })
}

pub fn run(cmd: FleetCommand) -> anyhow::Result<u8> {
    let rt = runtime()?;
    rt.block_on(run_async(cmd))
}

async fn run_async(cmd: FleetCommand) -> anyhow::Result<u8> {
    match cmd {
        FleetCommand::Add {
            locations,
            profile,
            tags,
            store,
        } => {
            let store = Store::open(&store.value()?).await?;
            let projects = locations
                .into_iter()
                .map(|l| {
                    let location = local_or_url(&l)?;
                    Ok(NewProject {
                        name: annex_core::fleet::name_of(&location),
                        location,
                        profile: profile.clone(),
                        tags: tags.clone(),
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            add_all(&store, projects).await
        }
        FleetCommand::Import { file, store } => {
            let dir = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            // The one safe read: bounded, no symlink out of the directory.
            let text = annex_checkout::read_text(dir, &name, annex_store::import::MAX_IMPORT_FILE)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let csv = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            let projects = annex_store::import::parse_list(&text, csv, &base)
                .with_context(|| file.display().to_string())?;
            let store = Store::open(&store.value()?).await?;
            add_all(&store, projects).await
        }
        FleetCommand::List { format, store } => {
            let store = Store::open(&store.value()?).await?;
            let projects = store.projects(None).await?;
            match format {
                ListFormat::Json => print!("{}", pretty(&projects)?),
                ListFormat::Text => {
                    for p in &projects {
                        println!(
                            "{}\t{}\t{}\t{}",
                            p.name,
                            p.location,
                            p.profile.as_deref().unwrap_or("-"),
                            p.tags.join(",")
                        );
                    }
                }
            }
            Ok(0)
        }
        FleetCommand::Scan(args) => scan(*args).await,
        FleetCommand::Status { format, store } => {
            let store = Store::open(&store.value()?).await?;
            let rows = store.overview().await?;
            match format {
                ListFormat::Json => print!("{}", pretty(&rows)?),
                ListFormat::Text => print!("{}", status_text(&rows)),
            }
            Ok(0)
        }
        FleetCommand::History {
            project,
            limit,
            format,
            store,
        } => {
            let store = Store::open(&store.value()?).await?;
            let runs = store.history(&project, limit.max(1)).await?;
            match format {
                ListFormat::Json => print!("{}", pretty(&runs)?),
                ListFormat::Text => {
                    for r in &runs {
                        let s = &r.summary;
                        let detail = match &r.error {
                            Some(e) => format!("error: {}", annex_types::escape_control(e)),
                            None => format!(
                                "pass {} fail {} needs-review {} unknown {} not-run {}",
                                s.pass, s.fail, s.needs_review, s.unknown, s.not_run
                            ),
                        };
                        println!(
                            "#{}\t{}\t{}\t{}\t{}",
                            r.id,
                            time(r.started_at),
                            r.commit
                                .as_deref()
                                .map_or("-".into(), |c| c.chars().take(12).collect::<String>()),
                            r.profile,
                            detail
                        );
                    }
                }
            }
            Ok(0)
        }
        FleetCommand::Prune { keep, store } => {
            let store = Store::open(&store.value()?).await?;
            let n = store.prune(keep).await?;
            eprintln!("deleted {n} runs");
            Ok(0)
        }
    }
}

fn time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A local path made absolute (so a scan finds it from anywhere); a URL as given.
fn local_or_url(location: &str) -> anyhow::Result<String> {
    if annex_core::fleet::is_remote(location) {
        return Ok(location.to_string());
    }
    let path = std::fs::canonicalize(location)
        .with_context(|| format!("{location}: not a readable directory"))?;
    anyhow::ensure!(path.is_dir(), "{location}: not a directory");
    Ok(path.display().to_string())
}

async fn add_all(store: &Store, projects: Vec<NewProject>) -> anyhow::Result<u8> {
    let mut failed = 0;
    for p in projects {
        match store.add_project(&p, now()).await {
            Ok(row) => eprintln!("added {} ({})", row.name, row.location),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", annex_types::escape_control(&p.location));
            }
        }
    }
    Ok(if failed > 0 { 2 } else { 0 })
}

fn status_text(rows: &[annex_store::OverviewRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let line = match &r.last_run {
            None => "never run".to_string(),
            Some(run) if run.outcome != "ok" => format!(
                "error: {}",
                annex_types::escape_control(run.error.as_deref().unwrap_or(""))
            ),
            Some(run) => {
                let s = &run.summary;
                let findings = match &run.vulns_unchecked {
                    Some(_) => "findings not checked".to_string(),
                    None => format!(
                        "findings {}",
                        if r.findings.is_empty() {
                            "none".to_string()
                        } else {
                            r.findings
                                .iter()
                                .map(|(k, v)| format!("{k} {v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                };
                format!(
                    "{} · pass {} fail {} needs-review {} unknown {} · CRA {}/{} · {} · {}",
                    run.profile,
                    s.pass,
                    s.fail,
                    s.needs_review,
                    s.unknown + s.not_run,
                    r.cra_covered,
                    r.cra_applicable,
                    findings,
                    time(run.started_at)
                )
            }
        };
        out.push_str(&format!("{}\t{line}\n", r.project.name));
    }
    out
}

/// The scan options every fleet run uses (also `serve --demo`).
fn scan_options(
    assess: &AssessArgs,
    jobs: usize,
    cache: Option<PathBuf>,
) -> anyhow::Result<ScanOptions> {
    let cache = match cache {
        Some(c) => c,
        None => default_db_dir()
            .and_then(|d| d.parent().map(|p| p.join("fleet")))
            .context("no --cache given and no user cache dir")?,
    };
    let mut project = assess.open_options();
    // Projects run side by side: a few threads each.
    project.threads = project.threads.clamp(1, 2);
    Ok(ScanOptions {
        jobs,
        cache,
        project,
        request: assess.request("osps-l1"),
        annex_version: env!("CARGO_PKG_VERSION").to_string(),
        clock: clock(),
    })
}

async fn scan(args: ScanArgs) -> anyhow::Result<u8> {
    let store = Store::open(&args.store.value()?).await?;
    let projects = store.projects(args.only.as_deref()).await?;
    if projects.is_empty() {
        eprintln!("no project to scan (annex fleet add PATH|URL…)");
        return Ok(0);
    }
    if args.enqueue {
        let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
        let jobs = store.enqueue(&ids, args.max_attempts, now()).await?;
        eprintln!("queued {} jobs for annex worker", jobs.len());
        return Ok(0);
    }
    let opts = scan_options(&args.assess, args.jobs, args.cache.clone())?;
    // A bar with ETA on a terminal only; logs and JSON runs stay quiet.
    let bar = (std::io::stderr().is_terminal() && args.format == ListFormat::Text).then(|| {
        let pb = indicatif::ProgressBar::new(projects.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} projects · {msg} · ETA {eta}",
        ) {
            pb.set_style(style);
        }
        pb
    });
    let summary = store
        .scan(projects, &opts, |done| {
            if let Some(pb) = &bar {
                pb.set_message(done.project.clone());
                pb.inc(1);
            }
        })
        .await?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if let Some(keep) = args.keep {
        store.prune(keep).await?;
    }
    let failures: Vec<_> = summary.failures().collect();
    match args.format {
        ListFormat::Json => print!("{}", pretty(&summary)?),
        ListFormat::Text => {
            for s in &summary.scanned {
                if let Ok(sum) = &s.result {
                    eprintln!(
                        "{}: pass {} fail {} needs-review {} unknown {}",
                        s.project,
                        sum.pass,
                        sum.fail,
                        sum.needs_review,
                        sum.unknown + sum.not_run
                    );
                }
            }
            eprintln!(
                "scanned {} projects, {} failed",
                summary.scanned.len(),
                failures.len()
            );
            for (name, why) in &failures {
                eprintln!("  {name}: {}", annex_types::escape_control_lines(why));
            }
        }
    }
    Ok(if failures.is_empty() { 0 } else { 1 })
}

/// `annex serve`: the dashboard and API.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    #[command(subcommand)]
    pub command: Option<ServeCommand>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Reads need a token too.
    #[arg(long)]
    pub private: bool,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = annex_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Seed a demo fleet first: small generated checkouts, really assessed, several
    /// rounds (without --store, into a fresh file in the temp dir).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Subcommand, Debug)]
pub enum ServeCommand {
    /// API tokens for writes.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token: printed once on stdout, only its hash is stored.
    Create {
        /// A name to tell tokens apart (e.g. the CI system).
        #[arg(long, default_value = "default")]
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// 32 bytes from the system's random source.
fn random_bytes() -> anyhow::Result<[u8; 32]> {
    use std::io::Read;
    let mut b = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("cannot read /dev/urandom for a token")?;
    Ok(b)
}

pub fn run_serve(args: ServeArgs) -> anyhow::Result<u8> {
    runtime()?.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<u8> {
    if let Some(ServeCommand::Token(TokenCommand::Create { name, store })) = args.command {
        let store = Store::open(&store.value()?).await?;
        let token = annex_store::tokens::token_from_bytes(&random_bytes()?);
        store.add_token(&name, &token, now()).await?;
        println!("{token}");
        eprintln!("token {name} created: keep it now, it is not shown again");
        return Ok(0);
    }
    // The demo's checkouts (and its store, unless one is given) live in one private
    // temporary directory: a random name, not a guessable /tmp path, removed when the server
    // stops.
    let demo_dir = if args.demo {
        Some(
            tempfile::Builder::new()
                .prefix("annex-demo-")
                .tempdir()
                .context("cannot make a temporary directory for the demo")?,
        )
    } else {
        None
    };
    let value = match (&args.store.store, &demo_dir) {
        (None, Some(dir)) => dir.path().join("fleet.db").display().to_string(),
        _ => args.store.value()?,
    };
    let store = Store::open(&value).await?;
    if let Some(dir) = &demo_dir {
        seed_demo(&store, dir.path()).await?;
    }
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    eprintln!(
        "annex fleet dashboard on http://{} (store {value}); Ctrl-C stops",
        listener.local_addr()?
    );
    let config = annex_server::ServerConfig {
        store,
        private: args.private,
        max_body: args.max_body,
        clock: clock(),
    };
    annex_server::serve(listener, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(0)
}

/// The demo fleet: generated checkouts in a temp dir, scanned for real over a few rounds
/// as they gain files.
async fn seed_demo(store: &Store, dir: &std::path::Path) -> anyhow::Result<()> {
    use annex_store::demo;
    // `annex check`'s defaults: the advisory database when there is one.
    #[derive(clap::Parser)]
    struct Defaults {
        #[command(flatten)]
        assess: AssessArgs,
    }
    let assess = <Defaults as clap::Parser>::try_parse_from(["annex"])?.assess;
    let opts = scan_options(&assess, 2, Some(dir.join("cache")))?;
    for p in demo::demo_projects(dir) {
        if store.project(&p.name).await?.is_none() {
            store.add_project(&p, now()).await?;
        }
    }
    let projects = store.projects(Some("demo")).await?;
    for round in 0..4 {
        for i in 0..demo::DEMO_PROJECTS.len() {
            demo::write_demo_checkout(dir, i, demo::demo_stage(i, round))?;
        }
        eprintln!(
            "demo: assessing {} projects, round {}/4",
            projects.len(),
            round + 1
        );
        store.scan(projects.clone(), &opts, |_| {}).await?;
    }
    Ok(())
}

/// A run ready to be posted to a fleet server (`annex check --upload`).
pub struct Upload {
    url: String,
    name: String,
    token: String,
    report: annex_core::fleet::RunReport,
}

/// The run of `annex check`, as project `name` (default: the checkout directory's name),
/// with the token read from `token_env` (default ANNEX_TOKEN).
pub fn prepare_upload(
    url: &str,
    name: Option<&str>,
    token_env: Option<&str>,
    project: &annex_core::Project,
    assessed: &annex_core::Assessed,
) -> anyhow::Result<Upload> {
    let var = token_env.unwrap_or("ANNEX_TOKEN");
    let token = std::env::var(var)
        .ok()
        .filter(|t| !t.is_empty())
        .with_context(|| format!("--upload needs a token in the environment variable {var}"))?;
    let scanned = project.inventory()?;
    let mut report =
        annex_core::fleet::report_of(assessed, &scanned.inventory, env!("CARGO_PKG_VERSION"));
    report.commit = annex_core::fleet::head_commit_id(&project.path);
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            let abs = std::fs::canonicalize(&project.path).unwrap_or(project.path.clone());
            annex_core::fleet::name_of(&abs.display().to_string())
        }
    };
    Ok(Upload {
        url: url.to_string(),
        name,
        token,
        report,
    })
}

impl Upload {
    /// Post it; the server's answer goes to stderr.
    pub fn send(self) -> anyhow::Result<()> {
        let answer = annex_core::fleet::upload(&self.url, &self.name, &self.token, &self.report)?;
        eprintln!(
            "uploaded to {} as {}: {}",
            self.url,
            self.name,
            answer.trim()
        );
        Ok(())
    }
}
