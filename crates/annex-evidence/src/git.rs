//! `git`: the checkout's history, read with gix (no libgit2, no `git` process): commit
//! activity and authors, DCO sign-off, commit and tag signatures (detected; verified only
//! against keys the user gives, see [`crate::git_verify`]), release tags and their version
//! scheme, the origin remote and its forge.
//!
//! The walk follows HEAD's history newest first and stops at [`MAX_COMMITS`] commits or
//! when the commits left are older than [`MAX_DAYS`] days and at least [`MIN_SAMPLE`] were
//! read. Whatever the history cannot tell (no repository, no commits, a shallow clone
//! cut inside the window, an unreadable object store) is `null` with a `reason`.

use std::collections::{BTreeSet, BinaryHeap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use gix::ObjectId;
use regex::Regex;

use crate::git_verify::{Outcome, Verifier};
use crate::model::{Git, GitWalk, Share, Signatures, TagInfo, Tags, Verification};
use crate::options::Signers;
use crate::text::compile;

/// Most commits read.
pub const MAX_COMMITS: u64 = 10_000;
/// Commits older than this many days are not read (unless needed for the minimum sample).
pub const MAX_DAYS: u64 = 365;
/// Shares (sign-off, signatures) are computed over at least this many commits when the
/// history has them, even if older than [`MAX_DAYS`].
pub const MIN_SAMPLE: u64 = 100;
/// Most tags read.
pub const MAX_TAGS: usize = 10_000;

const DAY: i64 = 86_400;

static RELEASE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^(?:[a-z0-9_.-]*?[-_/@])?v?\d+(?:[._]\d+)+(?:[-+.~][0-9a-z.-]+)?$|^v\d+$")
});
static SEMVER_TAG: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"^(?:[A-Za-z0-9_.-]*[-_/@])?v?(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)",
        r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$",
    ))
});

/// Whether a tag name is a release version (`v1.2`, `1.2.3`, `2024.01`, `name-1.0`).
pub(crate) fn is_release_tag(name: &str) -> bool {
    RELEASE_TAG.is_match(name)
}

/// Whether a tag name follows a semver-like scheme (`v1.2.3`, `1.2.3-rc.1`, `name-v1.2.3`).
pub(crate) fn is_semver_tag(name: &str) -> bool {
    SEMVER_TAG.is_match(name)
}

/// The forge of a remote URL, from its host.
pub(crate) fn forge_of(url: &str) -> &'static str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', ':']).next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .to_ascii_lowercase();
    let is = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    if is("github.com") {
        "github"
    } else if is("gitlab.com") || host.starts_with("gitlab.") {
        "gitlab"
    } else if is("codeberg.org") {
        "codeberg"
    } else if is("bitbucket.org") {
        "bitbucket"
    } else {
        "other"
    }
}

/// `https://user:token@host/x` → `https://host/x`; scp-like `git@host:x` is kept.
fn strip_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{path}"),
        None => url.to_string(),
    }
}

fn days_since(now: i64, t: i64) -> i64 {
    (now - t).div_euclid(DAY)
}

fn kind_name(sig: &[u8]) -> &'static str {
    match gix::objs::signature::Format::from_signature(sig) {
        Some(gix::objs::signature::Format::OpenPgp) => "gpg",
        Some(gix::objs::signature::Format::Ssh) => "ssh",
        Some(gix::objs::signature::Format::X509) => "x509",
        None => "unknown",
    }
}

/// One commit, as the walk needs it.
struct CommitInfo {
    time: i64,
    email: String,
    parents: Vec<ObjectId>,
    signed_off: bool,
    signature: Option<&'static str>,
    /// The signature checked against the given keys.
    verified: Outcome,
}

/// Check a commit's signature over the commit without its signature header.
fn verify_commit(commit: &gix::Commit<'_>, verifier: Option<&Verifier>) -> Outcome {
    let Some(verifier) = verifier else {
        return Outcome::NotChecked;
    };
    match commit.signature() {
        Ok(Some((sig, signed))) => verifier.verify(&sig, &signed.to_bstring()),
        Ok(None) => Outcome::NotChecked,
        Err(_) => Outcome::Invalid,
    }
}

fn read_commit(
    repo: &gix::Repository,
    id: ObjectId,
    verifier: Option<&Verifier>,
) -> Result<CommitInfo, String> {
    annex_checkout::git::check_object_size(repo, id)?;
    let commit = repo
        .find_commit(id)
        .map_err(|e| format!("cannot read commit {id}: {e}"))?;
    let decoded = commit
        .decode()
        .map_err(|e| format!("cannot decode commit {id}: {e}"))?;
    let time = decoded
        .committer()
        .map_err(|e| format!("cannot decode commit {id}: {e}"))?
        .time()
        .map(|t| t.seconds)
        .unwrap_or(0);
    let email = decoded
        .author()
        .map(|a| a.email.to_string().to_ascii_lowercase())
        .unwrap_or_default();
    let signed_off = decoded.signed_off_by_trailers().next().is_some();
    let signature = decoded
        .extra_headers()
        .pgp_signature()
        .map(|s| kind_name(s));
    let parents = decoded.parents().collect();
    let verified = if signature.is_some() {
        verify_commit(&commit, verifier)
    } else {
        Outcome::NotChecked
    };
    Ok(CommitInfo {
        time,
        email,
        parents,
        signed_off,
        signature,
        verified,
    })
}

/// Read the history of the repository at `root`. `project_remote` is the origin URL the
/// project probe read from `.git/config`, used when gix cannot give one. `signers` are the
/// keys to verify signatures with.
pub(crate) fn probe(
    root: &Path,
    now: i64,
    project_remote: Option<&str>,
    signers: Option<&Signers>,
) -> Git {
    let mut g = Git {
        walk: GitWalk {
            commits: 0,
            truncated: false,
            max_commits: MAX_COMMITS,
            max_days: MAX_DAYS,
        },
        remote_url: project_remote.map(str::to_string),
        ..Git::default()
    };
    if std::fs::symlink_metadata(root.join(".git")).is_err() {
        g.reason = Some("not a git checkout: no .git at the root".into());
        g.forge = g.remote_url.as_deref().map(|u| forge_of(u).to_string());
        return g;
    }
    let repo = match gix::open_opts(root, gix::open::Options::isolated()) {
        Ok(r) => r,
        Err(e) => {
            g.reason = Some(format!("cannot open the repository: {e}"));
            g.forge = g.remote_url.as_deref().map(|u| forge_of(u).to_string());
            return g;
        }
    };
    g.present = true;
    if let Some(url) = repo.config_snapshot().string("remote.origin.url") {
        let url = url.to_string();
        if !url.trim().is_empty() {
            g.remote_url = Some(strip_credentials(url.trim()));
        }
    }
    g.forge = g.remote_url.as_deref().map(|u| forge_of(u).to_string());
    g.shallow = repo.is_shallow().unwrap_or(false);

    let mut reasons: Vec<String> = Vec::new();
    let verifier = signers.map(|s| Verifier::load(s, &mut reasons));
    history(&repo, now, verifier.as_ref(), &mut g, &mut reasons);
    tags(&repo, now, verifier.as_ref(), &mut g, &mut reasons);
    if !reasons.is_empty() {
        g.reason = Some(reasons.join("; "));
    }
    g
}

fn history(
    repo: &gix::Repository,
    now: i64,
    verifier: Option<&Verifier>,
    g: &mut Git,
    reasons: &mut Vec<String>,
) {
    let head = match repo.head() {
        Ok(h) => h,
        Err(e) => {
            reasons.push(format!("cannot read HEAD: {e}"));
            return;
        }
    };
    if head.is_unborn() {
        reasons.push("the repository has no commits".into());
        return;
    }
    let Some(head_id) = head.id().map(|i| i.detach()) else {
        reasons.push("HEAD does not point to a commit".into());
        return;
    };
    g.head = Some(head_id.to_string());
    let head_info = match read_commit(repo, head_id, verifier) {
        Ok(c) => c,
        Err(e) => {
            reasons.push(format!("the object store cannot be read: {e}"));
            return;
        }
    };
    g.last_commit_days = Some(days_since(now, head_info.time));
    let head_signed = head_info.signature.is_some();

    let boundary: HashSet<ObjectId> = match repo.shallow_commits() {
        Ok(Some(c)) => c.iter().copied().collect(),
        _ => HashSet::new(),
    };
    let cutoff = now - MAX_DAYS as i64 * DAY;
    let mut heap: BinaryHeap<(i64, ObjectId)> = BinaryHeap::new();
    let mut pending: std::collections::HashMap<ObjectId, CommitInfo> = Default::default();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    seen.insert(head_id);
    heap.push((head_info.time, head_id));
    pending.insert(head_id, head_info);
    let mut walked: Vec<CommitInfo> = Vec::new();
    let mut error: Option<String> = None;
    let mut cut_by_shallow = false;
    while let Some((time, id)) = heap.pop() {
        if time < cutoff && walked.len() as u64 >= MIN_SAMPLE {
            break;
        }
        if walked.len() as u64 >= MAX_COMMITS {
            g.walk.truncated = time >= cutoff;
            break;
        }
        let Some(info) = pending.remove(&id) else {
            continue;
        };
        if boundary.contains(&id) {
            // The parents were not fetched.
            if time >= cutoff {
                cut_by_shallow = true;
            }
        } else {
            for p in &info.parents {
                if !seen.insert(*p) {
                    continue;
                }
                match read_commit(repo, *p, verifier) {
                    Ok(pc) => {
                        heap.push((pc.time, *p));
                        pending.insert(*p, pc);
                    }
                    Err(e) => {
                        if error.is_none() {
                            error = Some(e);
                        }
                    }
                }
            }
        }
        walked.push(info);
        if error.is_some() {
            break;
        }
    }
    g.walk.commits = walked.len() as u64;
    if let Some(e) = error {
        reasons.push(format!(
            "the history could not be read to the end, so counts are unknown: {e}"
        ));
        return;
    }
    if cut_by_shallow {
        reasons.push(
            "shallow clone: the history ends inside the last 365 days, so counts and shares are unknown"
                .into(),
        );
        return;
    }
    let since = |days: i64| now - days * DAY;
    let mut authors_90 = BTreeSet::new();
    let mut authors_365 = BTreeSet::new();
    let (mut c90, mut c365) = (0u64, 0u64);
    for c in &walked {
        if c.time >= since(90) {
            c90 += 1;
            authors_90.insert(c.email.as_str());
        }
        if c.time >= since(365) {
            c365 += 1;
            authors_365.insert(c.email.as_str());
        }
    }
    g.commits_90d = Some(c90);
    g.commits_365d = Some(c365);
    g.authors_90d = Some(authors_90.len() as u64);
    g.authors_365d = Some(authors_365.len() as u64);

    let non_merge: Vec<&CommitInfo> = walked.iter().filter(|c| c.parents.len() <= 1).collect();
    let total = non_merge.len() as u64;
    let share = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        }
    };
    let signed_off = non_merge.iter().filter(|c| c.signed_off).count() as u64;
    g.dco = Some(Share {
        total,
        count: signed_off,
        share: share(signed_off),
    });
    let signed = non_merge.iter().filter(|c| c.signature.is_some()).count() as u64;
    let kinds: BTreeSet<&str> = walked.iter().filter_map(|c| c.signature).collect();
    let verified = verifier.map(|_| {
        let mut v = Verification::default();
        for c in &non_merge {
            c.verified.count(&mut v);
        }
        v
    });
    g.signed_commits = Some(Signatures {
        total,
        signed,
        share: share(signed),
        kinds: kinds.into_iter().map(String::from).collect(),
        head_signed,
        verified,
    });
}

fn tags(
    repo: &gix::Repository,
    now: i64,
    verifier: Option<&Verifier>,
    g: &mut Git,
    reasons: &mut Vec<String>,
) {
    let platform = match repo.references() {
        Ok(p) => p,
        Err(e) => {
            reasons.push(format!("cannot read the tags: {e}"));
            return;
        }
    };
    let iter = match platform.tags() {
        Ok(i) => i,
        Err(e) => {
            reasons.push(format!("cannot read the tags: {e}"));
            return;
        }
    };
    let mut out = Tags {
        count: 0,
        release: 0,
        semver: 0,
        annotated: 0,
        signed: 0,
        kinds: Vec::new(),
        verified: verifier.map(|_| Verification::default()),
        latest: None,
    };
    let mut kinds = BTreeSet::new();
    let mut unreadable = 0u64;
    // The newest release tag by its time in seconds (days would tie), then by name.
    let mut latest_time: Option<i64> = None;
    for (read, r) in iter.enumerate() {
        if read == MAX_TAGS {
            // A tag beyond the limit exists: say the counts stop short.
            reasons.push(format!(
                "only the first {MAX_TAGS} tags were read: the tag counts are lower bounds"
            ));
            break;
        }
        let Ok(r) = r else {
            unreadable += 1;
            continue;
        };
        out.count += 1;
        let name = r.name().shorten().to_string();
        let Some(target) = r.target().try_id().map(|i| i.to_owned()) else {
            continue;
        };
        let mut time = None;
        let mut info = TagInfo {
            semver: is_semver_tag(&name),
            name,
            days: None,
            annotated: false,
            signed: false,
            kind: None,
            verified: None,
        };
        match tag_details(repo, target, verifier) {
            Ok(TagDetails {
                annotated,
                time: tagged_at,
                sig,
                verified: outcome,
            }) => {
                info.annotated = annotated;
                time = tagged_at;
                info.days = tagged_at.map(|t| days_since(now, t));
                if let Some(k) = sig {
                    info.signed = true;
                    info.kind = Some(k.to_string());
                    kinds.insert(k);
                }
                info.verified = outcome.as_bool();
                if let Some(v) = out.verified.as_mut() {
                    outcome.count(v);
                }
            }
            Err(_) => unreadable += 1,
        }
        out.annotated += u64::from(info.annotated);
        out.signed += u64::from(info.signed);
        if is_release_tag(&info.name) {
            out.release += 1;
            out.semver += u64::from(info.semver);
            let newer = match (&out.latest, time) {
                (None, _) => true,
                (Some(l), Some(t)) => match latest_time {
                    None => true,
                    Some(lt) => t > lt || (t == lt && info.name > l.name),
                },
                (Some(l), None) => latest_time.is_none() && info.name > l.name,
            };
            if newer {
                latest_time = time;
                out.latest = Some(info);
            }
        }
    }
    if unreadable > 0 {
        reasons.push(format!("{unreadable} tag(s) could not be read"));
    }
    out.kinds = kinds.into_iter().map(String::from).collect();
    g.last_release_days = out.latest.as_ref().and_then(|l| l.days);
    g.tags = Some(out);
}

/// What the object a tag ref points to tells.
struct TagDetails {
    annotated: bool,
    time: Option<i64>,
    /// The signature kind.
    sig: Option<&'static str>,
    verified: Outcome,
}

/// The details of the object a tag ref points to.
fn tag_details(
    repo: &gix::Repository,
    target: ObjectId,
    verifier: Option<&Verifier>,
) -> Result<TagDetails, String> {
    annex_checkout::git::check_object_size(repo, target)?;
    let object = repo.find_object(target).map_err(|e| e.to_string())?;
    match object.kind {
        gix::object::Kind::Tag => {
            let tag = object.into_tag();
            let decoded = tag.decode().map_err(|e| e.to_string())?;
            let sig = decoded.signature.map(|s| kind_name(s));
            let outcome = match (verifier, sig) {
                (Some(v), Some(_)) => match gix::objs::TagRefIter::signature(&tag.data) {
                    Some((signature, signed)) => v.verify(signature.data, &signed.to_bstring()),
                    None => Outcome::Invalid,
                },
                _ => Outcome::NotChecked,
            };
            let tagged = decoded
                .tagger()
                .ok()
                .flatten()
                .and_then(|t| t.time().ok())
                .map(|t| t.seconds);
            let time = match tagged {
                Some(t) => Some(t),
                None => {
                    let inner = decoded.target();
                    read_commit(repo, inner, None).ok().map(|c| c.time)
                }
            };
            Ok(TagDetails {
                annotated: true,
                time,
                sig,
                verified: outcome,
            })
        }
        gix::object::Kind::Commit => {
            let c = read_commit(repo, target, None)?;
            Ok(TagDetails {
                annotated: false,
                time: Some(c.time),
                sig: None,
                verified: Outcome::NotChecked,
            })
        }
        _ => Ok(TagDetails {
            annotated: false,
            time: None,
            sig: None,
            verified: Outcome::NotChecked,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_schemes() {
        for (name, release, semver) in [
            ("v1.2.3", true, true),
            ("1.2.3", true, true),
            ("1.2.3-rc.1", true, true),
            ("annex-v0.4.0", true, true),
            ("v1.2", true, false),
            ("2024.01", true, false),
            ("v2", true, false),
            ("nightly", false, false),
            ("latest", false, false),
        ] {
            assert_eq!(is_release_tag(name), release, "{name}");
            assert_eq!(is_semver_tag(name), semver, "{name}");
        }
    }

    #[test]
    fn forges() {
        assert_eq!(forge_of("https://github.com/o/r.git"), "github");
        assert_eq!(forge_of("git@github.com:o/r.git"), "github");
        assert_eq!(forge_of("https://gitlab.example.org/o/r"), "gitlab");
        assert_eq!(forge_of("ssh://git@codeberg.org/o/r"), "codeberg");
        assert_eq!(forge_of("https://bitbucket.org/o/r"), "bitbucket");
        assert_eq!(forge_of("https://git.example.org/o/r"), "other");
        assert_eq!(
            strip_credentials("https://u:t@github.com/o/r"),
            "https://github.com/o/r"
        );
    }
}
