//! `docs`: community and user documentation.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Docs, Fact};
use crate::probes::names::{DocKind, doc_kind, doc_location_rank};
use crate::probes::policy;
use crate::record::FileRecord;
use crate::text::{compile, headings, numbered_lines};

/// A README longer than this many lines counts as user documentation.
const README_USER_DOCS_LINES: usize = 20;

struct Rules {
    support_heading: Regex,
    build_heading: Regex,
    contributing_requirements: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    support_heading: compile(r"(?i)^(?:getting\s+)?support\b|supported\s+versions?"),
    build_heading: compile(r"(?i)\bbuild|\binstall|\bcompil|getting\s+started"),
    contributing_requirements: compile(
        r"(?i)\btests?\b|\btesting\b|\breview|sign-?off|signed-off-by|\bDCO\b|developer certificate of origin|code style|style guide|coding (?:style|standards?|conventions?)|\bformat(?:ting|ter)?\b|\blint",
    ),
});

pub(crate) fn whole(rec: &FileRecord) -> Fact {
    Fact {
        path: rec.rel.clone(),
        line: 1,
        digest: rec.digest.clone(),
    }
}

fn at(rec: &FileRecord, line: u64) -> Fact {
    Fact {
        path: rec.rel.clone(),
        line,
        digest: None,
    }
}

/// The best file of a kind: root first, then `.github/`, `docs/`, `doc/`; then by path.
fn best(files: &[FileRecord], kind: DocKind) -> Option<&FileRecord> {
    files
        .iter()
        .filter(|f| doc_kind(&f.rel) == Some(kind))
        .filter(|f| kind != DocKind::Readme || doc_location_rank(&f.rel) <= Some(1))
        .min_by_key(|f| (doc_location_rank(&f.rel), f.rel.as_str()))
}

fn heading_fact(rec: Option<&FileRecord>, re: &Regex) -> Option<Fact> {
    let rec = rec?;
    let text = rec.text()?;
    headings(&text)
        .into_iter()
        .find(|(_, h)| re.is_match(h))
        .map(|(n, _)| at(rec, n))
}

pub(crate) fn probe(files: &[FileRecord]) -> Docs {
    let rules = &*RULES;
    let readme = best(files, DocKind::Readme);
    let contributing = best(files, DocKind::Contributing);

    let support = best(files, DocKind::Support)
        .map(whole)
        .or_else(|| heading_fact(readme, &rules.support_heading));

    let docs_dir = files
        .iter()
        .find(|f| f.rel.starts_with("docs/") || f.rel.starts_with("doc/"))
        .map(|f| Fact {
            path: f.rel.split('/').next().unwrap_or("docs").to_string(),
            line: 1,
            digest: None,
        });
    let user_docs = docs_dir.or_else(|| {
        readme
            .filter(|r| {
                r.text()
                    .is_some_and(|t| t.lines().count() > README_USER_DOCS_LINES)
            })
            .map(whole)
    });

    let build_instructions = best(files, DocKind::Install)
        .map(whole)
        .or_else(|| heading_fact(readme, &rules.build_heading))
        .or_else(|| heading_fact(contributing, &rules.build_heading));

    let contributing_requirements = contributing.and_then(|rec| {
        let text = rec.text()?;
        numbered_lines(&text)
            .find(|(_, l)| rules.contributing_requirements.is_match(l))
            .map(|(n, _)| at(rec, n))
    });

    Docs {
        readme: readme.map(whole),
        contributing: contributing.map(whole),
        code_of_conduct: best(files, DocKind::CodeOfConduct).map(whole),
        changelog: best(files, DocKind::Changelog).map(whole),
        governance: best(files, DocKind::Governance).map(whole),
        maintainers: best(files, DocKind::Maintainers).map(whole),
        support,
        user_docs,
        build_instructions,
        contributing_requirements,
        security_policy: policy::security_policy(files),
        security_txt: policy::security_txt(files),
    }
}
