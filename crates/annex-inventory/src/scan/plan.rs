//! Planning a scan from the registry's declarations: which claimed file is a subject,
//! which is a companion of which subject, which is shadowed or unsupported.
//!
//! - A file named as a [`Companion::Beside`] / [`Companion::Below`] companion goes to the
//!   nearest supported subject at or above it that declares that companion (`Below`) or
//!   beside it (`Beside`); it is read as that subject's companion, never on its own.
//! - Of the rest, a file that a supported subject in the same directory shadows is
//!   skipped (`shadowed`), and a format annex does not read is skipped (`unsupported`).
//! - Everything else is a subject, extracted with its companions.

use std::collections::{BTreeMap, BTreeSet};

use annex_checkout::{SkipReason, Skipped};

use crate::extract::{Companion, Extractor};

/// A file some extractor claims.
pub(super) struct Candidate {
    /// The path subjects and errors are labelled with.
    pub path: String,
    pub extractor: &'static dyn Extractor,
}

impl Candidate {
    fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(d, _)| d)
    }

    fn name(&self) -> &str {
        self.path.rsplit_once('/').map_or(&self.path, |(_, n)| n)
    }

    fn supported(&self) -> bool {
        self.extractor.unsupported().is_none()
    }

    /// How this candidate's extractor relates to companions named `name`.
    fn declares(&self, name: &str) -> Option<Companion> {
        self.extractor
            .companions()
            .iter()
            .copied()
            .find(|c| c.name() == Some(name))
    }
}

/// One subject and its companions (indices into the candidates, nearest first).
pub(super) struct Job {
    pub subject: usize,
    pub companions: Vec<usize>,
}

/// Whether `dir` is `ancestor` or below it.
fn within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.starts_with(ancestor) && dir.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

/// For each candidate, the directory of the subjects it is a companion of, if any.
fn owners(cands: &[Candidate]) -> Vec<Option<String>> {
    // companion name → directories with a supported subject declaring it (and whether
    // files below count).
    let mut declared: BTreeMap<&str, BTreeMap<&str, bool>> = BTreeMap::new();
    for c in cands.iter().filter(|c| c.supported()) {
        for comp in c.extractor.companions() {
            if let Some(name) = comp.name() {
                let below = matches!(comp, Companion::Below(_));
                let e = declared
                    .entry(name)
                    .or_default()
                    .entry(c.dir())
                    .or_default();
                *e |= below;
            }
        }
    }
    cands
        .iter()
        .map(|c| {
            let dirs = declared.get(c.name())?;
            dirs.iter()
                .filter(|(d, below)| c.dir() == **d || (**below && within(c.dir(), d)))
                .map(|(d, _)| *d)
                .max_by_key(|d| d.len())
                .map(str::to_string)
        })
        .collect()
}

/// The companions of candidate `s`, given [`owners`]: the one beside it first.
fn companions_of(cands: &[Candidate], owner: &[Option<String>], s: usize) -> Vec<usize> {
    let subject = &cands[s];
    let mut out: Vec<usize> = (0..cands.len())
        .filter(|&j| j != s && owner[j].as_deref() == Some(subject.dir()))
        .filter(|&j| match subject.declares(cands[j].name()) {
            Some(Companion::Below(_)) => true,
            Some(Companion::Beside(_)) => cands[j].dir() == subject.dir(),
            _ => false,
        })
        .collect();
    out.sort_by_key(|&j| (cands[j].dir() != subject.dir(), cands[j].path.as_str()));
    out
}

/// The companions of one file read as a subject whatever else is around it
/// (`--lockfile FILE`): `s` is that file's candidate.
pub(super) fn companions_for(cands: &[Candidate], s: usize) -> Vec<usize> {
    companions_of(cands, &owners(cands), s)
}

/// The jobs, and the candidates skipped as shadowed or unsupported.
pub(super) fn plan(cands: &[Candidate]) -> (Vec<Job>, Vec<Skipped>) {
    let owner = owners(cands);
    let mut by_dir: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cands.iter().enumerate() {
        if owner[i].is_none() {
            by_dir.entry(c.dir()).or_default().push(i);
        }
    }
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    let mut subjects = BTreeSet::new();
    for (i, c) in cands.iter().enumerate() {
        if owner[i].is_some() {
            continue;
        }
        let shadow = by_dir.get(c.dir()).and_then(|same| {
            same.iter().copied().find(|&o| {
                o != i && cands[o].supported() && cands[o].extractor.shadows(c.extractor)
            })
        });
        if let Some(o) = shadow {
            skipped.push(Skipped {
                path: c.path.clone(),
                reason: SkipReason::Shadowed,
                detail: format!("{} is read instead", cands[o].path),
            });
        } else if let Some(what) = c.extractor.unsupported() {
            skipped.push(Skipped {
                path: c.path.clone(),
                reason: SkipReason::Unsupported,
                detail: what.to_string(),
            });
        } else {
            subjects.insert(i);
        }
    }
    for s in subjects {
        jobs.push(Job {
            subject: s,
            companions: companions_of(cands, &owner, s),
        });
    }
    (jobs, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(paths: &[&str]) -> Vec<Candidate> {
        paths
            .iter()
            .map(|p| Candidate {
                path: p.to_string(),
                extractor: crate::extract::find_path(p).expect(p),
            })
            .collect()
    }

    #[test]
    fn companions_go_to_the_nearest_subject_that_declares_them() {
        let c = cands(&[
            "Cargo.lock",
            "Cargo.toml",
            "a/Cargo.toml",
            "b/Cargo.lock",
            "b/c/Cargo.toml",
            "svc/go.mod",
            "svc/go.sum",
            "svc/sub/go.sum",
        ]);
        let (jobs, skipped) = plan(&c);
        assert!(skipped.is_empty());
        let got: Vec<(&str, Vec<&str>)> = jobs
            .iter()
            .map(|j| {
                (
                    c[j.subject].path.as_str(),
                    j.companions.iter().map(|&k| c[k].path.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Cargo.lock", vec!["Cargo.toml", "a/Cargo.toml"]),
                ("b/Cargo.lock", vec!["b/c/Cargo.toml"]),
                ("svc/go.mod", vec!["svc/go.sum"]),
                ("svc/sub/go.sum", vec![]),
            ]
        );
    }

    #[test]
    fn within_is_by_component() {
        assert!(within("a/b", "a"));
        assert!(within("ab", ""));
        assert!(!within("ab", "a"));
    }
}
