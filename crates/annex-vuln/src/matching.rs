//! Matching packages against advisories, with OSV's semantics
//! (<https://ossf.github.io/osv-schema/#evaluation>):
//!
//! - a version is affected if it is listed in `affected[].versions`, or lies inside any of the
//!   `affected[].ranges`: events sorted by version, `introduced` opens (`"0"` = from the very
//!   start), `fixed` closes before the fix, `last_affected` closes after that version, and
//!   `limit` events (if any) cap the range (`"*"` = no cap);
//! - `SEMVER` ranges use SemVer 2.0 precedence, `ECOSYSTEM` ranges the ecosystem's own ordering
//!   ([`crate::version`]); `GIT` ranges describe commits and are not evaluated against package
//!   versions (the explanation says so);
//! - withdrawn advisories never match; a package only meets advisories of its own ecosystem,
//!   names compared after [`normalize_name`].
//!
//! Advisories that name each other (or share an alias) and match the same package version are
//! reported as one [`Finding`] whose `id` is the preferred one: the ecosystem's own database
//! first (RUSTSEC for crates.io, GO for Go, PYSEC for PyPI, …), then GHSA, then others, CVE
//! last.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use annex_inventory::{Inventory, Location, Scope, Source};
use serde::{Deserialize, Serialize};

use crate::cvss::{self, CvssVersion, Rating};
use crate::db::{Db, DbError, canonical_ecosystem, normalize_name};
use crate::osv::{
    Advisory, Affected, Event, Range, RangeType, Severity, SeverityType, base_ecosystem, id_prefix,
};

/// One package version to look up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// OSV ecosystem (`crates.io`, `PyPI`, `Go`, `npm`, `Debian:12`, …).
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Where the package was found (file and line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Location>,
    /// The package comes from a git repository or a URL, not the registry the advisories
    /// are about: only its name ties it to them, and its findings say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub name_only: bool,
}

impl Query {
    pub fn new(
        ecosystem: impl Into<String>,
        name: impl Into<String>,
        version: impl Into<String>,
    ) -> Query {
        Query {
            ecosystem: ecosystem.into(),
            name: name.into(),
            version: version.into(),
            purl: None,
            scope: None,
            source: None,
            name_only: false,
        }
    }
}

/// The affected package as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingPackage {
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Location>,
    /// Matched by name only: the package comes from git or a URL, not the advisory's
    /// registry, so it may not be the package the advisory is about (lower confidence).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub name_only: bool,
}

/// How the version matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Listed in `affected[].versions`.
    Version,
    /// Inside a `SEMVER` or `ECOSYSTEM` range.
    Range,
}

/// What matched, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedEntry {
    /// The advisory this entry belongs to.
    pub advisory: String,
    pub kind: MatchKind,
    /// For a version-list match: the listed version that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// For a range match: the range type, repository and events as the advisory gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RangeType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// For a range match: the event that opened the interval containing the version, and the
    /// one that closes it (none when the interval is open-ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Event>,
    /// One sentence saying why.
    pub explanation: String,
    /// What was not evaluated and why (GIT ranges, unparseable events, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A severity of one of the advisories, with its computed score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingSeverity {
    /// The advisory that gives it.
    pub advisory: String,
    #[serde(rename = "type")]
    pub kind: SeverityType,
    /// The vector (or, for `Ubuntu`, the priority word).
    pub vector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_version: Option<CvssVersion>,
    /// Base score (v4: the score of the vector as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

/// What an advisory reports. RustSec publishes informational advisories beside
/// vulnerabilities (`affected[].database_specific.informational`), and the OSV malicious
/// packages feed uses `MAL-` ids: none of these is a vulnerability of the code as shipped,
/// and `--fail-on-kind` chooses which fail a run.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// Known malicious code (an `MAL-` advisory).
    Malicious,
    /// A vulnerability (the default: anything not marked otherwise).
    #[default]
    Vulnerability,
    /// Unsound API (RustSec `informational = "unsound"`).
    Unsound,
    /// No longer maintained (RustSec `informational = "unmaintained"`).
    Unmaintained,
    /// Another informational notice (RustSec `informational = "notice"`, or a word not known).
    Notice,
}

impl FindingKind {
    /// The kebab-case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Malicious => "malicious",
            FindingKind::Unsound => "unsound",
            FindingKind::Unmaintained => "unmaintained",
            FindingKind::Notice => "notice",
        }
    }

    /// The kind of an advisory, from the entries that matched the package.
    pub fn of(adv: &Advisory, affected: &[&Affected]) -> FindingKind {
        if adv.ids().any(|id| id.starts_with("MAL-")) {
            return FindingKind::Malicious;
        }
        let word = affected.iter().find_map(|a| {
            a.database_specific
                .as_ref()?
                .get("informational")?
                .as_str()
                .map(str::to_ascii_lowercase)
        });
        match word.as_deref() {
            None | Some("") => FindingKind::Vulnerability,
            Some("unsound") => FindingKind::Unsound,
            Some("unmaintained") => FindingKind::Unmaintained,
            Some(_) => FindingKind::Notice,
        }
    }
}

/// One vulnerability affecting one package version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The preferred advisory id (see the module documentation).
    pub id: String,
    /// What the advisory reports; a group of advisories takes the strongest kind among
    /// them (malicious, then vulnerability, unsound, unmaintained, notice).
    #[serde(default)]
    pub kind: FindingKind,
    /// Every other id naming this vulnerability: the other matched advisories and all their
    /// aliases, in the same preference order.
    pub aliases: Vec<String>,
    pub package: FindingPackage,
    /// What matched, per advisory.
    pub matched: Vec<MatchedEntry>,
    /// Fixed versions named by the matched advisories, in version order.
    pub fixed: Vec<String>,
    /// The lowest fixed version above the installed one that none of the matched advisories
    /// marks as affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_fix: Option<String>,
    /// The preferred severity: the primary advisory's newest CVSS version (else the first
    /// other advisory that has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<FindingSeverity>,
    /// All severities given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<FindingSeverity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// Looks each query up in the database and matches it. Findings come in query order, then by
/// id.
pub fn match_packages(db: &Db, queries: &[Query]) -> Result<Vec<Finding>, DbError> {
    let mut cache: HashMap<(String, String), Vec<Advisory>> = HashMap::new();
    let mut out = Vec::new();
    for q in queries {
        let eco = canonical_ecosystem(base_ecosystem(&q.ecosystem));
        let key = (eco.clone(), normalize_name(&eco, &q.name));
        if !cache.contains_key(&key) {
            let advisories = db.advisories_for(&q.ecosystem, &q.name)?;
            cache.insert(key.clone(), advisories);
        }
        out.extend(match_query(&cache[&key], q));
    }
    Ok(out)
}

/// Matches every component of an inventory (the subjects' root packages are the project
/// itself and are not looked up).
pub fn match_inventory(db: &Db, inventory: &Inventory) -> Result<Vec<Finding>, DbError> {
    match_packages(db, &queries_from_inventory(inventory))
}

/// The queries for an inventory's components. Local packages (path sources: workspace
/// members, path and `file:` dependencies) are the project's own code, not the registry
/// package of that name, and are not looked up; git and URL packages are, by name only.
pub fn queries_from_inventory(inventory: &Inventory) -> Vec<Query> {
    let mut out = Vec::new();
    for subject in &inventory.subjects {
        for c in &subject.components {
            if matches!(c.source, Source::Path { .. }) {
                continue;
            }
            let ecosystem = if c.ecosystem.is_empty() {
                subject.ecosystem.clone()
            } else {
                c.ecosystem.clone()
            };
            out.push(Query {
                ecosystem,
                name: c.name.clone(),
                version: c.version.clone(),
                purl: (!c.purl.is_empty()).then(|| c.purl.clone()),
                scope: Some(c.scope),
                source: Some(c.location.clone()),
                name_only: matches!(c.source, Source::Git { .. } | Source::Url { .. }),
            });
        }
    }
    out
}

/// Matches one query against candidate advisories (normally those the database holds for the
/// package; others are filtered out by ecosystem and name).
pub fn match_query(advisories: &[Advisory], q: &Query) -> Vec<Finding> {
    let target = Target::new(q);
    let mut hits: Vec<(&Advisory, Vec<MatchedEntry>, Vec<&Affected>)> = Vec::new();
    for adv in advisories {
        if adv.is_withdrawn() {
            continue;
        }
        let mut entries = Vec::new();
        let mut matched_affected = Vec::new();
        for affected in &adv.affected {
            if !target.is_package(affected) {
                continue;
            }
            let found = evaluate_affected(adv, affected, &target);
            if !found.is_empty() {
                entries.extend(found);
                matched_affected.push(affected);
            }
        }
        if !entries.is_empty() {
            hits.push((adv, entries, matched_affected));
        }
    }
    group(hits, q, &target)
}

/// Whether `version` of the package is affected by this advisory (ignoring `withdrawn`).
pub fn is_affected(adv: &Advisory, ecosystem: &str, name: &str, version: &str) -> bool {
    let q = Query::new(ecosystem, name, version);
    let target = Target::new(&q);
    adv.affected
        .iter()
        .any(|a| target.is_package(a) && !evaluate_affected(adv, a, &target).is_empty())
}

// ---------------------------------------------------------------------------------------------
// Orderings

/// A version in some ordering, or the bottom (`introduced: "0"`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key<V> {
    Zero,
    V(V),
}

/// A version ordering: parse, then compare with `Ord`.
trait Order {
    type V: Ord + Clone + std::fmt::Debug;
    fn name(&self) -> String;
    fn parse(&self, s: &str) -> Result<Self::V, String>;
}

/// SemVer 2.0 precedence (build metadata ignored), read leniently: a `v` prefix and missing
/// minor/patch (`1.2` = `1.2.0`) are accepted.
struct SemverOrder;

impl Order for SemverOrder {
    type V = semver::Version;

    fn name(&self) -> String {
        "SemVer".into()
    }

    fn parse(&self, s: &str) -> Result<semver::Version, String> {
        parse_semver_lenient(s).ok_or_else(|| format!("{s:?} is not a SemVer version"))
    }
}

pub(crate) fn parse_semver_lenient(s: &str) -> Option<semver::Version> {
    let s = s.trim();
    let s = s
        .strip_prefix('v')
        .or_else(|| s.strip_prefix('V'))
        .unwrap_or(s);
    let s = s.split_once('+').map_or(s, |(a, _)| a);
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let mut nums = core.split('.');
    let mut next = |required: bool| -> Option<u64> {
        match nums.next() {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok(),
            None if !required => Some(0),
            _ => None,
        }
    };
    let (major, minor, patch) = (next(true)?, next(false)?, next(false)?);
    if nums.next().is_some() {
        return None;
    }
    let pre = match pre {
        Some(p) => semver::Prerelease::new(p).ok()?,
        None => semver::Prerelease::EMPTY,
    };
    Some(semver::Version {
        major,
        minor,
        patch,
        pre,
        build: semver::BuildMetadata::EMPTY,
    })
}

/// The ecosystem's own ordering.
struct EcoOrder {
    ecosystem: String,
    scheme: crate::version::VersionScheme,
}

impl EcoOrder {
    fn new(ecosystem: &str) -> Result<EcoOrder, String> {
        crate::version::scheme_for(ecosystem)
            .map(|scheme| EcoOrder {
                ecosystem: ecosystem.to_string(),
                scheme,
            })
            .map_err(|e| e.to_string())
    }
}

impl Order for EcoOrder {
    type V = crate::version::Version;

    fn name(&self) -> String {
        format!("{} version", self.ecosystem)
    }

    fn parse(&self, s: &str) -> Result<crate::version::Version, String> {
        crate::version::parse(self.scheme, s).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

struct Target<'q> {
    query: &'q Query,
    /// Canonical base ecosystem.
    eco: String,
    /// The suffix (`12` of `Debian:12`), if the query has one.
    suffix: Option<String>,
    name: String,
    /// The installed version as compared (trimmed; Go toolchain versions lose their `go`).
    version: String,
}

impl<'q> Target<'q> {
    fn new(q: &'q Query) -> Target<'q> {
        let canonical = canonical_ecosystem(q.ecosystem.trim());
        let (eco, suffix) = match canonical.split_once(':') {
            Some((e, s)) => (e.to_string(), Some(s.to_string())),
            None => (canonical.clone(), None),
        };
        let name = normalize_name(&eco, &q.name);
        let mut version = q.version.trim();
        // `go1.22.4`, as toolchains and binaries report it, is `1.22.4` in the Go vulndb.
        if eco == "Go"
            && let Some(rest) = version.strip_prefix("go")
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            version = rest;
        }
        let version = version.to_string();
        Target {
            query: q,
            eco,
            suffix,
            name,
            version,
        }
    }

    fn is_package(&self, affected: &Affected) -> bool {
        let Some(p) = &affected.package else {
            return false;
        };
        let canonical = canonical_ecosystem(p.ecosystem.trim());
        let (eco, suffix) = match canonical.split_once(':') {
            Some((e, s)) => (e, Some(s)),
            None => (canonical.as_str(), None),
        };
        if eco != self.eco || normalize_name(eco, &p.name) != self.name {
            return false;
        }
        // A release-specific advisory (Debian:12) matches a query for that release or one
        // without a release.
        match (&self.suffix, suffix) {
            (Some(q), Some(a)) => q == a,
            _ => true,
        }
    }

    fn version(&self) -> &str {
        &self.version
    }
}

/// Evaluates one `affected[]` entry; returns what matched (empty if nothing).
fn evaluate_affected(
    adv: &Advisory,
    affected: &Affected,
    target: &Target<'_>,
) -> Vec<MatchedEntry> {
    let version = target.version();
    let mut notes = Vec::new();
    let git: Vec<&Range> = affected
        .ranges
        .iter()
        .filter(|r| r.kind == RangeType::Git)
        .collect();
    if !git.is_empty() {
        let repos: BTreeSet<&str> = git.iter().filter_map(|r| r.repo.as_deref()).collect();
        notes.push(format!(
            "{} GIT range(s) ({}) describe commits, not package versions, and were not evaluated",
            git.len(),
            repos.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let eco_name = affected
        .package
        .as_ref()
        .map(|p| p.base_ecosystem().to_string())
        .unwrap_or_default();
    let eco_order = EcoOrder::new(&canonical_ecosystem(&eco_name));

    let mut out = Vec::new();
    if let Some(listed) = affected
        .versions
        .iter()
        .find(|v| versions_equal(v, version, eco_order.as_ref().ok()))
    {
        out.push(MatchedEntry {
            advisory: adv.id.clone(),
            kind: MatchKind::Version,
            version: Some(listed.clone()),
            range_type: None,
            repo: None,
            events: Vec::new(),
            introduced: None,
            until: None,
            explanation: format!(
                "{} {version} is listed in the advisory's affected versions",
                affected.package.as_ref().map_or("", |p| p.name.as_str())
            ),
            notes: notes.clone(),
        });
    }
    for range in &affected.ranges {
        let eval = match &range.kind {
            RangeType::Semver => evaluate_range(range, version, &SemverOrder),
            RangeType::Ecosystem => match &eco_order {
                Ok(order) => evaluate_range(range, version, order),
                Err(e) => RangeEval::skipped(format!(
                    "ECOSYSTEM range not evaluated: no {eco_name} version ordering ({e})"
                )),
            },
            RangeType::Git => continue,
            RangeType::Other(t) => {
                RangeEval::skipped(format!("range of unknown type {t:?} not evaluated"))
            }
        };
        if eval.affected {
            let mut n = notes.clone();
            n.extend(eval.notes.iter().cloned());
            out.push(MatchedEntry {
                advisory: adv.id.clone(),
                kind: MatchKind::Range,
                version: None,
                range_type: Some(range.kind.clone()),
                repo: range.repo.clone(),
                events: range.events.clone(),
                introduced: eval.introduced.clone(),
                until: eval.until.clone(),
                explanation: explain(version, range, &eval),
                notes: n,
            });
        }
    }
    out
}

fn explain(version: &str, range: &Range, eval: &RangeEval) -> String {
    let from = match eval.introduced.as_deref() {
        Some("0") | None => "the first version".to_string(),
        Some(v) => format!("introduced {v}"),
    };
    let to = match &eval.until {
        None => "no fix".to_string(),
        Some(Event::Fixed(v)) => format!("fixed {v}"),
        Some(Event::LastAffected(v)) => format!("last affected {v}"),
        Some(e) => e.to_string(),
    };
    let limit = eval
        .limit
        .as_ref()
        .map(|l| format!(", below limit {l}"))
        .unwrap_or_default();
    // `last_affected` is inclusive: the interval closes with `]`; `fixed` and an open end
    // close with `)`.
    let close = if matches!(eval.until, Some(Event::LastAffected(_))) {
        ']'
    } else {
        ')'
    };
    format!(
        "{version} lies in {} range [{from}, {to}{close}{limit} ({} ordering)",
        range.kind, eval.ordering
    )
}

fn versions_equal(listed: &str, version: &str, order: Option<&EcoOrder>) -> bool {
    if listed.trim() == version {
        return true;
    }
    match order {
        Some(o) => matches!((o.parse(listed), o.parse(version)), (Ok(a), Ok(b)) if a == b),
        None => false,
    }
}

#[derive(Debug, Default)]
struct RangeEval {
    affected: bool,
    introduced: Option<String>,
    until: Option<Event>,
    limit: Option<String>,
    ordering: String,
    notes: Vec<String>,
}

impl RangeEval {
    fn skipped(note: String) -> RangeEval {
        RangeEval {
            notes: vec![note],
            ..RangeEval::default()
        }
    }
}

/// OSV's `IncludedInRanges` for one range.
fn evaluate_range<O: Order>(range: &Range, version: &str, order: &O) -> RangeEval {
    let mut eval = RangeEval {
        ordering: order.name(),
        ..RangeEval::default()
    };
    let v = match order.parse(version) {
        Ok(v) => v,
        Err(e) => {
            eval.notes
                .push(format!("{} range not evaluated: {e}", range.kind));
            return eval;
        }
    };
    // Limits: if any are given, the version must be below one of them ("*" = infinity).
    let limits: Vec<&str> = range
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Limit(l) => Some(l.as_str()),
            _ => None,
        })
        .collect();
    if !limits.is_empty() {
        let mut below = None;
        for l in limits {
            if l.contains('*') {
                below = Some(l.to_string());
                break;
            }
            match order.parse(l) {
                Ok(lv) if v < lv => {
                    below = Some(l.to_string());
                    break;
                }
                Ok(_) => {}
                Err(e) => eval.notes.push(format!("limit {l:?} ignored: {e}")),
            }
        }
        match below {
            Some(l) => eval.limit = Some(l),
            None => return eval,
        }
    }
    let mut events: Vec<(Key<O::V>, &Event)> = Vec::new();
    for e in &range.events {
        let key = match e {
            Event::Limit(_) => continue,
            Event::Introduced(s) if s.trim() == "0" => Key::Zero,
            _ => match order.parse(e.version()) {
                Ok(k) => Key::V(k),
                Err(err) => {
                    eval.notes.push(format!("event `{e}` ignored: {err}"));
                    continue;
                }
            },
        };
        events.push((key, e));
    }
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let v = Key::V(v);
    let mut vulnerable = false;
    let mut opened: Option<&Event> = None;
    for (key, e) in &events {
        match e {
            Event::Introduced(_) if v >= *key => {
                vulnerable = true;
                opened = Some(e);
            }
            Event::Fixed(_) if v >= *key => vulnerable = false,
            Event::LastAffected(_) if v > *key => vulnerable = false,
            _ => {}
        }
    }
    if vulnerable {
        eval.affected = true;
        eval.introduced = opened.map(|e| e.version().to_string());
        // The interval ends at the first fixed/last_affected event above the version.
        eval.until = events
            .iter()
            .find(|(key, e)| match e {
                Event::Fixed(_) => *key > v,
                Event::LastAffected(_) => *key >= v,
                _ => false,
            })
            .map(|(_, e)| (*e).clone());
    }
    eval
}

// ---------------------------------------------------------------------------------------------
// Grouping, fixes and severities

/// Sort key for ids: own database, GHSA, others, CVE last; then the id.
fn id_rank<'a>(eco: &str, id: &'a str) -> (u8, &'a str) {
    let prefix = id_prefix(id);
    let tier = if annex_types::ecosystem::advisory_prefixes(eco).contains(&prefix) {
        0
    } else if prefix == "GHSA" {
        1
    } else if prefix == "CVE" {
        3
    } else {
        2
    };
    (tier, id)
}

fn group(
    hits: Vec<(&Advisory, Vec<MatchedEntry>, Vec<&Affected>)>,
    q: &Query,
    target: &Target<'_>,
) -> Vec<Finding> {
    // Union-find over advisories sharing any id.
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, (adv, _, _)) in hits.iter().enumerate() {
        for id in adv.ids() {
            match by_id.get(id) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    by_id.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }

    let mut findings = Vec::new();
    for members in groups.values() {
        let mut advs: Vec<&(&Advisory, Vec<MatchedEntry>, Vec<&Affected>)> =
            members.iter().map(|&i| &hits[i]).collect();
        advs.sort_by(|a, b| id_rank(&target.eco, &a.0.id).cmp(&id_rank(&target.eco, &b.0.id)));
        let primary = advs[0].0;
        let mut ids: BTreeSet<(u8, &str)> = BTreeSet::new();
        for (adv, _, _) in &advs {
            for id in adv.ids() {
                if id != primary.id && !id.trim().is_empty() {
                    ids.insert(id_rank(&target.eco, id));
                }
            }
        }
        let aliases = ids.into_iter().map(|(_, id)| id.to_string()).collect();
        let matched = advs
            .iter()
            .flat_map(|(_, m, _)| m.iter().cloned())
            .collect();

        let (fixed, nearest_fix) = fixes(&advs, target);

        let mut severities = Vec::new();
        for (adv, _, affected) in &advs {
            let mut sev: Vec<&Severity> = adv.severity.iter().collect();
            for a in affected {
                sev.extend(a.severity.iter());
            }
            let mut seen = BTreeSet::new();
            for s in sev {
                if seen.insert((s.kind.as_str(), s.score.as_str())) {
                    severities.push(finding_severity(&adv.id, s));
                }
            }
        }
        let severity = advs.iter().find_map(|(adv, _, _)| {
            severities
                .iter()
                .filter(|s| s.advisory == adv.id)
                .max_by_key(|s| (s.cvss_version.map(cvss_rank), s.score.is_some()))
                .cloned()
        });
        let summary = advs.iter().find_map(|(adv, _, _)| {
            adv.summary
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        });
        let summary = summary.or_else(|| {
            advs.iter().find_map(|(adv, _, _)| {
                adv.details
                    .as_deref()
                    .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                    .map(|l| {
                        if l.chars().count() > 200 {
                            let mut t: String = l.chars().take(200).collect();
                            t.push('…');
                            t
                        } else {
                            l.to_string()
                        }
                    })
            })
        });
        let kind = advs
            .iter()
            .map(|(adv, _, affected)| FindingKind::of(adv, affected))
            .min()
            .unwrap_or_default();
        findings.push(Finding {
            id: primary.id.clone(),
            kind,
            aliases,
            package: FindingPackage {
                ecosystem: q.ecosystem.clone(),
                name: q.name.clone(),
                version: q.version.clone(),
                purl: q.purl.clone(),
                scope: q.scope,
                source: q.source.clone(),
                name_only: q.name_only,
            },
            matched,
            fixed,
            nearest_fix,
            severity,
            severities,
            summary,
        });
    }
    findings.sort_by(|a, b| id_rank(&target.eco, &a.id).cmp(&id_rank(&target.eco, &b.id)));
    findings
}

fn cvss_rank(v: CvssVersion) -> u8 {
    match v {
        CvssVersion::V2 => 0,
        CvssVersion::V3_0 => 1,
        CvssVersion::V3_1 => 2,
        CvssVersion::V4_0 => 3,
    }
}

fn finding_severity(advisory: &str, s: &Severity) -> FindingSeverity {
    let computed = match s.kind {
        SeverityType::CvssV2 | SeverityType::CvssV3 | SeverityType::CvssV4 => {
            cvss::score(&s.score).ok()
        }
        _ => None,
    };
    FindingSeverity {
        advisory: advisory.to_string(),
        kind: s.kind.clone(),
        vector: s.score.clone(),
        cvss_version: computed.map(|c| c.version),
        score: computed.map(|c| c.score),
        rating: computed.map(|c| c.rating),
    }
}

/// Fixed versions of the matched package entries, sorted, and the nearest one above the
/// installed version that no matched advisory still marks as affected.
fn fixes(
    advs: &[&(&Advisory, Vec<MatchedEntry>, Vec<&Affected>)],
    target: &Target<'_>,
) -> (Vec<String>, Option<String>) {
    let mut fixed: BTreeSet<String> = BTreeSet::new();
    for (_, _, affected) in advs {
        for a in affected {
            for r in &a.ranges {
                if matches!(r.kind, RangeType::Semver | RangeType::Ecosystem) {
                    for e in &r.events {
                        if let Event::Fixed(f) = e {
                            fixed.insert(f.trim().to_string());
                        }
                    }
                }
            }
        }
    }
    let eco_order = EcoOrder::new(&target.eco).ok();
    let cmp = |a: &str, b: &str| -> Option<Ordering> {
        if let Some(o) = &eco_order
            && let (Ok(x), Ok(y)) = (o.parse(a), o.parse(b))
        {
            return Some(x.cmp(&y));
        }
        match (parse_semver_lenient(a), parse_semver_lenient(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        }
    };
    let mut sorted: Vec<String> = fixed.into_iter().collect();
    sorted.sort_by(|a, b| cmp(a, b).unwrap_or_else(|| a.cmp(b)));
    let installed = target.version();
    let nearest = sorted
        .iter()
        .filter(|f| cmp(f, installed) == Some(Ordering::Greater))
        .find(|f| {
            let probe = Query::new(&target.query.ecosystem, &target.query.name, f.as_str());
            let t = Target::new(&probe);
            !advs.iter().any(|(adv, _, affected)| {
                affected
                    .iter()
                    .any(|a| !evaluate_affected(adv, a, &t).is_empty())
            })
        })
        .cloned();
    (sorted, nearest)
}
