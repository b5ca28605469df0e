//! CONTRIBUTING.md: how to report bugs, propose changes and what a change needs to be
//! merged (OSPS-DO-02.01, OSPS-GV-03.01, OSPS-GV-03.02).

use crate::inputs::Inputs;
use crate::markup::{Doc, code, link, t};
use crate::prose::{contact_inline, issue_tracker};

pub(crate) fn build(inputs: &Inputs) -> Doc {
    let m = inputs.metadata;
    let p = &m.product;
    let mut d = Doc::default();
    d.h(1, format!("Contributing to {}", p.name));
    d.text(format!(
        "Thank you for helping to improve {}. This guide says how to report bugs, how to propose a change and what a change needs before it is merged.",
        p.name
    ));

    d.h(2, "Reporting bugs");
    match issue_tracker(p.repository.as_deref()) {
        Some(tracker) => d.p(vec![
            t("Report bugs in the issue tracker: "),
            link(&tracker, &tracker),
            t(". Search it first: the bug may already be known."),
        ]),
        None => d.todo(
            "Reporting bugs",
            "name the issue tracker or mailing list where bugs are reported (product.repository in annex.toml, if it is on GitHub, GitLab or Codeberg)",
        ),
    }
    d.list(vec![
        vec![t("the version you use, and your platform;")],
        vec![t(
            "what you did, what you expected and what happened instead;",
        )],
        vec![t("the smallest example that shows the problem.")],
    ]);
    d.p(vec![
        t("Do not report security vulnerabilities in public issues: follow "),
        link("SECURITY.md", "SECURITY.md"),
        t(" instead."),
    ]);

    d.h(2, "Proposing a change");
    d.list(vec![
        vec![t("For anything larger than a small fix, open an issue first so the change can be discussed before you write it.")],
        vec![t("Make the change on a branch of your fork and open a pull request (merge request) against the default branch, describing what it changes and why.")],
        vec![t("Keep each pull request to one topic; maintainers may ask for changes before merging.")],
    ]);

    d.h(2, "Requirements for contributions");
    d.list(vec![
        vec![t("Every change is reviewed and approved by a maintainer other than its author before it is merged.")],
        vec![t("Changes in behaviour come with tests, and the test suite must pass in continuous integration.")],
        vec![t("Code follows the project's code style: run the formatter and the linter before you submit.")],
        vec![t("Documentation is updated together with the behaviour it describes.")],
        vec![t("New dependencies are discussed in the pull request: each one adds to what users must trust.")],
    ]);
    d.todo(
        "Requirements for contributions",
        "give the exact commands that build, test, format and lint the project, and say whether commits must be signed off (DCO) or signed",
    );

    d.h(2, "Reaching the maintainers");
    let mut reach = Vec::new();
    if let Some(tracker) = issue_tracker(p.repository.as_deref()) {
        reach.push(vec![t("Questions and ideas: "), link(&tracker, &tracker)]);
    }
    if let Some(e) = &m.party.email {
        reach.push(vec![t(format!("{}: ", m.party.name)), contact_inline(e)]);
    }
    reach.push(vec![t("Security: "), contact_inline(&m.security.contact)]);
    d.list(reach);

    if let Some(lic) = &p.license {
        d.h(2, "Licence");
        d.p(vec![
            t("Contributions are accepted under the project's licence, "),
            code(lic),
            t("."),
        ]);
    }
    d
}
